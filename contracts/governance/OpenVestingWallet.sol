// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";

/// @title OpenVestingWallet
/// @notice OpenZeppelin's VestingWallet, deployed by the deploy script for allocations of the
/// initial supply that vest (team, investors): the OPEN it holds is released to `beneficiary`
/// linearly from `start` over `duration` seconds. OPEN held here does not vote.
contract OpenVestingWallet is VestingWallet {
    /// @param beneficiary Receives the released OPEN (and owns the wallet).
    /// @param start Unix time when vesting starts.
    /// @param duration Seconds over which everything vests.
    constructor(
        address beneficiary,
        uint64 start,
        uint64 duration
    ) VestingWallet(beneficiary, start, duration) {}
}
