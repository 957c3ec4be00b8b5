// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {Attesters} from "./base/Attesters.sol";
import {EpochClock} from "./base/EpochClock.sol";
import {Guarded} from "./base/Guarded.sol";
import {IAttributionRegistry} from "./interfaces/IAttributionRegistry.sol";
import {IContributionRegistry} from "./interfaces/IContributionRegistry.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IRewardDistributor} from "./interfaces/IRewardDistributor.sol";
import {MerkleLeaves} from "./libraries/MerkleLeaves.sol";

/// @title AttributionRegistry
/// @notice Attribution reports per (model, epoch): posted by a quorum of bonded attesters
/// (separately or with their signatures in one transaction), voided by anyone who proves them
/// wrong on chain, vetoed by the guardian, finalized after a challenge window.
/// @dev Separate submissions are recorded as bitmaps of attester indexes per collection round,
/// keyed by (model, epoch, veto round, attester set version), so changing the attester set
/// restarts collections in progress and an index can be reused safely. A pending report keeps
/// three slots per model (reused by the model's next report): its hash, its cumulative root
/// and the hash of its supporters; the rest is in its `ReportPending` event.
contract AttributionRegistry is IAttributionRegistry, EpochClock, Guarded, Attesters, EIP712 {
    using SafeCast for uint256;

    bytes32 private constant ATTEST_TYPEHASH = keccak256(
        "AttestReport(uint256 modelId,uint256 epoch,uint256 round,bytes32 reportHash)"
    );

    IRewardDistributor private immutable DISTRIBUTOR;
    IModelRegistry private immutable MODELS;
    IContributionRegistry private immutable CONTRIBUTIONS;

    mapping(uint256 modelId => ModelReports) private _modelReports;
    mapping(uint256 modelId => PendingReport) private _pending;
    /// @dev Per round key: bitmap of attesters who submitted anything.
    mapping(bytes32 roundKey => uint256 bitmap) private _submitted;
    /// @dev Per (round key, report hash): bitmap of attesters who submitted that report.
    mapping(bytes32 supportKey => uint256 bitmap) private _supporters;
    /// @dev Report hashes vetoed or voided (each binds its model and epoch): never again.
    mapping(bytes32 reportHash => bool) private _barred;

    /// @param distributor The RewardDistributor, deployed first with this registry's address;
    /// its token is the bond token.
    /// @param models The ModelRegistry (its ContributionRegistry is read for eligibility).
    /// @param owner_ The governance timelock.
    /// @param guardian_ May veto pending reports and pause submissions.
    /// @param attesters Initial attesters (active once bonded).
    /// @param threshold_ Active attesters needed (1..attesters.length).
    /// @param challengeWindow_ Seconds a pending report can be challenged or vetoed.
    /// @param bondSettings_ Bond rules (IAttesters.BondSettings).
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
        BondSettings memory bondSettings_,
        uint256 genesis_,
        uint256 epochLength_
    )
        EpochClock(genesis_, epochLength_)
        Ownable(owner_)
        Guarded(guardian_)
        Attesters(IERC20(distributor.token()), attesters, threshold_, challengeWindow_, bondSettings_)
        EIP712("OpenAttribution AttributionRegistry", "1")
    {
        if (address(models) == address(0)) revert ZeroAddress();
        if (
            distributor.attributionRegistry() != address(this) ||
            distributor.genesis() != genesis_ ||
            distributor.epochLength() != epochLength_ ||
            distributor.modelRegistry() != address(models)
        ) revert DistributorMismatch();
        DISTRIBUTOR = distributor;
        MODELS = models;
        CONTRIBUTIONS = IContributionRegistry(models.contributionRegistry());
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
    function submitAttestedReport(
        uint256 modelId,
        uint256 epoch,
        Report calldata report,
        Attestation[] calldata attestations
    ) external whenNotPaused returns (bytes32 reportHash) {
        ModelReports memory state = _checkReportable(modelId, epoch, report);
        Config memory config = _config;
        reportHash = _allowedHash(modelId, epoch, report);
        uint256 count = attestations.length;
        if (count < config.threshold) revert InsufficientSupport(count, config.threshold);
        bytes32 digest = attestationDigest(modelId, epoch, state.round, reportHash);
        address[] memory supporters = new address[](count);
        address previous;
        for (uint256 i; i < count; ++i) {
            address attester = attestations[i].attester;
            if (attester <= previous) revert UnsortedAttestations(i); // also refuses address(0)
            _requireActive(attester, config);
            if (!SignatureChecker.isValidSignatureNow(attester, digest, attestations[i].signature)) {
                revert InvalidAttestation(attester);
            }
            supporters[i] = previous = attester;
        }
        _makePending(modelId, epoch, reportHash, report, supporters, state, config);
    }

    /// @inheritdoc IAttributionRegistry
    function promoteReport(uint256 modelId, uint256 epoch, Report calldata report) external whenNotPaused {
        ModelReports memory state = _checkReportable(modelId, epoch, report);
        Config memory config = _config;
        bytes32 reportHash = _allowedHash(modelId, epoch, report);
        uint256 bitmap =
            _supporters[_supportKey(_roundKey(modelId, epoch, state.round, config), reportHash)] &
                _activeIndexes;
        uint256 count = _popcount(bitmap);
        if (count < config.threshold) revert InsufficientSupport(count, config.threshold);
        _makePending(modelId, epoch, reportHash, report, _attestersOf(bitmap), state, config);
    }

    /// @inheritdoc IAttributionRegistry
    function challengeWeight(
        uint256 modelId,
        Report calldata report,
        address[] calldata supporters,
        WeightEvidence calldata evidence
    ) external returns (Fault fault) {
        (ModelReports memory state, bytes32 reportHash) = _challengeable(modelId, report, supporters);
        bytes32 leaf = MerkleLeaves.leaf(evidence.contributionId, evidence.contributor, evidence.weight);
        if (!MerkleLeaves.verify(evidence.proof, report.weightsRoot, leaf)) revert InvalidLeafProof();
        fault = weightLeafFault(
            modelId,
            state.pendingEpoch,
            evidence.contributionId,
            evidence.contributor,
            evidence.weight,
            report.totalWeight
        );
        _void(modelId, state, reportHash, supporters, fault);
    }

    /// @inheritdoc IAttributionRegistry
    function challengeReward(
        uint256 modelId,
        Report calldata report,
        address[] calldata supporters,
        RewardEvidence calldata evidence
    ) external returns (Fault fault) {
        (ModelReports memory state, bytes32 reportHash) = _challengeable(modelId, report, supporters);
        bytes32 leaf = MerkleLeaves.leaf(bytes32(modelId), evidence.account, evidence.cumulativeAmount);
        if (!MerkleLeaves.verify(evidence.proof, report.cumulativeRoot, leaf)) revert InvalidLeafProof();
        if (evidence.previousAmount != 0) {
            (bytes32 previousRoot, ) = DISTRIBUTOR.claimRoot(modelId);
            bytes32 previousLeaf = MerkleLeaves.leaf(
                bytes32(modelId),
                evidence.account,
                evidence.previousAmount
            );
            if (!MerkleLeaves.verify(evidence.previousProof, previousRoot, previousLeaf))
                revert InvalidLeafProof();
        }
        fault = rewardLeafFault(
            modelId,
            evidence.account,
            evidence.cumulativeAmount,
            report.totalCumulative,
            evidence.previousAmount
        );
        _void(modelId, state, reportHash, supporters, fault);
    }

    /// @inheritdoc IAttributionRegistry
    function finalizeReport(uint256 modelId) external {
        ModelReports memory state = _modelReports[modelId];
        if (!state.hasPending) revert NoPendingReport(modelId);
        if (block.timestamp < state.challengeEndsAt)
            revert ChallengeWindowOpen(modelId, state.challengeEndsAt);
        state.hasFinal = true;
        state.finalEpoch = state.pendingEpoch;
        state.hasPending = false;
        _modelReports[modelId] = state;
        bytes32 root = _pending[modelId].cumulativeRoot;
        emit ReportFinalized(modelId, state.finalEpoch, root, state.totalCumulative);
        DISTRIBUTOR.setClaimRoot(modelId, state.finalEpoch, root, state.totalCumulative);
    }

    /// @inheritdoc IAttributionRegistry
    function veto(uint256 modelId) external onlyGuardian {
        ModelReports memory state = _modelReports[modelId];
        if (!state.hasPending) revert NoPendingReport(modelId);
        if (block.timestamp >= state.challengeEndsAt)
            revert ChallengeWindowOver(modelId, state.challengeEndsAt);
        _barred[_pending[modelId].reportHash] = true;
        emit ReportVetoed(modelId, state.pendingEpoch, _reopen(modelId, state));
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
    function attestationDigest(
        uint256 modelId,
        uint256 epoch,
        uint256 round,
        bytes32 reportHash
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ATTEST_TYPEHASH, modelId, epoch, round, reportHash)));
    }

    /// @inheritdoc IAttributionRegistry
    function weightLeafFault(
        uint256 modelId,
        uint256 epoch,
        bytes32 contributionId,
        address contributor,
        uint256 weight,
        uint256 totalWeight
    ) public view returns (Fault) {
        if (weight > totalWeight) return Fault.WeightAboveTotal;
        IContributionRegistry.Contribution memory c = CONTRIBUTIONS.getContribution(contributionId);
        if (c.status == IContributionRegistry.Status.None) {
            return weight == 0 ? Fault.None : Fault.IneligibleContribution;
        }
        uint256 epochStart = epochEnd(epoch) - epochLength();
        // An earlier accepted submission withdrawn only after the epoch began may have earned
        // in it: the current record says nothing about that one.
        if (c.previousWithdrawnAt >= epochStart) return Fault.None;
        if (c.contributor != contributor) return Fault.WrongContributor;
        if (weight == 0) return Fault.None;
        bool accepted =
            c.status == IContributionRegistry.Status.Accepted ||
                (c.status == IContributionRegistry.Status.Withdrawn && c.decidedAt != 0);
        if (!accepted || (c.withdrawnAt != 0 && c.withdrawnAt < epochStart))
            return Fault.IneligibleContribution;
        return _inModelVersion(modelId, c) ? Fault.None : Fault.IneligibleContribution;
    }

    /// @inheritdoc IAttributionRegistry
    function rewardLeafFault(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount,
        uint256 totalCumulative,
        uint256 previousAmount
    ) public view returns (Fault) {
        if (cumulativeAmount > totalCumulative) return Fault.AmountAboveTotal;
        if (cumulativeAmount < DISTRIBUTOR.claimed(modelId, account)) return Fault.AmountBelowClaimed;
        if (cumulativeAmount < previousAmount) return Fault.AmountBelowPrevious;
        return Fault.None;
    }

    /// @inheritdoc IAttributionRegistry
    function modelReports(uint256 modelId) external view returns (ModelReports memory) {
        return _modelReports[modelId];
    }

    /// @inheritdoc IAttributionRegistry
    function pendingReport(uint256 modelId) external view returns (PendingReport memory) {
        return _pending[modelId];
    }

    /// @inheritdoc IAttributionRegistry
    function support(uint256 modelId, uint256 epoch, bytes32 reportHash) external view returns (uint256) {
        bytes32 roundKey = _roundKey(modelId, epoch, _modelReports[modelId].round, _config);
        return _popcount(_supporters[_supportKey(roundKey, reportHash)] & _activeIndexes);
    }

    /// @inheritdoc IAttributionRegistry
    function isBarred(bytes32 reportHash) external view returns (bool) {
        return _barred[reportHash];
    }

    /// @inheritdoc IAttributionRegistry
    function rewardDistributor() external view returns (address) {
        return address(DISTRIBUTOR);
    }

    /// @inheritdoc IAttributionRegistry
    function modelRegistry() external view returns (address) {
        return address(MODELS);
    }

    /// @inheritdoc IAttributionRegistry
    function contributionRegistry() external view returns (address) {
        return address(CONTRIBUTIONS);
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
        if (report.totalCumulative < state.totalCumulative) {
            revert CumulativeDecreased(report.totalCumulative, state.totalCumulative);
        }
        uint256 funded = DISTRIBUTOR.contributorPoolFunded(modelId, epoch);
        if (report.totalCumulative > funded) revert ExceedsFunding(report.totalCumulative, funded);
    }

    /// @dev Records the caller's submission of `report` (replacing its submission of
    /// `previousReportHash` unless that is 0) and makes the report pending when its active
    /// support reaches the threshold.
    function _submit(
        uint256 modelId,
        uint256 epoch,
        bytes32 previousReportHash,
        Report calldata report
    ) private returns (bytes32 reportHash) {
        Config memory config = _config;
        uint256 index = _requireActive(msg.sender, config);
        ModelReports memory state = _checkReportable(modelId, epoch, report);
        reportHash = _allowedHash(modelId, epoch, report);

        uint256 bitmap = _recordSupport(
            _roundKey(modelId, epoch, state.round, config),
            index,
            previousReportHash,
            reportHash
        );
        if (bitmap == 0) revert AlreadySubmitted(msg.sender, modelId, epoch);
        bitmap &= _activeIndexes;
        uint256 count = _popcount(bitmap);
        if (previousReportHash != bytes32(0)) {
            emit SubmissionReplaced(modelId, epoch, msg.sender, previousReportHash);
        }
        emit ReportSubmitted(modelId, epoch, msg.sender, reportHash, state.round, count, report);
        if (count >= config.threshold) {
            _makePending(modelId, epoch, reportHash, report, _attestersOf(bitmap), state, config);
        }
    }

    /// @dev Adds attester `index` to the supporters of `reportHash` in the round, moving it
    /// from `previousReportHash` (0 = first submission); returns the report's supporters bitmap,
    /// or 0 when the attester already submitted in the round.
    function _recordSupport(
        bytes32 roundKey,
        uint256 index,
        bytes32 previousReportHash,
        bytes32 reportHash
    ) private returns (uint256 supporters) {
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
        supporters = _supporters[supportKey] | bit;
        _supporters[supportKey] = supporters;
    }

    /// @dev Makes a checked report with enough support the model's pending report.
    function _makePending(
        uint256 modelId,
        uint256 epoch,
        bytes32 reportHash,
        Report calldata report,
        address[] memory supporters,
        ModelReports memory state,
        Config memory config
    ) private {
        uint256 challengeEndsAt = block.timestamp + config.challengeWindow;
        state.hasPending = true;
        state.pendingEpoch = epoch.toUint32();
        state.challengeEndsAt = uint40(challengeEndsAt);
        state.totalCumulative = uint96(report.totalCumulative); // checked by _checkReportable
        _modelReports[modelId] = state;
        _pending[modelId] = PendingReport(
            reportHash,
            report.cumulativeRoot,
            keccak256(abi.encode(supporters))
        );
        emit ReportPending(modelId, epoch, reportHash, challengeEndsAt, supporters, report);
    }

    /// @dev The model's state and the report's hash when `report` and `supporters` are those of
    /// its pending report and the challenge window is open.
    function _challengeable(
        uint256 modelId,
        Report calldata report,
        address[] calldata supporters
    ) private view returns (ModelReports memory state, bytes32 reportHash) {
        state = _modelReports[modelId];
        if (!state.hasPending) revert NoPendingReport(modelId);
        if (block.timestamp >= state.challengeEndsAt)
            revert ChallengeWindowOver(modelId, state.challengeEndsAt);
        reportHash = hashReport(modelId, state.pendingEpoch, report);
        PendingReport storage pending = _pending[modelId];
        if (reportHash != pending.reportHash || keccak256(abi.encode(supporters)) != pending.supportersHash) {
            revert NotPendingReport(modelId, reportHash);
        }
    }

    /// @dev Voids the pending report for a proven `fault` and slashes its supporters.
    function _void(
        uint256 modelId,
        ModelReports memory state,
        bytes32 reportHash,
        address[] calldata supporters,
        Fault fault
    ) private {
        if (fault == Fault.None) revert NoFault();
        _barred[reportHash] = true;
        uint256 nextRound = _reopen(modelId, state);
        (uint256 slashed, uint256 reward) = _slash(supporters, msg.sender, DISTRIBUTOR.treasury());
        emit ReportVoided(
            modelId,
            state.pendingEpoch,
            msg.sender,
            reportHash,
            fault,
            nextRound,
            slashed,
            reward
        );
    }

    /// @dev Clears the model's pending report (vetoed or voided) and opens the next round; the
    /// model's total goes back to its latest final report's.
    function _reopen(uint256 modelId, ModelReports memory state) private returns (uint256 nextRound) {
        (, uint256 finalTotal) = DISTRIBUTOR.claimRoot(modelId);
        state.hasPending = false;
        state.totalCumulative = uint96(finalTotal); // a total this registry published
        nextRound = ++state.round; // a uint16: 65,535 vetoes and voidings per model at most
        _modelReports[modelId] = state;
    }

    /// @dev Whether contribution `c` belongs to one of the model's datanet versions: accepted
    /// at or before the snapshot and not withdrawn before it. Loops over the model's versions
    /// (at most the ModelRegistry's MAX_TRAINED_ON).
    function _inModelVersion(
        uint256 modelId,
        IContributionRegistry.Contribution memory c
    ) private view returns (bool) {
        IModelRegistry.DatanetVersion[] memory versions = MODELS.trainedOn(modelId);
        for (uint256 i; i < versions.length; ++i) {
            if (versions[i].datanetId != c.datanetId) continue;
            uint256 snapshotAt = CONTRIBUTIONS
                .getVersion(versions[i].datanetId, versions[i].version)
                .timestamp;
            if (c.decidedAt <= snapshotAt && (c.withdrawnAt == 0 || c.withdrawnAt >= snapshotAt)) return true;
        }
        return false;
    }

    /// @dev The attester's index + 1; reverts unless it is active.
    function _requireActive(address attester, Config memory config) private view returns (uint256 index) {
        Attester memory a = _attesters[attester];
        if (a.index == 0) revert NotAttester(attester);
        if (a.bond < config.minBond) revert InactiveAttester(attester, a.bond, config.minBond);
        return a.index;
    }

    /// @dev The report's hash; reverts if it was vetoed or voided.
    function _allowedHash(
        uint256 modelId,
        uint256 epoch,
        Report calldata report
    ) private view returns (bytes32 h) {
        h = hashReport(modelId, epoch, report);
        if (_barred[h]) revert BarredReport(h);
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
}
