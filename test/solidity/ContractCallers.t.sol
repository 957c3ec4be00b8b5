// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IContributionRegistry} from "../../contracts/interfaces/IContributionRegistry.sol";
import {IModelStaking} from "../../contracts/interfaces/IModelStaking.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {RewardsBase} from "./RewardsBase.sol";

/// @notice Every path that moves tokens or changes ownership, called by a contract: this test
/// contract is `msg.sender` while `tx.origin` is forge's default sender, so code that used
/// `tx.origin` where it means the caller would pay or record the wrong account. Also the
/// boundary cases that need cheatcodes (same-block re-submission, the largest payment) and the
/// claim proof verification against OpenZeppelin's.
contract ContractCallersTest is RewardsBase {
    uint256 internal datanetId;

    function setUp() public {
        _deploySystem();
        // The system's first datanet (id 1) is open, optimistic, quorum 1, no bond.
        datanetId = 1;
        token.approve(address(distributor), type(uint256).max);
        token.approve(address(contributions), type(uint256).max);
        assertTrue(tx.origin != address(this));
    }

    function test_staking_fromAContract_paysAndRecordsTheContract() public {
        distributor.stake(1, 100 ether);
        vm.prank(payer);
        distributor.payInference(1, 1_000 ether);
        vm.warp(block.timestamp + EPOCH);

        uint256 before = token.balanceOf(address(this));
        uint256 paid = distributor.claimStakingRewards(1);
        assertGt(paid, 0);
        assertEq(token.balanceOf(address(this)), before + paid, "rewards to the caller");
        assertEq(token.balanceOf(tx.origin), 0, "nothing to tx.origin");

        vm.expectEmit(address(distributor));
        emit IModelStaking.UnstakeStarted(1, address(this), 100 ether, block.timestamp + 1 days);
        distributor.unstake(1, 100 ether);
        vm.warp(block.timestamp + 1 days);
        before = token.balanceOf(address(this));
        distributor.withdrawStake(1);
        assertEq(token.balanceOf(address(this)), before + 100 ether, "stake back to the caller");
        assertEq(distributor.positionOf(1, address(this)).unstaking, 0);
    }

    function test_registry_fromAContract_recordsAndRefundsTheContract() public {
        uint256 bonded = _bondedDatanet();
        bytes32 id = contributions.contribute(bonded, keccak256("c"), "u", 5 ether);
        assertEq(contributions.getContribution(id).contributor, address(this));
        contributions.withdraw(id); // pending: the bond stays until the window ends
        vm.warp(block.timestamp + 1 days);
        uint256 before = token.balanceOf(address(this));
        contributions.finalize(id);
        assertEq(token.balanceOf(address(this)), before + 5 ether, "bond back to the contributor");
        assertEq(contributions.reputation(address(this)).withdrawn, 1);
        assertEq(contributions.reputation(tx.origin).withdrawn, 0);
    }

    function test_datanetOwnership_fromContracts_namesTheContracts() public {
        uint256 mine = contributions.createDatanet("ipfs://mine", _settings(0));
        Receiver receiver = new Receiver();
        vm.expectEmit(address(contributions));
        emit IContributionRegistry.DatanetOwnershipTransferStarted(mine, address(this), address(receiver));
        contributions.transferDatanetOwnership(mine, address(receiver));
        vm.expectEmit(address(contributions));
        emit IContributionRegistry.DatanetOwnershipTransferred(mine, address(this), address(receiver));
        receiver.acceptDatanet(contributions, mine);
        (address owner, address pending, , , , ) = contributions.getDatanet(mine);
        assertEq(owner, address(receiver));
        assertEq(pending, address(0));
    }

    /// A re-submission in the same second as the previous submission would share its
    /// reviewers' marks: it is refused until a later block.
    function test_resubmission_inTheSameSecond_reverts() public {
        address reviewer = makeAddr("reviewer");
        contributions.setReviewer(datanetId, reviewer, true);
        bytes32 id = contributions.contribute(datanetId, keccak256("x"), "u", 0);
        vm.prank(reviewer);
        contributions.review(id, false);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IContributionRegistry.ResubmittedTooSoon.selector, id));
        contributions.contribute(datanetId, keccak256("x"), "u", 0);
        vm.warp(block.timestamp + 1);
        vm.prank(alice);
        contributions.contribute(datanetId, keccak256("x"), "u", 0);
        assertFalse(contributions.hasReviewed(id, reviewer));
    }

    function test_payInference_takesExactlyMaxPayment() public {
        uint256 max = distributor.MAX_PAYMENT();
        deal(address(token), payer, max);
        vm.prank(payer);
        distributor.payInference(1, max);
        assertEq(token.balanceOf(address(distributor)), max);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardDistributor.InvalidPaymentAmount.selector, max + 1, max)
        );
        vm.prank(payer);
        distributor.payInference(1, max + 1);
    }

    /// The distributor's proof verification accepts exactly what OpenZeppelin's accepts.
    function testFuzz_claimProof_matchesOpenZeppelin(
        bytes32[6] memory siblings,
        uint8 depth,
        uint8 flip
    ) public {
        depth = uint8(bound(depth, 0, 6));
        bytes32[] memory proof = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) proof[i] = siblings[i];
        uint256 amount = 1 ether;
        bytes32 root = MerkleProof.processProof(proof, _leaf(1, carol(), amount));
        vm.prank(payer);
        distributor.payInference(1, 10 ether);
        _postRoot(1, root, amount);

        if (depth != 0 && flip % 2 == 1) {
            proof[flip % depth] = bytes32(uint256(proof[flip % depth]) ^ 1);
            assertFalse(MerkleProof.verify(proof, root, _leaf(1, carol(), amount)));
            vm.expectRevert(
                abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, 1, carol(), amount)
            );
            distributor.claim(1, carol(), amount, proof);
        } else {
            distributor.claim(1, carol(), amount, proof);
            assertEq(token.balanceOf(carol()), amount);
        }
    }

    function carol() internal pure returns (address) {
        return address(0xCA201);
    }

    function _postRoot(uint256 modelId, bytes32 root, uint256 total) internal {
        uint256 epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        vm.prank(a1);
        attribution.submitReport(modelId, epoch, _report(root, total));
        vm.prank(a2);
        attribution.submitReport(modelId, epoch, _report(root, total));
        vm.warp(block.timestamp + WINDOW);
        attribution.finalizeReport(modelId);
    }

    function _report(bytes32 root, uint256 total) internal pure returns (IAttributionRegistry.Report memory) {
        return IAttributionRegistry.Report(keccak256("weights"), 1, root, total, "ipfs://r");
    }

    function _bondedDatanet() internal returns (uint256 id) {
        id = contributions.createDatanet("ipfs://bonded", _settings(5 ether));
    }

    function _settings(uint96 bond) internal pure returns (IContributionRegistry.DatanetSettings memory) {
        return
            IContributionRegistry.DatanetSettings({
                kind: IContributionRegistry.DatanetKind.Dataset,
                open: true,
                optimistic: true,
                reviewQuorum: 1,
                reviewWindow: 1 days,
                dailyLimit: 0,
                bond: bond,
                commitRevealOnly: false
            });
    }
}

/// @dev A contract that accepts a datanet's ownership.
contract Receiver {
    function acceptDatanet(IContributionRegistry registry, uint256 datanetId) external {
        registry.acceptDatanetOwnership(datanetId);
    }
}
