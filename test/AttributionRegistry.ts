import { expect } from "chai";
import { network } from "hardhat";

import { buildCumulativeTree, proofFor } from "../scripts/lib/rewards.js";
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

const FEE = ethers.parseEther("1000");

/** Gives `who` the minimum attester bond from the holder and bonds it. */
async function bondMinimum(f: Rewards, who: Rewards["carol"]) {
  await f.token.connect(f.holder).transfer(who.address, TEST_ATTESTER_BONDS.minBond);
  await f.token.connect(who).approve(await f.attribution.getAddress(), TEST_ATTESTER_BONDS.minBond);
  await f.attribution.connect(who).bond(TEST_ATTESTER_BONDS.minBond);
}

/** Bond rules whose unbonding delay (90 days) lets the challenge window reach its own maximum (30 days). */
const LONG_UNBONDING = { ...TEST_ATTESTER_BONDS, unbondingDelay: 90 * 86_400 };

/** Fixture with 1,000 OPEN paid to model 1 in epoch 0, and epoch 0 closed. */
async function paidFixture() {
  const f = await rewardsFixture();
  await f.distributor.connect(f.payer).payInference(1, FEE);
  await time.increaseTo(await f.attribution.epochEnd(0));
  const funded = await f.distributor.contributorPoolFunded(1, 0);
  return { ...f, funded };
}

type Rewards = Awaited<ReturnType<typeof rewardsFixture>>;

/**
 * Deploys a RewardDistributor (no splits, REWARDS_EPOCH epochs from 0) wired to the address the
 * deployer's next deployment will get, so that the AttributionRegistry deployed right after it
 * passes or fails the constructor's wiring checks on its own arguments.
 */
async function distributorForNextDeployment(f: Rewards) {
  const [deployer] = await ethers.getSigners();
  const nonce = await ethers.provider.getTransactionCount(deployer.address);
  const predicted = ethers.getCreateAddress({ from: deployer.address, nonce: nonce + 1 });
  return ethers.deployContract("RewardDistributor", [
    await f.token.getAddress(),
    await f.models.getAddress(),
    predicted,
    f.gov.address,
    f.treasury.address,
    f.guardian.address,
    { treasuryBps: 0, ownerBps: 0, stakersBps: 0 },
    0,
    REWARDS_EPOCH,
    3600,
  ]);
}

/** A report for model 1 paying `amounts` to alice and bob. */
function reportFor(alice: string, bob: string, amounts: [bigint, bigint], uri = "ipfs://report") {
  const tree = buildCumulativeTree(
    1n,
    new Map([
      [alice, amounts[0]],
      [bob, amounts[1]],
    ]),
  );
  const report = {
    weightsRoot: ethers.id(`weights ${uri}`),
    totalWeight: 1_000n,
    cumulativeRoot: tree.root,
    totalCumulative: amounts[0] + amounts[1],
    uri,
  };
  return { tree, report };
}

