// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {IContributionRegistry} from "./interfaces/IContributionRegistry.sol";

/// @title ContributionRegistry
/// @notice Datanets, contributions, reviews with bonds, gasless submission and reputation.
/// @dev Storage is laid out so that a contribution without a bond writes one new slot.
contract ContributionRegistry is IContributionRegistry, Ownable2Step, EIP712 {
    using SafeERC20 for IERC20;

    /// @dev What a submission reads, in one slot: the settings (kind 8 | open 8 | optimistic 8 |
    /// reviewQuorum 8 | reviewWindow 32 | dailyLimit 32 | bond 96) and `bondIndex` 16, the
    /// index of the current bond in `_bondAmounts` (bumped whenever the bond changes).
    struct Config {
        DatanetKind kind;
        bool open;
        bool optimistic;
        uint8 reviewQuorum;
        uint32 reviewWindow;
        uint32 dailyLimit;
        uint96 bond;
        uint16 bondIndex;
    }

    /// @dev Layout: slot 0 = config; slot 1 = owner 160 | acceptedCount 64 | versionCount 32;
    /// slot 2 = pendingOwner; slot 3+ = metadataURI.
    struct Datanet {
        Config config;
        address owner;
        uint64 acceptedCount;
        uint32 versionCount;
        address pendingOwner;
        string metadataURI;
    }

    /// @dev One slot: reputation counters (32 | 32 | 32 | 32 | slashed 96) and the
    /// gasless-submission nonce (32), so a signed contribution updates both in one write.
    struct Account {
        uint32 submitted;
        uint32 accepted;
        uint32 rejected;
        uint32 withdrawn;
        uint96 slashed;
        uint32 nonce;
    }

    /// @dev A contribution as stored. Slot 0, the only slot written at submission:
    /// contributor 160 | datanetId 24 | submittedAt 32 | status 8 | approvals 8 |
    /// rejections 8 | bondIndex 16. The bond amount is `_bondAmounts[datanetId][bondIndex]`
    /// and is escrowed exactly while the status is Pending. Slot 1, written when the
    /// contribution is decided or withdrawn: decidedAt 40 | withdrawnAt 40.
    struct Record {
        address contributor;
        uint24 datanetId;
        uint32 submittedAt;
        Status status;
        uint8 approvals;
        uint8 rejections;
        uint16 bondIndex;
        uint40 decidedAt;
        uint40 withdrawnAt;
    }

    /// @dev One slot: UTC day number (32) and contributions made that day (32).
    struct DailyCount {
        uint32 day;
        uint32 count;
    }

    /// @notice Largest number of items in one `contributeBatch`.
    uint256 public constant MAX_BATCH_SIZE = 256;

    /// @dev EIP-712 type of a signed contribution.
    bytes32 private constant CONTRIBUTE_TYPEHASH = keccak256(
        "Contribute(address contributor,uint256 datanetId,bytes32 contentHash,bytes32 uriHash,uint256 nonce,uint256 deadline)"
    );

    IERC20 private immutable BOND_TOKEN;

    address private _treasury;
    uint96 private _maxBond;
    uint32 private _maxReviewWindow;
    /// @dev Datanet ids are uint24 so that a contribution fits one slot (16.7 million datanets).
    uint24 private _datanetCount;

    mapping(uint256 datanetId => Datanet) private _datanets;
    mapping(uint256 datanetId => mapping(uint16 bondIndex => uint96 amount)) private _bondAmounts;
    mapping(uint256 datanetId => mapping(address account => bool)) private _reviewers;
    mapping(uint256 datanetId => mapping(uint32 version => Version)) private _versions;
    mapping(uint256 datanetId => mapping(address account => DailyCount)) private _daily;
    mapping(bytes32 contributionId => Record) private _contributions;
    mapping(bytes32 contributionId => mapping(address reviewer => bool)) private _reviewed;
    mapping(address account => Account) private _accounts;

    /// @param bondToken_ The OPEN token bonds are escrowed in.
    /// @param protocolOwner The governance timelock.
    /// @param treasury_ Receives slashed bonds.
    /// @param maxBond_ Upper bound on datanet bonds.
    /// @param maxReviewWindow_ Upper bound on datanet review windows (seconds).
    constructor(
        IERC20 bondToken_,
        address protocolOwner,
        address treasury_,
        uint96 maxBond_,
        uint32 maxReviewWindow_
    ) Ownable(protocolOwner) EIP712("OpenAttribution ContributionRegistry", "1") {
        if (address(bondToken_) == address(0) || treasury_ == address(0)) revert ZeroAddress();
        BOND_TOKEN = bondToken_;
        _treasury = treasury_;
        _maxBond = maxBond_;
        _maxReviewWindow = maxReviewWindow_;
    }

    modifier onlyDatanetOwner(uint256 datanetId) {
        _checkDatanetOwner(datanetId);
        _;
    }

    // ================================================================ datanets

    /// @inheritdoc IContributionRegistry
    function createDatanet(
        string calldata metadataURI,
        DatanetSettings calldata settings
    ) external returns (uint256 datanetId) {
        _validateSettings(settings);
        datanetId = ++_datanetCount; // uint24: reverts on overflow after 2^24 - 1 datanets
        Datanet storage d = _datanets[datanetId];
        d.config = _toConfig(settings, 0);
        if (settings.bond != 0) _bondAmounts[datanetId][0] = settings.bond;
        d.owner = msg.sender;
        d.metadataURI = metadataURI;
        emit DatanetCreated(datanetId, msg.sender, metadataURI, settings);
    }

    /// @inheritdoc IContributionRegistry
    function updateDatanetSettings(
        uint256 datanetId,
        DatanetSettings calldata settings
    ) external onlyDatanetOwner(datanetId) {
        _validateSettings(settings);
        Config storage config = _datanets[datanetId].config;
        uint16 bondIndex = config.bondIndex;
        if (settings.bond != config.bond) {
            if (bondIndex == type(uint16).max) revert TooManyBondChanges(datanetId);
            _bondAmounts[datanetId][++bondIndex] = settings.bond;
        }
        _datanets[datanetId].config = _toConfig(settings, bondIndex);
        emit DatanetSettingsUpdated(datanetId, settings);
    }

    /// @inheritdoc IContributionRegistry
    function setDatanetMetadata(
        uint256 datanetId,
        string calldata metadataURI
    ) external onlyDatanetOwner(datanetId) {
        _datanets[datanetId].metadataURI = metadataURI;
        emit DatanetMetadataUpdated(datanetId, metadataURI);
    }

    /// @inheritdoc IContributionRegistry
    function setReviewer(
        uint256 datanetId,
        address reviewer,
        bool active
    ) external onlyDatanetOwner(datanetId) {
        if (reviewer == address(0)) revert ZeroAddress();
        _reviewers[datanetId][reviewer] = active;
        emit ReviewerSet(datanetId, reviewer, active);
    }

    /// @inheritdoc IContributionRegistry
    function transferDatanetOwnership(
        uint256 datanetId,
        address newOwner
    ) external onlyDatanetOwner(datanetId) {
        _datanets[datanetId].pendingOwner = newOwner;
        emit DatanetOwnershipTransferStarted(datanetId, msg.sender, newOwner);
    }

    /// @inheritdoc IContributionRegistry
    function acceptDatanetOwnership(uint256 datanetId) external {
        Datanet storage d = _datanets[datanetId];
        if (d.pendingOwner != msg.sender || msg.sender == address(0)) {
            revert NotPendingDatanetOwner(datanetId, msg.sender);
        }
        address previous = d.owner;
        d.owner = msg.sender;
        delete d.pendingOwner;
        emit DatanetOwnershipTransferred(datanetId, previous, msg.sender);
    }

    /// @inheritdoc IContributionRegistry
    function snapshotVersion(
        uint256 datanetId
    ) external onlyDatanetOwner(datanetId) returns (uint32 version) {
        Datanet storage d = _datanets[datanetId];
        version = ++d.versionCount;
        uint64 acceptedCount = d.acceptedCount;
        uint40 timestamp = uint40(block.timestamp);
        _versions[datanetId][version] = Version(acceptedCount, timestamp);
        emit DatanetVersionCreated(datanetId, version, acceptedCount, timestamp);
    }

    // ================================================================ contributions

    /// @inheritdoc IContributionRegistry
    function contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri
    ) external returns (bytes32 contributionId_) {
        Config memory config = _openDatanet(datanetId);
        if (contentHash == bytes32(0)) revert ZeroContentHash();
        contributionId_ = _record(datanetId, contentHash, msg.sender, config.bondIndex);
        if (contributionId_ == bytes32(0)) revert DuplicateContent(datanetId, contentHash);
        _countSubmissions(datanetId, config.dailyLimit, msg.sender, 1, false);
        emit Contributed(datanetId, contributionId_, msg.sender, contentHash, uri, config.bond);
        if (config.bond != 0) BOND_TOKEN.safeTransferFrom(msg.sender, address(this), config.bond);
    }

    /// @inheritdoc IContributionRegistry
    function contributeBatch(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris
    ) external returns (bytes32[] memory contributionIds) {
        uint256 size = contentHashes.length;
        if (size != uris.length) revert LengthMismatch(size, uris.length);
        if (size == 0 || size > MAX_BATCH_SIZE) revert InvalidBatchSize(size, MAX_BATCH_SIZE);
        Config memory config = _openDatanet(datanetId);
        _countSubmissions(datanetId, config.dailyLimit, msg.sender, uint32(size), false);

        contributionIds = new bytes32[](size);
        for (uint256 i; i < size; ++i) {
            bytes32 contentHash = contentHashes[i];
            if (contentHash == bytes32(0)) revert BatchItemInvalid(i, contentHash, ZeroContentHash.selector);
            bytes32 id = _record(datanetId, contentHash, msg.sender, config.bondIndex);
            if (id == bytes32(0)) revert BatchItemInvalid(i, contentHash, DuplicateContent.selector);
            contributionIds[i] = id;
            emit Contributed(datanetId, id, msg.sender, contentHash, uris[i], config.bond);
        }
        if (config.bond != 0) {
            BOND_TOKEN.safeTransferFrom(msg.sender, address(this), uint256(config.bond) * size);
        }
    }

    /// @inheritdoc IContributionRegistry
    function contributeWithSig(SignedContribution calldata request) external returns (bytes32) {
        return _contributeWithSig(request);
    }

    /// @inheritdoc IContributionRegistry
    function contributeWithSigAndPermit(
        SignedContribution calldata request,
        Permit calldata permit
    ) external returns (bytes32) {
        // A permit that fails (typically because someone front-ran it) must not block the
        // contribution when the allowance it granted is already there.
        try
            IERC20Permit(address(BOND_TOKEN)).permit(
                request.contributor,
                address(this),
                permit.value,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        {} catch {}
        uint256 bond = _datanets[request.datanetId].config.bond;
        uint256 allowance = BOND_TOKEN.allowance(request.contributor, address(this));
        if (allowance < bond) revert InsufficientAllowance(allowance, bond);
        return _contributeWithSig(request);
    }

    /// @inheritdoc IContributionRegistry
    function review(bytes32 contributionId_, bool approve) external {
        Record storage c = _pendingContribution(contributionId_);
        uint256 datanetId = c.datanetId;
        if (!_reviewers[datanetId][msg.sender]) revert NotReviewer(datanetId, msg.sender);
        if (c.contributor == msg.sender) revert SelfReview(contributionId_);
        if (_reviewed[contributionId_][msg.sender]) revert AlreadyReviewed(contributionId_, msg.sender);
        _reviewed[contributionId_][msg.sender] = true;
        emit Reviewed(contributionId_, msg.sender, approve);

        uint8 quorum = _datanets[datanetId].config.reviewQuorum;
        // approvals and rejections never exceed the quorum (≤ 255): the vote that reaches
        // it decides the contribution, after which no vote is accepted.
        if (approve) {
            uint8 approvals = c.approvals + 1;
            c.approvals = approvals;
            if (approvals >= quorum) _accept(contributionId_, c, datanetId);
        } else {
            uint8 rejections = c.rejections + 1;
            c.rejections = rejections;
            if (rejections >= quorum) _reject(contributionId_, c, datanetId);
        }
    }

    /// @inheritdoc IContributionRegistry
    function finalize(bytes32 contributionId_) external {
        Record storage c = _pendingContribution(contributionId_);
        uint256 datanetId = c.datanetId;
        Config storage config = _datanets[datanetId].config;
        uint256 windowEndsAt = uint256(c.submittedAt) + config.reviewWindow;
        if (!config.optimistic || block.timestamp < windowEndsAt || c.rejections != 0) {
            revert NotFinalizable(contributionId_, windowEndsAt);
        }
        _accept(contributionId_, c, datanetId);
    }

    /// @inheritdoc IContributionRegistry
    function withdraw(bytes32 contributionId_) external {
        Record storage c = _contributions[contributionId_];
        Status status = c.status;
        if (status == Status.None) revert UnknownContribution(contributionId_);
        if (c.contributor != msg.sender) revert NotContributor(contributionId_, msg.sender);
        if (status != Status.Pending && status != Status.Accepted)
            revert InvalidStatus(contributionId_, status);

        uint256 datanetId = c.datanetId;
        uint96 refund = status == Status.Pending ? _bondAmounts[datanetId][c.bondIndex] : 0;
        c.status = Status.Withdrawn;
        c.withdrawnAt = uint40(block.timestamp);
        Account storage account = _accounts[msg.sender];
        ++account.withdrawn;
        if (status == Status.Accepted) {
            --account.accepted;
            --_datanets[datanetId].acceptedCount;
        }
        emit ContributionWithdrawn(contributionId_, datanetId, refund);
        if (refund != 0) BOND_TOKEN.safeTransfer(msg.sender, refund);
    }

    // ================================================================ protocol

    /// @inheritdoc IContributionRegistry
    function setTreasury(address treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        _treasury = treasury_;
        emit TreasuryUpdated(treasury_);
    }

    /// @inheritdoc IContributionRegistry
    function setBounds(uint96 maxBond_, uint32 maxReviewWindow_) external onlyOwner {
        _maxBond = maxBond_;
        _maxReviewWindow = maxReviewWindow_;
        emit BoundsUpdated(maxBond_, maxReviewWindow_);
    }

    // ================================================================ reads

    /// @inheritdoc IContributionRegistry
    function bondToken() external view returns (address) {
        return address(BOND_TOKEN);
    }

    /// @inheritdoc IContributionRegistry
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IContributionRegistry
    function maxBond() external view returns (uint96) {
        return _maxBond;
    }

    /// @inheritdoc IContributionRegistry
    function maxReviewWindow() external view returns (uint32) {
        return _maxReviewWindow;
    }

    /// @inheritdoc IContributionRegistry
    function datanetCount() external view returns (uint256) {
        return _datanetCount;
    }

    /// @inheritdoc IContributionRegistry
    function getDatanet(
        uint256 datanetId
    )
        external
        view
        returns (
            address owner,
            address pendingOwner,
            DatanetSettings memory settings,
            uint64 acceptedCount,
            uint32 versionCount,
            string memory metadataURI
        )
    {
        Datanet storage d = _existingDatanet(datanetId);
        Config memory c = d.config;
        settings = DatanetSettings(
            c.kind,
            c.open,
            c.optimistic,
            c.reviewQuorum,
            c.reviewWindow,
            c.dailyLimit,
            c.bond
        );
        return (d.owner, d.pendingOwner, settings, d.acceptedCount, d.versionCount, d.metadataURI);
    }

    /// @inheritdoc IContributionRegistry
    function isReviewer(uint256 datanetId, address account) external view returns (bool) {
        return _reviewers[datanetId][account];
    }

    /// @inheritdoc IContributionRegistry
    function hasReviewed(bytes32 contributionId_, address reviewer) external view returns (bool) {
        return _reviewed[contributionId_][reviewer];
    }

    /// @inheritdoc IContributionRegistry
    function getContribution(bytes32 contributionId_) external view returns (Contribution memory) {
        Record memory r = _contributions[contributionId_];
        return
            Contribution(
                r.contributor,
                r.datanetId,
                r.submittedAt,
                r.status,
                r.approvals,
                r.rejections,
                r.status == Status.None ? 0 : _bondAmounts[r.datanetId][r.bondIndex],
                r.decidedAt,
                r.withdrawnAt
            );
    }

    /// @inheritdoc IContributionRegistry
    function contributionId(uint256 datanetId, bytes32 contentHash) public pure returns (bytes32 id) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, datanetId)
            mstore(0x20, contentHash)
            id := keccak256(0x00, 0x40)
        }
    }

    /// @inheritdoc IContributionRegistry
    function getVersion(uint256 datanetId, uint32 version) external view returns (Version memory) {
        if (!versionExists(datanetId, version)) revert UnknownVersion(datanetId, version);
        return _versions[datanetId][version];
    }

    /// @inheritdoc IContributionRegistry
    function versionExists(uint256 datanetId, uint32 version) public view returns (bool) {
        return version != 0 && version <= _datanets[datanetId].versionCount;
    }

    /// @inheritdoc IContributionRegistry
    function reputation(address account) external view returns (Reputation memory) {
        Account storage a = _accounts[account];
        return Reputation(a.submitted, a.accepted, a.rejected, a.withdrawn, a.slashed);
    }

    /// @inheritdoc IContributionRegistry
    function nonces(address account) external view returns (uint256) {
        return _accounts[account].nonce;
    }

    /// @notice The EIP-712 domain separator signed contributions are bound to.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ================================================================ internal

    function _contributeWithSig(SignedContribution calldata request) private returns (bytes32 id) {
        if (block.timestamp > request.deadline) revert SignatureExpired(request.deadline, block.timestamp);
        address contributor = request.contributor;
        uint256 datanetId = request.datanetId;
        bytes32 contentHash = request.contentHash;
        Config memory config = _openDatanet(datanetId);
        if (contentHash == bytes32(0)) revert ZeroContentHash();

        bytes32 digest = _hashTypedDataV4(
            keccak256(
                abi.encode(
                    CONTRIBUTE_TYPEHASH,
                    contributor,
                    datanetId,
                    contentHash,
                    keccak256(bytes(request.uri)),
                    _accounts[contributor].nonce,
                    request.deadline
                )
            )
        );
        if (!SignatureChecker.isValidSignatureNow(contributor, digest, request.signature)) {
            revert InvalidSignature(contributor);
        }

        id = _record(datanetId, contentHash, contributor, config.bondIndex);
        if (id == bytes32(0)) revert DuplicateContent(datanetId, contentHash);
        _countSubmissions(datanetId, config.dailyLimit, contributor, 1, true);
        emit Contributed(datanetId, id, contributor, contentHash, request.uri, config.bond);
        if (config.bond != 0) BOND_TOKEN.safeTransferFrom(contributor, address(this), config.bond);
    }

    /// @dev Stores a new pending contribution; returns 0 (instead of reverting, so a batch
    /// can name the failing item) when the content already exists in the datanet.
    function _record(
        uint256 datanetId,
        bytes32 contentHash,
        address contributor,
        uint16 bondIndex
    ) private returns (bytes32 id) {
        id = contributionId(datanetId, contentHash);
        Record storage c = _contributions[id];
        if (c.status != Status.None) return bytes32(0);
        // One slot write. datanetId fits: it is an existing id, ≤ _datanetCount (uint24).
        // submittedAt as uint32 is exact until the year 2106.
        (c.contributor, c.datanetId, c.submittedAt, c.status, c.bondIndex) = (
            contributor,
            uint24(datanetId),
            uint32(block.timestamp),
            Status.Pending,
            bondIndex
        );
    }

    /// @dev Counts `n` new submissions of `contributor`: reputation (and the nonce when
    /// `useNonce`) in one write, then the datanet's daily limit when it has one.
    function _countSubmissions(
        uint256 datanetId,
        uint32 dailyLimit,
        address contributor,
        uint32 n,
        bool useNonce
    ) private {
        Account storage account = _accounts[contributor];
        account.submitted += n;
        if (useNonce) ++account.nonce;
        if (dailyLimit == 0) return;

        DailyCount storage daily = _daily[datanetId][contributor];
        uint32 today = uint32(block.timestamp / 1 days);
        uint256 count = (daily.day == today ? daily.count : 0) + n;
        if (count > dailyLimit) revert DailyLimitReached(datanetId, contributor, dailyLimit);
        daily.day = today;
        daily.count = uint32(count); // ≤ dailyLimit, a uint32
    }

    function _accept(bytes32 id, Record storage c, uint256 datanetId) private {
        address contributor = c.contributor;
        uint96 refund = _bondAmounts[datanetId][c.bondIndex];
        c.status = Status.Accepted;
        c.decidedAt = uint40(block.timestamp);
        ++_datanets[datanetId].acceptedCount;
        ++_accounts[contributor].accepted;
        emit ContributionAccepted(id, datanetId, refund);
        if (refund != 0) BOND_TOKEN.safeTransfer(contributor, refund);
    }

    function _reject(bytes32 id, Record storage c, uint256 datanetId) private {
        uint96 slashed = _bondAmounts[datanetId][c.bondIndex];
        c.status = Status.Rejected;
        c.decidedAt = uint40(block.timestamp);
        Account storage account = _accounts[c.contributor];
        ++account.rejected;
        account.slashed += slashed;
        emit ContributionRejected(id, datanetId, slashed);
        if (slashed != 0) BOND_TOKEN.safeTransfer(_treasury, slashed);
    }

    function _pendingContribution(bytes32 id) private view returns (Record storage c) {
        c = _contributions[id];
        Status status = c.status;
        if (status == Status.None) revert UnknownContribution(id);
        if (status != Status.Pending) revert InvalidStatus(id, status);
    }

    /// @dev Config of an existing, open datanet (one storage read).
    function _openDatanet(uint256 datanetId) private view returns (Config memory config) {
        config = _datanets[datanetId].config;
        // Every created datanet has reviewQuorum ≥ 1, so 0 means "never created".
        if (config.reviewQuorum == 0) revert UnknownDatanet(datanetId);
        if (!config.open) revert DatanetClosed(datanetId);
    }

    function _existingDatanet(uint256 datanetId) private view returns (Datanet storage d) {
        d = _datanets[datanetId];
        if (d.owner == address(0)) revert UnknownDatanet(datanetId);
    }

    function _checkDatanetOwner(uint256 datanetId) private view {
        address owner = _existingDatanet(datanetId).owner;
        if (owner != msg.sender) revert NotDatanetOwner(datanetId, msg.sender);
    }

    function _toConfig(DatanetSettings calldata s, uint16 bondIndex) private pure returns (Config memory) {
        return
            Config(
                s.kind,
                s.open,
                s.optimistic,
                s.reviewQuorum,
                s.reviewWindow,
                s.dailyLimit,
                s.bond,
                bondIndex
            );
    }

    function _validateSettings(DatanetSettings calldata settings) private view {
        if (settings.reviewQuorum == 0) revert InvalidReviewQuorum(settings.reviewQuorum);
        if (settings.reviewWindow > _maxReviewWindow) {
            revert ReviewWindowTooLong(settings.reviewWindow, _maxReviewWindow);
        }
        if (settings.bond > _maxBond) revert BondTooHigh(settings.bond, _maxBond);
    }
}
