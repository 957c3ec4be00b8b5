// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IContributionRegistry
/// @notice Datanets (curated collections of AI contributions) and the contributions
/// made to them: submission with an escrowed bond (direct, in a batch, by signature, or by
/// commit-reveal), review by a quorum of reviewers, consent withdrawal, version snapshots
/// and per-account reputation.
/// @dev Roles:
/// - protocol owner (the governance timelock, two-step, never renounced): sets the treasury
///   that receives slashed bonds and the protocol bounds (`maxBond`, `maxReviewWindow`);
/// - datanet owner (whoever created it; two-step transferable): manages that datanet's
///   reviewers and settings and snapshots its versions;
/// - reviewer (named by the datanet owner): approves or rejects pending contributions,
///   never its own;
/// - contributor: submits, commits and withdraws its own contributions;
/// - anyone: creates datanets, relays signed contributions and reveals commitments (the
///   record always goes to the contributor who committed or signed), finalizes
///   contributions whose review window is over.
///
/// A contribution id is `keccak256(abi.encode(datanetId, contentHash))`: the id is known
/// before submission and a datanet holds each content at most once at a time.
///
/// Front-running. A direct submission (`contribute`, `contributeBatch`, `contributeWithSig`)
/// shows the content hash in the mempool, so on a chain with a public mempool anyone who
/// copies it (or the relayer of a signed one) can be mined first and become the contributor
/// on record. Commit-reveal closes this: the contributor first commits to
/// `hashCommitment(datanetId, contentHashes, uris, maxBond, salt)` (one commitment covers a
/// whole batch), then, at least `MIN_REVEAL_DELAY` and at most `COMMITMENT_LIFETIME` later,
/// anyone reveals it. Whoever learns the content from the reveal can only commit after it,
/// and so cannot reveal before it; and a reveal takes over ("displaces") a still-pending
/// contribution of the same content that was submitted directly after the commitment was
/// made (the copier's bond is refunded, its `submitted` count taken back). Between two
/// commitments to the same content, the first to be revealed wins: reveal promptly.
/// Datanet owners on chains with a public mempool should set `commitRevealOnly`, which
/// refuses direct submissions; direct submission stays for chains without a public mempool
/// (one transaction instead of two).
///
/// Bonds. Every submission states the largest bond the contributor accepts (`maxBond`, part
/// of what is signed or committed); a higher current bond reverts with `BondAboveMax`. The
/// bond is escrowed on submission, refunded when accepted, sent to the protocol treasury
/// (`treasury()`) when rejected. A contribution is decided under the rules (bond, quorum,
/// review window, optimistic flag) in force when it was submitted: later setting changes
/// never apply to it.
///
/// Consent. A contributor can withdraw a contribution at any time. An accepted one becomes
/// Withdrawn at once. A pending one is marked (`withdrawnAt`) and stays under review so that
/// its bond cannot dodge a slash: a rejection quorum still slashes it; an approval quorum, or
/// the end of its review window without a rejection quorum (anyone calls `finalize`),
/// refunds the bond and makes it Withdrawn. Attribution excludes a contribution from every
/// epoch that begins after its `withdrawnAt` (the exact eligibility rule, checked on chain by
/// challenges, is in IAttributionRegistry).
///
/// Re-submission. Nobody can block content for good: content whose contribution was
/// rejected, or withdrawn before it was ever accepted, can be submitted again by anyone;
/// content withdrawn after acceptance can be submitted again only by the contributor who
/// withdrew it (consent is theirs to give back). A re-submission starts a fresh review
/// (new votes, current rules, new bond) in a later second than the previous submission.
///
/// Statuses: Pending → Accepted | Rejected | Withdrawn, Accepted → Withdrawn, and
/// Rejected | Withdrawn → Pending on re-submission. The content URI lives only in events.
interface IContributionRegistry {
    /// @notice What a datanet collects.
    enum DatanetKind {
        Dataset,
        Evaluation,
        Expertise,
        Compute
    }

    /// @notice Lifecycle of a contribution (see the statuses above).
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
    /// @param reviewWindow Seconds after submission before optimistic acceptance, or before
    /// the bond of a withdrawn pending contribution is released (≤ `maxReviewWindow`).
    /// @param dailyLimit Contributions per account per UTC day; 0 means no limit.
    /// @param bond OPEN (wei) escrowed per contribution; 0 means none (≤ `maxBond`).
    /// @param commitRevealOnly Whether contributions must go through commit-reveal (direct
    /// and signed submissions are refused).
    struct DatanetSettings {
        DatanetKind kind;
        bool open;
        bool optimistic;
        uint8 reviewQuorum;
        uint32 reviewWindow;
        uint32 dailyLimit;
        uint96 bond;
        bool commitRevealOnly;
    }