describe("AttributionRegistry", function () {
  describe("deployment and epochs", function () {
    it("is wired to the distributor with the same epochs", async function () {
      const { attribution, distributor, models, gov, guardian, genesis } = await loadFixture(rewardsFixture);
      expect(await attribution.rewardDistributor()).to.equal(await distributor.getAddress());
      expect(await distributor.attributionRegistry()).to.equal(await attribution.getAddress());
      expect(await attribution.modelRegistry()).to.equal(await models.getAddress());
      expect(await attribution.owner()).to.equal(gov.address);
      expect(await attribution.guardian()).to.equal(guardian.address);
      expect([await attribution.threshold(), await attribution.attesterCount()]).to.deep.equal([2n, 3n]);
      expect(await attribution.challengeWindow()).to.equal(BigInt(REWARDS_CHALLENGE_WINDOW));
      expect(await attribution.genesis()).to.equal(genesis);
      expect(await attribution.epochLength()).to.equal(BigInt(REWARDS_EPOCH));
    });

    it("derives epochs from timestamps", async function () {
      const { attribution, genesis } = await loadFixture(rewardsFixture);
      const day = BigInt(REWARDS_EPOCH);
      expect(await attribution.epochAt(genesis)).to.equal(0n);
      expect(await attribution.epochAt(genesis + day - 1n)).to.equal(0n);
      expect(await attribution.epochAt(genesis + day)).to.equal(1n);
      expect(await attribution.epochEnd(0)).to.equal(genesis + day);
      expect(await attribution.currentEpoch()).to.equal(0n);
      await expect(attribution.epochAt(genesis - 1n))
        .to.be.revertedWithCustomError(attribution, "BeforeGenesis")
        .withArgs(genesis - 1n, genesis);
    });

    it("refuses a distributor that is not wired to it or uses other epochs", async function () {
      const { distributor, models, gov, guardian, a1, genesis } = await loadFixture(rewardsFixture);
      const factory = await ethers.getContractFactory("AttributionRegistry");
      // The fixture's distributor is wired to the fixture's registry, not to this new one.
      await expect(
        factory.deploy(
          await distributor.getAddress(),
          await models.getAddress(),
          gov.address,
          guardian.address,
          [a1.address],
          1,
          60,
          TEST_ATTESTER_BONDS,
          genesis,
          REWARDS_EPOCH,
        ),
      ).to.be.revertedWithCustomError(factory, "DistributorMismatch");
      await expect(
        factory.deploy(
          await distributor.getAddress(),
          ethers.ZeroAddress,
          gov.address,
          guardian.address,
          [a1.address],
          1,
          60,
          TEST_ATTESTER_BONDS,
          genesis,
          REWARDS_EPOCH,
        ),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });

    it("validates the constructor's threshold, window, epoch length and guardian", async function () {
      const f = await loadFixture(rewardsFixture);
      const { models, gov, guardian, a1 } = f;
      const deployWith = async (
        threshold: number,
        window: number,
        epochLength: number,
        guardianAddress: string,
        bonds = LONG_UNBONDING,
      ) => {
        const distributor = await distributorForNextDeployment(f);
        return ethers.deployContract("AttributionRegistry", [
          await distributor.getAddress(),
          await models.getAddress(),
          gov.address,
          guardianAddress,
          [a1.address],
          threshold,
          window,
          bonds,
          0,
          epochLength,
        ]);
      };
      const factory = await ethers.getContractFactory("AttributionRegistry");
      await expect(deployWith(2, 60, REWARDS_EPOCH, guardian.address))
        .to.be.revertedWithCustomError(factory, "InvalidThreshold")
        .withArgs(2n, 1n);
      await expect(deployWith(1, 31 * REWARDS_EPOCH, REWARDS_EPOCH, guardian.address))
        .to.be.revertedWithCustomError(factory, "ChallengeWindowTooLong")
        .withArgs(31n * BigInt(REWARDS_EPOCH), 30n * BigInt(REWARDS_EPOCH));
      // The window must also be shorter than the unbonding delay, and the bond rules in bounds.
      await expect(deployWith(1, 7_200, REWARDS_EPOCH, guardian.address, TEST_ATTESTER_BONDS))
        .to.be.revertedWithCustomError(factory, "ChallengeWindowTooLong")
        .withArgs(7_200n, 7_199n);
      await expect(
        deployWith(1, 60, REWARDS_EPOCH, guardian.address, { ...TEST_ATTESTER_BONDS, minBond: 0n }),
      ).to.be.revertedWithCustomError(factory, "InvalidBondSettings");
      await expect(deployWith(1, 60, 0, guardian.address)).to.be.revertedWithCustomError(
        factory,
        "ZeroEpochLength",
      );
      await expect(deployWith(1, 60, REWARDS_EPOCH, ethers.ZeroAddress)).to.be.revertedWithCustomError(
        factory,
        "ZeroGuardian",
      );
    });
  });

  describe("submitReport", function () {
    it("records a submission and makes the report pending at the threshold", async function () {
      const { attribution, a1, a2, alice, bob, funded } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, funded / 4n]);
      const reportHash = await attribution.hashReport(1, 0, report);
      await expect(attribution.connect(a1).submitReport(1, 0, report))
        .to.emit(attribution, "ReportSubmitted")
        .withArgs(1n, 0n, a1.address, reportHash, 0n, 1n, Object.values(report));
      expect(await attribution.support(1, 0, reportHash)).to.equal(1n);
      expect((await attribution.modelReports(1)).hasPending).to.equal(false);

      const tx = attribution.connect(a2).submitReport(1, 0, report);
      await expect(tx)
        .to.emit(attribution, "ReportPending")
        .withArgs(
          1n,
          0n,
          reportHash,
          BigInt(await time.latest()) + 1n + BigInt(REWARDS_CHALLENGE_WINDOW),
          [a1.address, a2.address],
          Object.values(report),
        );
      const state = await attribution.modelReports(1);
      expect([state.hasPending, state.pendingEpoch, state.hasFinal, state.totalCumulative]).to.deep.equal([
        true,
        0n,
        false,
        report.totalCumulative,
      ]);
      const pending = await attribution.pendingReport(1);
      expect([pending.reportHash, pending.cumulativeRoot, pending.supportersHash]).to.deep.equal([
        reportHash,
        report.cumulativeRoot,
        ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["address[]"], [[a1.address, a2.address]])),
      ]);
    });

    it("keeps disagreeing submissions apart and never pays a report below the threshold", async function () {
      const { attribution, distributor, a1, a2, alice, bob, funded } = await loadFixture(paidFixture);
      const honest = reportFor(alice.address, bob.address, [funded / 2n, 0n], "ipfs://honest");
      const other = reportFor(alice.address, bob.address, [0n, funded / 2n], "ipfs://other");
      await attribution.connect(a1).submitReport(1, 0, honest.report);
      await expect(attribution.connect(a2).submitReport(1, 0, other.report)).to.emit(
        attribution,
        "ReportSubmitted",
      );
      expect(await attribution.support(1, 0, await attribution.hashReport(1, 0, honest.report))).to.equal(1n);
      expect(await attribution.support(1, 0, await attribution.hashReport(1, 0, other.report))).to.equal(1n);
      expect((await attribution.modelReports(1)).hasPending).to.equal(false);
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await expect(attribution.finalizeReport(1)).to.be.revertedWithCustomError(
        attribution,
        "NoPendingReport",
      );
      const proof = proofFor(honest.tree, alice.address);
      await expect(distributor.claim(1, alice.address, funded / 2n, proof))
        .to.be.revertedWithCustomError(distributor, "NoFinalReport")
        .withArgs(1n);
    });

    it("rejects non-attesters, double submissions and unknown models", async function () {
      const { attribution, a1, carol, alice, bob, funded } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      await expect(attribution.connect(carol).submitReport(1, 0, report))
        .to.be.revertedWithCustomError(attribution, "NotAttester")
        .withArgs(carol.address);
      await attribution.connect(a1).submitReport(1, 0, report);
      await expect(attribution.connect(a1).submitReport(1, 0, { ...report, uri: "ipfs://changed-mind" }))
        .to.be.revertedWithCustomError(attribution, "AlreadySubmitted")
        .withArgs(a1.address, 1n, 0n);
      await expect(attribution.connect(a1).submitReport(9, 0, report))
        .to.be.revertedWithCustomError(attribution, "UnknownModel")
        .withArgs(9n);
      await expect(attribution.connect(a1).submitReport(0, 0, report))
        .to.be.revertedWithCustomError(attribution, "UnknownModel")
        .withArgs(0n);
    });

    it("accepts only closed epochs", async function () {
      const { attribution, a1, alice, bob } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [0n, 0n]);
      await expect(attribution.connect(a1).submitReport(1, 1, report))
        .to.be.revertedWithCustomError(attribution, "EpochNotClosed")
        .withArgs(1n, await attribution.epochEnd(1));
    });

    it("rejects a report that over-allocates the funded pool, naming both numbers", async function () {
      const { attribution, a1, alice, bob, funded } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [funded, 1n]);
      await expect(attribution.connect(a1).submitReport(1, 0, report))
        .to.be.revertedWithCustomError(attribution, "ExceedsFunding")
        .withArgs(funded + 1n, funded);
    });

    it("counts only funding up to the end of the reported epoch", async function () {
      const { attribution, distributor, payer, a1, alice, bob, funded } = await loadFixture(paidFixture);
      await distributor.connect(payer).payInference(1, FEE); // epoch 1 funding
      expect(await distributor.contributorPoolFunded(1, 1)).to.equal(2n * funded);
      const { report } = reportFor(alice.address, bob.address, [funded, funded]);
      await expect(attribution.connect(a1).submitReport(1, 0, report))
        .to.be.revertedWithCustomError(attribution, "ExceedsFunding")
        .withArgs(2n * funded, funded);
    });

    it("rejects values too large for storage", async function () {
      const { attribution, a1, alice, bob } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [0n, 0n]);
      await expect(attribution.connect(a1).submitReport(1, 0, { ...report, totalWeight: 2n ** 128n }))
        .to.be.revertedWithCustomError(attribution, "ReportValueTooLarge")
        .withArgs(2n ** 128n);
      await expect(attribution.connect(a1).submitReport(1, 0, { ...report, totalCumulative: 2n ** 96n }))
        .to.be.revertedWithCustomError(attribution, "ReportValueTooLarge")
        .withArgs(2n ** 96n);
    });

    it("is sequential: one pending at a time, later epochs only, cumulative never decreasing", async function () {
      const { attribution, distributor, payer, a1, a2, alice, bob, funded } = await loadFixture(paidFixture);
      const first = reportFor(alice.address, bob.address, [funded / 2n, funded / 4n]);
      await attribution.connect(a1).submitReport(1, 0, first.report);
      await attribution.connect(a2).submitReport(1, 0, first.report);
      await distributor.connect(payer).payInference(1, FEE);
      await time.increaseTo(await attribution.epochEnd(1));
      const next = reportFor(alice.address, bob.address, [funded, funded / 2n], "ipfs://next");
      await expect(attribution.connect(a1).submitReport(1, 1, next.report))
        .to.be.revertedWithCustomError(attribution, "ReportAlreadyPending")
        .withArgs(1n, 0n);
      await attribution.finalizeReport(1);
      await expect(attribution.connect(a1).submitReport(1, 0, next.report))
        .to.be.revertedWithCustomError(attribution, "EpochAlreadyReported")
        .withArgs(0n, 0n);
      const lower = reportFor(alice.address, bob.address, [funded / 4n, 0n], "ipfs://lower");
      await expect(attribution.connect(a1).submitReport(1, 1, lower.report))
        .to.be.revertedWithCustomError(attribution, "CumulativeDecreased")
        .withArgs(funded / 4n, (funded * 3n) / 4n);
      await attribution.connect(a1).submitReport(1, 1, next.report);
    });

    it("is blocked while paused, by the guardian only", async function () {
      const { attribution, guardian, a1, alice, bob } = await loadFixture(paidFixture);
      await expect(attribution.connect(a1).pause())
        .to.be.revertedWithCustomError(attribution, "NotGuardian")
        .withArgs(a1.address);
      await expect(attribution.connect(guardian).pause())
        .to.emit(attribution, "Paused")
        .withArgs(guardian.address);
      expect(await attribution.paused()).to.equal(true);
      const { report } = reportFor(alice.address, bob.address, [0n, 0n]);
      await expect(attribution.connect(a1).submitReport(1, 0, report)).to.be.revertedWithCustomError(
        attribution,
        "EnforcedPause",
      );
      await expect(attribution.connect(a1).unpause()).to.be.revertedWithCustomError(
        attribution,
        "NotGuardian",
      );
      await expect(attribution.connect(guardian).unpause()).to.emit(attribution, "Unpaused");
      await attribution.connect(a1).submitReport(1, 0, report);
    });
  });

  describe("finalizeReport", function () {
    it("finalizes after the challenge window and publishes the claim root", async function () {
      const { attribution, distributor, a1, a2, alice, bob, funded } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, funded / 4n]);
      await expect(attribution.finalizeReport(1))
        .to.be.revertedWithCustomError(attribution, "NoPendingReport")
        .withArgs(1n);
      await attribution.connect(a1).submitReport(1, 0, report);
      await attribution.connect(a2).submitReport(1, 0, report);
      const endsAt = (await attribution.modelReports(1)).challengeEndsAt;
      await expect(attribution.finalizeReport(1))
        .to.be.revertedWithCustomError(attribution, "ChallengeWindowOpen")
        .withArgs(1n, endsAt);
      await time.increaseTo(endsAt);
      const tx = attribution.finalizeReport(1);
      await expect(tx)
        .to.emit(attribution, "ReportFinalized")
        .withArgs(1n, 0n, report.cumulativeRoot, report.totalCumulative);
      await expect(tx)
        .to.emit(distributor, "ClaimRootUpdated")
        .withArgs(1n, 0n, report.cumulativeRoot, report.totalCumulative);
      const state = await attribution.modelReports(1);
      expect([state.hasFinal, state.finalEpoch, state.totalCumulative, state.hasPending]).to.deep.equal([
        true,
        0n,
        report.totalCumulative,
        false,
      ]);
      expect(await distributor.claimRoot(1)).to.deep.equal([report.cumulativeRoot, report.totalCumulative]);
    });
  });

  describe("veto", function () {
    it("lets the guardian veto a pending report, which never pays, and the epoch be reported again", async function () {
      const { attribution, distributor, guardian, a1, a2, a3, alice, bob, funded } =
        await loadFixture(paidFixture);
      const bad = reportFor(alice.address, bob.address, [funded, 0n], "ipfs://bad");
      await attribution.connect(a1).submitReport(1, 0, bad.report);
      await attribution.connect(a2).submitReport(1, 0, bad.report);
      await expect(attribution.connect(a1).veto(1)).to.be.revertedWithCustomError(attribution, "NotGuardian");
      await expect(attribution.connect(guardian).veto(1))
        .to.emit(attribution, "ReportVetoed")
        .withArgs(1n, 0n, 1n);
      expect((await attribution.modelReports(1)).round).to.equal(1n);
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await expect(attribution.finalizeReport(1)).to.be.revertedWithCustomError(
        attribution,
        "NoPendingReport",
      );
      await expect(
        distributor.claim(1, alice.address, funded, proofFor(bad.tree, alice.address)),
      ).to.be.revertedWithCustomError(distributor, "NoFinalReport");

      // The same attesters can report the epoch again in the new round.
      const good = reportFor(alice.address, bob.address, [funded / 2n, funded / 2n], "ipfs://good");
      await attribution.connect(a1).submitReport(1, 0, good.report);
      await attribution.connect(a3).submitReport(1, 0, good.report);
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await attribution.finalizeReport(1);
      await expect(
        distributor.claim(1, alice.address, funded, proofFor(bad.tree, alice.address)),
      ).to.be.revertedWithCustomError(distributor, "InvalidProof");
    });

    it("cannot veto without a pending report or after the window", async function () {
      const { attribution, guardian, a1, a2, alice, bob, funded } = await loadFixture(paidFixture);
      await expect(attribution.connect(guardian).veto(1))
        .to.be.revertedWithCustomError(attribution, "NoPendingReport")
        .withArgs(1n);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      await attribution.connect(a1).submitReport(1, 0, report);
      await attribution.connect(a2).submitReport(1, 0, report);
      const endsAt = (await attribution.modelReports(1)).challengeEndsAt;
      await time.increaseTo(endsAt);
      await expect(attribution.connect(guardian).veto(1))
        .to.be.revertedWithCustomError(attribution, "ChallengeWindowOver")
        .withArgs(1n, endsAt);
    });
  });

  describe("governance of the attester set", function () {
    it("adds and removes attesters, owner only, restarting collections", async function () {
      const { attribution, gov, a1, a2, carol, alice, bob, funded } = await loadFixture(paidFixture);
      await expect(attribution.connect(carol).setAttester(carol.address, true))
        .to.be.revertedWithCustomError(attribution, "OwnableUnauthorizedAccount")
        .withArgs(carol.address);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      const reportHash = await attribution.hashReport(1, 0, report);
      await attribution.connect(a1).submitReport(1, 0, report);
      await expect(attribution.connect(gov).setAttester(carol.address, true))
        .to.emit(attribution, "AttesterSet")
        .withArgs(carol.address, true, 4n); // 3 initial attesters made version 3
      expect(await attribution.isAttester(carol.address)).to.equal(true);
      expect(await attribution.support(1, 0, reportHash)).to.equal(0n); // collection restarted
      await attribution.connect(a2).submitReport(1, 0, report);
      expect((await attribution.modelReports(1)).hasPending).to.equal(false);
      await expect(attribution.connect(gov).setAttester(carol.address, false))
        .to.emit(attribution, "AttesterSet")
        .withArgs(carol.address, false, 5n);
      expect(await attribution.attesterCount()).to.equal(3n);
    });

    it("rejects no-op changes, the zero address and removals below the threshold", async function () {
      const { attribution, gov, a1, a2, carol } = await loadFixture(rewardsFixture);
      await expect(attribution.connect(gov).setAttester(a1.address, true))
        .to.be.revertedWithCustomError(attribution, "AttesterUnchanged")
        .withArgs(a1.address, true);
      await expect(attribution.connect(gov).setAttester(carol.address, false))
        .to.be.revertedWithCustomError(attribution, "AttesterUnchanged")
        .withArgs(carol.address, false);
      await expect(
        attribution.connect(gov).setAttester(ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(attribution, "ZeroAddress");
      await attribution.connect(gov).setAttester(a1.address, false);
      await expect(attribution.connect(gov).setAttester(a2.address, false))
        .to.be.revertedWithCustomError(attribution, "InvalidThreshold")
        .withArgs(2n, 1n);
    });

    it("sets threshold, challenge window and guardian within bounds, owner only", async function () {
      const { attribution, gov, carol } = await loadFixture(rewardsFixture);
      await expect(attribution.connect(carol).setThreshold(1)).to.be.revertedWithCustomError(
        attribution,
        "OwnableUnauthorizedAccount",
      );
      await expect(attribution.connect(gov).setThreshold(0))
        .to.be.revertedWithCustomError(attribution, "InvalidThreshold")
        .withArgs(0n, 3n);
      await expect(attribution.connect(gov).setThreshold(4))
        .to.be.revertedWithCustomError(attribution, "InvalidThreshold")
        .withArgs(4n, 3n);
      await expect(attribution.connect(gov).setThreshold(3))
        .to.emit(attribution, "ThresholdUpdated")
        .withArgs(3n);

      await expect(attribution.connect(carol).setChallengeWindow(1)).to.be.revertedWithCustomError(
        attribution,
        "OwnableUnauthorizedAccount",
      );
      await expect(
        attribution.connect(gov).setChallengeWindow(30 * REWARDS_EPOCH + 1),
      ).to.be.revertedWithCustomError(attribution, "ChallengeWindowTooLong");
      await expect(attribution.connect(gov).setChallengeWindow(7_200))
        .to.be.revertedWithCustomError(attribution, "ChallengeWindowTooLong")
        .withArgs(7_200n, 7_199n); // not shorter than the unbonding delay
      await expect(attribution.connect(gov).setChallengeWindow(7_199))
        .to.emit(attribution, "ChallengeWindowUpdated")
        .withArgs(7_199n);

      await expect(attribution.connect(carol).setGuardian(carol.address)).to.be.revertedWithCustomError(
        attribution,
        "OwnableUnauthorizedAccount",
      );
      await expect(attribution.connect(gov).setGuardian(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        attribution,
        "ZeroGuardian",
      );
      await expect(attribution.connect(gov).setGuardian(carol.address))
        .to.emit(attribution, "GuardianUpdated")
        .withArgs(carol.address);
      expect(await attribution.guardian()).to.equal(carol.address);
    });
  });

  describe("what mutation testing found untested", function () {
    it("a removed attester is no longer one and cannot submit; its bit is freed for the next one", async function () {
      const f = await loadFixture(paidFixture);
      const { attribution, gov, a1, a2, a3, carol, alice, bob, funded } = f;
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      await bondMinimum(f, carol);
      await attribution.connect(gov).setAttester(a2.address, false);
      expect(await attribution.isAttester(a2.address)).to.equal(false);
      await expect(attribution.connect(a2).submitReport(1, 0, report))
        .to.be.revertedWithCustomError(attribution, "NotAttester")
        .withArgs(a2.address);
      // carol takes the freed index; a3 (a different index) and carol must count as two supporters.
      await attribution.connect(gov).setAttester(carol.address, true);
      expect(await attribution.attesterCount()).to.equal(3n);
      await attribution.connect(a3).submitReport(1, 0, report);
      await expect(attribution.connect(carol).submitReport(1, 0, report)).to.emit(
        attribution,
        "ReportPending",
      );
      expect(await attribution.support(1, 0, await attribution.hashReport(1, 0, report))).to.equal(2n);
      // Re-adding a2 gives it a free index again, distinct from a1's.
      await attribution.connect(gov).setAttester(a1.address, false);
      await attribution.connect(gov).setAttester(a2.address, true);
      expect(await attribution.isAttester(a2.address)).to.equal(true);
    });

    it("a re-added attester never shares a bit with an attester that stayed", async function () {
      const f = await loadFixture(paidFixture);
      const { attribution, gov, a1, a2, a3, carol, alice, bob, funded } = f;
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      await bondMinimum(f, carol);
      // Indexes: a1 = 0, a2 = 1, a3 = 2. Removing a1 frees index 0, and only index 0.
      await attribution.connect(gov).setAttester(a1.address, false);
      await attribution.connect(gov).setAttester(carol.address, true);
      await attribution.connect(a2).submitReport(1, 0, report);
      await expect(attribution.connect(carol).submitReport(1, 0, report)).to.emit(
        attribution,
        "ReportPending",
      );
      await attribution.connect(gov).setThreshold(3);
      await expect(attribution.connect(a3).submitReport(1, 0, report)).to.be.revertedWithCustomError(
        attribution,
        "ReportAlreadyPending",
      );
      expect(await attribution.MAX_ATTESTERS()).to.equal(256n);
    });

    it("refuses a distributor whose epochs are shorter or longer", async function () {
      const f = await loadFixture(rewardsFixture);
      const { models, gov, guardian, a1 } = f;
      const factory = await ethers.getContractFactory("AttributionRegistry");
      for (const registryEpoch of [REWARDS_EPOCH - 1, REWARDS_EPOCH + 1]) {
        const distributor = await distributorForNextDeployment(f);
        await expect(
          factory.deploy(
            distributor,
            models,
            gov.address,
            guardian.address,
            [a1.address],
            1,
            60,
            TEST_ATTESTER_BONDS,
            0,
            registryEpoch,
          ),
        ).to.be.revertedWithCustomError(factory, "DistributorMismatch");
      }
    });

    it("hashes a report exactly as an off-chain party computes it", async function () {
      const { attribution, alice, bob } = await loadFixture(rewardsFixture);
      const { report } = reportFor(alice.address, bob.address, [3n, 4n], "ipfs://exact");
      const expected = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(
          ["uint256", "uint256", "bytes32", "uint256", "bytes32", "uint256", "bytes32"],
          [
            1n,
            7n,
            report.weightsRoot,
            report.totalWeight,
            report.cumulativeRoot,
            report.totalCumulative,
            ethers.id(report.uri),
          ],
        ),
      );
      expect(await attribution.hashReport(1, 7, report)).to.equal(expected);
    });

    it("makes a report pending when a submission takes its support past a lowered threshold", async function () {
      const { attribution, gov, a1, a2, a3, alice, bob, funded } = await loadFixture(paidFixture);
      await attribution.connect(gov).setThreshold(3);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      await attribution.connect(a1).submitReport(1, 0, report);
      await attribution.connect(a2).submitReport(1, 0, report);
      await attribution.connect(gov).setThreshold(1); // support 2 ≥ 1; a third submission goes past it
      await expect(attribution.connect(a3).submitReport(1, 0, report)).to.emit(attribution, "ReportPending");
    });

    it("finalizes and lets the owner change the threshold while paused", async function () {
      const { attribution, guardian, gov, a1, a2, alice, bob, funded } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [funded / 2n, 0n]);
      await attribution.connect(a1).submitReport(1, 0, report);
      await attribution.connect(a2).submitReport(1, 0, report);
      await attribution.connect(guardian).pause();
      await expect(attribution.connect(gov).setThreshold(3)).to.emit(attribution, "ThresholdUpdated");
      await time.increase(REWARDS_CHALLENGE_WINDOW);
      await expect(attribution.finalizeReport(1)).to.emit(attribution, "ReportFinalized");
      await expect(attribution.promoteReport(1, 1, report)).to.be.revertedWithCustomError(
        attribution,
        "EnforcedPause",
      );
      await expect(
        attribution.connect(a1).replaceReport(1, 1, ethers.id("x"), report),
      ).to.be.revertedWithCustomError(attribution, "EnforcedPause");
    });

    it("accepts a total weight of exactly 2^128 - 1", async function () {
      const { attribution, a1, alice, bob } = await loadFixture(paidFixture);
      const { report } = reportFor(alice.address, bob.address, [0n, 0n]);
      await expect(
        attribution.connect(a1).submitReport(1, 0, { ...report, totalWeight: 2n ** 128n - 1n }),
      ).to.emit(attribution, "ReportSubmitted");
    });

    it("replaces only the caller's own current submission, by another report", async function () {
      const { attribution, a1, a2, carol, alice, bob, funded } = await loadFixture(paidFixture);
      const first = reportFor(alice.address, bob.address, [funded / 2n, 0n], "ipfs://first").report;
      const second = reportFor(alice.address, bob.address, [funded / 4n, 0n], "ipfs://second").report;
      const firstHash = await attribution.hashReport(1, 0, first);
      await expect(attribution.connect(carol).replaceReport(1, 0, firstHash, second))
        .to.be.revertedWithCustomError(attribution, "NotAttester")
        .withArgs(carol.address);
      await expect(attribution.connect(a1).replaceReport(1, 0, ethers.ZeroHash, second))
        .to.be.revertedWithCustomError(attribution, "NotSubmitted")
        .withArgs(a1.address, ethers.ZeroHash);
      await attribution.connect(a1).submitReport(1, 0, first);
      await expect(attribution.connect(a1).replaceReport(1, 0, firstHash, first))
        .to.be.revertedWithCustomError(attribution, "NotSubmitted")
        .withArgs(a1.address, firstHash);
      await expect(attribution.connect(a2).replaceReport(1, 0, firstHash, second))
        .to.be.revertedWithCustomError(attribution, "NotSubmitted")
        .withArgs(a2.address, firstHash);
      const secondHash = await attribution.hashReport(1, 0, second);
      const replaced = attribution.connect(a1).replaceReport(1, 0, firstHash, second);
      await expect(replaced)
        .to.emit(attribution, "SubmissionReplaced")
        .withArgs(1n, 0n, a1.address, firstHash);
      await expect(replaced)
        .to.emit(attribution, "ReportSubmitted")
        .withArgs(1n, 0n, a1.address, secondHash, 0n, 1n, Object.values(second));
      expect(await attribution.support(1, 0, firstHash)).to.equal(0n);
      expect(await attribution.support(1, 0, secondHash)).to.equal(1n);
      await expect(attribution.connect(a2).submitReport(1, 0, second)).to.emit(attribution, "ReportPending");
    });
  });
});
