// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

/// @title OpenToken
/// @notice The OPEN-style token of the protocol: paid as inference fees, posted as
/// contribution bonds, staked on models and used to vote in governance.
/// @dev Fixed supply minted once to `recipient` in the constructor. There is no mint
/// function, no owner and no admin of any kind. Votes use a timestamp clock
/// (ERC-6372 `mode=timestamp`), so governance delays are expressed in seconds.
contract OpenToken is ERC20, ERC20Permit, ERC20Votes, ERC20Burnable {
    /// @notice The constructor was given the zero address as the supply recipient.
    error ZeroRecipient();
    /// @notice The constructor was given a zero initial supply.
    error ZeroSupply();
    /// @notice The supply exceeds `MAX_SUPPLY`.
    error SupplyTooLarge(uint256 supply, uint256 max);

    /// @notice Largest supply: the protocol packs token amounts (payments, pools, report
    /// totals) in 96 bits, so no amount of OPEN may exceed 2^96 − 1 wei (about 79 billion OPEN).
    uint256 public constant MAX_SUPPLY = type(uint96).max;

    /// @param name_ ERC-20 name, also the EIP-712 domain name used by permit.
    /// @param symbol_ ERC-20 symbol.
    /// @param supply The whole supply, in wei (18 decimals); minted once, never again.
    /// @param recipient Receives the whole supply.
    constructor(
        string memory name_,
        string memory symbol_,
        uint256 supply,
        address recipient
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (recipient == address(0)) revert ZeroRecipient();
        if (supply == 0) revert ZeroSupply();
        if (supply > MAX_SUPPLY) revert SupplyTooLarge(supply, MAX_SUPPLY);
        _mint(recipient, supply);
    }

    /// @notice Clock used for vote checkpoints: the block timestamp.
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @notice ERC-6372 description of the clock.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