    /// @notice The review rules a contribution is decided under: those in force when it was
    /// submitted. A datanet's rules get a new index each time one of them changes.
    struct Rules {
        uint96 bond;
        uint8 reviewQuorum;
        uint32 reviewWindow;
        bool optimistic;
    }

    /// @notice A contribution as returned by `getContribution`.
    /// @param contributor Who made it (and receives refunds and rewards).
    /// @param datanetId The datanet it was made to.
    /// @param submittedAt Submission timestamp (of the latest submission of this content).
    /// @param status Current status.
    /// @param approvals Reviewer approvals so far.
    /// @param rejections Reviewer rejections so far.
    /// @param bond OPEN escrowed for it under its rules; held by the registry only while Pending.
    /// @param decidedAt When it was accepted or rejected (0 if never).
    /// @param withdrawnAt When consent was withdrawn (0 if never); attribution excludes it
    /// from every epoch that begins after this time.
    /// @param rulesIndex Index of the datanet rules it is decided under (`getRules`).
    /// @param viaCommitment Whether it was revealed from a commitment (such a record is never
    /// displaced).
    /// @param previousWithdrawnAt When consent was withdrawn from the latest earlier submission
    /// of this content that had been accepted (0 if none): a re-submission starts a new record,
    /// and this is what remains of the old one for attribution (it may have earned in epochs that
    /// began before this time).
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
        uint256 rulesIndex;
        bool viaCommitment;
        uint256 previousWithdrawnAt;
    }

    /// @notice Per-account counters, portable and not transferable.
    /// @param submitted Contributions made and still on record as the account's (a
    /// displaced one, or one re-submitted by someone else, is no longer counted here).
    /// @param accepted Contributions now accepted (an accepted one later withdrawn leaves this count).
    /// @param rejected Contributions rejected.
    /// @param withdrawn Contributions that became Withdrawn.
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
    /// `Contribute(address contributor,uint256 datanetId,bytes32 contentHash,bytes32 uriHash,uint256 maxBond,uint256 nonce,uint256 deadline)`,
    /// `uriHash = keccak256(bytes(uri))`). The signature covers the largest bond the
    /// contributor accepts, so a bond raised after signing cannot be charged.
    struct SignedContribution {
        address contributor;
        uint256 datanetId;
        bytes32 contentHash;
        string uri;
        uint96 maxBond;
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

    /// @notice A datanet was created; its rules have index 0.
    event DatanetCreated(
        uint256 indexed datanetId,
        address indexed owner,
        string metadataURI,
        DatanetSettings settings
    );
    /// @notice A datanet owner changed its settings; new contributions are decided under
    /// the rules of index `rulesIndex`.
    event DatanetSettingsUpdated(uint256 indexed datanetId, DatanetSettings settings, uint256 rulesIndex);
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

    /// @notice A contribution was made (or content made again after a rejection or
    /// withdrawal). Its id is `contributionId(datanetId, contentHash)`; its bond and rules are
    /// the datanet's at this log's position (derivable fields are left out to save gas).
    event Contributed(
        uint256 indexed datanetId,
        address indexed contributor,
        bytes32 indexed contentHash,
        string uri
    );
    /// @notice `contributor` committed to contributions it will reveal later.
    event Committed(address indexed contributor, bytes32 indexed commitment);
    /// @notice A reveal from an earlier commitment took over a pending contribution that
    /// `previousContributor` submitted directly after that commitment; its bond was refunded.
    event ContributionDisplaced(
        bytes32 indexed contributionId,
        address indexed previousContributor,
        address indexed contributor,
        uint256 bondRefunded
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
    /// @notice A contributor withdrew consent. When `underReview`, the contribution was
    /// pending: it stays under review until its bond is released or slashed.
    event ContributionWithdrawn(bytes32 indexed contributionId, uint256 indexed datanetId, bool underReview);
    /// @notice The review of a withdrawn pending contribution ended without a rejection:
    /// `bondRefunded` went back to the contributor and the status is now Withdrawn.
    event WithdrawnBondReleased(
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
    /// @notice The datanet's review rules were changed too often (255 changes at most;
    /// create a new datanet).
    error TooManyRuleChanges(uint256 datanetId);
    /// @notice The review quorum must be between 1 and 255.
    error InvalidReviewQuorum(uint256 quorum);
    /// @notice The review window exceeds the protocol bound.
    error ReviewWindowTooLong(uint256 window, uint256 max);
    /// @notice The bond exceeds the protocol bound.
    error BondTooHigh(uint256 bond, uint256 max);
    /// @notice The datanet's bond is above the largest bond the contributor accepts.
    error BondAboveMax(uint256 bond, uint256 maxBond);
    /// @notice The datanet does not accept new contributions.
    error DatanetClosed(uint256 datanetId);
    /// @notice The datanet accepts contributions only through commit-reveal.
    error CommitRevealRequired(uint256 datanetId);
    /// @notice A content hash was zero.
    error ZeroContentHash();
    /// @notice This content is pending or accepted in this datanet.
    error DuplicateContent(uint256 datanetId, bytes32 contentHash);
    /// @notice This content was withdrawn after acceptance: only `contributor` may submit it again.
    error ContentReserved(bytes32 contributionId, address contributor);
    /// @notice This content was submitted in this same second: submit it again in a later block.
    error ResubmittedTooSoon(bytes32 contributionId);
    /// @notice The account reached the datanet's daily limit.
    error DailyLimitReached(uint256 datanetId, address account, uint256 limit);
    /// @notice Batch arrays differ in length.
    error LengthMismatch(uint256 contentHashes, uint256 uris);
    /// @notice A batch was empty or larger than `MAX_BATCH_SIZE`.
    error InvalidBatchSize(uint256 size, uint256 max);
    /// @notice Item `index` of a batch failed with the error whose selector is `reason`
    /// (`ZeroContentHash`, `DuplicateContent`, `ContentReserved` or `ResubmittedTooSoon`);
    /// nothing of the batch was recorded.
    error BatchItemInvalid(uint256 index, bytes32 contentHash, bytes4 reason);
    /// @notice No such version of the datanet.
    error UnknownVersion(uint256 datanetId, uint32 version);
    /// @notice No such rules index for the datanet.
    error UnknownRules(uint256 datanetId, uint256 rulesIndex);
    /// @notice No contribution has this id.
    error UnknownContribution(bytes32 contributionId);
    /// @notice The contribution is not in a status that allows this action.
    error InvalidStatus(bytes32 contributionId, Status status);
    /// @notice The caller is not the contribution's contributor.
    error NotContributor(bytes32 contributionId, address caller);
    /// @notice Consent for this pending contribution was already withdrawn.
    error AlreadyWithdrawn(bytes32 contributionId);
    /// @notice `finalize` is not possible: the window is not over, or (for a contribution
    /// whose consent stands) the datanet's rules are not optimistic or a rejection was recorded.
    error NotFinalizable(bytes32 contributionId, uint256 windowEndsAt);
    /// @notice The signature's deadline has passed.
    error SignatureExpired(uint256 deadline, uint256 timestamp);
    /// @notice The signature is not the contributor's for this request and nonce.
    error InvalidSignature(address contributor);
    /// @notice The escrow allowance after the permit is below the bond.
    error InsufficientAllowance(uint256 allowance, uint256 required);
    /// @notice The contributor already made this commitment (the first one stands).
    error CommitmentExists(address contributor, bytes32 commitment);
    /// @notice The contributor never made this commitment, or it was already revealed.
    error UnknownCommitment(address contributor, bytes32 commitment);
    /// @notice The commitment is too recent to be revealed.
    error RevealTooEarly(uint256 revealableAt);
    /// @notice The commitment is too old to be revealed.
    error CommitmentExpired(uint256 expiredAt);

    // ---------------------------------------------------------------- datanets

    /// @notice Creates a datanet owned by the caller.
    /// @param metadataURI Off-chain description (name, license, schema).
    /// @param settings Initial settings, validated against the protocol bounds.
    /// @return datanetId The new datanet's id (ids start at 1).
    function createDatanet(
        string calldata metadataURI,
        DatanetSettings calldata settings
    ) external returns (uint256 datanetId);

    /// @notice Replaces a datanet's settings. Datanet owner only. Contributions already
    /// submitted keep the rules they were submitted under.
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
    /// caller (`transferFrom`, needs an allowance). Front-runnable on a public mempool (see
    /// above); refused where the datanet is `commitRevealOnly`.
    /// @param contentHash Hash of the content (kept off chain); non-zero.
    /// @param uri Where the content can be fetched; emitted, not stored.
    /// @param maxBond The largest bond the caller accepts.
    /// @return contributionId `keccak256(abi.encode(datanetId, contentHash))`.
    function contribute(
        uint256 datanetId,
        bytes32 contentHash,
        string calldata uri,
        uint96 maxBond
    ) external returns (bytes32 contributionId);

    /// @notice Contributes many items for the caller in one call, all or nothing; the
    /// bonds are escrowed in one transfer. Refused where the datanet is `commitRevealOnly`.
    /// @return contributionIds One id per item, in order.
    function contributeBatch(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        uint96 maxBond
    ) external returns (bytes32[] memory contributionIds);

    /// @notice Records a contribution signed by its contributor (EIP-712); anyone may
    /// relay it. The bond comes from the contributor's existing allowance. The relayer sees
    /// the content first: on a public mempool prefer `commitWithSig` and `reveal`.
    function contributeWithSig(SignedContribution calldata request) external returns (bytes32 contributionId);

    /// @notice As `contributeWithSig`, first applying the contributor's ERC-2612 permit for
    /// the bond. A permit that was already used (e.g. front-run) is ignored when the
    /// allowance still covers the bond.
    function contributeWithSigAndPermit(
        SignedContribution calldata request,
        Permit calldata permit
    ) external returns (bytes32 contributionId);

    /// @notice Commits the caller to contributions it will `reveal` later.
    /// @param commitment `hashCommitment(datanetId, contentHashes, uris, maxBond, salt)`.
    function commit(bytes32 commitment) external;

    /// @notice Commits `contributor` by its EIP-712 signature of
    /// `Commit(address contributor,bytes32 commitment,uint256 nonce,uint256 deadline)`
    /// (the nonce is the one of signed contributions); anyone may relay it.
    function commitWithSig(
        address contributor,
        bytes32 commitment,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Reveals a commitment of `contributor` and records its contributions, all or
    /// nothing, for `contributor`, escrowing the bonds from its allowance. Anyone may call,
    /// from `MIN_REVEAL_DELAY` to `COMMITMENT_LIFETIME` after the commitment. Displaces a
    /// pending contribution of the same content submitted directly after the commitment.
    /// @return contributionIds One id per item, in order.
    function reveal(
        address contributor,
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        uint96 maxBond,
        bytes32 salt
    ) external returns (bytes32[] memory contributionIds);

    /// @notice Approves or rejects a pending contribution, once per reviewer, under the rules
    /// it was submitted with. When a quorum of approvals (rejections) is reached the
    /// contribution is decided and its bond refunded (slashed) in the same call.
    function review(bytes32 contributionId, bool approve) external;

    /// @notice Ends the review of a pending contribution whose review window is over.
    /// Anyone may call. A contribution whose consent was withdrawn gets its bond back and
    /// becomes Withdrawn; otherwise, under optimistic rules and with no rejection, it is accepted.
    function finalize(bytes32 contributionId) external;

    /// @notice Withdraws consent for a pending or accepted contribution. Contributor only.
    /// A pending contribution's bond stays escrowed until its review ends (see above).
    function withdraw(bytes32 contributionId) external;

    // ---------------------------------------------------------------- protocol (owner = timelock)

    /// @notice Sets where slashed bonds go. Protocol owner only.
    function setTreasury(address treasury) external;

    /// @notice Sets the bounds that datanet settings must respect (applies to new settings
    /// only). Protocol owner only.
    function setBounds(uint96 maxBond, uint32 maxReviewWindow) external;

    // ---------------------------------------------------------------- reads

    /// @notice Largest number of items in one batch or reveal.
    function MAX_BATCH_SIZE() external view returns (uint256);

    /// @notice Seconds a commitment must wait before it can be revealed.
    function MIN_REVEAL_DELAY() external view returns (uint256);

    /// @notice Seconds after which a commitment can no longer be revealed.
    function COMMITMENT_LIFETIME() external view returns (uint256);

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

    /// @notice The review rules of index `rulesIndex` of a datanet (0 = at creation).
    function getRules(uint256 datanetId, uint256 rulesIndex) external view returns (Rules memory);

    /// @notice Whether `account` reviews for the datanet.
    function isReviewer(uint256 datanetId, address account) external view returns (bool);

    /// @notice Whether `reviewer` already reviewed the contribution's current submission.
    function hasReviewed(bytes32 contributionId, address reviewer) external view returns (bool);

    /// @notice A stored contribution (all zero if unknown).
    function getContribution(bytes32 contributionId) external view returns (Contribution memory);

    /// @notice The id a contribution of `contentHash` to `datanetId` has or would have.
    function contributionId(uint256 datanetId, bytes32 contentHash) external pure returns (bytes32);

    /// @notice What a contributor commits to: `keccak256(abi.encode(datanetId, contentHashes,
    /// uris, maxBond, salt))` (the contributor is bound by who commits).
    function hashCommitment(
        uint256 datanetId,
        bytes32[] calldata contentHashes,
        string[] calldata uris,
        uint96 maxBond,
        bytes32 salt
    ) external pure returns (bytes32);

    /// @notice When `contributor` made `commitment` (0 if never, or already revealed).
    function committedAt(address contributor, bytes32 commitment) external view returns (uint256);

    /// @notice A datanet version; reverts with `UnknownVersion` if it was never snapshotted.
    function getVersion(uint256 datanetId, uint32 version) external view returns (Version memory);

    /// @notice Whether the datanet has the given version.
    function versionExists(uint256 datanetId, uint32 version) external view returns (bool);

    /// @notice An account's reputation counters.
    function reputation(address account) external view returns (Reputation memory);

    /// @notice The next nonce `account` must sign for a gasless contribution or commitment.
    function nonces(address account) external view returns (uint256);
}
