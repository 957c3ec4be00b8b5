// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IProtocolOwned
/// @notice A contract whose protocol settings belong to the governance timelock, through
/// OpenZeppelin's two-step `Ownable2Step`.
/// @dev Ownership can be handed over (two steps) but never renounced: a renounce would
/// leave the protocol's settings frozen for good.
interface IProtocolOwned {
    /// @notice `renounceOwnership` is disabled on protocol contracts.
    error RenounceDisabled();
}
