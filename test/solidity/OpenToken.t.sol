// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {OpenToken} from "../../contracts/OpenToken.sol";

contract OpenTokenFuzzTest is Test {
    uint256 internal constant SUPPLY = 1_000_000_000 ether;

    OpenToken internal token;
    address internal holder = makeAddr("holder");

    function setUp() public {
        token = new OpenToken("OpenLedger", "OPEN", SUPPLY, holder);
    }

    function testFuzz_transfersPreserveTotalSupply(
        address to,
        uint256 amount,
        address onward,
        uint256 back
    ) public {
        vm.assume(to != address(0) && onward != address(0));
        amount = bound(amount, 0, SUPPLY);
        vm.prank(holder);
        token.transfer(to, amount);
        back = bound(back, 0, token.balanceOf(to));
        vm.prank(to);
        token.transfer(onward, back);

        assertEq(token.totalSupply(), SUPPLY);
        uint256 counted = token.balanceOf(holder);
        if (to != holder) counted += token.balanceOf(to);
        if (onward != holder && onward != to) counted += token.balanceOf(onward);
        assertEq(counted, SUPPLY);
    }

    function testFuzz_transferAboveBalanceReverts(address from, uint256 amount) public {
        vm.assume(from != holder && from != address(0));
        amount = bound(amount, 1, type(uint256).max);
        vm.prank(from);
        vm.expectRevert();
        token.transfer(holder, amount);
        assertEq(token.totalSupply(), SUPPLY);
    }

    function testFuzz_burnLowersSupplyExactly(uint256 amount) public {
        amount = bound(amount, 0, SUPPLY);
        vm.prank(holder);
        token.burn(amount);
        assertEq(token.totalSupply(), SUPPLY - amount);
        assertEq(token.balanceOf(holder), SUPPLY - amount);
    }

    function testFuzz_delegatedVotesFollowBalances(address delegatee, uint256 amount, address to) public {
        vm.assume(delegatee != address(0) && to != address(0) && to != holder);
        amount = bound(amount, 0, SUPPLY);
        vm.prank(holder);
        token.delegate(delegatee);
        vm.prank(holder);
        token.transfer(to, amount);
        assertEq(token.getVotes(delegatee), SUPPLY - amount);
    }
}
