// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

import {IProtocolOwned} from "../interfaces/IProtocolOwned.sol";

/// @title ProtocolOwned
/// @notice `Ownable2Step` without `renounceOwnership` (see IProtocolOwned).
abstract contract ProtocolOwned is IProtocolOwned, Ownable2Step {
    /// @notice Always reverts with `RenounceDisabled`: the protocol must keep an owner.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }
}
