// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ContributionCommitments} from "./base/ContributionCommitments.sol";
import {ContributorAccounts} from "./base/ContributorAccounts.sol";
import {ContributionRecords} from "./base/ContributionRecords.sol";
import {Datanets} from "./base/Datanets.sol";
import {IContributionRegistry} from "./interfaces/IContributionRegistry.sol";

/// @title ContributionRegistry
/// @notice Contributions to datanets: submission (direct, batch, signed, commit-reveal) with
/// bonds, review under the rules of submission time, consent withdrawal and reputation.
/// Datanets are managed by the `Datanets` base, storage and reads of contributions by
/// `ContributionRecords`, commitments and signatures by `ContributionCommitments`, reputation by
/// `ContributorAccounts`.
/// @dev Storage is laid out so that a contribution writes one new slot.
contract ContributionRegistry is ContributionRecords, ContributionCommitments, ContributorAccounts {
    using SafeERC20 for IERC20;

    /// @dev Who a submission is for: the contributor, when its commitment was made (0 for a
    /// direct submission) and the largest bond it accepts.
    struct Submitter {
        address contributor;
        uint256 madeAt;
        uint96 maxBond;
    }

    /// @dev One slot: UTC day number (32) and contributions made that day (32).
    struct DailyCount {
        uint32 day;
        uint32 count;
    }

    /// @inheritdoc IContributionRegistry
    uint256 public constant MAX_BATCH_SIZE = 256;

    /// @dev EIP-712 type of a signed contribution.
    bytes32 private constant CONTRIBUTE_TYPEHASH = keccak256(
        "Contribute(address contributor,uint256 datanetId,bytes32 contentHash,bytes32 uriHash,uint256 maxBond,uint256 nonce,uint256 deadline)"
    );
    /// @dev `_record`'s item index for a single submission (errors are raised unwrapped).
    uint256 private constant SINGLE = type(uint256).max;

    IERC20 private immutable BOND_TOKEN;

    address private _treasury;

    mapping(uint256 datanetId => mapping(address account => DailyCount)) private _daily;

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
    )
        Ownable(protocolOwner)
        Datanets(maxBond_, maxReviewWindow_)
        EIP712("OpenAttribution ContributionRegistry", "1")
    {
        if (address(bondToken_) == address(0) || treasury_ == address(0)) revert ZeroAddress();
        BOND_TOKEN = bondToken_;
        _treasury = treasury_;
    }

    // ================================================================ submission

    /// @inheritdoc IContributionRegistry
    function contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri,
        uint96 maxBond_
    ) external returns (bytes32 id) {
        Config memory config = _directDatanet(datanetId, maxBond_);
        uint256 bond;
        (id, bond) = _record(datanetId, contentHash, config, Submitter(msg.sender, 0, maxBond_), SINGLE);
        _countSubmissions(datanetId, config.dailyLimit, msg.sender, 1, false);
        emit Contributed(datanetId, msg.sender, contentHash, uri);
        if (bond != 0) BOND_TOKEN.safeTransferFrom(msg.sender, address(this), bond);
    }

    /// @inheritdoc IContributionRegistry
    function contributeBatch(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        uint96 maxBond_
    ) external returns (bytes32[] memory) {
        Config memory config = _directDatanet(datanetId, maxBond_);
        return _recordBatch(datanetId, contentHashes, uris, config, Submitter(msg.sender, 0, maxBond_));
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
        uint256 bond = _openDatanet(request.datanetId).bond;
        uint256 allowance = BOND_TOKEN.allowance(request.contributor, address(this));
        if (allowance < bond) revert InsufficientAllowance(allowance, bond);
        return _contributeWithSig(request);
    }

    /// @inheritdoc IContributionRegistry
    function reveal(
        address contributor,
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        uint96 maxBond_,
        bytes32 salt
    ) external returns (bytes32[] memory) {
        Submitter memory submitter = Submitter(contributor, 0, maxBond_);
        submitter.madeAt = _useCommitment(
            contributor,
            hashCommitment(datanetId, contentHashes, uris, maxBond_, salt)
        );
        Config memory config = _openDatanet(datanetId);
        if (config.bond > maxBond_) revert BondAboveMax(config.bond, maxBond_);
        return _recordBatch(datanetId, contentHashes, uris, config, submitter);
    }

    // ================================================================ review and consent

    /// @inheritdoc IContributionRegistry
    function review(bytes32 id, bool approve) external {
        Record storage c = _pendingContribution(id);
        uint256 datanetId = c.datanetId;
        if (!isReviewer(datanetId, msg.sender)) revert NotReviewer(datanetId, msg.sender);
        if (c.contributor == msg.sender) revert SelfReview(id);
        uint256 submittedAt = c.submittedAt;
        _markReviewed(id, msg.sender, submittedAt);
        emit Reviewed(id, msg.sender, approve);

        uint8 quorum = _rulesOf(datanetId, c.rulesIndex).reviewQuorum;
        // approvals and rejections never exceed the quorum (≤ 255): the vote that reaches
        // it decides the contribution, after which no vote is accepted.
        if (approve) {
            uint8 approvals = c.approvals + 1;
            c.approvals = approvals;
            if (approvals >= quorum) _approve(id, c, datanetId);
        } else {
            uint8 rejections = c.rejections + 1;
            c.rejections = rejections;
            if (rejections >= quorum) _reject(id, c, datanetId);
        }
    }

    /// @inheritdoc IContributionRegistry
    function finalize(bytes32 id) external {
        Record storage c = _pendingContribution(id);
        uint256 datanetId = c.datanetId;
        Rules storage rules = _rulesOf(datanetId, c.rulesIndex);
        uint256 windowEndsAt = uint256(c.submittedAt) + rules.reviewWindow;
        if (block.timestamp < windowEndsAt) revert NotFinalizable(id, windowEndsAt);
        // A withdrawn one only needs its window over (no rejection quorum was reached, or it
        // would not be pending); one whose consent stands needs optimistic rules, no rejection.
        if (c.withdrawnAt == 0 && (!rules.optimistic || c.rejections != 0)) {
            revert NotFinalizable(id, windowEndsAt);
        }
        _approve(id, c, datanetId);
    }

    /// @inheritdoc IContributionRegistry
    function withdraw(bytes32 id) external {
        Record storage c = _stored(id);
        Status status = c.status;
        if (status == Status.None) revert UnknownContribution(id);
        if (c.contributor != msg.sender) revert NotContributor(id, msg.sender);
        uint256 datanetId = c.datanetId;
        if (status == Status.Pending) {
            // The bond stays escrowed: the review goes on until the bond is released or slashed.
            if (c.withdrawnAt != 0) revert AlreadyWithdrawn(id);
            c.withdrawnAt = uint40(block.timestamp);
            emit ContributionWithdrawn(id, datanetId, true);
        } else if (status == Status.Accepted) {
            c.status = Status.Withdrawn;
            c.withdrawnAt = uint40(block.timestamp);
            Account storage account = _account(msg.sender);
            ++account.withdrawn;
            --account.accepted;
            _countAccepted(datanetId, false);
            emit ContributionWithdrawn(id, datanetId, false);
        } else {
            revert InvalidStatus(id, status);
        }
    }

    // ================================================================ protocol

    /// @inheritdoc IContributionRegistry
    function setTreasury(address treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        _treasury = treasury_;
        emit TreasuryUpdated(treasury_);
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

    // ================================================================ internal

    /// @inheritdoc ContributionCommitments
    function _useNonce(address account) internal override returns (uint256) {
        return _account(account).nonce++;
    }

    function _contributeWithSig(SignedContribution calldata request) private returns (bytes32 id) {
        address contributor = request.contributor;
        uint256 datanetId = request.datanetId;
        bytes32 contentHash = request.contentHash;
        Config memory config = _directDatanet(datanetId, request.maxBond);
        bytes32 structHash = keccak256(
            abi.encode(
                CONTRIBUTE_TYPEHASH,
                contributor,
                datanetId,
                contentHash,
                keccak256(bytes(request.uri)),
                request.maxBond,
                _account(contributor).nonce,
                request.deadline
            )
        );
        _checkSignature(contributor, structHash, request.deadline, request.signature);
        uint256 bond;
        (id, bond) = _record(
            datanetId,
            contentHash,
            config,
            Submitter(contributor, 0, request.maxBond),
            SINGLE
        );
        _countSubmissions(datanetId, config.dailyLimit, contributor, 1, true);
        emit Contributed(datanetId, contributor, contentHash, request.uri);
        if (bond != 0) BOND_TOKEN.safeTransferFrom(contributor, address(this), bond);
    }

    /// @dev Records every item for `contributor`, all or nothing, then escrows the bonds in
    /// one transfer.
    function _recordBatch(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        Config memory config,
        Submitter memory submitter
    ) private returns (bytes32[] memory ids) {
        uint256 size = contentHashes.length;
        if (size != uris.length) revert LengthMismatch(size, uris.length);
        if (size == 0 || size > MAX_BATCH_SIZE) revert InvalidBatchSize(size, MAX_BATCH_SIZE);
        _countSubmissions(datanetId, config.dailyLimit, submitter.contributor, uint32(size), false);

        ids = new bytes32[](size);
        uint256 bonds;
        for (uint256 i; i < size; ++i) {
            bytes32 contentHash = contentHashes[i];
            (bytes32 id, uint256 bond) = _record(datanetId, contentHash, config, submitter, i);
            ids[i] = id;
            bonds += bond;
            emit Contributed(datanetId, submitter.contributor, contentHash, uris[i]);
        }
        if (bonds != 0) BOND_TOKEN.safeTransferFrom(submitter.contributor, address(this), bonds);
    }

    /// @dev Stores a pending contribution of `contentHash` for the submitter and returns its
    /// id and the bond to escrow. Takes over free content (see the re-submission rules) and,
    /// for a reveal (`madeAt` ≠ 0), displaces a direct submission made after the commitment.
    /// Reverts with the reason (wrapped in `BatchItemInvalid` unless `index` is SINGLE).
    function _record(
        uint256 datanetId,
        bytes32 contentHash,
        Config memory config,
        Submitter memory submitter,
        uint256 index
    ) private returns (bytes32 id, uint256 bond) {
        address contributor = submitter.contributor;
        uint256 madeAt = submitter.madeAt;
        if (contentHash == bytes32(0))
            _fail(index, contentHash, abi.encodeWithSelector(ZeroContentHash.selector));
        id = contributionId(datanetId, contentHash);
        Record storage c = _stored(id);
        Status status = c.status;
        if (status != Status.None) {
            if (status == Status.Pending && madeAt != 0 && !c.viaCommitment && madeAt < c.submittedAt) {
                return (id, _displace(id, c, contributor, contentHash, index, submitter.maxBond));
            }
            _checkResubmittable(id, c, status, contributor, datanetId, contentHash, index);
        }
        _writeSubmission(c, contributor, datanetId, config.rulesIndex, madeAt != 0);
        bond = config.bond;
    }

    /// @dev Reverts unless content already recorded as `c` may be submitted again by
    /// `contributor`; clears the previous decision if it may.
    function _checkResubmittable(
        bytes32 id,
        Record storage c,
        Status status,
        address contributor,
        uint256 datanetId,
        bytes32 contentHash,
        uint256 index
    ) private {
        if (status == Status.Pending || status == Status.Accepted) {
            _fail(
                index,
                contentHash,
                abi.encodeWithSelector(DuplicateContent.selector, datanetId, contentHash)
            );
        }
        // Rejected, or Withdrawn: withdrawn after acceptance (decidedAt set) is reserved to its contributor.
        if (status == Status.Withdrawn && c.decidedAt != 0 && c.contributor != contributor) {
            _fail(index, contentHash, abi.encodeWithSelector(ContentReserved.selector, id, c.contributor));
        }
        if (c.submittedAt >= block.timestamp) {
            _fail(index, contentHash, abi.encodeWithSelector(ResubmittedTooSoon.selector, id));
        }
        // An accepted submission withdrawn later may have earned in epochs up to its withdrawal:
        // keep when that was, so attribution can still tell (see `previousWithdrawnAt`).
        if (status == Status.Withdrawn && c.decidedAt != 0) c.previousWithdrawnAt = c.withdrawnAt;
        (c.decidedAt, c.withdrawnAt) = (0, 0);
    }

    /// @dev Hands a pending direct submission over to `contributor`, whose commitment is
    /// older: the review goes on (same content, same rules and votes), the previous
    /// contributor's bond is refunded and `contributor` escrows the same bond.
    function _displace(
        bytes32 id,
        Record storage c,
        address contributor,
        bytes32 contentHash,
        uint256 index,
        uint96 maxBond_
    ) private returns (uint256 bond) {
        bond = _rulesOf(c.datanetId, c.rulesIndex).bond;
        if (bond > maxBond_) {
            _fail(index, contentHash, abi.encodeWithSelector(BondAboveMax.selector, bond, maxBond_));
        }
        address previous = c.contributor;
        (c.contributor, c.viaCommitment) = (contributor, true);
        if (c.withdrawnAt != 0) c.withdrawnAt = 0; // that was the previous contributor's consent
        --_account(previous).submitted;
        emit ContributionDisplaced(id, previous, contributor, bond);
        // OPEN has no transfer hooks; this item's state is final before the refund.
        if (bond != 0) BOND_TOKEN.safeTransfer(previous, bond);
    }

    /// @dev Reverts with `reason`, wrapped in `BatchItemInvalid` for a batch item.
    function _fail(uint256 index, bytes32 contentHash, bytes memory reason) private pure {
        if (index != SINGLE) revert BatchItemInvalid(index, contentHash, bytes4(reason));
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            revert(add(reason, 0x20), mload(reason))
        }
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
        Account storage account = _account(contributor);
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

    /// @dev Ends a review without rejection: accepted, or Withdrawn when consent was
    /// withdrawn meanwhile; the bond is refunded either way.
    function _approve(bytes32 id, Record storage c, uint256 datanetId) private {
        address contributor = c.contributor;
        uint96 refund = _rulesOf(datanetId, c.rulesIndex).bond;
        Account storage account = _account(contributor);
        if (c.withdrawnAt != 0) {
            c.status = Status.Withdrawn;
            ++account.withdrawn;
            emit WithdrawnBondReleased(id, datanetId, refund);
        } else {
            c.status = Status.Accepted;
            c.decidedAt = uint40(block.timestamp);
            _countAccepted(datanetId, true);
            ++account.accepted;
            emit ContributionAccepted(id, datanetId, refund);
        }
        if (refund != 0) BOND_TOKEN.safeTransfer(contributor, refund);
    }

    function _reject(bytes32 id, Record storage c, uint256 datanetId) private {
        uint96 slashed = _rulesOf(datanetId, c.rulesIndex).bond;
        c.status = Status.Rejected;
        c.decidedAt = uint40(block.timestamp);
        Account storage account = _account(c.contributor);
        ++account.rejected;
        account.slashed += slashed;
        emit ContributionRejected(id, datanetId, slashed);
        if (slashed != 0) BOND_TOKEN.safeTransfer(_treasury, slashed);
    }

    /// @dev Config of an open datanet that takes direct submissions at a bond ≤ `maxBond_`.
    function _directDatanet(uint256 datanetId, uint96 maxBond_) private view returns (Config memory config) {
        config = _openDatanet(datanetId);
        if (config.commitRevealOnly) revert CommitRevealRequired(datanetId);
        if (config.bond > maxBond_) revert BondAboveMax(config.bond, maxBond_);
    }
}
