// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {RewardsBase} from "./RewardsBase.sol";

contract AttributionRegistryFuzzTest is RewardsBase {
    function setUp() public {
        _deploySystem();
    }

    function test_setAttester_revertsPast256Attesters() public {
        vm.startPrank(gov);
        for (uint256 i = 3; i < 256; ++i) {
            attribution.setAttester(address(uint160(0x10000 + i)), true);
        }
        assertEq(attribution.attesterCount(), 256);
        vm.expectRevert(IAttributionRegistry.TooManyAttesters.selector);
        attribution.setAttester(address(0xBEEF), true);
        // A freed index is reused.
        attribution.setAttester(a3, false);
        attribution.setAttester(address(0xBEEF), true);
        vm.stopPrank();
        assertTrue(attribution.isAttester(address(0xBEEF)));
    }

    /// Epoch arithmetic matches its definition for any timestamp after genesis.
    function testFuzz_epochs(uint64 offset) public view {
        uint256 t = attribution.genesis() + offset;
        uint256 epoch = attribution.epochAt(t);
        assertEq(epoch, offset / EPOCH);
        assertLe(attribution.epochEnd(epoch) - EPOCH, t);
        assertGt(attribution.epochEnd(epoch), t);
    }

    /// Any report whose total exceeds the funded pool is rejected, naming both numbers.
    function testFuzz_submitReport_rejectsOverAllocation(uint96 paid, uint96 excess) public {
        vm.prank(payer);
        distributor.payInference(1, bound(paid, 1, 10_000_000 ether));
        uint256 funded = distributor.contributorPoolTotal(1);
        uint256 total = funded + bound(excess, 1, 1e24);
        uint256 epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        IAttributionRegistry.Report memory report = IAttributionRegistry.Report(
            bytes32(0),
            0,
            keccak256("root"),
            total,
            "u"
        );
        vm.expectRevert(abi.encodeWithSelector(IAttributionRegistry.ExceedsFunding.selector, total, funded));
        vm.prank(a1);
        attribution.submitReport(1, epoch, report);
    }
}
