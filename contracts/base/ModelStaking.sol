// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IModelStaking} from "../interfaces/IModelStaking.sol";

/// @title ModelStaking
/// @notice Staking of OPEN on models with a reward-per-share accumulator (see IModelStaking).
/// @dev Inherited by RewardDistributor, which holds the tokens and credits stakers with
/// `_rewardStakers`. Every action is O(1).
///
/// Rounding always favours the pool: a position's pending rewards are
/// floor(staked × rewardPerShare / PRECISION) − debt, and every time the debt is reset (stake,
/// unstake, claim) it is set from the same product rounded up. A position therefore never
/// accrues more than its exact share since its last reset, so the rewards owed to all stakers
/// never exceed `held` (a position may lose at most 1 wei per action; that wei stays in `held`).
abstract contract ModelStaking is IModelStaking {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using SafeCast for int256;

    /// @dev Accumulator scale: rewards per staked wei are tracked in units of 1e-30 OPEN.
    uint256 private constant PRECISION = 1e30;
    /// @notice Smallest non-empty position (1 OPEN), which bounds the accumulator's growth.
    uint256 public constant MIN_STAKE = 1e18;
    /// @notice Longest unstaking cooldown governance may set.
    uint256 public constant MAX_COOLDOWN = 90 days;

    /// @dev Per model, slot A: earning stake and the division remainder (in reward × PRECISION
    /// units) carried to the next distribution.
    struct StakePool {
        uint128 totalStaked;
        uint128 carry;
    }

    /// @dev Per model, slot B: rewards per staked wei × PRECISION, and rewards credited to
    /// stakers and not yet paid.
    struct Accumulator {
        uint160 rewardPerShare;
        uint96 held;
    }

    /// @dev Per (model, account), one slot: earning stake and a signed reward debt such that
    /// pending rewards = floor(staked × rewardPerShare / PRECISION) − debt.
    struct Stake {
        uint128 staked;
        int128 debt;
    }

    /// @dev Per (model, account), one slot: tokens in cooldown and when they unlock.
    struct Unstaking {
        uint128 amount;
        uint40 unlockAt;
    }

    IERC20 private immutable STAKE_TOKEN;
    uint256 private _cooldown;

    mapping(uint256 modelId => StakePool) private _stakePools;
    mapping(uint256 modelId => Accumulator) private _accumulators;
    mapping(uint256 modelId => mapping(address account => Stake)) private _stakes;
    mapping(uint256 modelId => mapping(address account => Unstaking)) private _unstaking;

    constructor(IERC20 stakeToken, uint256 cooldown_) {
        STAKE_TOKEN = stakeToken;
        _setCooldown(cooldown_);
    }

    /// @inheritdoc IModelStaking
    function stake(uint256 modelId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        _requireStakeableModel(modelId);
        uint256 staked = _stakes[modelId][msg.sender].staked + amount;
        _updateStake(modelId, msg.sender, staked);
        _stakePools[modelId].totalStaked += amount.toUint128();
        emit Staked(modelId, msg.sender, amount);
        STAKE_TOKEN.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IModelStaking
    function unstake(uint256 modelId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 staked = _stakes[modelId][msg.sender].staked;
        if (amount > staked) revert InsufficientStake(amount, staked);
        _updateStake(modelId, msg.sender, staked - amount);
        // amount ≤ staked ≤ totalStaked, so the subtraction cannot underflow.
        _stakePools[modelId].totalStaked -= uint128(amount);

        Unstaking storage u = _unstaking[modelId][msg.sender];
        uint256 unlockAt = block.timestamp + _cooldown;
        u.amount += uint128(amount); // ≤ the account's total stake, a uint128
        u.unlockAt = uint40(unlockAt); // block.timestamp + ≤ 90 days fits 40 bits for 34,000 years
        emit UnstakeStarted(modelId, msg.sender, amount, unlockAt);
    }

    /// @inheritdoc IModelStaking
    function withdrawStake(uint256 modelId) external {
        Unstaking memory u = _unstaking[modelId][msg.sender];
        if (u.amount == 0 || block.timestamp < u.unlockAt) revert StakeLocked(u.amount, u.unlockAt);
        delete _unstaking[modelId][msg.sender];
        emit StakeWithdrawn(modelId, msg.sender, u.amount);
        STAKE_TOKEN.safeTransfer(msg.sender, u.amount);
    }

    /// @inheritdoc IModelStaking
    function claimStakingRewards(uint256 modelId) external returns (uint256 amount) {
        Stake storage s = _stakes[modelId][msg.sender];
        uint256 rewardPerShare = _accumulators[modelId].rewardPerShare;
        amount = _pending(s, rewardPerShare);
        if (amount == 0) revert NoStakingRewards(modelId, msg.sender);
        s.debt = _accrued(s.staked, rewardPerShare, Math.Rounding.Ceil).toInt256().toInt128();
        // amount ≤ held: rewards pending for all stakers never exceed what was credited.
        _accumulators[modelId].held -= uint96(amount);
        emit StakingRewardsClaimed(modelId, msg.sender, amount);
        STAKE_TOKEN.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IModelStaking
    function positionOf(uint256 modelId, address account) external view returns (Position memory) {
        Unstaking memory u = _unstaking[modelId][account];
        return Position(_stakes[modelId][account].staked, u.amount, u.unlockAt);
    }

    /// @inheritdoc IModelStaking
    function pendingStakingRewards(uint256 modelId, address account) public view returns (uint256) {
        return _pending(_stakes[modelId][account], _accumulators[modelId].rewardPerShare);
    }

    /// @inheritdoc IModelStaking
    function totalStaked(uint256 modelId) external view returns (uint256) {
        return _stakePools[modelId].totalStaked;
    }

    /// @inheritdoc IModelStaking
    function stakingRewardsHeld(uint256 modelId) external view returns (uint256) {
        return _accumulators[modelId].held;
    }

    /// @inheritdoc IModelStaking
    function cooldown() external view returns (uint256) {
        return _cooldown;
    }

    /// @dev Credits `amount` to the model's stakers. Returns false, crediting nothing, when
    /// the model has no stake (the caller then sends the amount elsewhere).
    function _rewardStakers(uint256 modelId, uint256 amount) internal returns (bool) {
        StakePool storage pool = _stakePools[modelId];
        uint256 total = pool.totalStaked;
        if (total == 0) return false;
        uint256 scaled = amount * PRECISION + pool.carry;
        Accumulator storage acc = _accumulators[modelId];
        acc.rewardPerShare += (scaled / total).toUint160();
        acc.held += amount.toUint96();
        pool.carry = uint128(scaled % total); // < total, a uint128
        return true;
    }

    function _setCooldown(uint256 cooldown_) internal {
        if (cooldown_ > MAX_COOLDOWN) revert CooldownTooLong(cooldown_, MAX_COOLDOWN);
        _cooldown = cooldown_;
        emit CooldownUpdated(cooldown_);
    }

    /// @dev Reverts unless new stake may be put on the model.
    function _requireStakeableModel(uint256 modelId) internal view virtual;

    /// @dev Sets the account's earning stake to `newStaked`, keeping its pending rewards.
    function _updateStake(uint256 modelId, address account, uint256 newStaked) private {
        if (newStaked != 0 && newStaked < MIN_STAKE) revert StakeBelowMinimum(newStaked, MIN_STAKE);
        Stake storage s = _stakes[modelId][account];
        uint256 rewardPerShare = _accumulators[modelId].rewardPerShare;
        int256 pending = _pending(s, rewardPerShare).toInt256();
        s.staked = newStaked.toUint128();
        s.debt = (_accrued(newStaked, rewardPerShare, Math.Rounding.Ceil).toInt256() - pending).toInt128();
    }

    /// @dev Rewards the position can claim now (never negative: a reset rounded up may leave it at −1 wei).
    function _pending(Stake storage s, uint256 rewardPerShare) private view returns (uint256) {
        int256 pending = _accrued(s.staked, rewardPerShare, Math.Rounding.Floor).toInt256() - s.debt;
        return pending > 0 ? uint256(pending) : 0;
    }

    function _accrued(
        uint256 staked,
        uint256 rewardPerShare,
        Math.Rounding rounding
    ) private pure returns (uint256) {
        return Math.mulDiv(staked, rewardPerShare, PRECISION, rounding);
    }
}
