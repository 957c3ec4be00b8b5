// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAttesters} from "./IAttesters.sol";
import {IEpochClock} from "./IEpochClock.sol";
import {IGuarded} from "./IGuarded.sol";

/// @title IAttributionRegistry
/// @notice Attribution reports per (model, epoch), posted by a quorum of bonded attesters
/// (IAttesters), open to challenge by anyone and to the guardian's veto during a challenge window.
///
/// A report commits to two StandardMerkleTree roots (OpenZeppelin's merkle-tree package:
/// leaf = `keccak256(bytes.concat(keccak256(abi.encode(values))))`, pairs hashed in sorted order):
/// - the weights root, one leaf per weighed contribution, types `(bytes32 contributionId,
///   address contributor, uint256 weight)`; `totalWeight` is the sum of the weights;
/// - the cumulative root, one leaf per rewarded account, types `(uint256 modelId,
///   address account, uint256 cumulativeAmount)` (the RewardDistributor's claim leaf);
///   `totalCumulative` is the sum of the amounts.
///
/// Lifecycle. A report becomes pending when `threshold` active attesters support the identical
/// report (same report hash): either by separate submissions (`submitReport`), or in one
/// transaction carrying their EIP-712 signatures (`submitAttestedReport`). While pending, anyone
/// may prove it wrong (`challengeWeight`, `challengeReward`): it is voided at once, can never
/// come back, and every supporter is slashed (IAttesters). The guardian may also veto it
/// (no slash). After `challengeWindow` seconds anyone finalizes it, which publishes its
/// cumulative root to the RewardDistributor for claims. Reports per model are sequential:
/// epochs strictly increase, only closed epochs, one pending report at a time; epochs skipped
/// roll their pool into the next report (the amounts are cumulative).
///
/// Faults anyone can prove against a pending report of model M for epoch e (no false
/// positives: a report built from the chain as the SDK does is never faulty):
/// - a weights leaf above `totalWeight`;
/// - a weights leaf with non-zero weight for a contribution that is not eligible, or naming
///   another contributor than the one on record (see `weightLeafFault`);
/// - a rewards leaf above `totalCumulative`, below what the account already claimed from M, or
///   below its leaf in M's previous final report (cumulative amounts never go down).
///
/// Eligibility of contribution C for epoch e of model M, judged on C's record (the
/// ContributionRegistry keeps one record per content; a re-submission starts it afresh): C is
/// eligible unless it is unknown, or, when no earlier accepted submission of it was withdrawn at
/// or after the start of e (`previousWithdrawnAt`), C's current submission
/// - was never accepted (pending, rejected, or withdrawn while pending), or
/// - was withdrawn before e began, or
/// - is in none of M's datanet versions: it belongs to a version snapshotted at T when it was
///   accepted at or before T and not withdrawn before T.
///
/// Rounds: separate submissions are collected per (model, epoch, veto round, attester set
/// version); within a round an attester may replace its own submission (`replaceReport`), so
/// disagreeing attesters can converge. Signatures are bound to the chain, this contract, the
/// model, the epoch and the round. A threshold change does not restart a round: a report whose
/// support already meets a lowered threshold becomes pending through `promoteReport` (anyone).
///
/// Roles:
/// - owner (the governance timelock, two-step): attester set, threshold, challenge window,
///   bond rules, guardian;
/// - attester: submits and replaces its own submissions, signs reports off chain;
/// - guardian: vetoes pending reports and pauses/unpauses new submissions;
/// - anyone: submits signed reports, challenges, promotes, finalizes.
///
/// On-chain checks at every submission: the report's total cumulative rewards is ≥ the
/// previous final one and ≤ the contributor pool funded for the model up to the end of the
/// reported epoch.
interface IAttributionRegistry is IAttesters, IEpochClock, IGuarded {
    /// @notice What attesters submit.
    /// @param weightsRoot Merkle root of per-contribution weights.
    /// @param totalWeight Sum of the weights.
    /// @param cumulativeRoot Merkle root of per-account cumulative rewards for the model.
    /// @param totalCumulative Sum of the cumulative rewards.
    /// @param uri Where the full report (JSON) lives.
    struct Report {
        bytes32 weightsRoot;
        uint256 totalWeight;
        bytes32 cumulativeRoot;
        uint256 totalCumulative;
        string uri;
    }

    /// @notice Per-model report state.
    /// @param hasFinal Whether a report was ever finalized.
    /// @param finalEpoch Epoch of the latest final report.
    /// @param totalCumulative Total cumulative rewards of the pending report while one is
    /// pending, of the latest final report otherwise.
    /// @param hasPending Whether a report is pending.
    /// @param pendingEpoch Epoch of the pending report.
    /// @param challengeEndsAt When the pending report can be finalized (and no longer vetoed or challenged).
    /// @param round Collection round of the next report (bumped by each veto or voiding).
    struct ModelReports {
        bool hasFinal;
        uint32 finalEpoch;
        uint96 totalCumulative;
        bool hasPending;
        uint32 pendingEpoch;
        uint40 challengeEndsAt;
        uint16 round;
    }

