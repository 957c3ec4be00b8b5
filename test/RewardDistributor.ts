import { expect } from "chai";
import { network } from "hardhat";

import { buildCumulativeTree, proofFor } from "../scripts/lib/rewards.js";
import { signPermit } from "../scripts/lib/signatures.js";
import { fixtures, REWARDS_CHALLENGE_WINDOW, REWARDS_EPOCH } from "./helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { rewardsFixture } = fixtures(connection);
const { loadFixture, time } = networkHelpers;

const FEE = ethers.parseEther("1000");
const BPS = 10_000n;
const STAKE = ethers.parseEther("100");

type Fixture = Awaited<ReturnType<typeof rewardsFixture>>;

/** The split a payment of `amount` to a base model should produce with the default splits. */
function expectedSplit(amount: bigint, royaltyBps = 0n) {
  const treasuryCut = (amount * 500n) / BPS;
  const net = amount - treasuryCut;
  const royalty = (net * royaltyBps) / BPS;
  const rest = net - royalty;
  const ownerCut = (rest * 2_000n) / BPS;
  const stakersCut = (rest * 1_000n) / BPS;
  return { treasuryCut, royalty, ownerCut, stakersCut, contributorsCut: rest - ownerCut - stakersCut };
}

/** Pays, closes the epoch, posts and finalizes a report of `cumulative` for `modelId`. */
async function finalReport(f: Fixture, modelId: bigint, cumulative: Map<string, bigint>) {
  const tree = buildCumulativeTree(modelId, cumulative);
  const total = [...cumulative.values()].reduce((a, b) => a + b, 0n);
  const epoch = await f.attribution.currentEpoch();
  await time.increaseTo(await f.attribution.epochEnd(epoch));
  const report = {
    weightsRoot: ethers.ZeroHash,
    totalWeight: 1n,
    cumulativeRoot: tree.root,
    totalCumulative: total,
    uri: "u",
  };
  await f.attribution.connect(f.a1).submitReport(modelId, epoch, report);
  await f.attribution.connect(f.a2).submitReport(modelId, epoch, report);
  await time.increase(REWARDS_CHALLENGE_WINDOW);
  await f.attribution.finalizeReport(modelId);
  return tree;
}

/** Model 1 paid once, and a final report giving carol 300 and dave (bob) 200 OPEN-wei units. */
async function claimableFixture() {
  const f = await rewardsFixture();
  await f.distributor.connect(f.payer).payInference(1, FEE);
  const cumulative = new Map([
    [f.carol.address, 300n],
    [f.bob.address, 200n],
  ]);
  const tree = await finalReport(f, 1n, cumulative);
  return { ...f, tree, cumulative };
}

