// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEpochClock} from "./IEpochClock.sol";
import {IGuarded} from "./IGuarded.sol";

/// @title IAttributionRegistry
/// @notice Attribution reports per (model, epoch), posted by a quorum of attesters.
/// A report commits to per-contribution weights (weights root, leaves of
/// `(contributionId, contributor, weight)`), and to per-account cumulative rewards for the
/// model (cumulative root, StandardMerkleTree leaves of `(modelId, account, cumulativeAmount)`).
/// @dev Lifecycle: attesters submit; when `threshold` distinct attesters submitted the
/// identical report (same report hash) it becomes pending; after `challengeWindow` seconds
/// anyone finalizes it, which publishes its cumulative root to the RewardDistributor for
/// claims; until then the guardian may veto it, after which the epoch can be reported
/// again, but never with a vetoed report hash.
///
/// Rounds: submissions are collected per (model, epoch, veto round, attester set version).
/// Within a round an attester may replace its own submission (`replaceReport`), so
/// disagreeing attesters can converge instead of stalling the epoch. A threshold change
/// does not restart the round: a report whose support already meets a lowered threshold
/// becomes pending through `promoteReport` (anyone), without waiting for another attester. Reports per model are sequential: epochs strictly increase, only closed epochs,
/// one pending report at a time. Epochs skipped roll their pool into the next report (the
/// amounts are cumulative).
///
/// Roles:
/// - owner (the governance timelock, two-step): attester set, threshold, challenge window,
///   guardian;
/// - attester: submits and replaces its own submissions;
/// - guardian: vetoes pending reports and pauses/unpauses new submissions;
/// - anyone: promotes a report whose support meets the threshold, finalizes a report whose
///   challenge window is over.
///
/// On-chain checks at every submission: the report's total cumulative rewards is ≥ the
/// previous final one and ≤ the contributor pool funded for the model up to the end of the
/// reported epoch.
interface IAttributionRegistry is IEpochClock, IGuarded {
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
    /// @param finalTotal Total cumulative rewards of the latest final report.
    /// @param hasPending Whether a report is pending.
    /// @param pendingEpoch Epoch of the pending report.
    /// @param challengeEndsAt When the pending report can be finalized (and no longer vetoed).
    /// @param round Collection round of the next report (bumped by each veto).
    struct ModelReports {
        bool hasFinal;
        uint32 finalEpoch;
        uint96 finalTotal;
        bool hasPending;
        uint32 pendingEpoch;
        uint40 challengeEndsAt;
        uint16 round;
    }

    /// @notice What is stored of a report once it became pending (two slots); the weights
    /// root and URI are in the `ReportSubmitted` events and bound by the report hash.
    struct StoredReport {
        bytes32 cumulativeRoot;
        uint128 totalWeight;
        uint96 totalCumulative;
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
    /// @notice A report reached the threshold and is pending until `challengeEndsAt`.
    event ReportPending(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bytes32 reportHash,
        uint256 challengeEndsAt
    );
    /// @notice The guardian vetoed the pending report; the epoch can be reported again,
    /// never with the vetoed report hash.
    event ReportVetoed(uint256 indexed modelId, uint256 indexed epoch, uint256 nextRound);
    /// @notice A pending report became final; its cumulative root is now claimable.
    event ReportFinalized(
        uint256 indexed modelId,
        uint256 indexed epoch,
        bytes32 cumulativeRoot,
        uint256 totalCumulative
    );
    /// @notice The owner added (`active`) or removed an attester; collections in progress restart.
    event AttesterSet(address indexed attester, bool active, uint256 attesterSetVersion);
    /// @notice The owner changed the threshold.
    event ThresholdUpdated(uint256 threshold);
    /// @notice The owner changed the challenge window.
    event ChallengeWindowUpdated(uint256 challengeWindow);

    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice The caller is not an attester.
    error NotAttester(address caller);
    /// @notice The attester already submitted for this model, epoch and round (use `replaceReport`).
    error AlreadySubmitted(address attester, uint256 modelId, uint256 epoch);
    /// @notice The attester has no submission of `reportHash` in the current round to replace
    /// (or replaces a report with itself).
    error NotSubmitted(address attester, bytes32 reportHash);
    /// @notice The guardian vetoed this report; it can never become pending again.
    error VetoedReport(bytes32 reportHash);
    /// @notice The report's support in the current round is below the threshold.
    error InsufficientSupport(uint256 support, uint256 threshold);
    /// @notice The address is already (or is not) an attester.
    error AttesterUnchanged(address attester, bool active);
    /// @notice Too many attesters (at most 256).
    error TooManyAttesters();
    /// @notice The threshold must be between 1 and the number of attesters.
    error InvalidThreshold(uint256 threshold, uint256 attesterCount);
    /// @notice The challenge window exceeds `MAX_CHALLENGE_WINDOW`.
    error ChallengeWindowTooLong(uint256 window, uint256 max);
    /// @notice No model has this id.
    error UnknownModel(uint256 modelId);
    /// @notice The epoch has not ended yet.
    error EpochNotClosed(uint256 epoch, uint256 endsAt);
    /// @notice Reports must be for epochs after the latest final one.
    error EpochAlreadyReported(uint256 epoch, uint256 latestFinalEpoch);
    /// @notice A report is pending for the model; finalize or veto it first.
    error ReportAlreadyPending(uint256 modelId, uint256 pendingEpoch);
    /// @notice No report is pending for the model.
    error NoPendingReport(uint256 modelId);
    /// @notice The challenge window of the pending report is not over.
    error ChallengeWindowOpen(uint256 modelId, uint256 endsAt);
    /// @notice The challenge window of the pending report is over: it can no longer be vetoed.
    error ChallengeWindowOver(uint256 modelId, uint256 endedAt);
    /// @notice The RewardDistributor is not wired to this registry or uses other epochs.
    error DistributorMismatch();
    /// @notice The report's total cumulative rewards is below the previous final one.
    error CumulativeDecreased(uint256 totalCumulative, uint256 previousTotal);
    /// @notice The report's total cumulative rewards exceeds the pool funded up to its epoch.
    error ExceedsFunding(uint256 totalCumulative, uint256 funded);
    /// @notice A number in the report does not fit its storage (`totalWeight` < 2^128,
    /// `totalCumulative` < 2^96).
    error ReportValueTooLarge(uint256 value);

