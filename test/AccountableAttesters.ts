import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import type { Signer } from "ethers";
import { network } from "hardhat";
import { hashTypedData, type Address, type Hex } from "viem";

import {
  ATTEST_REPORT_TYPES,
  ATTRIBUTION_DOMAIN_NAME,
  CUMULATIVE_LEAF_TYPES,
  hashReport,
  hashSupporters,
  ReportFault,
  WEIGHT_LEAF_TYPES,
  weightLeafFault,
  CONTRIBUTION_STATUSES,
} from "../sdk/index.js";
import {
  fixtures,
  REWARDS_CHALLENGE_WINDOW,
  REWARDS_EPOCH,
  TEST_ATTESTER_BONDS,
} from "./helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { rewardsFixture } = fixtures(connection);
const { loadFixture, time } = networkHelpers;

const ZERO = ethers.ZeroAddress;
const MIN_BOND = TEST_ATTESTER_BONDS.minBond;
type Weight = [contributionId: string, contributor: string, weight: bigint];
type Amount = [account: string, cumulativeAmount: bigint];

/**
 * Model 3, trained on version 2 of datanet 1 (and version 1 of datanet 2, where alice contributed
 * nothing), and contributions by alice in every state an
 * attester may meet; then epoch 1 (the reported epoch) with fees paid to model 3, closed.
 * - accepted: in version 2, eligible;
 * - withdrawnEarly: in version 2, withdrawn in epoch 0 (before the reported epoch began);
 * - withdrawnLate: in version 2, withdrawn during epoch 1 (eligible for it);
 * - pending, rejected: never accepted;
 * - late: accepted after version 2 was snapshotted;
 * - regiven: in version 2, withdrawn during epoch 1 and submitted again by alice (pending).
 */
async function scenarioFixture() {
  const f = await rewardsFixture();
  const { contributions, models, alice, r1, r2, curator, distributor, payer, attribution } = f;
  const datanet = f.free;
  const ids: Record<string, string> = {};
  const contribute = async (name: string) => {
    const hash = ethers.id(name);
    await contributions.connect(alice).contribute(datanet, hash, `ipfs://${name}`, 0);
    ids[name] = await contributions.contributionId(datanet, hash);
    return ids[name];
  };
  const review = async (name: string, approve: boolean) => {
    for (const r of [r1, r2]) await contributions.connect(r).review(ids[name], approve);
  };
  for (const n of ["accepted", "withdrawnEarly", "withdrawnLate", "regiven"]) {
    await contribute(n);
    await review(n, true);
  }
  await contribute("pending");
  await contribute("rejected");
  await review("rejected", false);
  await contributions.connect(curator).snapshotVersion(datanet); // version 2
  await contributions.connect(curator).snapshotVersion(f.bonded); // version 1 of the other datanet
  await contributions.connect(alice).withdraw(ids.withdrawnEarly);
  await contribute("late");
  await review("late", true);
  const trainedOn = [
    { datanetId: f.bonded, version: 1 },
    { datanetId: datanet, version: 2 },
  ];
  await models.connect(alice).registerModel("ipfs://model-3", trainedOn, 0, 0);
  const modelId = 3n;
  const epoch = 1n;
  await time.increaseTo(await attribution.epochEnd(0)); // epoch 1 begins
  await contributions.connect(alice).withdraw(ids.withdrawnLate);
  await contributions.connect(alice).withdraw(ids.regiven);
  await time.increase(1);
  await contributions.connect(alice).contribute(datanet, ethers.id("regiven"), "ipfs://regiven", 0);
  await distributor.connect(payer).payInference(modelId, ethers.parseEther("1000"));
  await time.increaseTo(await attribution.epochEnd(epoch));
  const pool = await distributor.contributorPoolFunded(modelId, epoch);
  return { ...f, ids, modelId, epoch, pool };
}

type Scenario = Awaited<ReturnType<typeof scenarioFixture>>;

/** A report of model `modelId` for `epoch` with exactly these leaves and totals. */
function craft(
  modelId: bigint,
  weights: Weight[],
  amounts: Amount[],
  totals?: { weight?: bigint; cumulative?: bigint },
) {
  const weightsTree = StandardMerkleTree.of(weights, WEIGHT_LEAF_TYPES);
  const cumulativeTree = StandardMerkleTree.of(
    amounts.map(([a, v]) => [modelId, a, v]),
    CUMULATIVE_LEAF_TYPES,
  );
  const report = {
    weightsRoot: weightsTree.root,
    totalWeight: totals?.weight ?? weights.reduce((s, w) => s + w[2], 0n),
    cumulativeRoot: cumulativeTree.root,
    totalCumulative: totals?.cumulative ?? amounts.reduce((s, a) => s + a[1], 0n),
    uri: `ipfs://report-${weightsTree.root.slice(2, 10)}-${cumulativeTree.root.slice(2, 10)}`,
  };
  return {
    report,
    weightEvidence: (i: number) => ({
      contributionId: weights[i][0],
      contributor: weights[i][1],
      weight: weights[i][2],
      proof: weightsTree.getProof(weights[i]),
    }),
    rewardEvidence: (i: number, previous?: { amount: bigint; proof: string[] }) => ({
      account: amounts[i][0],
      cumulativeAmount: amounts[i][1],
      proof: cumulativeTree.getProof([modelId, ...amounts[i]]),
      previousAmount: previous?.amount ?? 0n,
      previousProof: previous?.proof ?? [],
    }),
    proofOf: (i: number) => cumulativeTree.getProof([modelId, ...amounts[i]]),
  };
}