describe("RewardDistributor", function () {
  describe("deployment", function () {
    it("stores its wiring and settings", async function () {
      const { distributor, token, models, attribution, gov, treasury, guardian } =
        await loadFixture(rewardsFixture);
      expect(await distributor.token()).to.equal(await token.getAddress());
      expect(await distributor.modelRegistry()).to.equal(await models.getAddress());
      expect(await distributor.attributionRegistry()).to.equal(await attribution.getAddress());
      expect(await distributor.owner()).to.equal(gov.address);
      expect(await distributor.treasury()).to.equal(treasury.address);
      expect(await distributor.guardian()).to.equal(guardian.address);
      expect(await distributor.splits()).to.deep.equal([500n, 2_000n, 1_000n]);
      expect(await distributor.cooldown()).to.equal(BigInt(REWARDS_EPOCH));
    });

    it("rejects zero addresses, splits out of bounds and a long cooldown", async function () {
      const { token, models, gov, treasury, guardian } = await loadFixture(rewardsFixture);
      const factory = await ethers.getContractFactory("RewardDistributor");
      const ok = { treasuryBps: 0, ownerBps: 0, stakersBps: 0 };
      const deploy = (overrides: {
        token?: string;
        models?: string;
        attribution?: string;
        treasury?: string;
        splits?: typeof ok;
        cooldown?: number;
      }) =>
        factory.deploy(
          overrides.token ?? token,
          overrides.models ?? models,
          overrides.attribution ?? gov.address,
          gov.address,
          overrides.treasury ?? treasury.address,
          guardian.address,
          overrides.splits ?? ok,
          0,
          60,
          overrides.cooldown ?? 3600,
        );
      await expect(deploy({ token: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
      await expect(deploy({ treasury: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
      await expect(deploy({ models: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
      await expect(deploy({ attribution: ethers.ZeroAddress })).to.be.revertedWithCustomError(
        factory,
        "ZeroAddress",
      );
      await expect(deploy({ splits: { treasuryBps: 2_001, ownerBps: 0, stakersBps: 0 } }))
        .to.be.revertedWithCustomError(factory, "InvalidSplits")
        .withArgs(2_001n, 0n, 0n);
      await expect(deploy({ splits: { treasuryBps: 0, ownerBps: 5_000, stakersBps: 3_001 } }))
        .to.be.revertedWithCustomError(factory, "InvalidSplits")
        .withArgs(0n, 5_000n, 3_001n);
      await expect(deploy({ cooldown: 90 * REWARDS_EPOCH + 1 }))
        .to.be.revertedWithCustomError(factory, "InvalidCooldown")
        .withArgs(90n * BigInt(REWARDS_EPOCH) + 1n, 3600n, 90n * BigInt(REWARDS_EPOCH));
      await expect(deploy({ cooldown: 3599 }))
        .to.be.revertedWithCustomError(factory, "InvalidCooldown")
        .withArgs(3599n, 3600n, 90n * BigInt(REWARDS_EPOCH));
    });
  });

  describe("payInference", function () {
    it("splits a payment exactly, with the contributor pool taking the stakers' share when nobody stakes", async function () {
      const { distributor, token, payer, alice } = await loadFixture(rewardsFixture);
      const amount = ethers.parseEther("1000") + 7n; // odd amount: rounding goes to the pool
      const s = expectedSplit(amount);
      const contributorsCut = s.contributorsCut + s.stakersCut;
      const tx = distributor.connect(payer).payInference(1, amount);
      await expect(tx)
        .to.emit(distributor, "InferencePaid")
        .withArgs(1n, payer.address, 0n, amount, s.treasuryCut, 0n, s.ownerCut, 0n, contributorsCut);
      await expect(tx).to.changeTokenBalances(ethers, token, [payer, distributor], [-amount, amount]);
      expect(await distributor.treasuryBalance()).to.equal(s.treasuryCut);
      expect(await distributor.balanceOf(alice.address)).to.equal(s.ownerCut);
      expect(await distributor.contributorPoolTotal(1)).to.equal(contributorsCut);
      expect(s.treasuryCut + s.ownerCut + contributorsCut).to.equal(amount);
    });

    it("checkpoints the contributor pool per epoch", async function () {
      const { distributor, attribution, payer } = await loadFixture(rewardsFixture);
      await distributor.connect(payer).payInference(1, FEE);
      const perPayment = await distributor.contributorPoolTotal(1);
      await distributor.connect(payer).payInference(1, FEE);
      await time.increaseTo(await attribution.epochEnd(1));
      await distributor.connect(payer).payInference(1, FEE);
      expect(await distributor.contributorPoolFunded(1, 0)).to.equal(2n * perPayment);
      expect(await distributor.contributorPoolFunded(1, 1)).to.equal(2n * perPayment);
      expect(await distributor.contributorPoolFunded(1, 2)).to.equal(3n * perPayment);
      expect(await distributor.contributorPoolFunded(7, 2)).to.equal(0n);
    });

    it("sends royalties up the lineage, each ancestor keeping what it does not owe its own parent", async function () {
      const { distributor, models, payer, carol } = await loadFixture(rewardsFixture);
      await models.connect(carol).registerModel("ipfs://adapter-of-adapter", [], 2, 2_000); // model 3
      const amount = ethers.parseEther("100");
      const net = amount - (amount * 500n) / BPS;
      const royalty = (net * 2_000n) / BPS; // model 3 → model 2
      const forwarded = (royalty * 1_000n) / BPS; // model 2 → model 1
      const tx = distributor.connect(payer).payInference(3, amount);
      await expect(tx)
        .to.emit(distributor, "RoyaltyAccrued")
        .withArgs(2n, 3n, royalty - forwarded);
      await expect(tx).to.emit(distributor, "RoyaltyAccrued").withArgs(1n, 3n, forwarded);
      expect(await distributor.royaltiesAccrued(2)).to.equal(royalty - forwarded);
      expect(await distributor.royaltiesAccrued(1)).to.equal(forwarded);
    });

    it("a 100 % royalty sends the whole net fee up the lineage: nothing to the adapter's owner, stakers or pool", async function () {
      const { distributor, models, gov, payer, carol } = await loadFixture(rewardsFixture);
      await models.connect(gov).setMaxRoyaltyBps(10_000);
      await models.connect(carol).registerModel("ipfs://full-royalty-adapter", [], 1, 10_000); // model 3
      const amount = ethers.parseEther("100");
      const treasuryCut = (amount * 500n) / BPS;
      const net = amount - treasuryCut;
      const paid = await (await distributor.connect(payer).payInference(3, amount)).wait();
      const event = paid!.logs
        .map((log) => distributor.interface.parseLog(log))
        .find((e) => e?.name === "InferencePaid")!;
      expect([...event.args].slice(3)).to.deep.equal([amount, treasuryCut, net, 0n, 0n, 0n]);
      expect(await distributor.royaltiesAccrued(1)).to.equal(net);
      expect(await distributor.contributorPoolTotal(3)).to.equal(0n);
      expect(await distributor.balanceOf(carol.address)).to.equal(0n);
    });

    it("settles accrued royalties into the ancestor's owner and pool", async function () {
      const { distributor, payer, alice } = await loadFixture(rewardsFixture);
      await expect(distributor.settleRoyalties(1))
        .to.be.revertedWithCustomError(distributor, "NothingToSettle")
        .withArgs(1n);
      await distributor.connect(payer).payInference(2, FEE);
      const accrued = await distributor.royaltiesAccrued(1);
      const ownerCut = (accrued * 2_000n) / BPS;
      await expect(distributor.settleRoyalties(1))
        .to.emit(distributor, "RoyaltiesSettled")
        .withArgs(1n, accrued, ownerCut, 0n, accrued - ownerCut);
      expect(await distributor.royaltiesAccrued(1)).to.equal(0n);
      expect(await distributor.balanceOf(alice.address)).to.equal(ownerCut);
      expect(await distributor.contributorPoolTotal(1)).to.equal(accrued - ownerCut);
    });

    it("rejects zero and oversized amounts, unknown and inactive models", async function () {
      const { distributor, models, payer, alice } = await loadFixture(rewardsFixture);
      const max = await distributor.MAX_PAYMENT();
      await expect(distributor.connect(payer).payInference(1, 0))
        .to.be.revertedWithCustomError(distributor, "InvalidPaymentAmount")
        .withArgs(0n, max);
      await expect(distributor.connect(payer).payInference(1, max + 1n))
        .to.be.revertedWithCustomError(distributor, "InvalidPaymentAmount")
        .withArgs(max + 1n, max);
      await expect(distributor.connect(payer).payInference(9, FEE))
        .to.be.revertedWithCustomError(distributor, "UnknownModel")
        .withArgs(9n);
      await models.connect(alice).setModelActive(1, false);
      await expect(distributor.connect(payer).payInference(1, FEE))
        .to.be.revertedWithCustomError(distributor, "InactiveModel")
        .withArgs(1n);
    });

    it("pays with an ERC-2612 permit, also when the permit was front-run", async function () {
      const { distributor, token, holder, carol } = await loadFixture(rewardsFixture);
      await token.connect(holder).transfer(carol.address, 2n * FEE);
      const { chainId } = await ethers.provider.getNetwork();
      const deadline = BigInt(await time.latest()) + 3600n;
      const tokenInfo = { name: await token.name(), address: await token.getAddress() };
      const spender = await distributor.getAddress();
      const permit = await signPermit(carol, tokenInfo, chainId, {
        spender,
        value: FEE,
        nonce: 0n,
        deadline,
      });
      await expect(distributor.connect(carol).payInferenceWithPermit(1, FEE, permit)).to.changeTokenBalance(
        ethers,
        token,
        carol,
        -FEE,
      );
      const second = await signPermit(carol, tokenInfo, chainId, {
        spender,
        value: FEE,
        nonce: 1n,
        deadline,
      });
      await token.permit(carol.address, spender, FEE, deadline, second.v, second.r, second.s); // front-run
      await expect(distributor.connect(carol).payInferenceWithPermit(1, FEE, second)).to.emit(
        distributor,
        "InferencePaid",
      );
    });

    it("is paused by the guardian only, which never blocks claims, withdrawals or unstaking", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, guardian, payer, alice, carol, staker, tree, cumulative } = f;
      await distributor.connect(staker).stake(1, STAKE);
      await expect(distributor.connect(payer).pause()).to.be.revertedWithCustomError(
        distributor,
        "NotGuardian",
      );
      await distributor.connect(guardian).pause();
      await expect(distributor.connect(payer).payInference(1, FEE)).to.be.revertedWithCustomError(
        distributor,
        "EnforcedPause",
      );
      await expect(
        distributor
          .connect(payer)
          .payInferenceWithPermit(1, FEE, { deadline: 0, v: 0, r: ethers.ZeroHash, s: ethers.ZeroHash }),
      ).to.be.revertedWithCustomError(distributor, "EnforcedPause");
      await distributor.claim(
        1,
        carol.address,
        cumulative.get(carol.address)!,
        proofFor(tree, carol.address),
      );
      await distributor.connect(alice).withdraw();
      await distributor.withdrawTreasury();
      await distributor.connect(staker).unstake(1, STAKE);
      await time.increase(REWARDS_EPOCH);
      await distributor.connect(staker).withdrawStake(1);
      await expect(distributor.connect(payer).unpause()).to.be.revertedWithCustomError(
        distributor,
        "NotGuardian",
      );
      await distributor.connect(guardian).unpause();
      await distributor.connect(payer).payInference(1, FEE);
    });
  });

  describe("claims", function () {
    it("pays the cumulative amount minus what was claimed, to the account, whoever calls", async function () {
      const { distributor, token, carol, relayer, tree } = await loadFixture(claimableFixture);
      const proof = proofFor(tree, carol.address);
      expect(await distributor.claimable(1, carol.address, 300n)).to.equal(300n);
      const tx = distributor.connect(relayer).claim(1, carol.address, 300n, proof);
      await expect(tx).to.emit(distributor, "Claimed").withArgs(1n, carol.address, 300n, 300n);
      await expect(tx).to.changeTokenBalances(ethers, token, [carol, relayer], [300n, 0n]);
      expect(await distributor.claimed(1, carol.address)).to.equal(300n);
      expect(await distributor.claimedTotal(1)).to.equal(300n);
      expect(await distributor.claimable(1, carol.address, 300n)).to.equal(0n);
      await expect(distributor.claim(1, carol.address, 300n, proof))
        .to.be.revertedWithCustomError(distributor, "NothingToClaim")
        .withArgs(1n, carol.address, 300n, 300n);
    });

    it("pays only the difference after a new report raises the cumulative amount", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, token, payer, carol, bob, tree } = f;
      await distributor.claim(1, carol.address, 300n, proofFor(tree, carol.address));
      await distributor.connect(payer).payInference(1, FEE);
      const next = await finalReport(
        f,
        1n,
        new Map([
          [carol.address, 450n],
          [bob.address, 250n],
        ]),
      );
      await expect(
        distributor.claim(1, carol.address, 450n, proofFor(next, carol.address)),
      ).to.changeTokenBalance(ethers, token, carol, 150n);
      // The old leaf no longer proves anything against the new root.
      await expect(
        distributor.claim(1, bob.address, 200n, proofFor(tree, bob.address)),
      ).to.be.revertedWithCustomError(distributor, "InvalidProof");
    });

    it("rejects a proof for another account, another amount or another model", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, payer, carol, bob, tree } = f;
      const carolProof = proofFor(tree, carol.address);
      await expect(distributor.claim(1, bob.address, 300n, carolProof))
        .to.be.revertedWithCustomError(distributor, "InvalidProof")
        .withArgs(1n, bob.address, 300n);
      await expect(distributor.claim(1, carol.address, 301n, carolProof)).to.be.revertedWithCustomError(
        distributor,
        "InvalidProof",
      );
      // Model 2 gets a report with the same accounts and amounts: leaves differ by model id.
      await distributor.connect(payer).payInference(2, FEE);
      const other = await finalReport(
        f,
        2n,
        new Map([
          [carol.address, 300n],
          [bob.address, 200n],
        ]),
      );
      expect(other.root).to.not.equal(tree.root);
      await expect(distributor.claim(2, carol.address, 300n, carolProof)).to.be.revertedWithCustomError(
        distributor,
        "InvalidProof",
      );
    });

    it("fails without a final report", async function () {
      const { distributor, carol } = await loadFixture(rewardsFixture);
      await expect(distributor.claim(1, carol.address, 1n, []))
        .to.be.revertedWithCustomError(distributor, "NoFinalReport")
        .withArgs(1n);
    });

    it("never pays more than the report's total, even for a tree whose leaves over-allocate", async function () {
      const f = await loadFixture(rewardsFixture);
      const { distributor, attribution, payer, a1, a2, carol, bob } = f;
      await distributor.connect(payer).payInference(1, FEE);
      // Attesters collude on a tree whose leaves sum to 2× the declared total.
      const tree = buildCumulativeTree(
        1n,
        new Map([
          [carol.address, 100n],
          [bob.address, 100n],
        ]),
      );
      await time.increaseTo(await attribution.epochEnd(0));
      const report = {
        weightsRoot: ethers.ZeroHash,
        totalWeight: 1n,
        cumulativeRoot: tree.root,
        totalCumulative: 100n,
        uri: "u",
      };
      await attribution.connect(a1).submitReport(1, 0, report);
      await attribution.connect(a2).submitReport(1, 0, report);
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await attribution.finalizeReport(1);
      await distributor.claim(1, carol.address, 100n, proofFor(tree, carol.address));
      await expect(distributor.claim(1, bob.address, 100n, proofFor(tree, bob.address)))
        .to.be.revertedWithCustomError(distributor, "ClaimExceedsReport")
        .withArgs(1n, 200n, 100n);
    });

    it("only the attribution registry publishes roots", async function () {
      const { distributor, carol } = await loadFixture(rewardsFixture);
      await expect(distributor.connect(carol).setClaimRoot(1, 0, ethers.id("root"), 1n))
        .to.be.revertedWithCustomError(distributor, "NotAttributionRegistry")
        .withArgs(carol.address);
    });
  });

  describe("claimBatch", function () {
    it("claims across models in one transfer and skips items with nothing new", async function () {
      const f = await loadFixture(claimableFixture);
      const { distributor, token, payer, carol, bob, tree } = f;
      await distributor.connect(payer).payInference(2, FEE);
      const second = await finalReport(
        f,
        2n,
        new Map([
          [carol.address, 40n],
          [bob.address, 60n],
        ]),
      );
      await distributor.claim(1, carol.address, 300n, proofFor(tree, carol.address)); // already claimed: skipped
      const items = [
        { modelId: 1n, cumulativeAmount: 300n, proof: proofFor(tree, carol.address) },
        { modelId: 2n, cumulativeAmount: 40n, proof: proofFor(second, carol.address) },
      ];
      const tx = distributor.claimBatch(carol.address, items);
      await expect(tx).to.changeTokenBalance(ethers, token, carol, 40n);
      const receipt = await (await tx).wait();
      const transfers = receipt!.logs.filter((l) => l.address === token.target);
      expect(transfers).to.have.length(1);
      expect(await distributor.claimBatch.staticCall(carol.address, items)).to.equal(0n);
    });

    it("reverts naming the index of an item with a bad proof or no report", async function () {
      const { distributor, carol, tree } = await loadFixture(claimableFixture);
      const good = { modelId: 1n, cumulativeAmount: 300n, proof: proofFor(tree, carol.address) };
      await expect(distributor.claimBatch(carol.address, [good, { ...good, cumulativeAmount: 999n }]))
        .to.be.revertedWithCustomError(distributor, "InvalidBatchItem")
        .withArgs(1n, 1n);
      await expect(distributor.claimBatch(carol.address, [{ ...good, modelId: 2n }]))
        .to.be.revertedWithCustomError(distributor, "InvalidBatchItem")
        .withArgs(0n, 2n);
      expect(await distributor.claimed(1, carol.address)).to.equal(0n);
    });
  });

  describe("what mutation testing found untested", function () {
    it("pays a batch claim of exactly 1 wei", async function () {
      const f = await loadFixture(rewardsFixture);
      const { distributor, token, payer, carol, bob } = f;
      await distributor.connect(payer).payInference(1, FEE);
      const tree = await finalReport(
        f,
        1n,
        new Map([
          [carol.address, 1n],
          [bob.address, 2n],
        ]),
      );
      const items = [{ modelId: 1n, cumulativeAmount: 1n, proof: proofFor(tree, carol.address) }];
      await expect(distributor.claimBatch(carol.address, items)).to.changeTokenBalance(
        ethers,
        token,
        carol,
        1n,
      );
      expect(await distributor.claimed(1, carol.address)).to.equal(1n);
    });

    it("settles royalties while paused (accounting, not new money)", async function () {
      const { distributor, payer, guardian } = await loadFixture(rewardsFixture);
      await distributor.connect(payer).payInference(2, FEE);
      await distributor.connect(guardian).pause();
      await expect(distributor.settleRoyalties(1)).to.emit(distributor, "RoyaltiesSettled");
      expect(await distributor.royaltiesAccrued(1)).to.equal(0n);
    });

    it("emits no royalty when the adapter's royalty rounds to zero", async function () {
      const { distributor, payer } = await loadFixture(rewardsFixture);
      await expect(distributor.connect(payer).payInference(2, 9n)).not.to.emit(distributor, "RoyaltyAccrued");
      expect(await distributor.royaltiesAccrued(1)).to.equal(0n);
      await expect(distributor.connect(payer).payInference(2, 20n))
        .to.emit(distributor, "RoyaltyAccrued")
        .withArgs(1n, 2n, 1n);
    });

    it("stores a new treasury, which then receives the treasury balance", async function () {
      const { distributor, token, gov, payer, carol, treasury } = await loadFixture(rewardsFixture);
      await distributor.connect(payer).payInference(1, FEE);
      await distributor.connect(gov).setTreasury(carol.address);
      expect(await distributor.treasury()).to.equal(carol.address);
      const owed = await distributor.treasuryBalance();
      const tx = distributor.withdrawTreasury();
      await expect(tx).to.changeTokenBalances(ethers, token, [carol, treasury], [owed, 0n]);
      await expect(tx).to.emit(distributor, "TreasuryWithdrawn").withArgs(carol.address, owed);
    });
  });

  describe("balances", function () {
    it("lets model owners and the treasury withdraw their accruals", async function () {
      const { distributor, token, payer, alice, treasury } = await loadFixture(rewardsFixture);
      await expect(distributor.connect(alice).withdraw())
        .to.be.revertedWithCustomError(distributor, "NothingToWithdraw")
        .withArgs(alice.address);
      await expect(distributor.withdrawTreasury())
        .to.be.revertedWithCustomError(distributor, "NothingToWithdraw")
        .withArgs(treasury.address);
      await distributor.connect(payer).payInference(1, FEE);
      const s = expectedSplit(FEE);
      await expect(distributor.connect(alice).withdraw()).to.changeTokenBalance(
        ethers,
        token,
        alice,
        s.ownerCut,
      );
      await expect(distributor.connect(payer).withdrawTreasury()).to.changeTokenBalance(
        ethers,
        token,
        treasury,
        s.treasuryCut,
      );
      expect(await distributor.balanceOf(alice.address)).to.equal(0n);
      expect(await distributor.treasuryBalance()).to.equal(0n);
    });
  });

  describe("governance settings", function () {
    it("sets splits, treasury, guardian and cooldown: owner only, within bounds", async function () {
      const { distributor, gov, carol } = await loadFixture(rewardsFixture);
      const splits = { treasuryBps: 1_000, ownerBps: 3_000, stakersBps: 2_000 };
      for (const call of [
        distributor.connect(carol).setSplits(splits),
        distributor.connect(carol).setTreasury(carol.address),
        distributor.connect(carol).setGuardian(carol.address),
        distributor.connect(carol).setCooldown(1),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(distributor, "OwnableUnauthorizedAccount")
          .withArgs(carol.address);
      }
      await expect(distributor.connect(gov).setSplits(splits))
        .to.emit(distributor, "SplitsUpdated")
        .withArgs([1_000n, 3_000n, 2_000n]);
      expect(await distributor.splits()).to.deep.equal([1_000n, 3_000n, 2_000n]);
      await expect(
        distributor.connect(gov).setSplits({ ...splits, treasuryBps: 2_001 }),
      ).to.be.revertedWithCustomError(distributor, "InvalidSplits");
      await expect(distributor.connect(gov).setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        distributor,
        "ZeroAddress",
      );
      await expect(distributor.connect(gov).setTreasury(carol.address))
        .to.emit(distributor, "TreasuryUpdated")
        .withArgs(carol.address);
      await expect(distributor.connect(gov).setGuardian(carol.address))
        .to.emit(distributor, "GuardianUpdated")
        .withArgs(carol.address);
      await expect(distributor.connect(gov).setCooldown(90 * REWARDS_EPOCH + 1))
        .to.be.revertedWithCustomError(distributor, "InvalidCooldown")
        .withArgs(90n * BigInt(REWARDS_EPOCH) + 1n, 3600n, 90n * BigInt(REWARDS_EPOCH));
      await expect(distributor.connect(gov).setCooldown(0))
        .to.be.revertedWithCustomError(distributor, "InvalidCooldown")
        .withArgs(0n, 3600n, 90n * BigInt(REWARDS_EPOCH));
      await expect(distributor.connect(gov).setCooldown(90 * REWARDS_EPOCH))
        .to.emit(distributor, "CooldownUpdated")
        .withArgs(90n * BigInt(REWARDS_EPOCH));
      expect(await distributor.MAX_COOLDOWN()).to.equal(90n * BigInt(REWARDS_EPOCH));
      await expect(distributor.connect(gov).setCooldown(3600))
        .to.emit(distributor, "CooldownUpdated")
        .withArgs(3600n);
      expect(await distributor.MIN_COOLDOWN()).to.equal(3600n);
    });
  });

  describe("staking", function () {
    it("streams stakers their share over the rewards duration, in proportion to stake", async function () {
      const { distributor, token, payer, staker, staker2 } = await loadFixture(rewardsFixture);
      await expect(distributor.connect(staker).stake(1, 3n * STAKE))
        .to.emit(distributor, "Staked")
        .withArgs(1n, staker.address, 3n * STAKE);
      await distributor.connect(staker2).stake(1, STAKE);
      expect(await distributor.totalStaked(1)).to.equal(4n * STAKE);
      expect(await distributor.rewardsDuration()).to.equal(BigInt(REWARDS_EPOCH));
      const s = expectedSplit(FEE);
      const tx = distributor.connect(payer).payInference(1, FEE);
      await expect(tx)
        .to.emit(distributor, "InferencePaid")
        .withArgs(1n, payer.address, 0n, FEE, s.treasuryCut, 0n, s.ownerCut, s.stakersCut, s.contributorsCut);
      const endsAt = BigInt(await time.latest()) + BigInt(REWARDS_EPOCH);
      expect(await distributor.stakingRewardsHeld(1)).to.equal(s.stakersCut);
      expect(await distributor.stakingStream(1)).to.deep.equal([s.stakersCut, endsAt]);
      // Nothing is owed at the moment of payment; a quarter of the period releases a quarter.
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal(0n);
      await time.increase(REWARDS_EPOCH / 4);
      const quarter = s.stakersCut / 4n;
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal((quarter * 3n) / 4n);
      expect(await distributor.pendingStakingRewards(1, staker2.address)).to.equal(quarter / 4n);
      await time.increaseTo(endsAt);
      const first = await distributor.pendingStakingRewards(1, staker.address);
      const second = await distributor.pendingStakingRewards(1, staker2.address);
      expect(first).to.equal((s.stakersCut * 3n) / 4n);
      expect(second).to.equal(s.stakersCut / 4n);
      await expect(distributor.connect(staker).claimStakingRewards(1)).to.changeTokenBalance(
        ethers,
        token,
        staker,
        first,
      );
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal(0n);
      expect(await distributor.stakingStream(1)).to.deep.equal([0n, endsAt]);
      await expect(distributor.connect(staker).claimStakingRewards(1))
        .to.be.revertedWithCustomError(distributor, "NoStakingRewards")
        .withArgs(1n, staker.address);
    });

    it("adds a new payment to what is still streaming and streams the rest over a fresh period", async function () {
      const { distributor, payer, staker } = await loadFixture(rewardsFixture);
      await distributor.connect(staker).stake(1, STAKE);
      await distributor.connect(payer).payInference(1, FEE);
      await time.increase(REWARDS_EPOCH / 2 - 1); // the next transaction is at exactly half
      await distributor.connect(payer).payInference(1, FEE);
      const stakersCut = expectedSplit(FEE).stakersCut;
      const [remaining, endsAt] = await distributor.stakingStream(1);
      expect(remaining).to.equal(stakersCut - stakersCut / 2n + stakersCut);
      expect(endsAt).to.equal(BigInt(await time.latest()) + BigInt(REWARDS_EPOCH));
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal(stakersCut / 2n);
      await time.increaseTo(endsAt);
      const owed = await distributor.pendingStakingRewards(1, staker.address);
      expect(owed).to.be.within(2n * stakersCut - 1n, 2n * stakersCut);
      expect(await distributor.stakingRewardsHeld(1)).to.equal(2n * stakersCut);
    });

    it("pauses the stream while nobody stakes and resumes it for the next stakers", async function () {
      const { distributor, payer, staker, staker2 } = await loadFixture(rewardsFixture);
      await distributor.connect(staker).stake(1, STAKE);
      await distributor.connect(payer).payInference(1, FEE);
      await distributor.connect(staker).unstake(1, STAKE); // one second later
      const stakersCut = expectedSplit(FEE).stakersCut;
      const oneSecond = stakersCut / BigInt(REWARDS_EPOCH);
      const early = await distributor.pendingStakingRewards(1, staker.address);
      expect(early).to.be.within(oneSecond - 1n, oneSecond);
      await time.increase(10 * REWARDS_EPOCH);
      await distributor.connect(staker2).stake(1, STAKE);
      const [remaining, endsAt] = await distributor.stakingStream(1);
      expect(remaining).to.be.within(stakersCut - oneSecond - 1n, stakersCut - oneSecond); // nothing lost
      expect(endsAt).to.equal(BigInt(await time.latest()) + BigInt(REWARDS_EPOCH) - 1n);
      await time.increaseTo(endsAt);
      expect(await distributor.pendingStakingRewards(1, staker2.address)).to.be.within(
        remaining - 1n,
        remaining,
      );
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal(early);
    });

    it("keeps earned rewards across stake changes and stops earning while unstaking", async function () {
      const { distributor, token, payer, staker, staker2 } = await loadFixture(rewardsFixture);
      await distributor.connect(staker).stake(1, STAKE);
      await distributor.connect(payer).payInference(1, FEE);
      await time.increase(REWARDS_EPOCH);
      const earned = await distributor.pendingStakingRewards(1, staker.address);
      expect(earned).to.equal(expectedSplit(FEE).stakersCut);
      await distributor.connect(staker).stake(1, STAKE);
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal(earned);
      await distributor.connect(staker2).stake(1, 2n * STAKE);
      const tx = distributor.connect(staker).unstake(1, 2n * STAKE);
      const unlockAt = BigInt(await time.latest()) + 1n + BigInt(REWARDS_EPOCH);
      await expect(tx)
        .to.emit(distributor, "UnstakeStarted")
        .withArgs(1n, staker.address, 2n * STAKE, unlockAt);
      await distributor.connect(payer).payInference(1, FEE);
      await time.increase(REWARDS_EPOCH);
      expect(await distributor.pendingStakingRewards(1, staker.address)).to.equal(earned); // earned nothing more
      expect(await distributor.positionOf(1, staker.address)).to.deep.equal([0n, 2n * STAKE, unlockAt]);
      await expect(distributor.connect(staker).withdrawStake(1)).to.changeTokenBalance(
        ethers,
        token,
        staker,
        2n * STAKE,
      );
      await distributor.connect(staker).claimStakingRewards(1);
    });

    it("gives each unstake its own cooldown: a later unstake never re-locks an earlier one", async function () {
      const { distributor, token, gov, staker } = await loadFixture(rewardsFixture);
      await distributor.connect(staker).stake(1, 3n * STAKE);
      await distributor.connect(staker).unstake(1, STAKE);
      const firstUnlock = BigInt(await time.latest()) + BigInt(REWARDS_EPOCH);
      await time.increase(REWARDS_EPOCH / 2);
      await distributor.connect(staker).unstake(1, STAKE);
      const secondUnlock = BigInt(await time.latest()) + BigInt(REWARDS_EPOCH);
      expect(await distributor.positionOf(1, staker.address)).to.deep.equal([
        STAKE,
        2n * STAKE,
        secondUnlock,
      ]);
      await expect(distributor.connect(staker).withdrawStake(1))
        .to.be.revertedWithCustomError(distributor, "StakeLocked")
        .withArgs(2n * STAKE, firstUnlock);
      await time.increaseTo(firstUnlock);
      await expect(distributor.connect(staker).withdrawStake(1))
        .to.emit(distributor, "StakeWithdrawn")
        .withArgs(1n, staker.address, STAKE); // only the first tranche, on its own schedule
      await expect(distributor.connect(staker).withdrawStake(1))
        .to.be.revertedWithCustomError(distributor, "StakeLocked")
        .withArgs(STAKE, secondUnlock);
      // A shorter cooldown never lets a later tranche overtake an earlier one.
      await distributor.connect(gov).setCooldown(3600);
      await distributor.connect(staker).unstake(1, STAKE);
      expect((await distributor.positionOf(1, staker.address)).unlockAt).to.equal(secondUnlock);
      await time.increaseTo(secondUnlock);
      await expect(distributor.connect(staker).withdrawStake(1)).to.changeTokenBalance(
        ethers,
        token,
        staker,
        2n * STAKE,
      );
      expect(await distributor.positionOf(1, staker.address)).to.deep.equal([0n, 0n, secondUnlock]);
    });

    it("refuses new stakes while paused; unstaking, withdrawing and claiming still work", async function () {
      const { distributor, guardian, payer, staker, staker2 } = await loadFixture(rewardsFixture);
      await distributor.connect(staker).stake(1, 2n * STAKE);
      await distributor.connect(payer).payInference(1, FEE);
      await time.increase(REWARDS_EPOCH);
      await distributor.connect(guardian).pause();
      await expect(distributor.connect(staker2).stake(1, STAKE)).to.be.revertedWithCustomError(
        distributor,
        "EnforcedPause",
      );
      await distributor.connect(staker).claimStakingRewards(1);
      await distributor.connect(staker).unstake(1, STAKE);
      await time.increase(REWARDS_EPOCH);
      await distributor.connect(staker).withdrawStake(1);
      await distributor.connect(guardian).unpause();
      await distributor.connect(staker2).stake(1, STAKE);
    });

    it("validates amounts, minimum stake and the model", async function () {
      const { distributor, models, alice, staker } = await loadFixture(rewardsFixture);
      await expect(distributor.connect(staker).stake(1, 0)).to.be.revertedWithCustomError(
        distributor,
        "ZeroAmount",
      );
      await expect(distributor.connect(staker).unstake(1, 0)).to.be.revertedWithCustomError(
        distributor,
        "ZeroAmount",
      );
      await expect(distributor.connect(staker).stake(1, 10n ** 18n - 1n))
        .to.be.revertedWithCustomError(distributor, "StakeBelowMinimum")
        .withArgs(10n ** 18n - 1n, 10n ** 18n);
      await distributor.connect(staker).stake(1, STAKE);
      await expect(distributor.connect(staker).unstake(1, STAKE + 1n))
        .to.be.revertedWithCustomError(distributor, "InsufficientStake")
        .withArgs(STAKE + 1n, STAKE);
      await expect(distributor.connect(staker).unstake(1, STAKE - 1n))
        .to.be.revertedWithCustomError(distributor, "StakeBelowMinimum")
        .withArgs(1n, 10n ** 18n);
      await expect(distributor.connect(staker).withdrawStake(1))
        .to.be.revertedWithCustomError(distributor, "StakeLocked")
        .withArgs(0n, 0n);
      await expect(distributor.connect(staker).stake(9, STAKE))
        .to.be.revertedWithCustomError(distributor, "UnknownModel")
        .withArgs(9n);
      await models.connect(alice).setModelActive(1, false);
      await expect(distributor.connect(staker).stake(1, STAKE))
        .to.be.revertedWithCustomError(distributor, "InactiveModel")
        .withArgs(1n);
      await distributor.connect(staker).unstake(1, STAKE); // exits still work on inactive models
    });
  });
});
