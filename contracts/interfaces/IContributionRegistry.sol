// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IContributionRegistry
/// @notice Datanets (curated collections of AI contributions) and the contributions
/// made to them: submission with an escrowed bond, gasless submission by signature,
/// review by a quorum of reviewers, consent withdrawal, version snapshots and per-account
/// reputation.
/// @dev Roles:
/// - protocol owner (the governance timelock, two-step `Ownable2Step`): sets the treasury
///   that receives slashed bonds and the protocol bounds (`maxBond`, `maxReviewWindow`);
/// - datanet owner (whoever created it; two-step transferable): manages that datanet's
///   reviewers and settings and snapshots its versions;
/// - reviewer (named by the datanet owner): approves or rejects pending contributions,
///   never its own;
/// - contributor: submits (directly, in a batch or by signature) and withdraws its own
///   contributions;
/// - anyone: creates datanets, relays signed contributions, finalizes contributions that
///   passed their review window without a rejection (optimistic datanets).
///
/// A contribution id is `keccak256(abi.encode(datanetId, contentHash))`: the same
/// content can be contributed once per datanet, and the id is known before submission.
/// Statuses only move forward: Pending → Accepted | Rejected | Withdrawn, and
/// Accepted → Withdrawn. The content URI lives only in the `Contributed` event.
///
/// Bonds: escrowed on submission; refunded when accepted or withdrawn while pending;
/// sent to the protocol treasury (`treasury()`) when rejected; an accepted contribution
/// has no bond left, so withdrawing it refunds nothing.
interface IContributionRegistry {
    /// @notice What a datanet collects.
    enum DatanetKind {
        Dataset,
        Evaluation,
        Expertise,
        Compute
    }

    /// @notice Lifecycle of a contribution; values only increase.
    enum Status {
        None,
        Pending,
        Accepted,
        Rejected,
        Withdrawn
    }

    /// @notice Settings a datanet owner chooses, at creation and later.
    /// @param kind What the datanet collects.
    /// @param open Whether new contributions are allowed.
    /// @param optimistic Whether a contribution is accepted (by anyone calling `finalize`)
    /// once its review window ends without any rejection.
    /// @param reviewQuorum Approvals that accept, or rejections that reject, a contribution (≥ 1).
    /// @param reviewWindow Seconds after submission before optimistic acceptance (≤ `maxReviewWindow`).
    /// @param dailyLimit Contributions per account per UTC day; 0 means no limit.
    /// @param bond OPEN (wei) escrowed per contribution; 0 means none (≤ `maxBond`).
    struct DatanetSettings {
        DatanetKind kind;
        bool open;
        bool optimistic;
        uint8 reviewQuorum;
        uint32 reviewWindow;
        uint32 dailyLimit;
        uint96 bond;
    }

    /// @notice A contribution as returned by `getContribution`.
    /// @param contributor Who made it (and receives refunds and rewards).
    /// @param datanetId The datanet it was made to.
    /// @param submittedAt Submission timestamp.
    /// @param status Current status.
    /// @param approvals Reviewer approvals so far.
    /// @param rejections Reviewer rejections so far.
    /// @param bond OPEN escrowed for it; still held by the registry only while Pending.
    /// @param decidedAt When it was accepted or rejected (0 if never).
    /// @param withdrawnAt When consent was withdrawn (0 if never); attribution excludes it
    /// from every epoch that ends after this time.
    struct Contribution {
        address contributor;
        uint256 datanetId;
        uint256 submittedAt;
        Status status;
        uint256 approvals;
        uint256 rejections;
        uint256 bond;
        uint256 decidedAt;
        uint256 withdrawnAt;
    }

    /// @notice Per-account counters, portable and not transferable.
    /// @param submitted Contributions ever made.
    /// @param accepted Contributions now accepted (an accepted one later withdrawn leaves this count).
    /// @param rejected Contributions rejected.
    /// @param withdrawn Contributions withdrawn.
    /// @param slashed Total OPEN (wei) slashed from the account's bonds.
    struct Reputation {
        uint32 submitted;
        uint32 accepted;
        uint32 rejected;
        uint32 withdrawn;
        uint96 slashed;
    }

