// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {RewardsBase} from "./RewardsBase.sol";

/// @notice Gas snapshots (`snapshots/rewards.json`, checked in CI) of the rewards hot paths in
/// steady state. Before each measured call every contract's storage is marked cold (`vm.cool`),
/// as at the start of a transaction; the figures are call gas without the 21,000 intrinsic gas
/// and calldata that `npm run bench:rewards` includes.
contract RewardsGasTest is RewardsBase {
    address internal staker = makeAddr("staker");
    address internal carol = makeAddr("carol");
    address internal dave = makeAddr("dave");

    /// @dev Marks the system's storage cold, as at the start of a new transaction.
    function _cool() internal {
        vm.cool(address(token));
        vm.cool(address(distributor));
        vm.cool(address(attribution));
        vm.cool(address(models));
    }

    function setUp() public {
        _deploySystem();
        _fund(staker, 1_000_000 ether);
        vm.startPrank(payer);
        distributor.payInference(1, 1_000 ether);
        distributor.payInference(2, 1_000 ether);
        vm.stopPrank();
    }

    function test_gas_payInference() public {
        vm.startPrank(payer);
        _cool();
        distributor.payInference(1, 1_000 ether);
        vm.snapshotGasLastCall("rewards", "payInference_baseNoStakers");
        _cool();
        distributor.payInference(2, 1_000 ether);
        vm.snapshotGasLastCall("rewards", "payInference_adapter");
        vm.stopPrank();
        vm.prank(staker);
        distributor.stake(1, 100 ether);
        vm.startPrank(payer);
        distributor.payInference(1, 1_000 ether);
        vm.warp(block.timestamp + 1 hours); // steady state: a stream is flowing
        _cool();
        distributor.payInference(1, 1_000 ether);
        vm.snapshotGasLastCall("rewards", "payInference_baseWithStakers");
        vm.stopPrank();
    }

    function test_gas_staking() public {
        vm.startPrank(staker);
        _cool();
        distributor.stake(1, 100 ether);
        vm.snapshotGasLastCall("rewards", "stake_first");
        _cool();
        distributor.stake(1, 100 ether);
        vm.snapshotGasLastCall("rewards", "stake_add");
        vm.stopPrank();
        vm.prank(payer);
        distributor.payInference(1, 1_000 ether);
        vm.warp(block.timestamp + 1 hours); // part of the stakers' stream has flowed
        vm.startPrank(staker);
        _cool();
        distributor.claimStakingRewards(1);
        vm.snapshotGasLastCall("rewards", "claimStakingRewards");
        _cool();
        distributor.unstake(1, 100 ether);
        vm.snapshotGasLastCall("rewards", "unstake");
        vm.warp(block.timestamp + 1 days);
        _cool();
        distributor.withdrawStake(1);
        vm.snapshotGasLastCall("rewards", "withdrawStake");
        vm.stopPrank();
    }

    function test_gas_reportAndClaim() public {
        uint256 epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        IAttributionRegistry.Report memory report = IAttributionRegistry.Report({
            weightsRoot: keccak256("weights"),
            totalWeight: 1_000,
            cumulativeRoot: _root(_leaf(1, carol, 30 ether), _leaf(1, dave, 20 ether)),
            totalCumulative: 50 ether,
            uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
        });
        _cool();
        vm.prank(a1);
        attribution.submitReport(1, epoch, report);
        vm.snapshotGasLastCall("rewards", "submitReport_belowThreshold");
        _cool();
        vm.prank(a2);
        attribution.submitReport(1, epoch, report);
        vm.snapshotGasLastCall("rewards", "submitReport_reachingThreshold");
        vm.warp(block.timestamp + WINDOW);
        _cool();
        attribution.finalizeReport(1);
        vm.snapshotGasLastCall("rewards", "finalizeReport_firstForModel");

        _cool();
        distributor.claim(1, carol, 30 ether, _proof(_leaf(1, dave, 20 ether)));
        vm.snapshotGasLastCall("rewards", "claim_firstNewHolder_1levelProof");

        IRewardDistributor.ClaimItem[] memory items = new IRewardDistributor.ClaimItem[](1);
        items[0] = IRewardDistributor.ClaimItem(1, 20 ether, _proof(_leaf(1, carol, 30 ether)));
        _cool();
        distributor.claimBatch(dave, items);
        vm.snapshotGasLastCall("rewards", "claimBatch_1item_newHolder");
    }

    /// Two attesters' signatures in one transaction (the model's first report), then a challenge
    /// of a report whose rewards leaf is above its total (voids it, slashes both signers).
    function test_gas_attestedReportAndChallenge() public {
        (address s1, uint256 k1) = makeAddrAndKey("signer1");
        (address s2, uint256 k2) = makeAddrAndKey("signer2");
        vm.startPrank(gov);
        attribution.setAttester(s1, true);
        attribution.setAttester(s2, true);
        vm.stopPrank();
        _bond(s1, MIN_BOND);
        _bond(s2, MIN_BOND);
        uint256 epoch = attribution.currentEpoch();
        vm.warp(attribution.epochEnd(epoch));
        IAttributionRegistry.Report memory report = IAttributionRegistry.Report({
            weightsRoot: keccak256("weights"),
            totalWeight: 1_000,
            cumulativeRoot: _root(_leaf(1, carol, 60 ether), _leaf(1, dave, 20 ether)),
            totalCumulative: 50 ether,
            uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
        });
        bytes32 digest = attribution.attestationDigest(1, epoch, 0, attribution.hashReport(1, epoch, report));
        (address low, uint256 lowKey, address high, uint256 highKey) = s1 < s2
            ? (s1, k1, s2, k2)
            : (s2, k2, s1, k1);
        IAttributionRegistry.Attestation[] memory list = new IAttributionRegistry.Attestation[](2);
        list[0] = IAttributionRegistry.Attestation(low, _signature(lowKey, digest));
        list[1] = IAttributionRegistry.Attestation(high, _signature(highKey, digest));
        _cool();
        attribution.submitAttestedReport(1, epoch, report, list);
        vm.snapshotGasLastCall("rewards", "submitAttestedReport_2signatures_firstForModel");

        address[] memory supporters = new address[](2);
        (supporters[0], supporters[1]) = (low, high);
        IAttributionRegistry.RewardEvidence memory evidence;
        (evidence.account, evidence.cumulativeAmount) = (carol, 60 ether);
        evidence.proof = _proof(_leaf(1, dave, 20 ether));
        _cool();
        attribution.challengeReward(1, report, supporters, evidence);
        vm.snapshotGasLastCall("rewards", "challengeReward_1levelProof_2supporters");
    }

    function _signature(uint256 key, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
