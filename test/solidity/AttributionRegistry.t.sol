// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {AttributionRegistry} from "../../contracts/AttributionRegistry.sol";
import {IAttesters} from "../../contracts/interfaces/IAttesters.sol";
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
        vm.expectRevert(IAttesters.TooManyAttesters.selector);
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

    /// A rewards leaf above the declared total voids the report and slashes both supporters:
    /// the challenger's share to the challenger, the rest to the treasury.
    function testFuzz_challengeReward_leafAboveTotal_slashes(uint96 paid, address challenger) public {
        vm.assume(challenger != address(0) && challenger != treasury && challenger != address(attribution));
        vm.prank(payer);
        distributor.payInference(1, bound(paid, 1_000, 10_000_000 ether));
        uint256 pool = distributor.contributorPoolTotal(1);
        (address u1, address u2) = (makeAddr("u1"), makeAddr("u2"));
        uint256 epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        // Declares `pool` but gives u1 pool + 1: the leaves sum to more than the total.
        IAttributionRegistry.Report memory report = IAttributionRegistry.Report(
            keccak256("weights"),
            1,
            _root(_leaf(1, u1, pool + 1), _leaf(1, u2, 0)),
            pool,
            "ipfs://bad"
        );
        vm.prank(a1);
        attribution.submitReport(1, epoch, report);
        vm.prank(a2);
        attribution.submitReport(1, epoch, report);

        IAttributionRegistry.RewardEvidence memory evidence;
        evidence.account = u1;
        evidence.cumulativeAmount = pool + 1;
        evidence.proof = _proof(_leaf(1, u2, 0));
        address[] memory supporters = new address[](2);
        (supporters[0], supporters[1]) = (a1, a2);
        uint256[2] memory before = [token.balanceOf(treasury), token.balanceOf(challenger)];
        vm.prank(challenger);
        IAttributionRegistry.Fault fault = attribution.challengeReward(1, report, supporters, evidence);

        assertEq(uint8(fault), uint8(IAttributionRegistry.Fault.AmountAboveTotal));
        uint256 slashedEach = (MIN_BOND * SLASH_BPS) / 10_000;
        uint256 reward = (2 * slashedEach * CHALLENGER_BPS) / 10_000;
        assertEq(token.balanceOf(challenger) - before[1], reward);
        assertEq(token.balanceOf(treasury) - before[0], 2 * slashedEach - reward);
        assertEq(attribution.attesterInfo(a1).bond, MIN_BOND - slashedEach);
        assertFalse(attribution.isActiveAttester(a1));
        assertTrue(attribution.isActiveAttester(a3));
        assertFalse(attribution.modelReports(1).hasPending);
        assertTrue(attribution.isBarred(attribution.hashReport(1, epoch, report)));
    }

    /// A contract attester (a multisig, ERC-1271) and an account sign; anyone submits both in one
    /// transaction. A contract signature its owner did not make does not count.
    function test_submitAttestedReport_contractAndAccountSigners() public {
        (address signer, uint256 signerKey) = makeAddrAndKey("signer");
        (, uint256 ownerKey) = makeAddrAndKey("wallet owner");
        ContractAttester wallet = new ContractAttester(vm.addr(ownerKey));
        vm.startPrank(gov);
        attribution.setAttester(signer, true);
        attribution.setAttester(address(wallet), true);
        vm.stopPrank();
        _bond(signer, MIN_BOND);
        token.transfer(address(wallet), MIN_BOND);
        wallet.bond(attribution, token, MIN_BOND);

        uint256 epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        IAttributionRegistry.Report memory report = IAttributionRegistry.Report(
            keccak256("w"),
            1,
            keccak256("c"),
            0,
            "u"
        );
        bytes32 digest = attribution.attestationDigest(1, epoch, 0, attribution.hashReport(1, epoch, report));
        IAttributionRegistry.Attestation[] memory list = new IAttributionRegistry.Attestation[](2);
        bool walletFirst = address(wallet) < signer;
        list[walletFirst ? 0 : 1] = IAttributionRegistry.Attestation(
            address(wallet),
            _sign(signerKey, digest)
        );
        list[walletFirst ? 1 : 0] = IAttributionRegistry.Attestation(signer, _sign(signerKey, digest));
        vm.expectRevert(
            abi.encodeWithSelector(IAttributionRegistry.InvalidAttestation.selector, address(wallet))
        );
        attribution.submitAttestedReport(1, epoch, report, list);

        list[walletFirst ? 0 : 1].signature = _sign(ownerKey, digest);
        attribution.submitAttestedReport(1, epoch, report, list);
        assertTrue(attribution.modelReports(1).hasPending);
    }

    /// Bonding, unbonding and withdrawing move exactly the amounts asked; unbonded OPEN unlocks
    /// only after the delay; activity follows the minimum.
    function testFuzz_bonds_moveExactAmountsAndUnlockAfterTheDelay(
        uint96 extra,
        uint96 unbond,
        uint32 wait
    ) public {
        uint256 amount = bound(extra, 1, 99 * MIN_BOND); // a1 holds 99 minimum bonds besides its bond
        vm.startPrank(a1);
        attribution.bond(amount);
        uint256 bonded = MIN_BOND + amount;
        uint256 out = bound(unbond, 1, bonded);
        uint256 unlockAt = attribution.requestUnbond(out);
        assertEq(unlockAt, block.timestamp + UNBONDING);
        assertEq(attribution.attesterInfo(a1).bond, bonded - out);
        assertEq(attribution.isActiveAttester(a1), bonded - out >= MIN_BOND);
        assertEq(token.balanceOf(address(attribution)), 3 * MIN_BOND + amount);
        uint256 waited = bound(wait, 0, 2 * UNBONDING);
        vm.warp(block.timestamp + waited);
        uint256 balance = token.balanceOf(a1);
        if (waited < UNBONDING) {
            vm.expectRevert(abi.encodeWithSelector(IAttesters.BondLocked.selector, unlockAt));
            attribution.withdrawBond();
        } else {
            assertEq(attribution.withdrawBond(), out);
            assertEq(token.balanceOf(a1), balance + out);
        }
        vm.expectRevert(abi.encodeWithSelector(IAttesters.InvalidBondAmount.selector, type(uint96).max));
        attribution.bond(type(uint96).max);
        vm.stopPrank();
    }

    function _sign(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}

/// @dev A contract attester: accepts what its owner signed (ERC-1271), as a multisig would.
contract ContractAttester is IERC1271 {
    address private immutable OWNER;

    constructor(address owner_) {
        OWNER = owner_;
    }

    function isValidSignature(bytes32 hash, bytes memory signature) external view returns (bytes4) {
        return
            ECDSA.recover(hash, signature) == OWNER ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    function bond(AttributionRegistry registry, IERC20 token, uint256 amount) external {
        token.approve(address(registry), amount);
        registry.bond(amount);
    }
}
