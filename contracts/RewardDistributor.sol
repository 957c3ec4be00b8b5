// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {EpochClock} from "./base/EpochClock.sol";
import {Guarded} from "./base/Guarded.sol";
import {ModelStaking} from "./base/ModelStaking.sol";
import {IModelRegistry} from "./interfaces/IModelRegistry.sol";
import {IModelStaking} from "./interfaces/IModelStaking.sol";
import {IRewardDistributor} from "./interfaces/IRewardDistributor.sol";
import {MerkleLeaves} from "./libraries/MerkleLeaves.sol";

/// @title RewardDistributor
/// @notice Splits inference fees, holds contributor pools and pays cumulative Merkle claims;
/// stakers' rewards through ModelStaking.
contract RewardDistributor is IRewardDistributor, EpochClock, ModelStaking, Guarded {
    using SafeERC20 for IERC20;
    using Checkpoints for Checkpoints.Trace208;

    uint256 private constant MAX_BPS = 10_000;
    /// @notice Largest treasury share governance may set (20 %).
    uint256 public constant MAX_TREASURY_BPS = 2_000;
    /// @notice Largest owner + stakers share of the post-royalty rest (80 %): contributors
    /// always keep at least 20 %.
    uint256 public constant MAX_OWNER_AND_STAKERS_BPS = 8_000;
    /// @notice Largest single payment (fits every packed total).
    uint256 public constant MAX_PAYMENT = type(uint96).max;

    /// @dev Per model, one slot: total of the latest final report and total claimed from it.
    struct ClaimPool {
        uint128 reportTotal;
        uint128 claimedTotal;
    }

    /// @dev Why a claim cannot be paid (None = it can).
    enum ClaimFailure {
        None,
        NoFinalReport,
        InvalidProof,
        NothingToClaim
    }

    IERC20 private immutable TOKEN;
    IModelRegistry private immutable MODELS;
    address private immutable ATTRIBUTION;

    /// @dev The splits are three uint16 (not a struct) so that the compiler packs them into
    /// Guarded's slot (guardian 160 | paused 8 | treasury 16 | owner 16 | stakers 16): a
    /// payment reads the pause flag and the splits with one cold storage read.
    uint16 private _treasuryBps;
    uint16 private _ownerBps;
    uint16 private _stakersBps;
    address private _treasury;
    uint256 private _treasuryBalance;

    mapping(address account => uint256) private _balances;
    mapping(uint256 modelId => uint256) private _royalties;
    /// @dev Cumulative contributor-pool funding per model, keyed by epoch.
    mapping(uint256 modelId => Checkpoints.Trace208) private _funding;
    mapping(uint256 modelId => bytes32) private _roots;
    mapping(uint256 modelId => ClaimPool) private _claimPools;
    mapping(uint256 modelId => mapping(address account => uint256)) private _claimed;

    /// @param token_ The OPEN token.
    /// @param models The ModelRegistry.
    /// @param attribution The AttributionRegistry (deployed right after this contract).
    /// @param owner_ The governance timelock.
    /// @param treasury_ Receives the treasury share.
    /// @param guardian_ May pause payments.
    /// @param splits_ Initial splits, within the bounds.
    /// @param genesis_ Start of epoch 0; must equal the AttributionRegistry's.
    /// @param epochLength_ Epoch length in seconds; must equal the AttributionRegistry's.
    /// @param cooldown_ Unstaking cooldown in seconds.
    constructor(
        IERC20 token_,
        IModelRegistry models,
        address attribution,
        address owner_,
        address treasury_,
        address guardian_,
        Splits memory splits_,
        uint256 genesis_,
        uint256 epochLength_,
        uint256 cooldown_
    )
        EpochClock(genesis_, epochLength_)
        ModelStaking(token_, epochLength_, cooldown_)
        Ownable(owner_)
        Guarded(guardian_)
    {
        if (
            address(token_) == address(0) ||
            address(models) == address(0) ||
            attribution == address(0) ||
            treasury_ == address(0)
        ) revert ZeroAddress();
        TOKEN = token_;
        MODELS = models;
        ATTRIBUTION = attribution;
        _setSplits(splits_);
        _treasury = treasury_;
    }

    // ================================================================ payments

    /// @inheritdoc IRewardDistributor
    function payInference(uint256 modelId, uint256 amount) external whenNotPaused {
        _payInference(modelId, amount);
    }

    /// @inheritdoc IRewardDistributor
    function payInferenceWithPermit(
        uint256 modelId,
        uint256 amount,
        Permit calldata permit
    ) external whenNotPaused {
        // A permit that fails (e.g. front-run) must not block a payment it already allowed.
        try
            IERC20Permit(address(TOKEN)).permit(
                msg.sender,
                address(this),
                amount,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        {} catch {}
        _payInference(modelId, amount);
    }

    /// @inheritdoc IRewardDistributor
    function settleRoyalties(uint256 modelId) external {
        uint256 amount = _royalties[modelId];
        if (amount == 0) revert NothingToSettle(modelId);
        delete _royalties[modelId];
        IModelRegistry.Model memory model = MODELS.getModel(modelId);
        (uint256 ownerCut, uint256 stakersCut, uint256 contributorsCut) = _splitRest(
            modelId,
            model.owner,
            amount,
            splits(),
            currentEpoch()
        );
        emit RoyaltiesSettled(modelId, amount, ownerCut, stakersCut, contributorsCut);
    }

    // ================================================================ claims

    /// @inheritdoc IRewardDistributor
    function claim(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) external returns (uint256 paid) {
        ClaimFailure failure;
        (paid, failure) = _recordClaim(modelId, account, cumulativeAmount, proof);
        if (failure == ClaimFailure.NoFinalReport) revert NoFinalReport(modelId);
        if (failure == ClaimFailure.InvalidProof) revert InvalidProof(modelId, account, cumulativeAmount);
        if (failure == ClaimFailure.NothingToClaim) {
            revert NothingToClaim(modelId, account, cumulativeAmount, _claimed[modelId][account]);
        }
        TOKEN.safeTransfer(account, paid);
    }

    /// @inheritdoc IRewardDistributor
    function claimBatch(address account, ClaimItem[] calldata items) external returns (uint256 paid) {
        for (uint256 i; i < items.length; ++i) {
            ClaimItem calldata item = items[i];
            (uint256 amount, ClaimFailure failure) = _recordClaim(
                item.modelId,
                account,
                item.cumulativeAmount,
                item.proof
            );
            if (failure == ClaimFailure.NoFinalReport || failure == ClaimFailure.InvalidProof) {
                revert InvalidBatchItem(i, item.modelId);
            }
            paid += amount; // NothingToClaim items add 0: skipped
        }
        if (paid != 0) TOKEN.safeTransfer(account, paid);
    }

    /// @inheritdoc IRewardDistributor
    function setClaimRoot(uint256 modelId, uint256 epoch, bytes32 root, uint256 totalCumulative) external {
        if (msg.sender != ATTRIBUTION) revert NotAttributionRegistry(msg.sender);
        _roots[modelId] = root;
        // The AttributionRegistry only finalizes totals < 2^96 that never decrease.
        _claimPools[modelId].reportTotal = uint128(totalCumulative);
        emit ClaimRootUpdated(modelId, epoch, root, totalCumulative);
    }

    // ================================================================ balances

    /// @inheritdoc IRewardDistributor
    function withdraw() external returns (uint256 amount) {
        amount = _balances[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        delete _balances[msg.sender];
        emit BalanceWithdrawn(msg.sender, amount);
        TOKEN.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IRewardDistributor
    function withdrawTreasury() external returns (uint256 amount) {
        address treasury_ = _treasury;
        amount = _treasuryBalance;
        if (amount == 0) revert NothingToWithdraw(treasury_);
        delete _treasuryBalance;
        emit TreasuryWithdrawn(treasury_, amount);
        TOKEN.safeTransfer(treasury_, amount);
    }

    // ================================================================ guardian and owner

    /// @inheritdoc IRewardDistributor
    function setSplits(Splits calldata splits_) external onlyOwner {
        _setSplits(splits_);
    }

    /// @inheritdoc IRewardDistributor
    function setTreasury(address treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        _treasury = treasury_;
        emit TreasuryUpdated(treasury_);
    }

    /// @inheritdoc IModelStaking
    function setCooldown(uint256 cooldown_) external onlyOwner {
        _setCooldown(cooldown_);
    }

    // ================================================================ reads

    /// @inheritdoc IRewardDistributor
    function contributorPoolFunded(uint256 modelId, uint256 epoch) external view returns (uint256) {
        return
            _funding[modelId].upperLookupRecent(uint48(epoch > type(uint48).max ? type(uint48).max : epoch));
    }

    /// @inheritdoc IRewardDistributor
    function contributorPoolTotal(uint256 modelId) external view returns (uint256) {
        return _funding[modelId].latest();
    }

    /// @inheritdoc IRewardDistributor
    function claimRoot(uint256 modelId) external view returns (bytes32 root, uint256 totalCumulative) {
        return (_roots[modelId], _claimPools[modelId].reportTotal);
    }

    /// @inheritdoc IRewardDistributor
    function claimedTotal(uint256 modelId) external view returns (uint256) {
        return _claimPools[modelId].claimedTotal;
    }

    /// @inheritdoc IRewardDistributor
    function claimed(uint256 modelId, address account) external view returns (uint256) {
        return _claimed[modelId][account];
    }

    /// @inheritdoc IRewardDistributor
    function claimable(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount
    ) external view returns (uint256) {
        uint256 already = _claimed[modelId][account];
        return cumulativeAmount > already ? cumulativeAmount - already : 0;
    }

    /// @inheritdoc IRewardDistributor
    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    /// @inheritdoc IRewardDistributor
    function treasuryBalance() external view returns (uint256) {
        return _treasuryBalance;
    }

    /// @inheritdoc IRewardDistributor
    function royaltiesAccrued(uint256 modelId) external view returns (uint256) {
        return _royalties[modelId];
    }

    /// @inheritdoc IRewardDistributor
    function splits() public view returns (Splits memory) {
        return Splits(_treasuryBps, _ownerBps, _stakersBps);
    }

    /// @inheritdoc IRewardDistributor
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IRewardDistributor
    function token() external view returns (address) {
        return address(TOKEN);
    }

    /// @inheritdoc IRewardDistributor
    function attributionRegistry() external view returns (address) {
        return ATTRIBUTION;
    }

    /// @inheritdoc IRewardDistributor
    function modelRegistry() external view returns (address) {
        return address(MODELS);
    }

    // ================================================================ internal

    function _payInference(uint256 modelId, uint256 amount) private {
        if (amount == 0 || amount > MAX_PAYMENT) revert InvalidPaymentAmount(amount, MAX_PAYMENT);
        Splits memory s = splits();
        IModelRegistry.Model memory model = _activeModel(modelId);
        uint256 epoch = currentEpoch();

        uint256 treasuryCut = (amount * s.treasuryBps) / MAX_BPS;
        uint256 net = amount - treasuryCut;
        uint256 royalty;
        if (model.parentId != 0) {
            royalty = (net * model.royaltyBps) / MAX_BPS;
            if (royalty != 0) _accrueRoyalties(modelId, model.parentId, royalty);
        }
        (uint256 ownerCut, uint256 stakersCut, uint256 contributorsCut) = _splitRest(
            modelId,
            model.owner,
            net - royalty,
            s,
            epoch
        );
        _treasuryBalance += treasuryCut;
        emit InferencePaid(
            modelId,
            msg.sender,
            epoch,
            amount,
            treasuryCut,
            royalty,
            ownerCut,
            stakersCut,
            contributorsCut
        );
        TOKEN.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @dev Sends `amount` of `fromModelId`'s fees up its lineage starting at `parentId`:
    /// each ancestor keeps what it does not owe its own parent. Bounded by the lineage depth
    /// (≤ ModelRegistry.MAX_LINEAGE_DEPTH).
    function _accrueRoyalties(uint256 fromModelId, uint256 parentId, uint256 amount) private {
        uint256 current = parentId;
        while (true) {
            IModelRegistry.Model memory ancestor = MODELS.getModel(current);
            uint256 forwarded = ancestor.parentId == 0 ? 0 : (amount * ancestor.royaltyBps) / MAX_BPS;
            uint256 kept = amount - forwarded;
            _royalties[current] += kept;
            emit RoyaltyAccrued(current, fromModelId, kept);
            if (forwarded == 0) return;
            current = ancestor.parentId;
            amount = forwarded;
        }
    }

    /// @dev Splits `rest` into owner, stakers and contributor pool (which absorbs rounding).
    function _splitRest(
        uint256 modelId,
        address owner_,
        uint256 rest,
        Splits memory s,
        uint256 epoch
    ) private returns (uint256 ownerCut, uint256 stakersCut, uint256 contributorsCut) {
        ownerCut = (rest * s.ownerBps) / MAX_BPS;
        stakersCut = (rest * s.stakersBps) / MAX_BPS;
        if (stakersCut != 0 && !_rewardStakers(modelId, stakersCut)) stakersCut = 0; // no stake: to contributors
        contributorsCut = rest - ownerCut - stakersCut;
        if (ownerCut != 0) _balances[owner_] += ownerCut;
        if (contributorsCut != 0) {
            // Checkpoint keys are epochs, which only increase; amounts < 2^96 per payment.
            _funding[modelId].push(uint48(epoch), _funding[modelId].latest() + uint208(contributorsCut));
        }
    }

    /// @dev Checks and records a claim; returns the amount to pay, or why it cannot be paid.
    /// Reverts only when paying would exceed the report's total.
    function _recordClaim(
        uint256 modelId,
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) private returns (uint256 paid, ClaimFailure failure) {
        bytes32 root = _roots[modelId];
        if (root == bytes32(0)) return (0, ClaimFailure.NoFinalReport);
        bytes32 leaf = MerkleLeaves.leaf(bytes32(modelId), account, cumulativeAmount);
        if (!MerkleLeaves.verify(proof, root, leaf)) return (0, ClaimFailure.InvalidProof);
        uint256 already = _claimed[modelId][account];
        if (cumulativeAmount <= already) return (0, ClaimFailure.NothingToClaim);

        paid = cumulativeAmount - already;
        ClaimPool memory pool = _claimPools[modelId]; // read once, written once
        uint256 newClaimedTotal = pool.claimedTotal + paid;
        if (newClaimedTotal > pool.reportTotal)
            revert ClaimExceedsReport(modelId, newClaimedTotal, pool.reportTotal);
        _claimed[modelId][account] = cumulativeAmount;
        // ≤ reportTotal, a uint128
        _claimPools[modelId] = ClaimPool(pool.reportTotal, uint128(newClaimedTotal));
        emit Claimed(modelId, account, paid, cumulativeAmount);
    }

    /// @dev ModelRegistry.getModel reverts with `UnknownModel(modelId)`, the same error as ours.
    function _activeModel(uint256 modelId) private view returns (IModelRegistry.Model memory model) {
        model = MODELS.getModel(modelId);
        if (!model.active) revert InactiveModel(modelId);
    }

    /// @inheritdoc ModelStaking
    function _beforeStake(uint256 modelId) internal view override {
        _requireNotPaused();
        _activeModel(modelId);
    }

    function _setSplits(Splits memory s) private {
        if (
            s.treasuryBps > MAX_TREASURY_BPS || uint256(s.ownerBps) + s.stakersBps > MAX_OWNER_AND_STAKERS_BPS
        ) {
            revert InvalidSplits(s.treasuryBps, s.ownerBps, s.stakersBps);
        }
        (_treasuryBps, _ownerBps, _stakersBps) = (s.treasuryBps, s.ownerBps, s.stakersBps);
        emit SplitsUpdated(s);
    }
}
