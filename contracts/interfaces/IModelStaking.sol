// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IModelStaking
/// @notice Stake OPEN on a model to earn the stakers' share of its fees.
/// @dev Rewards use a reward-per-share accumulator scaled by `PRECISION` with the
/// division remainder carried to the next distribution, so every action is O(1) and no
/// reward is lost to rounding beyond what is still held for stakers. A position is either
/// empty or at least `MIN_STAKE`. Unstaking stops earning at once and the tokens can be
/// withdrawn after the cooldown. When a model has no stake, its stakers' share goes to its
/// contributor pool.
interface IModelStaking {
    /// @notice A staker's position on one model.
    /// @param staked Earning stake.
    /// @param unstaking Stake waiting for its cooldown, not earning.
    /// @param unlockAt When `unstaking` can be withdrawn.
    struct Position {
        uint256 staked;
        uint256 unstaking;
        uint256 unlockAt;
    }

    /// @notice `account` staked `amount` on the model.
    event Staked(uint256 indexed modelId, address indexed account, uint256 amount);
    /// @notice `account` started unstaking `amount`, withdrawable at `unlockAt`.
    event UnstakeStarted(uint256 indexed modelId, address indexed account, uint256 amount, uint256 unlockAt);
    /// @notice `account` withdrew `amount` of stake after the cooldown.
    event StakeWithdrawn(uint256 indexed modelId, address indexed account, uint256 amount);
    /// @notice `account` was paid `amount` of staking rewards.
    event StakingRewardsClaimed(uint256 indexed modelId, address indexed account, uint256 amount);
    /// @notice The stakers of a model were credited `amount`.
    event StakersRewarded(uint256 indexed modelId, uint256 amount);
    /// @notice The owner changed the unstaking cooldown.
    event CooldownUpdated(uint256 cooldown);

    /// @notice The amount was zero.
    error ZeroAmount();
    /// @notice A position would be left between 0 and `MIN_STAKE`.
    error StakeBelowMinimum(uint256 staked, uint256 minimum);
    /// @notice Unstaking more than is staked.
    error InsufficientStake(uint256 requested, uint256 staked);
    /// @notice Nothing is unstaking, or the cooldown is not over.
    error StakeLocked(uint256 unstaking, uint256 unlockAt);
    /// @notice No staking rewards to claim.
    error NoStakingRewards(uint256 modelId, address account);
    /// @notice The cooldown exceeds `MAX_COOLDOWN`.
    error CooldownTooLong(uint256 cooldown, uint256 max);

    /// @notice Stakes `amount` OPEN (pulled from the caller) on an active model.
    function stake(uint256 modelId, uint256 amount) external;

    /// @notice Moves `amount` of the caller's stake into cooldown; it stops earning now.
    /// A later unstake restarts the cooldown for the whole unstaking amount.
    function unstake(uint256 modelId, uint256 amount) external;

    /// @notice Withdraws the caller's unstaked tokens once the cooldown is over.
    function withdrawStake(uint256 modelId) external;

    /// @notice Pays the caller its staking rewards on the model.
    /// @return amount What was paid.
    function claimStakingRewards(uint256 modelId) external returns (uint256 amount);

    /// @notice Sets the unstaking cooldown (seconds). Owner only.
    function setCooldown(uint256 cooldown) external;

    /// @notice A staker's position.
    function positionOf(uint256 modelId, address account) external view returns (Position memory);

    /// @notice Staking rewards `account` can claim on the model now.
    function pendingStakingRewards(uint256 modelId, address account) external view returns (uint256);

    /// @notice Total earning stake on the model.
    function totalStaked(uint256 modelId) external view returns (uint256);

    /// @notice Rewards credited to the model's stakers and not yet paid out (includes rounding remainders).
    function stakingRewardsHeld(uint256 modelId) external view returns (uint256);

    /// @notice Seconds between unstake and withdrawal.
    function cooldown() external view returns (uint256);
}
