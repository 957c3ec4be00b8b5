// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {AttributionRegistry} from "../../contracts/AttributionRegistry.sol";
import {IAttributionRegistry} from "../../contracts/interfaces/IAttributionRegistry.sol";
import {IModelStaking} from "../../contracts/interfaces/IModelStaking.sol";
import {OpenToken} from "../../contracts/OpenToken.sol";
import {RewardDistributor} from "../../contracts/RewardDistributor.sol";
import {RewardsBase} from "./RewardsBase.sol";

/// @dev Mixes payments, reports (honest and over-allocating), vetoes, challenges,
/// finalizations, claims, royalty settlements, stakes, unstakes, attester bonds, withdrawals and
/// time, on models 1 and 2, with the attacker's moves (stake–pay–unstake and stake–settle–unstake
/// in one block, re-submitting a vetoed or voided report, challenging honest reports), and keeps
/// ghost copies of what each account is owed.
contract RewardsHandler is Test {
    RewardDistributor internal immutable DISTRIBUTOR;
    AttributionRegistry internal immutable ATTRIBUTION;
    OpenToken internal immutable TOKEN;

    address[2] public users;
    address[2] public stakers;
    address internal payer;
    address internal guardian;
    address[2] internal attesters;
    /// @dev Owners of models 1 and 2, who withdraw their shares.
    address[2] internal owners;

    /// @notice Cumulative amounts of the latest final report, per model and user.
    mapping(uint256 modelId => mapping(address user => uint256)) public finalCumulative;
    mapping(uint256 modelId => mapping(address user => uint256)) internal _pendingCumulative;
    /// @notice Set if a model's final total ever decreased.
    bool public finalTotalDecreased;
    mapping(uint256 modelId => uint256) internal _lastFinalTotal;
    uint256 public calls;
    /// @notice Staker who only ever stakes around a payment or a settlement, within one block.
    address public immutable sniper;
    /// @notice What the sniper's moves earned it (must stay 0: no time staked, no reward).
    uint256 public sniperEarned;
    /// @notice Set if a vetoed or voided report ever became pending again.
    bool public barredReportReturned;
    /// @notice Set if a voided report ever became final (and so claimable).
    bool public voidedReportFinalized;
    /// @notice Set if a challenge ever voided a report whose leaves were all correct.
    bool public honestReportVoided;
    /// @notice Reports voided by a challenge.
    mapping(bytes32 reportHash => bool) internal _voided;
    /// @notice Whether the model's latest report over-allocates.
    mapping(uint256 modelId => bool) internal _lastOverAllocated;
    uint256 public voidedCount;
    mapping(uint256 modelId => IAttributionRegistry.Report) internal _lastReport;
    mapping(uint256 modelId => uint256) internal _lastReportEpoch;

    constructor(
        RewardDistributor distributor,
        AttributionRegistry attribution,
        OpenToken token,
        address[2] memory users_,
        address[2] memory stakers_,
        address payer_,
        address guardian_,
        address[2] memory attesters_,
        address[2] memory owners_,
        address sniper_
    ) {
        sniper = sniper_;
        DISTRIBUTOR = distributor;
        ATTRIBUTION = attribution;
        TOKEN = token;
        users = users_;
        stakers = stakers_;
        payer = payer_;
        guardian = guardian_;
        attesters = attesters_;
        owners = owners_;
    }

    /// Attacker: stake a lot just before a payment, unstake just after (same block).
    function snipePayment(uint256 modelSeed, uint256 amount) external {
        uint256 modelId = _model(modelSeed);
        uint256 before = DISTRIBUTOR.pendingStakingRewards(modelId, sniper);
        vm.prank(sniper);
        DISTRIBUTOR.stake(modelId, 500_000 ether);
        vm.prank(payer);
        DISTRIBUTOR.payInference(modelId, bound(amount, 1, 1_000_000 ether));
        vm.prank(sniper);
        DISTRIBUTOR.unstake(modelId, 500_000 ether);
        sniperEarned += DISTRIBUTOR.pendingStakingRewards(modelId, sniper) - before;
        ++calls;
    }

    /// Attacker: stake a lot, settle the royalties accrued to model 1, unstake (same block).
    function snipeRoyalties() external {
        if (DISTRIBUTOR.royaltiesAccrued(1) == 0) return;
        uint256 before = DISTRIBUTOR.pendingStakingRewards(1, sniper);
        vm.prank(sniper);
        DISTRIBUTOR.stake(1, 500_000 ether);
        DISTRIBUTOR.settleRoyalties(1);
        vm.prank(sniper);
        DISTRIBUTOR.unstake(1, 500_000 ether);
        sniperEarned += DISTRIBUTOR.pendingStakingRewards(1, sniper) - before;
        ++calls;
    }

    /// Attacker: attesters re-submit the model's last report once vetoed or voided.
    function resubmitBarred(uint256 modelSeed) external {
        uint256 modelId = _model(modelSeed);
        IAttributionRegistry.Report memory r = _lastReport[modelId];
        bytes32 h = ATTRIBUTION.hashReport(modelId, _lastReportEpoch[modelId], r);
        if (!ATTRIBUTION.isBarred(h)) return;
        for (uint256 i; i < 2; ++i) {
            _ensureActive(attesters[i]);
            vm.prank(attesters[i]);
            try ATTRIBUTION.submitReport(modelId, _lastReportEpoch[modelId], r) {} catch {}
        }
        if (
            ATTRIBUTION.modelReports(modelId).hasPending && ATTRIBUTION.pendingReport(modelId).reportHash == h
        ) {
            barredReportReturned = true;
        }
        ++calls;
    }

    /// Anyone (here: an attacker as often as an honest watcher) challenges a leaf of the pending
    /// report; it must succeed exactly when the leaf is provably wrong.
    function challenge(uint256 modelSeed, uint256 userSeed) external {
        uint256 modelId = _model(modelSeed);
        IAttributionRegistry.ModelReports memory state = ATTRIBUTION.modelReports(modelId);
        if (!state.hasPending || block.timestamp >= state.challengeEndsAt) return;
        uint256 i = userSeed % 2;
        IAttributionRegistry.RewardEvidence memory evidence;
        evidence.account = users[i];
        evidence.cumulativeAmount = _pendingCumulative[modelId][users[i]];
        evidence.proof = new bytes32[](1);
        evidence.proof[0] = _leaf(modelId, users[1 - i], _pendingCumulative[modelId][users[1 - i]]);
        address[] memory supporters = new address[](2);
        (supporters[0], supporters[1]) = (attesters[0], attesters[1]);
        IAttributionRegistry.Report memory r = _lastReport[modelId];
        bytes32 h = ATTRIBUTION.hashReport(modelId, state.pendingEpoch, r);
        try ATTRIBUTION.challengeReward(modelId, r, supporters, evidence) {
            if (!_lastOverAllocated[modelId]) honestReportVoided = true;
            _voided[h] = true;
            ++voidedCount;
        } catch {}
        ++calls;
    }

    /// An attester unbonds part of its bond (it may fall below the minimum).
    function unbond(uint256 attesterSeed, uint256 amount) external {
        address who = attesters[attesterSeed % 2];
        uint256 bonded = ATTRIBUTION.attesterInfo(who).bond;
        if (bonded == 0) return;
        vm.prank(who);
        ATTRIBUTION.requestUnbond(bound(amount, 1, bonded));
        ++calls;
    }

    function withdrawBond(uint256 attesterSeed) external {
        address who = attesters[attesterSeed % 2];
        uint256 unlockAt = ATTRIBUTION.attesterInfo(who).unlockAt;
        if (block.timestamp < unlockAt) vm.warp(unlockAt);
        vm.prank(who);
        ATTRIBUTION.withdrawBond();
        ++calls;
    }

    function pay(uint256 modelSeed, uint256 amount) external {
        vm.prank(payer);
        DISTRIBUTOR.payInference(_model(modelSeed), bound(amount, 1, 1_000_000 ether));
        ++calls;
    }

    function settle(uint256 modelSeed) external {
        DISTRIBUTOR.settleRoyalties(_model(modelSeed));
        ++calls;
    }

    /// Attesters post a report for the current epoch (closing it). With `overAllocate` the
    /// tree's leaves sum to more than the declared total, as colluding attesters might do.
    function report(uint256 modelSeed, uint256 raise0, uint256 raise1, bool overAllocate) external {
        uint256 modelId = _model(modelSeed);
        IAttributionRegistry.ModelReports memory state = ATTRIBUTION.modelReports(modelId);
        if (state.hasPending) return;
        uint256 epoch = ATTRIBUTION.currentEpoch();
        vm.warp(ATTRIBUTION.epochEnd(epoch));
        uint256 room = DISTRIBUTOR.contributorPoolFunded(modelId, epoch) - state.totalCumulative;
        uint256 c0 = finalCumulative[modelId][users[0]] + bound(raise0, 0, room / 2);
        uint256 c1 = finalCumulative[modelId][users[1]] + bound(raise1, 0, room / 2);
        uint256 declared = c0 + c1;
        // Leaves sum to c0 + c1 > declared; the larger leaf is above the total unless c0 == c1.
        if (overAllocate && c0 > 0 && c1 > 0) declared = c0 < c1 ? c0 : c1;
        bytes32 root = _root(_leaf(modelId, users[0], c0), _leaf(modelId, users[1], c1));
        IAttributionRegistry.Report memory r = IAttributionRegistry.Report(
            keccak256("w"),
            1,
            root,
            declared,
            "u"
        );
        _ensureActive(attesters[0]);
        _ensureActive(attesters[1]);
        vm.prank(attesters[0]);
        ATTRIBUTION.submitReport(modelId, epoch, r);
        vm.prank(attesters[1]);
        ATTRIBUTION.submitReport(modelId, epoch, r);
        _lastReport[modelId] = r;
        _lastOverAllocated[modelId] = declared < c0 + c1;
        _lastReportEpoch[modelId] = epoch;
        _pendingCumulative[modelId][users[0]] = c0;
        _pendingCumulative[modelId][users[1]] = c1;
        ++calls;
    }

    function finalize(uint256 modelSeed) external {
        uint256 modelId = _model(modelSeed);
        IAttributionRegistry.ModelReports memory state = ATTRIBUTION.modelReports(modelId);
        if (!state.hasPending) return;
        if (block.timestamp < state.challengeEndsAt) vm.warp(state.challengeEndsAt);
        if (_voided[ATTRIBUTION.pendingReport(modelId).reportHash]) voidedReportFinalized = true;
        ATTRIBUTION.finalizeReport(modelId);
        for (uint256 i; i < 2; ++i) {
            finalCumulative[modelId][users[i]] = _pendingCumulative[modelId][users[i]];
        }
        uint256 total = ATTRIBUTION.modelReports(modelId).totalCumulative;
        if (total < _lastFinalTotal[modelId]) finalTotalDecreased = true;
        _lastFinalTotal[modelId] = total;
        ++calls;
    }

    function veto(uint256 modelSeed) external {
        vm.prank(guardian);
        ATTRIBUTION.veto(_model(modelSeed));
        ++calls;
    }

    function claim(uint256 modelSeed, uint256 userSeed) external {
        uint256 modelId = _model(modelSeed);
        uint256 i = userSeed % 2;
        uint256 mine = finalCumulative[modelId][users[i]];
        bytes32 sibling = _leaf(modelId, users[1 - i], finalCumulative[modelId][users[1 - i]]);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = sibling;
        DISTRIBUTOR.claim(modelId, users[i], mine, proof);
        ++calls;
    }

    function stake(uint256 stakerSeed, uint256 modelSeed, uint256 amount) external {
        vm.prank(stakers[stakerSeed % 2]);
        DISTRIBUTOR.stake(_model(modelSeed), bound(amount, 1 ether, 100_000 ether));
        ++calls;
    }

    function unstake(uint256 stakerSeed, uint256 modelSeed, uint256 amount) external {
        address who = stakers[stakerSeed % 2];
        uint256 modelId = _model(modelSeed);
        uint256 staked = DISTRIBUTOR.positionOf(modelId, who).staked;
        vm.prank(who);
        DISTRIBUTOR.unstake(modelId, bound(amount, 1, staked));
        ++calls;
    }

    function withdrawStake(uint256 stakerSeed, uint256 modelSeed) external {
        address who = stakers[stakerSeed % 2];
        uint256 modelId = _model(modelSeed);
        IModelStaking.Position memory p = DISTRIBUTOR.positionOf(modelId, who);
        if (block.timestamp < p.unlockAt) vm.warp(p.unlockAt); // the last tranche, so all of them
        vm.prank(who);
        DISTRIBUTOR.withdrawStake(modelId);
        ++calls;
    }

    function claimStaking(uint256 stakerSeed, uint256 modelSeed) external {
        vm.prank(stakers[stakerSeed % 2]);
        DISTRIBUTOR.claimStakingRewards(_model(modelSeed));
        ++calls;
    }

    function withdrawBalances(uint256 ownerSeed) external {
        vm.prank(owners[ownerSeed % 2]);
        DISTRIBUTOR.withdraw();
        ++calls;
    }

    function withdrawTreasury() external {
        DISTRIBUTOR.withdrawTreasury();
        ++calls;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }

    /// @dev Tops the attester's bond up to the minimum (after a slash or an unbonding).
    function _ensureActive(address attester) private {
        uint256 bonded = ATTRIBUTION.attesterInfo(attester).bond;
        uint256 minBond = ATTRIBUTION.bondSettings().minBond;
        if (bonded >= minBond) return;
        vm.prank(attester);
        ATTRIBUTION.bond(minBond - bonded);
    }

    function _model(uint256 seed) private pure returns (uint256) {
        return 1 + (seed % 2);
    }

    function _leaf(uint256 modelId, address account, uint256 amount) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(modelId, account, amount))));
    }

    function _root(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }
}