/** Posts `report` with a1 and a2 (separate submissions); returns its supporters in event order. */
async function post(f: Scenario, modelId: bigint, epoch: bigint, report: ReturnType<typeof craft>["report"]) {
  await f.attribution.connect(f.a1).submitReport(modelId, epoch, report);
  await f.attribution.connect(f.a2).submitReport(modelId, epoch, report);
  return [f.a1.address, f.a2.address];
}

/** An attester's EIP-712 signature of `report` for `round`, with a domain that may be tampered with. */
async function sign(
  f: Scenario,
  signer: Signer,
  modelId: bigint,
  epoch: bigint,
  report: ReturnType<typeof craft>["report"],
  round = 0n,
  domain: { chainId?: bigint; verifyingContract?: string } = {},
) {
  const { chainId } = await ethers.provider.getNetwork();
  const signature = await signer.signTypedData(
    {
      name: ATTRIBUTION_DOMAIN_NAME,
      version: "1",
      chainId: domain.chainId ?? chainId,
      verifyingContract: domain.verifyingContract ?? (await f.attribution.getAddress()),
    },
    { AttestReport: [...ATTEST_REPORT_TYPES.AttestReport] },
    { modelId, epoch, round, reportHash: hashReport(modelId, epoch, report as never) },
  );
  return { attester: await signer.getAddress(), signature };
}

/** Asserts that `tx` voided model `modelId`'s report of `epoch` for `fault`, opening `round`. */
async function expectVoided(
  f: Scenario,
  tx: Promise<unknown>,
  modelId: bigint,
  epoch: bigint,
  fault: keyof typeof ReportFault,
  round = 1n,
) {
  await expect(tx)
    .to.emit(f.attribution, "ReportVoided")
    .withArgs(modelId, epoch, anyValue, anyValue, ReportFault[fault], round, anyValue, anyValue);
}

const byAddress = (a: { attester: string }, b: { attester: string }) =>
  BigInt(a.attester) < BigInt(b.attester) ? -1 : 1;

