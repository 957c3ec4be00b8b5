// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IEpochClock
/// @notice Global, fixed-length attribution epochs: epoch `e` covers
/// `[genesis + e * epochLength, genesis + (e + 1) * epochLength)`.
interface IEpochClock {
    /// @notice The epoch length was zero.
    error ZeroEpochLength();
    /// @notice The timestamp is before the first epoch.
    error BeforeGenesis(uint256 timestamp, uint256 genesis);

    /// @notice Start of epoch 0 (unix seconds).
    function genesis() external view returns (uint256);

    /// @notice Length of every epoch in seconds.
    function epochLength() external view returns (uint256);

    /// @notice The epoch containing `timestamp`; reverts with `BeforeGenesis` before epoch 0.
    function epochAt(uint256 timestamp) external view returns (uint256);

    /// @notice The epoch containing the current block.
    function currentEpoch() external view returns (uint256);

    /// @notice First second after epoch `epoch` (the epoch is closed from then on).
    function epochEnd(uint256 epoch) external view returns (uint256);
}
