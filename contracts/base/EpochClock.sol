// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IEpochClock} from "../interfaces/IEpochClock.sol";

/// @title EpochClock
/// @notice Epoch arithmetic shared by AttributionRegistry and RewardDistributor, which
/// are deployed with the same genesis and length (AttributionRegistry checks this).
abstract contract EpochClock is IEpochClock {
    uint256 private immutable GENESIS;
    uint256 private immutable EPOCH_LENGTH;

    constructor(uint256 genesis_, uint256 epochLength_) {
        if (epochLength_ == 0) revert ZeroEpochLength();
        GENESIS = genesis_;
        EPOCH_LENGTH = epochLength_;
    }

    /// @inheritdoc IEpochClock
    function genesis() public view returns (uint256) {
        return GENESIS;
    }

    /// @inheritdoc IEpochClock
    function epochLength() public view returns (uint256) {
        return EPOCH_LENGTH;
    }

    /// @inheritdoc IEpochClock
    function epochAt(uint256 timestamp) public view returns (uint256) {
        if (timestamp < GENESIS) revert BeforeGenesis(timestamp, GENESIS);
        return (timestamp - GENESIS) / EPOCH_LENGTH;
    }

    /// @inheritdoc IEpochClock
    function currentEpoch() public view returns (uint256) {
        return epochAt(block.timestamp);
    }

    /// @inheritdoc IEpochClock
    function epochEnd(uint256 epoch) public view returns (uint256) {
        return GENESIS + (epoch + 1) * EPOCH_LENGTH;
    }
}