    /// @notice Submits the caller's report for `modelId` and closed `epoch`. Attester only;
    /// not while paused.
    /// @return reportHash The hash identical submissions agree on.
    function submitReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) external returns (bytes32 reportHash);

    /// @notice Replaces the caller's submission of `previousReportHash` in the current round
    /// of (`modelId`, `epoch`) by `report`. Attester only; not while paused.
    /// @return reportHash The new report's hash.
    function replaceReport(
        uint256 modelId,
        uint256 epoch,
        bytes32 previousReportHash,
        Report calldata report
    ) external returns (bytes32 reportHash);

    /// @notice Makes `report` pending when its support in the current round already meets
    /// the threshold (after the threshold was lowered). Anyone may call; not while paused.
    function promoteReport(uint256 modelId, uint256 epoch, Report calldata report) external;

    /// @notice Finalizes the pending report of `modelId` once its challenge window is over,
    /// publishing its cumulative root to the RewardDistributor. Anyone may call.
    function finalizeReport(uint256 modelId) external;

    /// @notice Vetoes the pending report of `modelId`. Guardian only.
    function veto(uint256 modelId) external;

    /// @notice Adds or removes an attester. Owner only. Bumps the attester set version,
    /// which restarts every collection in progress.
    function setAttester(address attester, bool active) external;

    /// @notice Sets how many identical submissions make a report pending. Owner only.
    function setThreshold(uint256 threshold) external;

    /// @notice Sets the challenge window (seconds) for reports that become pending later. Owner only.
    function setChallengeWindow(uint256 challengeWindow) external;

    /// @notice The hash attesters agree on for a report.
    function hashReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) external pure returns (bytes32);

    /// @notice Per-model report state.
    function modelReports(uint256 modelId) external view returns (ModelReports memory);

    /// @notice A report stored when it became pending (zero if none).
    function getReport(uint256 modelId, uint256 epoch) external view returns (StoredReport memory);

    /// @notice How many current attesters submitted `reportHash` for the model's current round of `epoch`.
    function support(uint256 modelId, uint256 epoch, bytes32 reportHash) external view returns (uint256);

    /// @notice Whether the guardian vetoed the report with this hash.
    function isVetoed(bytes32 reportHash) external view returns (bool);

    /// @notice Largest number of attesters.
    function MAX_ATTESTERS() external view returns (uint256);

    /// @notice Whether `account` is an attester.
    function isAttester(address account) external view returns (bool);

    /// @notice Number of attesters.
    function attesterCount() external view returns (uint256);

    /// @notice Identical submissions needed.
    function threshold() external view returns (uint256);

    /// @notice Seconds a pending report can be vetoed.
    function challengeWindow() external view returns (uint256);

    /// @notice The RewardDistributor that funds models and pays claims.
    function rewardDistributor() external view returns (address);

    /// @notice The ModelRegistry.
    function modelRegistry() external view returns (address);
}
