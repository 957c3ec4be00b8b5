// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IContributionRegistry} from "../../contracts/interfaces/IContributionRegistry.sol";
import {RegistryBase} from "./ContributionRegistry.t.sol";

/// @notice The registry's token and ownership paths called by a contract: this test contract is
/// `msg.sender` while `tx.origin` is forge's default sender, so code that used `tx.origin` where
/// it means the caller would refund or name the wrong account. Also the same-second
/// re-submission, which needs the cheatcodes' control of time.
contract RegistryContractCallersTest is RegistryBase {
    address internal alice = makeAddr("alice");

    function setUp() public {
        _deploy();
        token.approve(address(registry), type(uint256).max);
        _fund(alice, 1_000 ether);
        assertTrue(tx.origin != address(this));
    }

    function test_contributeAndWithdraw_fromAContract_recordAndRefundTheContract() public {
        uint256 bonded = registry.createDatanet("ipfs://bonded", _settings(5 ether, 1));
        bytes32 id = registry.contribute(bonded, keccak256("c"), "u", 5 ether);
        assertEq(registry.getContribution(id).contributor, address(this));
        registry.withdraw(id); // pending: the bond stays until the window ends
        vm.warp(block.timestamp + 1 days);
        uint256 before = token.balanceOf(address(this));
        registry.finalize(id);
        assertEq(token.balanceOf(address(this)), before + 5 ether, "bond back to the contributor");
        assertEq(registry.reputation(address(this)).withdrawn, 1);
        assertEq(registry.reputation(tx.origin).withdrawn, 0);
    }

    function test_datanetOwnership_fromContracts_namesTheContracts() public {
        uint256 mine = registry.createDatanet("ipfs://mine", _settings(0, 1));
        Receiver receiver = new Receiver();
        vm.expectEmit(address(registry));
        emit IContributionRegistry.DatanetOwnershipTransferStarted(mine, address(this), address(receiver));
        registry.transferDatanetOwnership(mine, address(receiver));
        vm.expectEmit(address(registry));
        emit IContributionRegistry.DatanetOwnershipTransferred(mine, address(this), address(receiver));
        receiver.acceptDatanet(registry, mine);
        (address owner, address pending, , , , ) = registry.getDatanet(mine);
        assertEq(owner, address(receiver));
        assertEq(pending, address(0));
    }

    /// A re-submission in the same second as the previous submission would share its
    /// reviewers' marks: it is refused until a later block.
    function test_resubmission_inTheSameSecond_reverts() public {
        uint256 datanetId = registry.createDatanet("ipfs://quick", _settings(0, 1));
        address reviewer = makeAddr("reviewer");
        registry.setReviewer(datanetId, reviewer, true);
        bytes32 id = registry.contribute(datanetId, keccak256("x"), "u", 0);
        vm.prank(reviewer);
        registry.review(id, false);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IContributionRegistry.ResubmittedTooSoon.selector, id));
        registry.contribute(datanetId, keccak256("x"), "u", 0);
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        registry.contribute(datanetId, keccak256("x"), "u", 0);
        assertFalse(registry.hasReviewed(id, reviewer));
    }
}

/// @dev A contract that accepts a datanet's ownership.
contract Receiver {
    function acceptDatanet(IContributionRegistry registry, uint256 datanetId) external {
        registry.acceptDatanetOwnership(datanetId);
    }
}
