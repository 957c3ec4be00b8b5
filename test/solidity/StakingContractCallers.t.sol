// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IModelStaking} from "../../contracts/interfaces/IModelStaking.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {RewardsBase} from "./RewardsBase.sol";

/// @notice The staking paths called by a contract: this test contract is `msg.sender` while
/// `tx.origin` is forge's default sender, so code that used `tx.origin` where it means the
/// caller would pay or record the wrong account (the registry's are in
/// RegistryContractCallers.t.sol). Also the largest payment, and the claim proof verification
/// against the sorted-pair scheme.
contract StakingContractCallersTest is RewardsBase {
    function setUp() public {
        _deploySystem();
        token.approve(address(distributor), type(uint256).max);
        assertTrue(tx.origin != address(this));
    }

    function test_staking_fromAContract_paysAndRecordsTheContract() public {
        vm.expectEmit(address(distributor));
        emit IModelStaking.Staked(1, address(this), 100 ether);
        distributor.stake(1, 100 ether);
        assertEq(distributor.positionOf(1, address(this)).staked, 100 ether, "stake recorded for the caller");
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

    /// The distributor's proof verification accepts exactly the proofs of OpenZeppelin's
    /// sorted-pair scheme (the one StandardMerkleTree builds), and nothing else.
    function testFuzz_claimProof_matchesOpenZeppelin(
        bytes32[6] memory siblings,
        uint8 depth,
        uint8 flip
    ) public {
        depth = uint8(bound(depth, 0, 6));
        bytes32[] memory proof = new bytes32[](depth);
        for (uint256 i; i < depth; ++i) proof[i] = siblings[i];
        uint256 amount = 1 ether;
        bytes32 root = _processProof(proof, _leaf(1, carol(), amount));
        vm.prank(payer);
        distributor.payInference(1, 10 ether);
        _postRoot(1, root, amount);

        if (depth != 0 && flip % 2 == 1) {
            proof[flip % depth] = bytes32(uint256(proof[flip % depth]) ^ 1);
            assertTrue(_processProof(proof, _leaf(1, carol(), amount)) != root);
            vm.expectRevert(
                abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, 1, carol(), amount)
            );
            distributor.claim(1, carol(), amount, proof);
        } else {
            distributor.claim(1, carol(), amount, proof);
            assertEq(token.balanceOf(carol()), amount);
        }
    }

    /// @dev OpenZeppelin's MerkleProof.processProof, written out plainly (sorted pairs).
    function _processProof(bytes32[] memory proof, bytes32 leaf) internal pure returns (bytes32 node) {
        node = leaf;
        for (uint256 i; i < proof.length; ++i) {
            node =
                node < proof[i]
                    ? keccak256(abi.encodePacked(node, proof[i]))
                    : keccak256(abi.encodePacked(proof[i], node));
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
}