contract RewardsInvariantTest is RewardsBase {
    RewardsHandler internal handler;
    address[2] internal users = [makeAddr("user0"), makeAddr("user1")];
    address[2] internal stakers = [makeAddr("staker0"), makeAddr("staker1")];
    address internal sniper = makeAddr("sniper");

    function setUp() public {
        _deploySystem();
        _fund(stakers[0], 10_000_000 ether);
        _fund(stakers[1], 10_000_000 ether);
        handler = new RewardsHandler(
            distributor,
            attribution,
            token,
            users,
            stakers,
            payer,
            guardian,
            [a1, a2],
            [alice, bob],
            sniper
        );
        _fund(sniper, 10_000_000 ether);
        targetContract(address(handler));
    }

    /// OPEN held by the distributor == every unpaid balance, pool and stake.
    function invariant_conservation() public view {
        uint256 owed =
            distributor.treasuryBalance() + distributor.balanceOf(alice) + distributor.balanceOf(bob);
        for (uint256 m = 1; m <= 2; ++m) {
            owed +=
                distributor.royaltiesAccrued(m) +
                distributor.contributorPoolTotal(m) -
                distributor.claimedTotal(m) +
                distributor.stakingRewardsHeld(m) +
                distributor.totalStaked(m);
            for (uint256 s; s < 2; ++s) {
                owed += distributor.positionOf(m, stakers[s]).unstaking;
            }
            owed += distributor.positionOf(m, sniper).unstaking;
        }
        assertEq(token.balanceOf(address(distributor)), owed);
    }

    /// Contributors of a model never receive more than was funded to its pool.
    function invariant_claimsWithinFunding() public view {
        for (uint256 m = 1; m <= 2; ++m) {
            assertLe(distributor.claimedTotal(m), distributor.contributorPoolTotal(m));
            (, uint256 reportTotal) = distributor.claimRoot(m);
            assertLe(distributor.claimedTotal(m), reportTotal);
        }
    }

    /// No account ever receives more than its final cumulative amount.
    function invariant_noAccountOverpaid() public view {
        for (uint256 m = 1; m <= 2; ++m) {
            for (uint256 u; u < 2; ++u) {
                assertLe(distributor.claimed(m, users[u]), handler.finalCumulative(m, users[u]));
            }
        }
    }

    /// Final cumulative totals never decrease.
    function invariant_cumulativeTotalsNeverDecrease() public view {
        assertFalse(handler.finalTotalDecreased());
    }

    /// Staking around a payment or a settlement within one block earns nothing.
    function invariant_snipingEarnsNothing() public view {
        assertEq(handler.sniperEarned(), 0);
    }

    /// A vetoed or voided report never becomes pending again.
    function invariant_barredReportNeverReturns() public view {
        assertFalse(handler.barredReportReturned());
    }

    /// The handler's challenge move voids an over-allocating report (the move the invariants rely on).
    function test_handlerChallenge_voidsOverAllocation() public {
        handler.pay(0, 1_000_000 ether);
        handler.report(0, 1 ether, 500 ether, true);
        handler.challenge(0, 0); // the smaller leaf: no fault, the report stands
        assertEq(handler.voidedCount(), 0);
        handler.challenge(0, 1);
        assertEq(handler.voidedCount(), 1);
        assertFalse(attribution.modelReports(1).hasPending);
    }

    /// A voided report never becomes final, so it never pays.
    function invariant_voidedReportNeverPays() public view {
        assertFalse(handler.voidedReportFinalized());
    }

    /// No challenge voids a report whose leaves are correct (no false positives).
    function invariant_honestReportsStand() public view {
        assertFalse(handler.honestReportVoided());
    }

    /// OPEN held by the attribution registry == every attester's bond and unbonding OPEN
    /// (slashes pay out exactly what they take).
    function invariant_bondsConserved() public view {
        uint256 held;
        address[3] memory all = [a1, a2, a3];
        for (uint256 i; i < 3; ++i) {
            held += attribution.attesterInfo(all[i]).bond + attribution.attesterInfo(all[i]).unbonding;
        }
        assertEq(token.balanceOf(address(attribution)), held);
    }

    /// Stakers are never owed more than was credited to them.
    function invariant_stakingRewardsCovered() public view {
        for (uint256 m = 1; m <= 2; ++m) {
            uint256 pending =
                distributor.pendingStakingRewards(m, stakers[0]) +
                    distributor.pendingStakingRewards(m, stakers[1]) +
                    distributor.pendingStakingRewards(m, sniper);
            assertLe(pending, distributor.stakingRewardsHeld(m));
        }
    }
}