    /// @notice A datanet version: the accepted set at the moment of the snapshot.
    struct Version {
        uint64 acceptedCount;
        uint40 timestamp;
    }

    /// @notice A contribution signed by its contributor, relayed by anyone (EIP-712 type
    /// `Contribute(address contributor,uint256 datanetId,bytes32 contentHash,bytes32 uriHash,uint256 nonce,uint256 deadline)`,
    /// `uriHash = keccak256(bytes(uri))`).
    struct SignedContribution {
        address contributor;
        uint256 datanetId;
        bytes32 contentHash;
        string uri;
        uint256 deadline;
        bytes signature;
    }

    /// @notice An ERC-2612 permit of the contributor for the bond, used by `contributeWithSigAndPermit`.
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    // ---------------------------------------------------------------- events

    /// @notice A datanet was created.
    event DatanetCreated(
        uint256 indexed datanetId,
        address indexed owner,
        string metadataURI,
        DatanetSettings settings
    );
    /// @notice A datanet owner changed its settings.
    event DatanetSettingsUpdated(uint256 indexed datanetId, DatanetSettings settings);
    /// @notice A datanet owner changed its metadata URI.
    event DatanetMetadataUpdated(uint256 indexed datanetId, string metadataURI);
    /// @notice A datanet owner named a new owner, who must accept.
    event DatanetOwnershipTransferStarted(
        uint256 indexed datanetId,
        address indexed from,
        address indexed to
    );
    /// @notice A datanet changed owner.
    event DatanetOwnershipTransferred(uint256 indexed datanetId, address indexed from, address indexed to);
    /// @notice A reviewer was added to (`active`) or removed from a datanet.
    event ReviewerSet(uint256 indexed datanetId, address indexed reviewer, bool active);
    /// @notice A datanet owner snapshotted a version.
    event DatanetVersionCreated(
        uint256 indexed datanetId,
        uint32 indexed version,
        uint64 acceptedCount,
        uint40 timestamp
    );

    /// @notice A contribution was made; carries everything an indexer needs.
    event Contributed(
        uint256 indexed datanetId,
        bytes32 indexed contributionId,
        address indexed contributor,
        bytes32 contentHash,
        string uri,
        uint256 bond
    );
    /// @notice A reviewer approved (`approve`) or rejected a pending contribution.
    event Reviewed(bytes32 indexed contributionId, address indexed reviewer, bool approve);
    /// @notice A contribution was accepted; `bondRefunded` went back to the contributor.
    event ContributionAccepted(
        bytes32 indexed contributionId,
        uint256 indexed datanetId,
        uint256 bondRefunded
    );
    /// @notice A contribution was rejected; `bondSlashed` went to the treasury.
    event ContributionRejected(
        bytes32 indexed contributionId,
        uint256 indexed datanetId,
        uint256 bondSlashed
    );
    /// @notice A contributor withdrew consent; `bondRefunded` went back to it.
    event ContributionWithdrawn(
        bytes32 indexed contributionId,
        uint256 indexed datanetId,
        uint256 bondRefunded
    );

    /// @notice The protocol owner changed the treasury.
    event TreasuryUpdated(address treasury);
    /// @notice The protocol owner changed the bounds on datanet settings.
    event BoundsUpdated(uint96 maxBond, uint32 maxReviewWindow);

