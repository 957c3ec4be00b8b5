// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IGuarded} from "../interfaces/IGuarded.sol";
import {ProtocolOwned} from "./ProtocolOwned.sol";

/// @title Guarded
/// @notice Owner-appointed guardian with a pause switch (see IGuarded).
abstract contract Guarded is IGuarded, ProtocolOwned {
    /// @dev One slot: guardian 160 | paused 8.
    address private _guardian;
    bool private _paused;

    constructor(address guardian_) {
        _setGuardian(guardian_);
    }

    modifier onlyGuardian() {
        if (msg.sender != _guardian) revert NotGuardian(msg.sender);
        _;
    }

    modifier whenNotPaused() {
        _requireNotPaused();
        _;
    }

    /// @inheritdoc IGuarded
    function pause() external onlyGuardian {
        _paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IGuarded
    function unpause() external onlyGuardian {
        _paused = false;
        emit Unpaused(msg.sender);
    }

    /// @inheritdoc IGuarded
    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    /// @inheritdoc IGuarded
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IGuarded
    function guardian() public view returns (address) {
        return _guardian;
    }

    function _requireNotPaused() internal view {
        if (_paused) revert EnforcedPause();
    }

    function _setGuardian(address guardian_) private {
        if (guardian_ == address(0)) revert ZeroGuardian();
        _guardian = guardian_;
        emit GuardianUpdated(guardian_);
    }
}
