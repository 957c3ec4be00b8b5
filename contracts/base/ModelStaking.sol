// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IModelStaking} from "../interfaces/IModelStaking.sol";

/// @title ModelStaking
/// @notice Staking of OPEN on models, with rewards streamed over time into a reward-per-share
/// accumulator (see IModelStaking).
/// @dev Inherited by RewardDistributor, which holds the tokens and adds to the stakers'
/// stream with `_rewardStakers`. Every action first releases what streamed since the last
/// action (`_release`), so stake changes only ever apply to rewards streamed after them.
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
    /// @inheritdoc IModelStaking
    uint256 public constant MIN_STAKE = 1e18;
    /// @inheritdoc IModelStaking
    uint256 public constant MIN_COOLDOWN = 1 hours;
    /// @inheritdoc IModelStaking
    uint256 public constant MAX_COOLDOWN = 90 days;

    /// @dev Per model, slot B: rewards per staked wei × PRECISION, and rewards credited to
    /// stakers and not yet paid.
    struct Accumulator {
        uint160 rewardPerShare;
        uint96 held;
    }

    /// @dev Per model, one slot, what a release reads and writes besides the accumulator:
    /// rewards still to be credited, released linearly from `updatedAt` to `endsAt`
    /// (remaining > 0 implies endsAt > updatedAt), and the division remainder (in reward ×
    /// PRECISION units, < the earning stake < 2^96) carried to the next credit. Times are
    /// uint32 seconds (until the year 2106).
    struct Stream {
        uint96 remaining;
        uint32 updatedAt;
        uint32 endsAt;
        uint96 carry;
    }

    /// @dev Per (model, account), one slot: earning stake and a signed reward debt such that
    /// pending rewards = floor(staked × rewardPerShare / PRECISION) − debt.
    struct Stake {
        uint128 staked;
        int128 debt;
    }

    /// @dev Per (model, account), one slot: the cooldown tranches `head`..`tail - 1`, their
    /// total and the unlock time of the last one (tranches unlock in order).
    struct Queue {
        uint32 head;
        uint32 tail;
        uint40 lastUnlockAt;
        uint128 total;
    }

    /// @dev One cooling tranche, one slot.
    struct Tranche {
        uint128 amount;
        uint40 unlockAt;
    }

    IERC20 private immutable STAKE_TOKEN;
    uint256 private immutable REWARDS_DURATION;
    uint256 private _cooldown;

    /// @dev Earning stake per model (< 2^96: it is OPEN).
    mapping(uint256 modelId => uint256) private _totalStaked;
    mapping(uint256 modelId => Accumulator) private _accumulators;
    mapping(uint256 modelId => Stream) private _streams;
    mapping(uint256 modelId => mapping(address account => Stake)) private _stakes;
    mapping(uint256 modelId => mapping(address account => Queue)) private _queues;
    mapping(uint256 modelId => mapping(address account => mapping(uint256 index => Tranche)))
        private _tranches;

    /// @param stakeToken The token staked and paid (OPEN).
    /// @param rewardsDuration_ Seconds over which the stakers' share is streamed (> 0).
    /// @param cooldown_ Unstaking cooldown, within [MIN_COOLDOWN, MAX_COOLDOWN].
    constructor(IERC20 stakeToken, uint256 rewardsDuration_, uint256 cooldown_) {
        STAKE_TOKEN = stakeToken;
        REWARDS_DURATION = rewardsDuration_;
        _setCooldown(cooldown_);
    }

    /// @inheritdoc IModelStaking
    function stake(uint256 modelId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        _beforeStake(modelId);
        _releaseAndStore(modelId);
        uint256 staked = _stakes[modelId][msg.sender].staked + amount;
        _updateStake(modelId, msg.sender, staked);
        _totalStaked[modelId] += amount;
        emit Staked(modelId, msg.sender, amount);
        STAKE_TOKEN.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @inheritdoc IModelStaking
    function unstake(uint256 modelId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        uint256 staked = _stakes[modelId][msg.sender].staked;
        if (amount > staked) revert InsufficientStake(amount, staked);
        _releaseAndStore(modelId);
        _updateStake(modelId, msg.sender, staked - amount);
        // amount ≤ staked ≤ totalStaked, so the subtraction cannot underflow.
        _totalStaked[modelId] -= amount;

        Queue memory queue = _queues[modelId][msg.sender];
        // Never before the previous tranche, so tranches unlock in order even if the cooldown
        // was shortened. block.timestamp + ≤ 90 days fits 40 bits for 34,000 years.
        uint40 unlockAt = uint40(Math.max(block.timestamp + _cooldown, queue.lastUnlockAt));
        // An emptied queue restarts at index 0, whose slot (never cleared) is cheap to rewrite.
        _tranches[modelId][msg.sender][queue.tail] = Tranche(uint128(amount), unlockAt);
        // amount ≤ the account's stake (a uint128); tail < 2^32 tranches in flight.
        _queues[modelId][msg.sender] = Queue(
            queue.head,
            queue.tail + 1,
            unlockAt,
            queue.total + uint128(amount)
        );
        emit UnstakeStarted(modelId, msg.sender, amount, unlockAt);
    }

    /// @inheritdoc IModelStaking
    function withdrawStake(uint256 modelId) external {
        Queue memory queue = _queues[modelId][msg.sender];
        mapping(uint256 => Tranche) storage tranches = _tranches[modelId][msg.sender];
        uint256 amount;
        uint32 head = queue.head;
        // Pops only the caller's own unlocked tranches, each once. Popped slots are left as
        // they are: the next unstakes rewrite them (cheaper than clearing and refilling).
        while (head < queue.tail) {
            Tranche memory t = tranches[head];
            if (t.unlockAt > block.timestamp) break;
            amount += t.amount;
            ++head;
        }
        if (amount == 0) {
            revert StakeLocked(queue.total, head < queue.tail ? tranches[head].unlockAt : 0);
        }
        // amount ≤ total. An emptied queue restarts at 0.
        (queue.head, queue.tail) = head == queue.tail ? (0, 0) : (head, queue.tail);
        queue.total -= uint128(amount);
        _queues[modelId][msg.sender] = queue;
        emit StakeWithdrawn(modelId, msg.sender, amount);
        STAKE_TOKEN.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IModelStaking
    function claimStakingRewards(uint256 modelId) external returns (uint256 amount) {
        _releaseAndStore(modelId);
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
        Queue memory queue = _queues[modelId][account];
        return Position(_stakes[modelId][account].staked, queue.total, queue.lastUnlockAt);
    }

    /// @inheritdoc IModelStaking
    function pendingStakingRewards(uint256 modelId, address account) public view returns (uint256) {
        uint256 total = _totalStaked[modelId];
        Stream memory stream = _streams[modelId];
        uint256 rewardPerShare = _accumulators[modelId].rewardPerShare;
        uint256 released = total == 0 ? 0 : _releasable(stream);
        if (released != 0) rewardPerShare += (released * PRECISION + stream.carry) / total;
        return _pending(_stakes[modelId][account], rewardPerShare);
    }

    /// @inheritdoc IModelStaking
    function totalStaked(uint256 modelId) external view returns (uint256) {
        return _totalStaked[modelId];
    }

    /// @inheritdoc IModelStaking
    function stakingRewardsHeld(uint256 modelId) external view returns (uint256) {
        return uint256(_accumulators[modelId].held) + _streams[modelId].remaining;
    }

    /// @inheritdoc IModelStaking
    function stakingStream(uint256 modelId) external view returns (uint256 remaining, uint256 endsAt) {
        Stream memory stream = _streams[modelId];
        return (stream.remaining, stream.endsAt);
    }

    /// @inheritdoc IModelStaking
    function rewardsDuration() external view returns (uint256) {
        return REWARDS_DURATION;
    }

    /// @inheritdoc IModelStaking
    function cooldown() external view returns (uint256) {
        return _cooldown;
    }

    /// @dev Adds `amount` to the model's stakers' stream. Returns false, adding nothing, when
    /// the model has no stake (the caller then sends the amount elsewhere).
    function _rewardStakers(uint256 modelId, uint256 amount) internal returns (bool) {
        uint256 total = _totalStaked[modelId];
        if (total == 0) return false;
        Stream memory stream = _release(modelId, total);
        // remaining + amount ≤ the OPEN supply (< 2^96). The payment's event carries the
        // amount; the stream now ends `REWARDS_DURATION` after it.
        stream.remaining = (stream.remaining + amount).toUint96();
        stream.updatedAt = uint32(block.timestamp);
        stream.endsAt = (block.timestamp + REWARDS_DURATION).toUint32();
        _streams[modelId] = stream;
        return true;
    }

    function _setCooldown(uint256 cooldown_) internal {
        if (cooldown_ < MIN_COOLDOWN || cooldown_ > MAX_COOLDOWN) {
            revert InvalidCooldown(cooldown_, MIN_COOLDOWN, MAX_COOLDOWN);
        }
        _cooldown = cooldown_;
        emit CooldownUpdated(cooldown_);
    }

    /// @dev Reverts unless new stake may be put on the model now.
    function _beforeStake(uint256 modelId) internal view virtual;

    /// @dev `_release` for actions that do not add to the stream: stores the stream when it moved.
    function _releaseAndStore(uint256 modelId) private {
        Stream memory stream = _streams[modelId];
        if (stream.remaining == 0 || stream.updatedAt == block.timestamp) return;
        _streams[modelId] = _release(modelId, _totalStaked[modelId]);
    }

    /// @dev Credits the stakers (earning stake `total`) with what streamed since the last
    /// update and returns the stream as it is now, for the caller to store. While nobody
    /// stakes, the stream pauses: its end moves later by the time nobody staked.
    function _release(uint256 modelId, uint256 total) private returns (Stream memory stream) {
        stream = _streams[modelId];
        if (stream.remaining == 0 || stream.updatedAt == block.timestamp) return stream;
        if (total == 0) {
            stream.endsAt = (stream.endsAt + block.timestamp - stream.updatedAt).toUint32();
        } else {
            uint256 released = _releasable(stream);
            uint256 scaled = released * PRECISION + stream.carry;
            Accumulator storage acc = _accumulators[modelId];
            acc.rewardPerShare += (scaled / total).toUint160();
            acc.held += uint96(released); // released ≤ remaining, a uint96
            stream.carry = uint96(scaled % total); // < total < 2^96
            stream.remaining -= uint96(released);
        }
        stream.updatedAt = uint32(block.timestamp);
    }

    /// @dev What `stream` releases between its last update and now (linear until its end).
    function _releasable(Stream memory stream) private view returns (uint256) {
        if (stream.remaining == 0 || stream.updatedAt >= block.timestamp) return 0;
        if (block.timestamp >= stream.endsAt) return stream.remaining;
        return
            Math.mulDiv(
                stream.remaining,
                block.timestamp - stream.updatedAt,
                stream.endsAt - stream.updatedAt
            );
    }

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