    // ---------------------------------------------------------------- errors

    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice No datanet has this id.
    error UnknownDatanet(uint256 datanetId);
    /// @notice The caller is not the datanet's owner.
    error NotDatanetOwner(uint256 datanetId, address caller);
    /// @notice The caller is not the datanet's pending owner.
    error NotPendingDatanetOwner(uint256 datanetId, address caller);
    /// @notice The caller is not a reviewer of the datanet.
    error NotReviewer(uint256 datanetId, address caller);
    /// @notice A reviewer tried to review its own contribution.
    error SelfReview(bytes32 contributionId);
    /// @notice The reviewer already reviewed this contribution.
    error AlreadyReviewed(bytes32 contributionId, address reviewer);
    /// @notice The datanet's bond was changed too often (65,535 changes at most).
    error TooManyBondChanges(uint256 datanetId);
    /// @notice The review quorum must be between 1 and 255.
    error InvalidReviewQuorum(uint256 quorum);
    /// @notice The review window exceeds the protocol bound.
    error ReviewWindowTooLong(uint256 window, uint256 max);
    /// @notice The bond exceeds the protocol bound.
    error BondTooHigh(uint256 bond, uint256 max);
    /// @notice The datanet does not accept new contributions.
    error DatanetClosed(uint256 datanetId);
    /// @notice A content hash was zero.
    error ZeroContentHash();
    /// @notice This content was already contributed to this datanet.
    error DuplicateContent(uint256 datanetId, bytes32 contentHash);
    /// @notice The account reached the datanet's daily limit.
    error DailyLimitReached(uint256 datanetId, address account, uint256 limit);
    /// @notice Batch arrays differ in length.
    error LengthMismatch(uint256 contentHashes, uint256 uris);
    /// @notice A batch was empty or larger than `MAX_BATCH_SIZE`.
    error InvalidBatchSize(uint256 size, uint256 max);
    /// @notice Item `index` of a batch failed with the error whose selector is `reason`
    /// (`ZeroContentHash` or `DuplicateContent`); nothing of the batch was recorded.
    error BatchItemInvalid(uint256 index, bytes32 contentHash, bytes4 reason);
    /// @notice No such version of the datanet.
    error UnknownVersion(uint256 datanetId, uint32 version);
    /// @notice No contribution has this id.
    error UnknownContribution(bytes32 contributionId);
    /// @notice The contribution is not in a status that allows this action.
    error InvalidStatus(bytes32 contributionId, Status status);
    /// @notice The caller is not the contribution's contributor.
    error NotContributor(bytes32 contributionId, address caller);
    /// @notice Optimistic acceptance is not possible (datanet not optimistic, window not
    /// over, or a rejection was recorded).
    error NotFinalizable(bytes32 contributionId, uint256 windowEndsAt);
    /// @notice The signature's deadline has passed.
    error SignatureExpired(uint256 deadline, uint256 timestamp);
    /// @notice The signature is not the contributor's for this request and nonce.
    error InvalidSignature(address contributor);
    /// @notice The escrow allowance after the permit is below the bond.
    error InsufficientAllowance(uint256 allowance, uint256 required);

    // ---------------------------------------------------------------- datanets

    /// @notice Creates a datanet owned by the caller.
    /// @param metadataURI Off-chain description (name, license, schema).
    /// @param settings Initial settings, validated against the protocol bounds.
    /// @return datanetId The new datanet's id (ids start at 1).
    function createDatanet(
        string calldata metadataURI,
        DatanetSettings calldata settings
    ) external returns (uint256 datanetId);

    /// @notice Replaces a datanet's settings. Datanet owner only. Bonds already escrowed
    /// and votes already cast keep their values.
    function updateDatanetSettings(uint256 datanetId, DatanetSettings calldata settings) external;

    /// @notice Replaces a datanet's metadata URI. Datanet owner only.
    function setDatanetMetadata(uint256 datanetId, string calldata metadataURI) external;

    /// @notice Adds (`active = true`) or removes a reviewer. Datanet owner only.
    function setReviewer(uint256 datanetId, address reviewer, bool active) external;

    /// @notice Starts a two-step ownership transfer; `newOwner` must accept. Datanet owner
    /// only; `address(0)` cancels a pending transfer.
    function transferDatanetOwnership(uint256 datanetId, address newOwner) external;

    /// @notice Completes an ownership transfer. Pending owner only.
    function acceptDatanetOwnership(uint256 datanetId) external;

    /// @notice Snapshots a version: the set of contributions accepted (and not withdrawn)
    /// right now, rebuildable from `ContributionAccepted`/`ContributionWithdrawn` events
    /// up to this event's log position. Datanet owner only.
    /// @return version The new version number (starting at 1).
    function snapshotVersion(uint256 datanetId) external returns (uint32 version);

