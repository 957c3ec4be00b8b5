// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IModelStaking
/// @notice Stake OPEN on a model to earn the stakers' share of its fees.
/// @dev A stake earns only for the time it is staked: the stakers' share of each payment
/// (and of each royalty settlement) is not credited at once but streamed to the stakers
/// linearly over `rewardsDuration()` seconds (Synthetix-style: a new amount is added to what
/// is still streaming and the whole rest streams over a fresh period). A stake held for a
/// fraction f of the period earns about f of its pro-rata share, so staking around a payment
/// earns almost nothing. While nobody stakes, the stream pauses (nothing is lost: it resumes
/// for the next stakers); a payment made while nobody stakes sends the stakers' share to the
/// contributor pool instead. The amounts added to the stream are in the payment's and the
/// royalty settlement's events (`stakersCut`); the stream then ends `rewardsDuration()` later.
///
/// Streamed rewards are credited through a reward-per-share accumulator scaled by 1e30
/// with the division remainder carried over, so every action is O(1) (withdrawals pop only
/// the caller's own unlocked tranches, each once). A position is either empty or at least
/// `MIN_STAKE`. Unstaking stops earning at once; each unstake starts its own cooldown
/// tranche (a later unstake never re-locks an earlier one) and tranches unlock in order.
/// New stakes are refused while the distributor is paused; unstaking, withdrawing and
/// claiming always work.
interface IModelStaking {
    /// @notice A staker's position on one model.
    /// @param staked Earning stake.
    /// @param unstaking Stake in cooldown tranches, not earning, not yet withdrawn.
    /// @param unlockAt When the most recent tranche unlocks or unlocked (0 if the account never
    /// unstaked); `unstaking` says whether any stake is still waiting.
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
    /// @notice The owner changed the unstaking cooldown.
    event CooldownUpdated(uint256 cooldown);

    /// @notice The amount was zero.
    error ZeroAmount();
    /// @notice A position would be left between 0 and `MIN_STAKE`.
    error StakeBelowMinimum(uint256 staked, uint256 minimum);
    /// @notice Unstaking more than is staked.
    error InsufficientStake(uint256 requested, uint256 staked);
    /// @notice No unstaked tranche has unlocked yet (`unlockAt` of the next one, 0 if none).
    error StakeLocked(uint256 unstaking, uint256 unlockAt);
    /// @notice No staking rewards to claim.
    error NoStakingRewards(uint256 modelId, address account);
    /// @notice The cooldown is outside [`MIN_COOLDOWN`, `MAX_COOLDOWN`].
    error InvalidCooldown(uint256 cooldown, uint256 min, uint256 max);

    /// @notice Stakes `amount` OPEN (pulled from the caller) on an active model. Not while paused.
    function stake(uint256 modelId, uint256 amount) external;

    /// @notice Moves `amount` of the caller's stake into a new cooldown tranche; it stops
    /// earning now and unlocks `cooldown()` later (never before an earlier tranche).
    function unstake(uint256 modelId, uint256 amount) external;

    /// @notice Withdraws every unlocked tranche of the caller, in order.
    function withdrawStake(uint256 modelId) external;

    /// @notice Pays the caller its staking rewards on the model.
    /// @return amount What was paid.
    function claimStakingRewards(uint256 modelId) external returns (uint256 amount);

    /// @notice Sets the unstaking cooldown (seconds, within the bounds). Owner only.
    function setCooldown(uint256 cooldown) external;

    /// @notice Smallest non-empty position.
    function MIN_STAKE() external view returns (uint256);

    /// @notice Shortest unstaking cooldown governance may set (never 0: stake, collect and
    /// leave in one transaction is impossible).
    function MIN_COOLDOWN() external view returns (uint256);

    /// @notice Longest unstaking cooldown governance may set.
    function MAX_COOLDOWN() external view returns (uint256);

    /// @notice A staker's position.
    function positionOf(uint256 modelId, address account) external view returns (Position memory);

    /// @notice Staking rewards `account` can claim on the model now (streamed up to now).
    function pendingStakingRewards(uint256 modelId, address account) external view returns (uint256);

    /// @notice Total earning stake on the model.
    function totalStaked(uint256 modelId) external view returns (uint256);

    /// @notice Rewards owed to the model's stakers and not yet paid out: still streaming,
    /// credited, and rounding remainders.
    function stakingRewardsHeld(uint256 modelId) external view returns (uint256);

    /// @notice Rewards of the model still to be streamed, and when the stream ends.
    function stakingStream(uint256 modelId) external view returns (uint256 remaining, uint256 endsAt);

    /// @notice Seconds over which the stakers' share of a payment is streamed.
    function rewardsDuration() external view returns (uint256);

    /// @notice Seconds between unstake and withdrawal.
    function cooldown() external view returns (uint256);
}