describe("Accountable attesters", function () {
  describe("leaf formats and hashes", function () {
    it("the SDK's report hash, supporters hash and attestation digest are the contract's", async function () {
      const f = await loadFixture(scenarioFixture);
      const { report } = craft(f.modelId, [[f.ids.accepted, f.alice.address, 5n]], [[f.alice.address, 1n]]);
      expect(hashReport(f.modelId, f.epoch, report as never)).to.equal(
        await f.attribution.hashReport(f.modelId, f.epoch, report),
      );
      const supporters = await post(f, f.modelId, f.epoch, report);
      expect((await f.attribution.pendingReport(f.modelId)).supportersHash).to.equal(
        hashSupporters(supporters as Address[]),
      );
      const { chainId } = await ethers.provider.getNetwork();
      const reportHash = hashReport(f.modelId, f.epoch, report as never);
      const digest = hashTypedData({
        domain: {
          name: ATTRIBUTION_DOMAIN_NAME,
          version: "1",
          chainId,
          verifyingContract: (await f.attribution.getAddress()) as Address,
        },
        types: ATTEST_REPORT_TYPES,
        primaryType: "AttestReport",
        message: { modelId: f.modelId, epoch: f.epoch, round: 3n, reportHash },
      });
      expect(await f.attribution.attestationDigest(f.modelId, f.epoch, 3n, reportHash)).to.equal(digest);
      // Eligibility is read from the models' ContributionRegistry; bonds are in the distributor's token.
      expect(await f.attribution.contributionRegistry()).to.equal(await f.contributions.getAddress());
      expect(await f.attribution.bondToken()).to.equal(await f.token.getAddress());
    });

    it("proofs of the SDK's weights and rewards trees verify on chain (leaf types as documented)", async function () {
      const f = await loadFixture(scenarioFixture);
      // A leaf above the total is a fault checked before any chain read: it proves the proof verified.
      const crafted = craft(
        f.modelId,
        [
          [f.ids.accepted, f.alice.address, 5n],
          [f.ids.late, f.alice.address, 7n],
        ],
        [[f.alice.address, f.pool]],
        { weight: 6n },
      );
      const supporters = await post(f, f.modelId, f.epoch, crafted.report);
      const broken = { ...crafted.weightEvidence(1), weight: 8n };
      await expect(
        f.attribution.challengeWeight(f.modelId, crafted.report, supporters, broken),
      ).to.be.revertedWithCustomError(f.attribution, "InvalidLeafProof");
      const [challenger] = await ethers.getSigners();
      await expect(
        f.attribution.challengeWeight(f.modelId, crafted.report, supporters, crafted.weightEvidence(1)),
      )
        .to.emit(f.attribution, "ReportVoided")
        .withArgs(
          f.modelId,
          f.epoch,
          challenger.address,
          hashReport(f.modelId, f.epoch, crafted.report as never),
          ReportFault.WeightAboveTotal,
          1n,
          anyValue,
          anyValue,
        );
    });
  });

  describe("challenges: each fault voids a crafted report and fails against a correct one", function () {
    /** Posts a report of model 3 whose only weights leaf is `weight`, and challenges it. */
    async function challengeWeight(f: Scenario, weight: Weight, totalWeight?: bigint) {
      const crafted = craft(f.modelId, [weight], [[f.alice.address, f.pool]], { weight: totalWeight });
      const supporters = await post(f, f.modelId, f.epoch, crafted.report);
      const call = () =>
        f.attribution.challengeWeight(f.modelId, crafted.report, supporters, crafted.weightEvidence(0));
      return { call, crafted, supporters };
    }

    it("a weights leaf for an eligible contribution with its contributor proves nothing", async function () {
      const f = await loadFixture(scenarioFixture);
      for (const name of ["accepted", "withdrawnLate", "regiven"]) {
        const { call } = await challengeWeight(f, [f.ids[name], f.alice.address, 10n]);
        await expect(call(), name).to.be.revertedWithCustomError(f.attribution, "NoFault");
        await f.attribution.connect(f.guardian).veto(f.modelId); // clear it for the next one
      }
    });

    for (const name of ["pending", "rejected", "withdrawnEarly", "late"]) {
      it(`a non-zero weight for a ${name} contribution is IneligibleContribution; a zero weight proves nothing`, async function () {
        const f = await loadFixture(scenarioFixture);
        const zero = await challengeWeight(f, [f.ids[name], f.alice.address, 0n], 1n);
        await expect(zero.call()).to.be.revertedWithCustomError(f.attribution, "NoFault");
        await f.attribution.connect(f.guardian).veto(f.modelId);
        const { call } = await challengeWeight(f, [f.ids[name], f.alice.address, 10n]);
        await expectVoided(f, call(), f.modelId, f.epoch, "IneligibleContribution", 2n);
        expect((await f.attribution.modelReports(f.modelId)).hasPending).to.equal(false);
      });
    }

    it("a non-zero weight for an unknown contribution is IneligibleContribution", async function () {
      const f = await loadFixture(scenarioFixture);
      const { call } = await challengeWeight(f, [ethers.id("never contributed"), f.alice.address, 1n]);
      await expectVoided(f, call(), f.modelId, f.epoch, "IneligibleContribution");
    });

    it("a contribution outside the model's datanet versions is IneligibleContribution", async function () {
      const f = await loadFixture(scenarioFixture);
      // Model 1 is trained on version 1 of datanet 1, snapshotted before any contribution.
      await f.distributor.connect(f.payer).payInference(1, ethers.parseEther("10"));
      await time.increaseTo(await f.attribution.epochEnd(f.epoch + 1n));
      const pool = await f.distributor.contributorPoolFunded(1, f.epoch + 1n);
      const crafted = craft(1n, [[f.ids.accepted, f.alice.address, 1n]], [[f.alice.address, pool]]);
      const supporters = await post(f, 1n, f.epoch + 1n, crafted.report);
      await expectVoided(
        f,
        f.attribution.challengeWeight(1n, crafted.report, supporters, crafted.weightEvidence(0)),
        1n,
        f.epoch + 1n,
        "IneligibleContribution",
      );
    });

    it("a contribution of a datanet the model was not trained on is IneligibleContribution, even if accepted before its versions", async function () {
      const f = await loadFixture(scenarioFixture);
      // Trained only on the other datanet, snapshotted after "accepted" was accepted in this one.
      await f.models
        .connect(f.alice)
        .registerModel("ipfs://other-datanet", [{ datanetId: f.bonded, version: 1 }], 0, 0);
      const modelId = await f.models.modelCount();
      await f.distributor.connect(f.payer).payInference(modelId, ethers.parseEther("10"));
      await time.increaseTo(await f.attribution.epochEnd(f.epoch + 1n));
      const pool = await f.distributor.contributorPoolFunded(modelId, f.epoch + 1n);
      const crafted = craft(modelId, [[f.ids.accepted, f.alice.address, 1n]], [[f.alice.address, pool]]);
      const supporters = await post(f, modelId, f.epoch + 1n, crafted.report);
      await expectVoided(
        f,
        f.attribution.challengeWeight(modelId, crafted.report, supporters, crafted.weightEvidence(0)),
        modelId,
        f.epoch + 1n,
        "IneligibleContribution",
      );
    });

    it("a weights leaf naming another contributor is WrongContributor, even with zero weight", async function () {
      const f = await loadFixture(scenarioFixture);
      const { call } = await challengeWeight(f, [f.ids.accepted, f.bob.address, 0n], 1n);
      await expectVoided(f, call(), f.modelId, f.epoch, "WrongContributor");
    });

    it("a contributor withdrawing and re-submitting after an honest report cannot make it challengeable", async function () {
      const f = await loadFixture(scenarioFixture);
      const { call } = await challengeWeight(f, [f.ids.accepted, f.alice.address, 10n]);
      // The griefing attempt: the record now shows a pending submission.
      await f.contributions.connect(f.alice).withdraw(f.ids.accepted);
      await time.increase(1);
      await f.contributions.connect(f.alice).contribute(f.free, ethers.id("accepted"), "ipfs://accepted", 0);
      expect((await f.contributions.getContribution(f.ids.accepted)).status).to.equal(1n);
      await expect(call()).to.be.revertedWithCustomError(f.attribution, "NoFault");
    });

    it("the SDK's weight-leaf rule gives the contract's answer for every contribution and leaf", async function () {
      const f = await loadFixture(scenarioFixture);
      const epochStart = (await f.attribution.epochEnd(f.epoch)) - BigInt(REWARDS_EPOCH);
      const { timestamp } = await f.contributions.getVersion(f.free, 2);
      const unknown = ethers.id("never contributed");
      for (const id of [...Object.values(f.ids), unknown]) {
        const record = await f.contributions.getContribution(id);
        const facts = {
          contributor: record.contributor as Address,
          datanetId: record.datanetId,
          status: CONTRIBUTION_STATUSES[Number(record.status)],
          decidedAt: record.decidedAt,
          withdrawnAt: record.withdrawnAt,
          previousWithdrawnAt: record.previousWithdrawnAt,
        };
        for (const [who, weight, total] of [
          [f.alice.address, 3n, 5n],
          [f.alice.address, 0n, 5n],
          [f.bob.address, 3n, 5n],
          [f.alice.address, 6n, 5n],
        ] as const) {
          const onchain = await f.attribution.weightLeafFault(f.modelId, f.epoch, id, who, weight, total);
          const sdk = weightLeafFault({ contributor: who as Address, weight }, total, facts, epochStart, [
            BigInt(timestamp),
          ]);
          expect(sdk, `${id} ${who} ${weight}/${total}`).to.equal(Number(onchain));
        }
      }
    });

    it("a rewards leaf above the total is AmountAboveTotal; at the total it proves nothing", async function () {
      const f = await loadFixture(scenarioFixture);
      const half = f.pool / 2n;
      const crafted = craft(
        f.modelId,
        [[f.ids.accepted, f.alice.address, 1n]],
        [
          [f.alice.address, half],
          [f.bob.address, half + 1n],
        ],
        { cumulative: half },
      );
      const supporters = await post(f, f.modelId, f.epoch, crafted.report);
      await expect(
        f.attribution.challengeReward(f.modelId, crafted.report, supporters, crafted.rewardEvidence(0)),
      ).to.be.revertedWithCustomError(f.attribution, "NoFault");
      const unproven = { ...crafted.rewardEvidence(1), cumulativeAmount: half + 2n };
      await expect(
        f.attribution.challengeReward(f.modelId, crafted.report, supporters, unproven),
      ).to.be.revertedWithCustomError(f.attribution, "InvalidLeafProof");
      await expectVoided(
        f,
        f.attribution.challengeReward(f.modelId, crafted.report, supporters, crafted.rewardEvidence(1)),
        f.modelId,
        f.epoch,
        "AmountAboveTotal",
      );
    });

    /** Finalizes a first report paying alice `first` and has her claim it; returns its proof. */
    async function finalFirst(f: Scenario, first: bigint) {
      const crafted = craft(
        f.modelId,
        [[f.ids.accepted, f.alice.address, 1n]],
        [
          [f.alice.address, first],
          [f.bob.address, 1n],
        ],
      );
      await post(f, f.modelId, f.epoch, crafted.report);
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await f.attribution.finalizeReport(f.modelId);
      return crafted;
    }

    it("a rewards leaf below what the account claimed is AmountBelowClaimed", async function () {
      const f = await loadFixture(scenarioFixture);
      const first = await finalFirst(f, f.pool / 2n);
      await f.distributor.claim(f.modelId, f.alice.address, f.pool / 2n, first.proofOf(0));
      await f.distributor.connect(f.payer).payInference(f.modelId, ethers.parseEther("10"));
      await time.increaseTo(await f.attribution.epochEnd(f.epoch + 1n));
      const lower = craft(
        f.modelId,
        [[f.ids.accepted, f.alice.address, 1n]],
        [
          [f.alice.address, f.pool / 2n - 1n],
          [f.bob.address, f.pool / 2n + 2n],
        ],
      );
      const supporters = await post(f, f.modelId, f.epoch + 1n, lower.report);
      await expect(
        f.attribution.challengeReward(f.modelId, lower.report, supporters, lower.rewardEvidence(1)),
      ).to.be.revertedWithCustomError(f.attribution, "NoFault"); // bob's leaf went up: no fault
      await expectVoided(
        f,
        f.attribution.challengeReward(f.modelId, lower.report, supporters, lower.rewardEvidence(0)),
        f.modelId,
        f.epoch + 1n,
        "AmountBelowClaimed",
      );
    });

    it("a rewards leaf below its leaf in the previous final report is AmountBelowPrevious (proof checked)", async function () {
      const f = await loadFixture(scenarioFixture);
      const first = await finalFirst(f, f.pool / 2n); // not claimed
      await time.increaseTo(await f.attribution.epochEnd(f.epoch + 1n));
      const lower = craft(
        f.modelId,
        [[f.ids.accepted, f.alice.address, 1n]],
        [
          [f.alice.address, f.pool / 2n - 1n],
          [f.bob.address, 2n],
        ],
      );
      const supporters = await post(f, f.modelId, f.epoch + 1n, lower.report);
      // Without the previous leaf, nothing is proven; with a wrong previous proof, nothing either.
      await expect(
        f.attribution.challengeReward(f.modelId, lower.report, supporters, lower.rewardEvidence(0)),
      ).to.be.revertedWithCustomError(f.attribution, "NoFault");
      const forged = lower.rewardEvidence(0, { amount: f.pool, proof: first.proofOf(0) });
      await expect(
        f.attribution.challengeReward(f.modelId, lower.report, supporters, forged),
      ).to.be.revertedWithCustomError(f.attribution, "InvalidLeafProof");
      const previous = { amount: f.pool / 2n, proof: first.proofOf(0) };
      await expectVoided(
        f,
        f.attribution.challengeReward(f.modelId, lower.report, supporters, lower.rewardEvidence(0, previous)),
        f.modelId,
        f.epoch + 1n,
        "AmountBelowPrevious",
      );
    });

    it("refuses a challenge with no pending report, the wrong report or supporters, or after the window", async function () {
      const f = await loadFixture(scenarioFixture);
      const crafted = craft(f.modelId, [[f.ids.pending, f.alice.address, 1n]], [[f.alice.address, 1n]]);
      await expect(f.attribution.challengeWeight(f.modelId, crafted.report, [], crafted.weightEvidence(0)))
        .to.be.revertedWithCustomError(f.attribution, "NoPendingReport")
        .withArgs(f.modelId);
      const supporters = await post(f, f.modelId, f.epoch, crafted.report);
      const other = { ...crafted.report, uri: "ipfs://other" };
      const otherHash = hashReport(f.modelId, f.epoch, other as never);
      await expect(f.attribution.challengeWeight(f.modelId, other, supporters, crafted.weightEvidence(0)))
        .to.be.revertedWithCustomError(f.attribution, "NotPendingReport")
        .withArgs(f.modelId, otherHash);
      await expect(
        f.attribution.challengeWeight(f.modelId, crafted.report, [f.a1.address], crafted.weightEvidence(0)),
      ).to.be.revertedWithCustomError(f.attribution, "NotPendingReport");
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await expect(
        f.attribution.challengeWeight(f.modelId, crafted.report, supporters, crafted.weightEvidence(0)),
      ).to.be.revertedWithCustomError(f.attribution, "ChallengeWindowOver");
      // It stands and pays.
      await f.attribution.finalizeReport(f.modelId);
    });

    it("a voided report can never come back, and the epoch can be reported again", async function () {
      const f = await loadFixture(scenarioFixture);
      const bad = craft(f.modelId, [[f.ids.pending, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      const supporters = await post(f, f.modelId, f.epoch, bad.report);
      await f.attribution.challengeWeight(f.modelId, bad.report, supporters, bad.weightEvidence(0));
      const hash = hashReport(f.modelId, f.epoch, bad.report as never);
      expect(await f.attribution.isBarred(hash)).to.equal(true);
      for (const a of [f.a1, f.a2]) await f.attribution.connect(a).bond(MIN_BOND); // active again
      await expect(f.attribution.connect(f.a1).submitReport(f.modelId, f.epoch, bad.report))
        .to.be.revertedWithCustomError(f.attribution, "BarredReport")
        .withArgs(hash);
      const good = craft(f.modelId, [[f.ids.accepted, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      await post(f, f.modelId, f.epoch, good.report);
      expect((await f.attribution.modelReports(f.modelId)).round).to.equal(1n);
    });
  });

  describe("slashing", function () {
    it("slashes each supporter's bond, then its unbonding OPEN; the challenger gets its share, the treasury the rest", async function () {
      const f = await loadFixture(scenarioFixture);
      await f.attribution.connect(f.a1).bond(MIN_BOND); // a1: 2,000 bonded
      await f.attribution.connect(f.a1).requestUnbond(MIN_BOND); // a1: 1,000 bonded + 1,000 unbonding
      const bad = craft(f.modelId, [[f.ids.rejected, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      const supporters = await post(f, f.modelId, f.epoch, bad.report);
      const [, , , , , , , , , , , , , , , , , , , challenger] = await ethers.getSigners();
      const before = {
        challenger: await f.token.balanceOf(challenger.address),
        treasury: await f.token.balanceOf(f.treasury.address),
        registry: await f.token.balanceOf(await f.attribution.getAddress()),
      };
      const tx = f.attribution
        .connect(challenger)
        .challengeWeight(f.modelId, bad.report, supporters, bad.weightEvidence(0));
      // Half of (bond + unbonding): a1 loses 1,000 (all of its bond), a2 500.
      const a1Slash = (2n * MIN_BOND * 5_000n) / 10_000n;
      const a2Slash = (MIN_BOND * 5_000n) / 10_000n;
      const slashed = a1Slash + a2Slash;
      const reward = (slashed * 2_000n) / 10_000n;
      await expect(tx)
        .to.emit(f.attribution, "AttesterSlashed")
        .withArgs(f.a1.address, a1Slash, 0n, MIN_BOND);
      await expect(tx)
        .to.emit(f.attribution, "AttesterSlashed")
        .withArgs(f.a2.address, a2Slash, MIN_BOND - a2Slash, 0n);
      await expect(tx)
        .to.emit(f.attribution, "ReportVoided")
        .withArgs(
          f.modelId,
          f.epoch,
          challenger.address,
          anyValue,
          ReportFault.IneligibleContribution,
          1n,
          slashed,
          reward,
        );
      expect((await f.token.balanceOf(challenger.address)) - before.challenger).to.equal(reward);
      expect((await f.token.balanceOf(f.treasury.address)) - before.treasury).to.equal(slashed - reward);
      expect(before.registry - (await f.token.balanceOf(await f.attribution.getAddress()))).to.equal(slashed);
      // Both fell below the minimum: they no longer count; a3 still does.
      expect(await f.attribution.isActiveAttester(f.a1.address)).to.equal(false);
      expect(await f.attribution.isActiveAttester(f.a2.address)).to.equal(false);
      expect(await f.attribution.activeAttesterCount()).to.equal(1n);
      const good = craft(f.modelId, [[f.ids.accepted, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      await expect(f.attribution.connect(f.a1).submitReport(f.modelId, f.epoch, good.report))
        .to.be.revertedWithCustomError(f.attribution, "InactiveAttester")
        .withArgs(f.a1.address, 0n, MIN_BOND);
    });

    it("a challenger share of 0 % pays the treasury everything, 100 % the challenger; no zero transfer", async function () {
      for (const challengerShareBps of [0, 10_000]) {
        const f = await loadFixture(scenarioFixture);
        await f.attribution.connect(f.gov).setBondSettings({ ...TEST_ATTESTER_BONDS, challengerShareBps });
        const bad = craft(f.modelId, [[f.ids.rejected, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
        const supporters = await post(f, f.modelId, f.epoch, bad.report);
        const challenger = f.bob;
        const before = {
          challenger: await f.token.balanceOf(challenger.address),
          treasury: await f.token.balanceOf(f.treasury.address),
        };
        const tx = await f.attribution
          .connect(challenger)
          .challengeWeight(f.modelId, bad.report, supporters, bad.weightEvidence(0));
        const slashed = (2n * MIN_BOND * BigInt(TEST_ATTESTER_BONDS.slashBps)) / 10_000n;
        const reward = challengerShareBps === 0 ? 0n : slashed;
        await expect(tx)
          .to.emit(f.attribution, "ReportVoided")
          .withArgs(f.modelId, f.epoch, challenger.address, anyValue, anyValue, 1n, slashed, reward);
        expect((await f.token.balanceOf(challenger.address)) - before.challenger).to.equal(reward);
        expect((await f.token.balanceOf(f.treasury.address)) - before.treasury).to.equal(slashed - reward);
        const transfers = (await tx.wait())!.logs
          .map((log) => f.token.interface.parseLog(log))
          .filter((event) => event?.name === "Transfer");
        expect(transfers.map((t) => t!.args.value)).to.deep.equal([slashed], `share ${challengerShareBps}`);
      }
    });

    it("support from an attester that became inactive no longer counts toward the threshold", async function () {
      const f = await loadFixture(scenarioFixture);
      const good = craft(f.modelId, [[f.ids.accepted, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      await f.attribution.connect(f.a1).submitReport(f.modelId, f.epoch, good.report);
      const hash = hashReport(f.modelId, f.epoch, good.report as never);
      expect(await f.attribution.support(f.modelId, f.epoch, hash)).to.equal(1n);
      await f.attribution.connect(f.a1).requestUnbond(1n); // below the minimum
      expect(await f.attribution.support(f.modelId, f.epoch, hash)).to.equal(0n);
      await expect(f.attribution.connect(f.a2).submitReport(f.modelId, f.epoch, good.report)).not.to.emit(
        f.attribution,
        "ReportPending",
      );
      await f.attribution.connect(f.a3).submitReport(f.modelId, f.epoch, good.report);
      expect((await f.attribution.modelReports(f.modelId)).hasPending).to.equal(true);
    });
  });

  describe("bonds", function () {
    it("bond, unbond after the delay, withdraw; each refusal names its values", async function () {
      const f = await loadFixture(scenarioFixture);
      const { attribution, a1 } = f;
      await expect(attribution.connect(a1).bond(0))
        .to.be.revertedWithCustomError(attribution, "InvalidBondAmount")
        .withArgs(0n);
      await expect(attribution.connect(a1).bond(2n ** 96n))
        .to.be.revertedWithCustomError(attribution, "InvalidBondAmount")
        .withArgs(2n ** 96n);
      await expect(attribution.connect(a1).bond(MIN_BOND))
        .to.emit(attribution, "Bonded")
        .withArgs(a1.address, MIN_BOND, 2n * MIN_BOND);
      await expect(attribution.connect(a1).requestUnbond(0))
        .to.be.revertedWithCustomError(attribution, "InvalidBondAmount")
        .withArgs(0n);
      await expect(attribution.connect(a1).requestUnbond(2n * MIN_BOND + 1n))
        .to.be.revertedWithCustomError(attribution, "InsufficientBond")
        .withArgs(2n * MIN_BOND, 2n * MIN_BOND + 1n);
      await expect(attribution.connect(a1).withdrawBond())
        .to.be.revertedWithCustomError(attribution, "NothingUnbonding")
        .withArgs(a1.address);
      // The event carries what an indexer needs: the amount, the total unbonding and the unlock time.
      const unlockAt = BigInt(await time.latest()) + 1n + BigInt(TEST_ATTESTER_BONDS.unbondingDelay);
      await expect(attribution.connect(a1).requestUnbond(MIN_BOND))
        .to.emit(attribution, "UnbondRequested")
        .withArgs(a1.address, MIN_BOND, MIN_BOND, unlockAt);
      expect(await attribution.isActiveAttester(a1.address)).to.equal(true); // 1,000 still bonded
      await expect(attribution.connect(a1).withdrawBond())
        .to.be.revertedWithCustomError(attribution, "BondLocked")
        .withArgs(unlockAt);
      // The delay is longer than the challenge window.
      expect(BigInt(TEST_ATTESTER_BONDS.unbondingDelay)).to.be.greaterThan(
        await attribution.challengeWindow(),
      );
      await time.increaseTo(unlockAt);
      const balance = await f.token.balanceOf(a1.address);
      await expect(attribution.connect(a1).withdrawBond())
        .to.emit(attribution, "BondWithdrawn")
        .withArgs(a1.address, MIN_BOND);
      expect((await f.token.balanceOf(a1.address)) - balance).to.equal(MIN_BOND);
      const info = await attribution.attesterInfo(a1.address);
      expect([info.registered, info.active, info.bond, info.unbonding]).to.deep.equal([
        true,
        true,
        MIN_BOND,
        0n,
      ]);
    });

    it("bond settings: owner only, in bounds; a new minimum applies at once; the window stays below the delay", async function () {
      const f = await loadFixture(scenarioFixture);
      const { attribution, gov, a1 } = f;
      const settings = { ...TEST_ATTESTER_BONDS, minBond: MIN_BOND + 1n };
      await expect(attribution.connect(a1).setBondSettings(settings))
        .to.be.revertedWithCustomError(attribution, "OwnableUnauthorizedAccount")
        .withArgs(a1.address);
      for (const bad of [
        { ...settings, minBond: 0n },
        { ...settings, unbondingDelay: REWARDS_CHALLENGE_WINDOW },
        { ...settings, unbondingDelay: 90 * 86_400 + 1 },
        { ...settings, slashBps: 0 },
        { ...settings, slashBps: 10_001 },
        { ...settings, challengerShareBps: 10_001 },
      ]) {
        await expect(attribution.connect(gov).setBondSettings(bad)).to.be.revertedWithCustomError(
          attribution,
          "InvalidBondSettings",
        );
      }
      await attribution.connect(f.a2).bond(1n); // a2 alone meets the new minimum
      await expect(attribution.connect(gov).setBondSettings(settings)).to.emit(
        attribution,
        "BondSettingsUpdated",
      );
      expect(await attribution.activeAttesterCount()).to.equal(1n);
      expect(await attribution.isActiveAttester(f.a2.address)).to.equal(true);
      await attribution.connect(a1).bond(1n);
      expect(await attribution.activeAttesterCount()).to.equal(2n);
      expect(await attribution.bondSettings()).to.deep.equal(Object.values(settings));
      // A minimum above every bond deactivates every attester (bonds are kept); lowering it restores them.
      await attribution.connect(gov).setBondSettings({ ...settings, minBond: 10n * MIN_BOND });
      expect(await attribution.activeAttesterCount()).to.equal(0n);
      for (const attester of [a1, f.a2, f.a3]) {
        const info = await attribution.attesterInfo(attester.address);
        expect([info.registered, info.active]).to.deep.equal([true, false]);
      }
      expect((await attribution.attesterInfo(a1.address)).bond).to.equal(MIN_BOND + 1n);
      await attribution.connect(gov).setBondSettings(settings);
      expect(await attribution.activeAttesterCount()).to.equal(2n);
      await expect(attribution.connect(gov).setChallengeWindow(TEST_ATTESTER_BONDS.unbondingDelay))
        .to.be.revertedWithCustomError(attribution, "ChallengeWindowTooLong")
        .withArgs(TEST_ATTESTER_BONDS.unbondingDelay, TEST_ATTESTER_BONDS.unbondingDelay - 1);
      // A removed attester keeps its bond (still slashable) and can unbond.
      await attribution.connect(gov).setThreshold(1);
      await attribution.connect(gov).setAttester(a1.address, false);
      const info = await attribution.attesterInfo(a1.address);
      expect([info.registered, info.active, info.bond]).to.deep.equal([false, false, MIN_BOND + 1n]);
      await attribution.connect(a1).requestUnbond(MIN_BOND + 1n);
    });
  });

  describe("sign once, submit once", function () {
    async function signedFixture() {
      const f = await scenarioFixture();
      const good = craft(f.modelId, [[f.ids.accepted, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      const attestations = [
        await sign(f, f.a1, f.modelId, f.epoch, good.report),
        await sign(f, f.a2, f.modelId, f.epoch, good.report),
      ].sort(byAddress);
      return { ...f, good, attestations };
    }

    it("anyone submits a report with two attesters' signatures: pending in one transaction", async function () {
      const f = await loadFixture(signedFixture);
      const hash = hashReport(f.modelId, f.epoch, f.good.report as never);
      await expect(
        f.attribution
          .connect(f.relayer)
          .submitAttestedReport(f.modelId, f.epoch, f.good.report, f.attestations),
      )
        .to.emit(f.attribution, "ReportPending")
        .withArgs(
          f.modelId,
          f.epoch,
          hash,
          anyValue,
          f.attestations.map((a) => a.attester),
          Object.values(f.good.report),
        );
      expect((await f.attribution.pendingReport(f.modelId)).reportHash).to.equal(hash);
    });

    it("refuses duplicate, unsorted, unregistered, inactive, too few and forged signatures", async function () {
      const f = await loadFixture(signedFixture);
      const { attribution, good, modelId, epoch } = f;
      const submit = (list: { attester: string; signature: string }[]) =>
        attribution.submitAttestedReport(modelId, epoch, good.report, list);
      const [first, second] = f.attestations;
      await expect(submit([first, first]))
        .to.be.revertedWithCustomError(attribution, "UnsortedAttestations")
        .withArgs(1n);
      await expect(submit([second, first]))
        .to.be.revertedWithCustomError(attribution, "UnsortedAttestations")
        .withArgs(1n);
      await expect(submit([first]))
        .to.be.revertedWithCustomError(attribution, "InsufficientSupport")
        .withArgs(1n, 2n);
      const outsider = await sign(f, f.carol, modelId, epoch, good.report);
      await expect(submit([first, outsider].sort(byAddress)))
        .to.be.revertedWithCustomError(attribution, "NotAttester")
        .withArgs(f.carol.address);
      await expect(
        submit([{ attester: first.attester, signature: second.signature }, second].sort(byAddress)),
      ).to.be.revertedWithCustomError(attribution, "InvalidAttestation");
      await attribution.connect(f.a1).requestUnbond(MIN_BOND);
      await expect(submit(f.attestations))
        .to.be.revertedWithCustomError(attribution, "InactiveAttester")
        .withArgs(f.a1.address, 0n, MIN_BOND);
    });

    it("a signature for another chain, another contract or another round does not count", async function () {
      const f = await loadFixture(signedFixture);
      const { attribution, good, modelId, epoch } = f;
      const submitWithA1 = async (a1: { attester: string; signature: string }) =>
        attribution.submitAttestedReport(
          modelId,
          epoch,
          good.report,
          [a1, f.attestations.find((a) => a.attester === f.a2.address)!].sort(byAddress),
        );
      for (const domain of [{ chainId: 1n }, { verifyingContract: await f.distributor.getAddress() }]) {
        const forged = await sign(f, f.a1, modelId, epoch, good.report, 0n, domain);
        await expect(submitWithA1(forged))
          .to.be.revertedWithCustomError(attribution, "InvalidAttestation")
          .withArgs(f.a1.address);
      }
      // Round 0's signatures are void once the guardian vetoes (round 1).
      await attribution.submitAttestedReport(modelId, epoch, good.report, f.attestations);
      await attribution.connect(f.guardian).veto(modelId);
      const other = craft(modelId, [[f.ids.accepted, f.alice.address, 2n]], [[f.alice.address, f.pool]]);
      const stale = await sign(f, f.a1, modelId, epoch, other.report, 0n);
      const fresh = await sign(f, f.a2, modelId, epoch, other.report, 1n);
      await expect(
        attribution.submitAttestedReport(modelId, epoch, other.report, [stale, fresh].sort(byAddress)),
      ).to.be.revertedWithCustomError(attribution, "InvalidAttestation");
      const current = await sign(f, f.a1, modelId, epoch, other.report, 1n);
      await attribution.submitAttestedReport(modelId, epoch, other.report, [current, fresh].sort(byAddress));
      expect((await attribution.modelReports(modelId)).hasPending).to.equal(true);
    });

    it("an attested report can be challenged like any other: its signers are slashed", async function () {
      const f = await loadFixture(signedFixture);
      const bad = craft(f.modelId, [[f.ids.late, f.alice.address, 1n]], [[f.alice.address, f.pool]]);
      const list = [
        await sign(f, f.a1, f.modelId, f.epoch, bad.report),
        await sign(f, f.a3, f.modelId, f.epoch, bad.report),
      ].sort(byAddress);
      await f.attribution.submitAttestedReport(f.modelId, f.epoch, bad.report, list);
      const supporters = list.map((a) => a.attester);
      const tx = f.attribution.challengeWeight(f.modelId, bad.report, supporters, bad.weightEvidence(0));
      await expect(tx)
        .to.emit(f.attribution, "AttesterSlashed")
        .withArgs(f.a1.address, MIN_BOND / 2n, MIN_BOND / 2n, 0n);
      await expect(tx)
        .to.emit(f.attribution, "AttesterSlashed")
        .withArgs(f.a3.address, MIN_BOND / 2n, MIN_BOND / 2n, 0n);
      expect((await f.attribution.attesterInfo(f.a2.address)).bond).to.equal(MIN_BOND); // did not sign
    });
  });
});