    // ---------------------------------------------------------------- contributions

    /// @notice Contributes content to a datanet, escrowing the datanet's bond from the
    /// caller (`transferFrom`, needs an allowance).
    /// @param contentHash Hash of the content (kept off chain); non-zero, unique per datanet.
    /// @param uri Where the content can be fetched; emitted, not stored.
    /// @return contributionId `keccak256(abi.encode(datanetId, contentHash))`.
    function contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri
    ) external returns (bytes32 contributionId);

    /// @notice Contributes many items for the caller in one call, all or nothing; the
    /// bonds are escrowed in one transfer.
    /// @return contributionIds One id per item, in order.
    function contributeBatch(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris
    ) external returns (bytes32[] memory contributionIds);

    /// @notice Records a contribution signed by its contributor (EIP-712); anyone may
    /// relay it. The bond comes from the contributor's existing allowance.
    function contributeWithSig(SignedContribution calldata request) external returns (bytes32 contributionId);

    /// @notice As `contributeWithSig`, first applying the contributor's ERC-2612 permit for
    /// the bond. A permit that was already used (e.g. front-run) is ignored when the
    /// allowance still covers the bond.
    function contributeWithSigAndPermit(
        SignedContribution calldata request,
        Permit calldata permit
    ) external returns (bytes32 contributionId);

    /// @notice Approves or rejects a pending contribution, once per reviewer. When a
    /// quorum of approvals (rejections) is reached the contribution is accepted (rejected)
    /// and its bond refunded (slashed) in the same call.
    function review(bytes32 contributionId, bool approve) external;

    /// @notice Accepts a pending contribution of an optimistic datanet whose review window
    /// has ended with no rejection. Anyone may call.
    function finalize(bytes32 contributionId) external;

    /// @notice Withdraws consent for a pending or accepted contribution. Contributor only.
    /// A pending contribution's bond is refunded.
    function withdraw(bytes32 contributionId) external;

    // ---------------------------------------------------------------- protocol (owner = timelock)

    /// @notice Sets where slashed bonds go. Protocol owner only.
    function setTreasury(address treasury) external;

    /// @notice Sets the bounds that datanet settings must respect (applies to new settings
    /// only). Protocol owner only.
    function setBounds(uint96 maxBond, uint32 maxReviewWindow) external;

    // ---------------------------------------------------------------- reads

    /// @notice The token bonds are escrowed in (OPEN).
    function bondToken() external view returns (address);

    /// @notice Where slashed bonds go.
    function treasury() external view returns (address);

    /// @notice Upper bound on a datanet's bond.
    function maxBond() external view returns (uint96);

    /// @notice Upper bound on a datanet's review window.
    function maxReviewWindow() external view returns (uint32);

    /// @notice Number of datanets created (ids are 1..datanetCount).
    function datanetCount() external view returns (uint256);

    /// @notice A datanet's owner, pending owner, settings and counters.
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
        );

    /// @notice Whether `account` reviews for the datanet.
    function isReviewer(uint256 datanetId, address account) external view returns (bool);

    /// @notice Whether `reviewer` already reviewed the contribution.
    function hasReviewed(bytes32 contributionId, address reviewer) external view returns (bool);

    /// @notice A stored contribution (all zero if unknown).
    function getContribution(bytes32 contributionId) external view returns (Contribution memory);

    /// @notice The id a contribution of `contentHash` to `datanetId` has or would have.
    function contributionId(uint256 datanetId, bytes32 contentHash) external pure returns (bytes32);

    /// @notice A datanet version; reverts with `UnknownVersion` if it was never snapshotted.
    function getVersion(uint256 datanetId, uint32 version) external view returns (Version memory);

    /// @notice Whether the datanet has the given version.
    function versionExists(uint256 datanetId, uint32 version) external view returns (bool);

    /// @notice An account's reputation counters.
    function reputation(address account) external view returns (Reputation memory);

    /// @notice The next nonce `account` must sign for a gasless contribution.
    function nonces(address account) external view returns (uint256);
}