    /// @notice What is kept of a model's pending report (the rest is in its `ReportPending` event).
    /// @param reportHash `hashReport` of the report.
    /// @param cumulativeRoot Its cumulative root.
    /// @param supportersHash `keccak256(abi.encode(supporters))` of the supporters in its event.
    struct PendingReport {
        bytes32 reportHash;
        bytes32 cumulativeRoot;
        bytes32 supportersHash;
    }

    /// @notice One attester's EIP-712 signature of a report (type
    /// `AttestReport(uint256 modelId,uint256 epoch,uint256 round,bytes32 reportHash)`);
    /// ECDSA for accounts, ERC-1271 for contract attesters.
    struct Attestation {
        address attester;
        bytes signature;
    }

    /// @notice A weights leaf and its proof against the report's weights root.
    struct WeightEvidence {
        bytes32 contributionId;
        address contributor;
        uint256 weight;
        bytes32[] proof;
    }

    /// @notice A rewards leaf of the model and its proof against the report's cumulative root;
    /// optionally the account's leaf in the model's previous final report and its proof
    /// against the RewardDistributor's current claim root (empty proof: not given).
    struct RewardEvidence {
        address account;
        uint256 cumulativeAmount;
        bytes32[] proof;
        uint256 previousAmount;
        bytes32[] previousProof;
    }

    /// @notice What a challenge proved.
    enum Fault {
        None,
        WeightAboveTotal,
        IneligibleContribution,
        WrongContributor,
        AmountAboveTotal,
        AmountBelowClaimed,
        AmountBelowPrevious
    }

    /// @notice An attester submitted a report (agreeing or not with others).
    event ReportSubmitted(
        uint256 indexed modelId,
        uint256 indexed epoch,
        address indexed attester,
        bytes32 reportHash,
        uint256 round,
        uint256 support,
        Report report
    );
    /// @notice `attester` withdrew its support of `previousReportHash` in this round: its
    /// `ReportSubmitted` of the replacement follows.
    event SubmissionReplaced(
        uint256 indexed modelId,
        uint256 indexed epoch,
        address indexed attester,
        bytes32 previousReportHash
    );
    /// @notice A report reached the threshold and is pending until `challengeEndsAt`; the
    /// report and its supporters are what challenges and `finalizeReport` refer to.
    event ReportPending(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bytes32 reportHash,
        uint256 challengeEndsAt,
        address[] supporters,
        Report report
    );
    /// @notice The guardian vetoed the pending report; the epoch can be reported again,
    /// never with the vetoed report hash.
    event ReportVetoed(uint256 indexed modelId, uint256 indexed epoch, uint256 nextRound);
    /// @notice `challenger` proved the pending report wrong: it is void for good, its supporters
    /// were slashed `slashed` in total, of which `challengerReward` went to the challenger.
    event ReportVoided(
        uint256 indexed modelId,
        uint256 indexed epoch,
        address indexed challenger,
        bytes32 reportHash,
        Fault fault,
        uint256 nextRound,
        uint256 slashed,
        uint256 challengerReward
    );
    /// @notice A pending report became final; its cumulative root is now claimable.
    event ReportFinalized(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bytes32 cumulativeRoot,
        uint256 totalCumulative
    );

    /// @notice The caller is not a registered attester.
    error NotAttester(address caller);
    /// @notice The attester is registered but bonded below `minBond`.
    error InactiveAttester(address attester, uint256 bond, uint256 minBond);
    /// @notice The attester already submitted for this model, epoch and round (use `replaceReport`).
    error AlreadySubmitted(address attester, uint256 modelId, uint256 epoch);
    /// @notice The attester has no submission of `reportHash` in the current round to replace
    /// (or replaces a report with itself).
    error NotSubmitted(address attester, bytes32 reportHash);
    /// @notice The report was vetoed or voided; it can never become pending again.
    error BarredReport(bytes32 reportHash);
    /// @notice The report's support in the current round is below the threshold.
    error InsufficientSupport(uint256 support, uint256 threshold);
    /// @notice Attestations must be sorted by attester address, strictly ascending (no duplicates).
    error UnsortedAttestations(uint256 index);
    /// @notice The signature of `attester` does not sign this report for this round.
    error InvalidAttestation(address attester);
    /// @notice No model has this id.
    error UnknownModel(uint256 modelId);
    /// @notice The epoch has not ended yet.
    error EpochNotClosed(uint256 epoch, uint256 endsAt);
    /// @notice Reports must be for epochs after the latest final one.
    error EpochAlreadyReported(uint256 epoch, uint256 latestFinalEpoch);
    /// @notice A report is pending for the model; finalize, veto or challenge it first.
    error ReportAlreadyPending(uint256 modelId, uint256 pendingEpoch);
    /// @notice No report is pending for the model.
    error NoPendingReport(uint256 modelId);
    /// @notice The report or supporters given are not those of the model's pending report.
    error NotPendingReport(uint256 modelId, bytes32 reportHash);
    /// @notice The challenge window of the pending report is not over.
    error ChallengeWindowOpen(uint256 modelId, uint256 endsAt);
    /// @notice The challenge window of the pending report is over: it can no longer be vetoed
    /// or challenged.
    error ChallengeWindowOver(uint256 modelId, uint256 endedAt);
    /// @notice A leaf's proof does not prove it against the root it must be in.
    error InvalidLeafProof();
    /// @notice The evidence shows no fault: the report stands.
    error NoFault();
    /// @notice The RewardDistributor is not wired to this registry or uses other epochs.
    error DistributorMismatch();
    /// @notice The report's total cumulative rewards is below the previous final one.
    error CumulativeDecreased(uint256 totalCumulative, uint256 previousTotal);
    /// @notice The report's total cumulative rewards exceeds the pool funded up to its epoch.
    error ExceedsFunding(uint256 totalCumulative, uint256 funded);
    /// @notice A number in the report does not fit its storage (`totalWeight` < 2^128,
    /// `totalCumulative` < 2^96).
    error ReportValueTooLarge(uint256 value);

