// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContributionRegistry} from "../interfaces/IContributionRegistry.sol";

/// @title ContributorAccounts
/// @notice Per-account reputation counters and the signature nonce of the ContributionRegistry.
abstract contract ContributorAccounts is IContributionRegistry {
    /// @dev One slot: reputation counters (32 | 32 | 32 | 32 | slashed 96) and the
    /// signature nonce (32), so a signed contribution updates both in one write.
    struct Account {
        uint32 submitted;
        uint32 accepted;
        uint32 rejected;
        uint32 withdrawn;
        uint96 slashed;
        uint32 nonce;
    }

    mapping(address account => Account) private _accounts;

    /// @inheritdoc IContributionRegistry
    function reputation(address account) external view returns (Reputation memory) {
        Account storage a = _accounts[account];
        return Reputation(a.submitted, a.accepted, a.rejected, a.withdrawn, a.slashed);
    }

    /// @inheritdoc IContributionRegistry
    function nonces(address account) external view returns (uint256) {
        return _accounts[account].nonce;
    }

    /// @dev The account's counters and nonce, for reading and updating in place.
    function _account(address account) internal view returns (Account storage) {
        return _accounts[account];
    }
}
