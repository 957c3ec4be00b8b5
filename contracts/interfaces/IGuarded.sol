// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IGuarded
/// @notice An emergency guardian that can pause a contract's new activity (never the exit of
/// funds already earned), set by the contract's owner (the governance timelock).
interface IGuarded {
    /// @notice The guardian paused new activity.
    event Paused(address guardian);
    /// @notice The guardian resumed new activity.
    event Unpaused(address guardian);
    /// @notice The owner changed the guardian.
    event GuardianUpdated(address guardian);

    /// @notice The action is paused.
    error EnforcedPause();
    /// @notice The caller is not the guardian.
    error NotGuardian(address caller);
    /// @notice The guardian cannot be the zero address.
    error ZeroGuardian();

    /// @notice Pauses new activity. Guardian only.
    function pause() external;

    /// @notice Resumes new activity. Guardian only.
    function unpause() external;

    /// @notice Replaces the guardian. Owner only.
    function setGuardian(address guardian) external;

    /// @notice Whether new activity is paused.
    function paused() external view returns (bool);

    /// @notice The guardian.
    function guardian() external view returns (address);
}