    /// @notice Submits the caller's report for `modelId` and closed `epoch`. Active attester
    /// only; not while paused.
    /// @return reportHash The hash identical submissions agree on.
    function submitReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) external returns (bytes32 reportHash);

    /// @notice Replaces the caller's submission of `previousReportHash` in the current round
    /// of (`modelId`, `epoch`) by `report`. Active attester only; not while paused.
    /// @return reportHash The new report's hash.
    function replaceReport(
        uint256 modelId,
        uint256 epoch,
        bytes32 previousReportHash,
        Report calldata report
    ) external returns (bytes32 reportHash);

    /// @notice Makes `report` pending at once with the signatures of at least `threshold`
    /// active attesters (sorted by address, no duplicates), each signing `attestationDigest`
    /// for the model's current round. Anyone may call; not while paused.
    /// @return reportHash The report's hash.
    function submitAttestedReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report,
        Attestation[] calldata attestations
    ) external returns (bytes32 reportHash);

    /// @notice Makes `report` pending when its support in the current round already meets
    /// the threshold (after the threshold was lowered). Anyone may call; not while paused.
    function promoteReport(uint256 modelId, uint256 epoch, Report calldata report) external;

    /// @notice Voids the pending report of `modelId` by proving one of its weights leaves wrong
    /// (`report` and `supporters` as in its `ReportPending` event). Anyone may call while the
    /// challenge window is open; the caller receives the challenger's share of the slash.
    /// @return fault What was proven.
    function challengeWeight(
        uint256 modelId,
        Report calldata report,
        address[] calldata supporters,
        WeightEvidence calldata evidence
    ) external returns (Fault fault);

    /// @notice As `challengeWeight`, by proving one of its rewards leaves wrong.
    function challengeReward(
        uint256 modelId,
        Report calldata report,
        address[] calldata supporters,
        RewardEvidence calldata evidence
    ) external returns (Fault fault);

    /// @notice Finalizes the pending report of `modelId` once its challenge window is over,
    /// publishing its cumulative root to the RewardDistributor. Anyone may call.
    function finalizeReport(uint256 modelId) external;

    /// @notice Vetoes the pending report of `modelId`. Guardian only.
    function veto(uint256 modelId) external;

    /// @notice The hash attesters agree on for a report.
    function hashReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) external pure returns (bytes32);

    /// @notice The EIP-712 digest an attester signs to support `reportHash` in `round`.
    function attestationDigest(
        uint256 modelId,
        uint256 epoch,
        uint256 round,
        bytes32 reportHash
    ) external view returns (bytes32);

    /// @notice What a weights leaf of a report of `modelId` for `epoch` proves, proof aside
    /// (`Fault.None`: nothing).
    function weightLeafFault(
        uint256 modelId,
        uint256 epoch,
        bytes32 contributionId,
        address contributor,
        uint256 weight,
        uint256 totalWeight
    ) external view returns (Fault);

    /// @notice What a rewards leaf of a report of `modelId` proves, proofs aside, given the
    /// account's amount in the previous final report (0 if not given).
    function rewardLeafFault(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount,
        uint256 totalCumulative,
        uint256 previousAmount
    ) external view returns (Fault);

    /// @notice Per-model report state.
    function modelReports(uint256 modelId) external view returns (ModelReports memory);

    /// @notice What is kept of the model's pending report (meaningful only while `hasPending`).
    function pendingReport(uint256 modelId) external view returns (PendingReport memory);

    /// @notice How many active attesters submitted `reportHash` for the model's current round of `epoch`.
    function support(uint256 modelId, uint256 epoch, bytes32 reportHash) external view returns (uint256);

    /// @notice Whether the report with this hash was vetoed or voided.
    function isBarred(bytes32 reportHash) external view returns (bool);

    /// @notice The RewardDistributor that funds models and pays claims.
    function rewardDistributor() external view returns (address);

    /// @notice The ModelRegistry.
    function modelRegistry() external view returns (address);

    /// @notice The ContributionRegistry (the ModelRegistry's).
    function contributionRegistry() external view returns (address);
}
