// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {EpochClock} from "./base/EpochClock.sol";
import {Guarded} from "./base/Guarded.sol";
import {IAttributionRegistry} from "./interfaces/IAttributionRegistry.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IRewardDistributor} from "./interfaces/IRewardDistributor.sol";

/// @title AttributionRegistry
/// @notice Attribution reports per (model, epoch) with an attester quorum, a challenge
/// window and a guardian veto.
/// @dev Attesters hold a bit index (0..255). Submissions are recorded as bitmaps per
/// collection round, keyed by (model, epoch, veto round, attester set version), so changing
/// the attester set restarts collections in progress and an index can be reused safely.
contract AttributionRegistry is IAttributionRegistry, EpochClock, Guarded {
    using SafeCast for uint256;

    /// @inheritdoc IAttributionRegistry
    uint256 public constant MAX_ATTESTERS = 256;
    /// @notice Longest challenge window governance may set.
    uint256 public constant MAX_CHALLENGE_WINDOW = 30 days;

    /// @dev One slot: threshold 16 | attesterCount 16 | attesterSetVersion 32 | challengeWindow 40.
    struct Config {
        uint16 threshold;
        uint16 attesterCount;
        uint32 attesterSetVersion;
        uint40 challengeWindow;
    }

    IRewardDistributor private immutable DISTRIBUTOR;
    IModelRegistry private immutable MODELS;

    Config private _config;
    /// @dev Bit i set = index i is held by an attester.
    uint256 private _usedIndexes;
    /// @dev Attester index + 1 (0 = not an attester).
    mapping(address account => uint256) private _attesterIndex;
    mapping(uint256 modelId => ModelReports) private _modelReports;
    mapping(uint256 modelId => mapping(uint256 epoch => StoredReport)) private _reports;
    /// @dev Per round key: bitmap of attesters who submitted anything.
    mapping(bytes32 roundKey => uint256 bitmap) private _submitted;
    /// @dev Per (round key, report hash): bitmap of attesters who submitted that report.
    mapping(bytes32 supportKey => uint256 bitmap) private _supporters;
    /// @dev Hash of each model's pending report (kept after it is decided; read only while pending).
    mapping(uint256 modelId => bytes32 reportHash) private _pendingReportHash;
    /// @dev Report hashes the guardian vetoed (each binds its model and epoch): never again.
    mapping(bytes32 reportHash => bool) private _vetoed;

    /// @param distributor The RewardDistributor, deployed first with this registry's address.
    /// @param models The ModelRegistry.
    /// @param owner_ The governance timelock.
    /// @param guardian_ May veto pending reports and pause submissions.
    /// @param attesters Initial attesters.
    /// @param threshold_ Identical submissions needed (1..attesters.length).
    /// @param challengeWindow_ Seconds a pending report can be vetoed.
    /// @param genesis_ Start of epoch 0 (must match the distributor).
    /// @param epochLength_ Epoch length in seconds (must match the distributor).
    constructor(
        IRewardDistributor distributor,
        IModelRegistry models,
        address owner_,
        address guardian_,
        address[] memory attesters,
        uint256 threshold_,
        uint256 challengeWindow_,
        uint256 genesis_,
        uint256 epochLength_
    ) EpochClock(genesis_, epochLength_) Ownable(owner_) Guarded(guardian_) {
        if (address(models) == address(0)) revert ZeroAddress();
        if (
            distributor.attributionRegistry() != address(this) ||
            distributor.genesis() != genesis_ ||
            distributor.epochLength() != epochLength_ ||
            distributor.modelRegistry() != address(models)
        ) revert DistributorMismatch();
        DISTRIBUTOR = distributor;
        MODELS = models;
        for (uint256 i; i < attesters.length; ++i) {
            _addAttester(attesters[i]);
        }
        _setThreshold(threshold_);
        _setChallengeWindow(challengeWindow_);
    }

    // ================================================================ reports

    /// @inheritdoc IAttributionRegistry
    function submitReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) external whenNotPaused returns (bytes32 reportHash) {
        return _submit(modelId, epoch, bytes32(0), report);
    }

    /// @inheritdoc IAttributionRegistry
    function replaceReport(
        uint256 modelId,
        uint256 epoch,
        bytes32 previousReportHash,
        Report calldata report
    ) external whenNotPaused returns (bytes32 reportHash) {
        if (previousReportHash == bytes32(0)) revert NotSubmitted(msg.sender, previousReportHash);
        return _submit(modelId, epoch, previousReportHash, report);
    }

    /// @inheritdoc IAttributionRegistry
    function promoteReport(uint256 modelId, uint256 epoch, Report calldata report) external whenNotPaused {
        ModelReports memory state = _checkReportable(modelId, epoch, report);
        Config memory config = _config;
        bytes32 reportHash = _allowedHash(modelId, epoch, report);
        uint256 count = _popcount(
            _supporters[_supportKey(_roundKey(modelId, epoch, state.round, config), reportHash)]
        );
        if (count < config.threshold) revert InsufficientSupport(count, config.threshold);
        _makePending(modelId, epoch, reportHash, report, state, config);
    }

    /// @inheritdoc IAttributionRegistry
    function finalizeReport(uint256 modelId) external {
        ModelReports memory state = _modelReports[modelId];
        if (!state.hasPending) revert NoPendingReport(modelId);
        if (block.timestamp < state.challengeEndsAt)
            revert ChallengeWindowOpen(modelId, state.challengeEndsAt);
        StoredReport memory report = _reports[modelId][state.pendingEpoch];
        state.hasFinal = true;
        state.finalEpoch = state.pendingEpoch;
        state.finalTotal = report.totalCumulative;
        state.hasPending = false;
        _modelReports[modelId] = state;
        emit ReportFinalized(modelId, state.finalEpoch, report.cumulativeRoot, report.totalCumulative);
        DISTRIBUTOR.setClaimRoot(modelId, state.finalEpoch, report.cumulativeRoot, report.totalCumulative);
    }

    /// @inheritdoc IAttributionRegistry
    function veto(uint256 modelId) external onlyGuardian {
        ModelReports memory state = _modelReports[modelId];
        if (!state.hasPending) revert NoPendingReport(modelId);
        if (block.timestamp >= state.challengeEndsAt)
            revert ChallengeWindowOver(modelId, state.challengeEndsAt);
        _vetoed[_pendingReportHash[modelId]] = true;
        delete _reports[modelId][state.pendingEpoch];
        state.hasPending = false;
        ++state.round; // a uint16: 65,535 vetoes per model at most
        _modelReports[modelId] = state;
        emit ReportVetoed(modelId, state.pendingEpoch, state.round);
    }

    // ================================================================ owner

    /// @inheritdoc IAttributionRegistry
    function setAttester(address attester, bool active) external onlyOwner {
        if (active) {
            _addAttester(attester);
        } else {
            uint256 index = _attesterIndex[attester];
            if (index == 0) revert AttesterUnchanged(attester, false);
            uint256 remaining = _config.attesterCount - 1;
            if (_config.threshold > remaining) revert InvalidThreshold(_config.threshold, remaining);
            _usedIndexes &= ~(1 << (index - 1));
            delete _attesterIndex[attester];
            _config.attesterCount = uint16(remaining);
            emit AttesterSet(attester, false, ++_config.attesterSetVersion);
        }
    }

    /// @inheritdoc IAttributionRegistry
    function setThreshold(uint256 threshold_) external onlyOwner {
        _setThreshold(threshold_);
    }

    /// @inheritdoc IAttributionRegistry
    function setChallengeWindow(uint256 challengeWindow_) external onlyOwner {
        _setChallengeWindow(challengeWindow_);
    }

    // ================================================================ reads

    /// @inheritdoc IAttributionRegistry
    function hashReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) public pure returns (bytes32) {
        return
            keccak256(
                abi.encode(
                    modelId,
                    epoch,
                    report.weightsRoot,
                    report.totalWeight,
                    report.cumulativeRoot,
                    report.totalCumulative,
                    keccak256(bytes(report.uri))
                )
            );
    }

    /// @inheritdoc IAttributionRegistry
    function modelReports(uint256 modelId) external view returns (ModelReports memory) {
        return _modelReports[modelId];
    }

    /// @inheritdoc IAttributionRegistry
    function getReport(uint256 modelId, uint256 epoch) external view returns (StoredReport memory) {
        return _reports[modelId][epoch];
    }

    /// @inheritdoc IAttributionRegistry
    function support(uint256 modelId, uint256 epoch, bytes32 reportHash) external view returns (uint256) {
        bytes32 roundKey = _roundKey(modelId, epoch, _modelReports[modelId].round, _config);
        return _popcount(_supporters[_supportKey(roundKey, reportHash)]);
    }

    /// @inheritdoc IAttributionRegistry
    function isVetoed(bytes32 reportHash) external view returns (bool) {
        return _vetoed[reportHash];
    }

    /// @inheritdoc IAttributionRegistry
    function isAttester(address account) external view returns (bool) {
        return _attesterIndex[account] != 0;
    }

    /// @inheritdoc IAttributionRegistry
    function attesterCount() external view returns (uint256) {
        return _config.attesterCount;
    }

    /// @inheritdoc IAttributionRegistry
    function threshold() external view returns (uint256) {
        return _config.threshold;
    }

    /// @inheritdoc IAttributionRegistry
    function challengeWindow() external view returns (uint256) {
        return _config.challengeWindow;
    }

    /// @inheritdoc IAttributionRegistry
    function rewardDistributor() external view returns (address) {
        return address(DISTRIBUTOR);
    }

    /// @inheritdoc IAttributionRegistry
    function modelRegistry() external view returns (address) {
        return address(MODELS);
    }

    // ================================================================ internal

    /// @dev All checks a report must pass before it is recorded; returns the model's state.
    function _checkReportable(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) private view returns (ModelReports memory state) {
        if (modelId == 0 || modelId > MODELS.modelCount()) revert UnknownModel(modelId);
        uint256 endsAt = epochEnd(epoch);
        if (block.timestamp < endsAt) revert EpochNotClosed(epoch, endsAt);
        state = _modelReports[modelId];
        if (state.hasFinal && epoch <= state.finalEpoch) revert EpochAlreadyReported(epoch, state.finalEpoch);
        if (state.hasPending) revert ReportAlreadyPending(modelId, state.pendingEpoch);
        if (report.totalWeight > type(uint128).max) revert ReportValueTooLarge(report.totalWeight);
        if (report.totalCumulative > type(uint96).max) revert ReportValueTooLarge(report.totalCumulative);
        if (report.totalCumulative < state.finalTotal) {
            revert CumulativeDecreased(report.totalCumulative, state.finalTotal);
        }
        uint256 funded = DISTRIBUTOR.contributorPoolFunded(modelId, epoch);
        if (report.totalCumulative > funded) revert ExceedsFunding(report.totalCumulative, funded);
    }

    /// @dev Records the caller's submission of `report` (replacing its submission of
    /// `previousReportHash` unless that is 0) and makes the report pending when its support
    /// reaches the threshold.
    function _submit(
        uint256 modelId,
        uint256 epoch,
        bytes32 previousReportHash,
        Report calldata report
    ) private returns (bytes32 reportHash) {
        uint256 index = _attesterIndex[msg.sender];
        if (index == 0) revert NotAttester(msg.sender);
        ModelReports memory state = _checkReportable(modelId, epoch, report);
        Config memory config = _config;
        reportHash = _allowedHash(modelId, epoch, report);

        uint256 count = _recordSupport(
            _roundKey(modelId, epoch, state.round, config),
            index,
            previousReportHash,
            reportHash
        );
        if (count == 0) revert AlreadySubmitted(msg.sender, modelId, epoch);
        if (previousReportHash != bytes32(0)) {
            emit SubmissionReplaced(modelId, epoch, msg.sender, previousReportHash);
        }
        emit ReportSubmitted(modelId, epoch, msg.sender, reportHash, state.round, count, report);
        if (count >= config.threshold) _makePending(modelId, epoch, reportHash, report, state, config);
    }

    /// @dev Adds attester `index` to the supporters of `reportHash` in the round, moving it
    /// from `previousReportHash` (0 = first submission); returns the report's support, or 0
    /// when the attester already submitted in the round.
    function _recordSupport(
        bytes32 roundKey,
        uint256 index,
        bytes32 previousReportHash,
        bytes32 reportHash
    ) private returns (uint256) {
        uint256 bit = 1 << (index - 1);
        if (previousReportHash == bytes32(0)) {
            uint256 submitted = _submitted[roundKey];
            if (submitted & bit != 0) return 0; // already submitted in this round
            _submitted[roundKey] = submitted | bit;
        } else {
            bytes32 previousKey = _supportKey(roundKey, previousReportHash);
            uint256 previous = _supporters[previousKey];
            if (previous & bit == 0 || previousReportHash == reportHash) {
                revert NotSubmitted(msg.sender, previousReportHash);
            }
            _supporters[previousKey] = previous & ~bit;
        }
        bytes32 supportKey = _supportKey(roundKey, reportHash);
        uint256 supporters = _supporters[supportKey] | bit;
        _supporters[supportKey] = supporters;
        return _popcount(supporters);
    }

    /// @dev Stores a checked report with enough support as the model's pending report.
    function _makePending(
        uint256 modelId,
        uint256 epoch,
        bytes32 reportHash,
        Report calldata report,
        ModelReports memory state,
        Config memory config
    ) private {
        // Sizes were checked by _checkReportable.
        _reports[modelId][epoch] = StoredReport(
            report.cumulativeRoot,
            uint128(report.totalWeight),
            uint96(report.totalCumulative)
        );
        _pendingReportHash[modelId] = reportHash;
        uint256 challengeEndsAt = block.timestamp + config.challengeWindow;
        state.hasPending = true;
        state.pendingEpoch = epoch.toUint32();
        state.challengeEndsAt = uint40(challengeEndsAt);
        _modelReports[modelId] = state;
        emit ReportPending(modelId, epoch, reportHash, challengeEndsAt);
    }

    /// @dev The report's hash; reverts if the guardian vetoed it.
    function _allowedHash(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) private view returns (bytes32 h) {
        h = hashReport(modelId, epoch, report);
        if (_vetoed[h]) revert VetoedReport(h);
    }

    /// @dev A collection round: (model, epoch, veto round, attester set version).
    function _roundKey(
        uint256 modelId,
        uint256 epoch,
        uint256 round,
        Config memory config
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(modelId, epoch, round, config.attesterSetVersion));
    }

    function _supportKey(bytes32 roundKey, bytes32 reportHash) private pure returns (bytes32) {
        return keccak256(abi.encode(roundKey, reportHash));
    }

    function _addAttester(address attester) private {
        if (attester == address(0)) revert ZeroAddress();
        if (_attesterIndex[attester] != 0) revert AttesterUnchanged(attester, true);
        uint256 used = _usedIndexes;
        if (used == type(uint256).max) revert TooManyAttesters();
        uint256 index;
        while (used & (1 << index) != 0) ++index; // < 256 iterations: some bit is free
        _usedIndexes = used | (1 << index);
        _attesterIndex[attester] = index + 1;
        ++_config.attesterCount; // ≤ 256 fits uint16
        emit AttesterSet(attester, true, ++_config.attesterSetVersion);
    }

    function _setThreshold(uint256 threshold_) private {
        uint256 count = _config.attesterCount;
        if (threshold_ == 0 || threshold_ > count) revert InvalidThreshold(threshold_, count);
        _config.threshold = uint16(threshold_); // ≤ count ≤ 256
        emit ThresholdUpdated(threshold_);
    }

    function _setChallengeWindow(uint256 challengeWindow_) private {
        if (challengeWindow_ > MAX_CHALLENGE_WINDOW) {
            revert ChallengeWindowTooLong(challengeWindow_, MAX_CHALLENGE_WINDOW);
        }
        _config.challengeWindow = uint40(challengeWindow_);
        emit ChallengeWindowUpdated(challengeWindow_);
    }

    /// @dev Number of set bits; loops once per set bit (≤ number of attesters).
    function _popcount(uint256 bits) private pure returns (uint256 count) {
        while (bits != 0) {
            bits &= bits - 1;
            ++count;
        }
    }
}
