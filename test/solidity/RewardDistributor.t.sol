// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IRewardDistributor} from "../../contracts/interfaces/IRewardDistributor.sol";
import {IModelRegistry} from "../../contracts/interfaces/IModelRegistry.sol";
import {RewardsBase} from "./RewardsBase.sol";

contract RewardDistributorFuzzTest is RewardsBase {
    address internal staker = makeAddr("staker");
    address internal staker2 = makeAddr("staker2");
    address internal carol = makeAddr("carol");

    function setUp() public {
        _deploySystem();
        _fund(staker, 10_000_000 ether);
        _fund(staker2, 10_000_000 ether);
    }

    /// @dev Everything the distributor owes or holds for models 1..3.
    function _accounted() internal view returns (uint256 total) {
        total =
            distributor.treasuryBalance() +
            distributor.balanceOf(alice) +
            distributor.balanceOf(bob) +
            distributor.balanceOf(carol);
        for (uint256 m = 1; m <= 3; ++m) {
            total +=
                distributor.royaltiesAccrued(m) +
                distributor.contributorPoolTotal(m) -
                distributor.claimedTotal(m) +
                distributor.stakingRewardsHeld(m) +
                distributor.totalStaked(m);
        }
    }

    /// The parts of a payment always sum to the amount, for every amount and split within bounds.
    function testFuzz_payInference_partsSumToAmount(
        uint256 amount,
        uint16 treasuryBps,
        uint16 ownerBps,
        uint16 stakersBps,
        uint16 royaltyBps,
        bool staked
    ) public {
        amount = bound(amount, 1, 10_000_000 ether);
        treasuryBps = uint16(bound(treasuryBps, 0, distributor.MAX_TREASURY_BPS()));
        ownerBps = uint16(bound(ownerBps, 0, distributor.MAX_OWNER_AND_STAKERS_BPS()));
        stakersBps = uint16(bound(stakersBps, 0, distributor.MAX_OWNER_AND_STAKERS_BPS() - ownerBps));
        royaltyBps = uint16(bound(royaltyBps, 0, models.maxRoyaltyBps()));
        vm.prank(gov);
        distributor.setSplits(IRewardDistributor.Splits(treasuryBps, ownerBps, stakersBps));
        vm.prank(carol);
        uint256 modelId = models.registerModel(
            "ipfs://m",
            new IModelRegistry.DatanetVersion[](0),
            2,
            royaltyBps
        );
        if (staked) {
            vm.prank(staker);
            distributor.stake(modelId, 1 ether);
        }

        uint256 before = _accounted();
        vm.prank(payer);
        distributor.payInference(modelId, amount);
        assertEq(_accounted() - before, amount, "parts sum to the amount");
        assertEq(token.balanceOf(address(distributor)), _accounted(), "held == accounted");
        if (!staked) assertEq(distributor.stakingRewardsHeld(modelId), 0, "no stake: nothing to stakers");
    }

    /// Stakers earn in proportion to stake and never more than was credited to them.
    function testFuzz_staking_proportionalAndBounded(
        uint96 stakeA,
        uint96 stakeB,
        uint96[4] memory payments
    ) public {
        uint256 a = bound(stakeA, 1 ether, 1_000_000 ether);
        uint256 b = bound(stakeB, 1 ether, 1_000_000 ether);
        vm.prank(staker);
        distributor.stake(1, a);
        vm.prank(staker2);
        distributor.stake(1, b);
        for (uint256 i; i < payments.length; ++i) {
            vm.prank(payer);
            distributor.payInference(1, bound(payments[i], 1, 1_000_000 ether));
            vm.warp(block.timestamp + 1 hours);
        }
        vm.warp(block.timestamp + distributor.rewardsDuration()); // the whole stream is out
        uint256 held = distributor.stakingRewardsHeld(1);
        uint256 pendingA = distributor.pendingStakingRewards(1, staker);
        uint256 pendingB = distributor.pendingStakingRewards(1, staker2);
        assertLe(pendingA + pendingB, held, "never more than credited");
        assertLe(held - pendingA - pendingB, 2, "rounding leaves at most 2 wei");
        // pendingA / pendingB == a / b up to rounding: cross-multiplied difference ≤ a + b.
        uint256 lhs = pendingA * b;
        uint256 rhs = pendingB * a;
        assertLe(lhs > rhs ? lhs - rhs : rhs - lhs, a + b, "proportional to stake");

        if (pendingA != 0) {
            vm.prank(staker);
            distributor.claimStakingRewards(1);
        }
        if (pendingB != 0) {
            vm.prank(staker2);
            distributor.claimStakingRewards(1);
        }
        assertEq(token.balanceOf(address(distributor)), _accounted(), "held == accounted after claims");
    }

    /// Stakers joining, adding, leaving and claiming between payments are never owed more than
    /// was credited (regression: rounding the debt down once let them be owed 1 wei too much).
    function testFuzz_staking_roundingNeverOverpays(
        uint96[3] memory stakes,
        uint96[3] memory payments,
        uint8 order
    ) public {
        address[3] memory who = [staker, staker2, carol];
        _fund(carol, 10_000_000 ether);
        for (uint256 i; i < 3; ++i) {
            vm.prank(who[i]);
            distributor.stake(1, bound(stakes[i], 1 ether, 1_000_000 ether) + i);
            vm.prank(payer);
            distributor.payInference(1, bound(payments[i], 1, 1_000_000 ether) + 7 * i);
            vm.warp(block.timestamp + 1 + (uint256(payments[i]) % 2 days));
            if ((order >> i) & 1 == 1 && distributor.pendingStakingRewards(1, who[0]) != 0) {
                vm.prank(who[0]);
                distributor.claimStakingRewards(1);
            }
            uint256 owed;
            for (uint256 j; j < 3; ++j) owed += distributor.pendingStakingRewards(1, who[j]);
            assertLe(owed, distributor.stakingRewardsHeld(1), "owed within held");
        }
        for (uint256 j; j < 3; ++j) {
            if (distributor.pendingStakingRewards(1, who[j]) == 0) continue;
            vm.prank(who[j]);
            distributor.claimStakingRewards(1); // never underflows `held`
        }
    }

    /// A stake held for a fraction f of the rewards period earns at most f of its pro-rata
    /// share of a payment made while it was staked (staking around a payment earns ~nothing).
    function testFuzz_staking_earnsOnlyForTheTimeStaked(
        uint96 honestStake,
        uint96 sniperStake,
        uint96 payment,
        uint32 heldFor
    ) public {
        uint256 a = bound(honestStake, 1 ether, 1_000_000 ether);
        uint256 b = bound(sniperStake, 1 ether, 9_000_000 ether);
        uint256 amount = bound(payment, 1 ether, 1_000_000 ether);
        uint256 duration = distributor.rewardsDuration();
        uint256 d = bound(heldFor, 0, duration);
        vm.prank(staker);
        distributor.stake(1, a);
        vm.warp(block.timestamp + 30 days);

        vm.prank(staker2);
        distributor.stake(1, b);
        uint256 before = distributor.stakingRewardsHeld(1);
        vm.prank(payer);
        distributor.payInference(1, amount);
        uint256 stakersCut = distributor.stakingRewardsHeld(1) - before;
        vm.warp(block.timestamp + d);
        vm.prank(staker2);
        distributor.unstake(1, b);

        uint256 take = distributor.pendingStakingRewards(1, staker2);
        uint256 fairShare = (stakersCut * b * d) / ((a + b) * duration);
        assertLe(take, fairShare + 1, "at most the time-weighted share");
        if (d == 0) assertEq(take, 0, "same block: nothing");
    }

    /// However reports and claims interleave, an account receives exactly its final cumulative amount.
    function testFuzz_claims_payExactlyTheFinalCumulative(
        uint96 first,
        uint96 second,
        bool claimBetween
    ) public {
        address dave = makeAddr("dave");
        vm.prank(payer);
        distributor.payInference(1, 1_000_000 ether);
        uint256 funded = distributor.contributorPoolTotal(1);
        uint256 c1 = bound(first, 1, funded / 2 - 1);
        uint256 c2 = bound(second, c1 + 1, funded / 2); // the second report raises carol's amount

        _postReport(1, carol, c1, dave, 0);
        vm.warp(block.timestamp + WINDOW);
        attribution.finalizeReport(1);
        if (claimBetween) distributor.claim(1, carol, c1, _proof(_leaf(1, dave, 0)));

        _postReport(1, carol, c2, dave, c1);
        vm.warp(block.timestamp + WINDOW);
        attribution.finalizeReport(1);
        distributor.claim(1, carol, c2, _proof(_leaf(1, dave, c1)));
        assertEq(token.balanceOf(carol), c2, "exactly the final cumulative");

        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.NothingToClaim.selector, 1, carol, c2, c2));
        distributor.claim(1, carol, c2, _proof(_leaf(1, dave, c1)));
        vm.expectRevert(abi.encodeWithSelector(IRewardDistributor.InvalidProof.selector, 1, carol, c2 + 1));
        distributor.claim(1, carol, c2 + 1, _proof(_leaf(1, dave, c1)));
    }
}
