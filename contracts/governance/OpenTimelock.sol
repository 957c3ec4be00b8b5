// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title OpenTimelock
/// @notice The protocol's admin: every protocol-level parameter and role is held by
/// this timelock, which only executes operations proposed by the OpenGovernor after
/// `minDelay` seconds.
/// @dev Plain OpenZeppelin TimelockController. Deployment wiring (scripts/): the
/// governor gets PROPOSER and CANCELLER, EXECUTOR is open to anyone (address(0)), and
/// the temporary `admin` given here renounces DEFAULT_ADMIN_ROLE once roles are set, so
/// the timelock administers itself.
contract OpenTimelock is TimelockController {
    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {}
}
