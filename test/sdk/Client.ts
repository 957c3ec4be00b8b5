import { expect } from "chai";
import { network } from "hardhat";
import {
  BaseError,
  CallExecutionError,
  createPublicClient,
  createWalletClient,
  custom,
  keccak256,
  parseEther,
  RawContractError,
  toBytes,
  zeroHash,
  type Address,
} from "viem";

import { deploySystem } from "../../scripts/lib/deploy.js";
import { loadDeployParams } from "../../scripts/lib/params.js";
import {
  AlreadyReviewedError,
  buildReport,
  CommitRevealRequiredError,
  ContractRevertError,
  createOpenAttributionClient,
  decodeContractError,
  DuplicateContentError,
  EnforcedPauseError,
  ERC20InsufficientAllowanceError,
  ExceedsFundingError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidDocumentError,
  InvalidHashError,
  InvalidInputError,
  InvalidProofError,
  InvalidSignatureError,
  InsufficientSupportError,
  NotReviewerError,
  NothingToClaimError,
  RevealTooEarlyError,
  UnknownRevertError,
  WalletRequiredError,
} from "../../sdk/index.js";
import { expectRejection } from "../helpers/assertions.js";

const connection = await network.create();
const { ethers, networkHelpers, provider } = connection;

const settings = {
  kind: "dataset" as const,
  open: true,
  optimistic: true,
  reviewQuorum: 1,
  reviewWindow: 60,
  dailyLimit: 0,
  bond: 0n,
};
const hash = (text: string) => keccak256(toBytes(text));

async function sdkFixture() {
  const { deployment, contracts } = await deploySystem(connection, loadDeployParams("default"));
  const signers = await ethers.getSigners();
  const [deployer, curator, alice, bob, reviewer, modelDev, app, staker] = signers.map(
    (s) => s.address as Address,
  );
  const [a10, a11, a12, guardian] = signers.slice(10, 14).map((s) => s.address as Address);
  const publicClient = createPublicClient({ transport: custom(provider, { retryCount: 0 }) });
  const as = (account: Address) =>
    createOpenAttributionClient({
      publicClient,
      walletClient: createWalletClient({ account, transport: custom(provider, { retryCount: 0 }) }),
      deployment,
    });
  for (const who of [alice, bob, app, staker]) await contracts.token.transfer(who, parseEther("100000"));
  // The attesters bond the minimum through the SDK.
  const { minBond } = await as(deployer).attesterRules();
  for (const who of [a10, a11, a12]) {
    await contracts.token.transfer(who, minBond);
    await as(who).approve({
      spender: (await contracts.attribution.getAddress()) as Address,
      amount: minBond,
    });
    await as(who).bondAttester({ amount: minBond });
  }
  return {
    deployment,
    contracts,
    publicClient,
    as,
    deployer,
    curator,
    alice,
    bob,
    reviewer,
    modelDev,
    app,
    staker,
    a10,
    a11,
    a12,
    minBond,
    guardian,
  };
}

/** Fixture with datanet 1 (reviewer named), one accepted contribution by alice, and model 1 on version 1. */
async function modelFixture() {
  const f = await sdkFixture();
  await f.as(f.curator).createDatanet({ metadataURI: "ipfs://d", settings });
  await f.as(f.curator).setReviewer({ datanetId: 1n, reviewer: f.reviewer, active: true });
  const { result: contributionId } = await f
    .as(f.alice)
    .contribute({ datanetId: 1n, contentHash: hash("a"), uri: "ipfs://a" });
  await f.as(f.reviewer).review({ contributionId, approve: true });
  await f.as(f.curator).snapshotVersion({ datanetId: 1n });
  await f
    .as(f.modelDev)
    .registerModel({ metadataURI: "ipfs://m", trainedOn: [{ datanetId: 1, version: 1 }] });
  return { ...f, contributionId };
}

describe("SDK client", function () {
  describe("input validation (nothing is sent)", function () {
    it("throws named errors naming the field", async function () {
      const { as, alice } = await networkHelpers.loadFixture(sdkFixture);
      const oa = as(alice);
      const before = await ethers.provider.getBlockNumber();
      await expectRejection(
        oa.contribute({ datanetId: 1n, contentHash: zeroHash, uri: "u" }),
        InvalidHashError,
        "contentHash",
      );
      await expectRejection(
        oa.contribute({ datanetId: 1n, contentHash: "0x1234", uri: "u" }),
        InvalidHashError,
        "contentHash",
      );
      await expectRejection(
        oa.contribute({ datanetId: 0n, contentHash: hash("x"), uri: "u" }),
        InvalidInputError,
        "datanetId",
      );
      await expectRejection(
        oa.contribute({ datanetId: 1n, contentHash: hash("x"), uri: "" }),
        InvalidInputError,
        "uri",
      );
      await expectRejection(
        oa.setReviewer({ datanetId: 1n, reviewer: "0xnope" as Address, active: true }),
        InvalidAddressError,
        "reviewer",
      );
      await expectRejection(oa.payInference({ modelId: 1n, amount: 0n }), InvalidAmountError, "amount");
      await expectRejection(oa.stake({ modelId: 1n, amount: -1n }), InvalidAmountError, "amount");
      await expectRejection(
        oa.payInferenceWithPermit({ modelId: 1n, amount: 0n, deadline: 1n }),
        InvalidAmountError,
        "amount",
      );
      await expectRejection(
        oa.registerModel({ metadataURI: "m", trainedOn: [], parentId: 2n ** 32n }),
        InvalidAmountError,
        "parentId",
      );
      await expectRejection(
        oa.createDatanet({ metadataURI: "x", settings: { ...settings, reviewQuorum: 0 } }),
        InvalidInputError,
        "settings.reviewQuorum",
      );
      await expectRejection(oa.contributeBatch({ datanetId: 1n, items: [] }), InvalidInputError, "items");
      await expectRejection(
        oa.contributeBatch({ datanetId: 1n, items: [{ contentHash: hash("x"), uri: "" }] }),
        InvalidInputError,
        "items[0].uri",
      );
      await expectRejection(
        oa.registerModel({ metadataURI: "m", trainedOn: [{ datanetId: 0, version: 1 }] }),
        InvalidInputError,
        "trainedOn[0].datanetId",
      );
      expect(() => oa.epochAt(0)).to.throw(InvalidInputError, "timestamp");
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
    });

    it("requires a wallet for transactions but not for reads", async function () {
      const { deployment, publicClient, alice } = await networkHelpers.loadFixture(sdkFixture);
      const readOnly = createOpenAttributionClient({ publicClient, deployment });
      expect(await readOnly.tokenBalance(alice)).to.equal(parseEther("100000"));
      await expectRejection(readOnly.approve({ amount: 1n }), WalletRequiredError, "walletClient");
    });
  });

  describe("datanets and contributions", function () {
    it("creates, contributes directly, in batches and gaslessly, reviews, finalizes and withdraws", async function () {
      const { as, curator, alice, bob, reviewer, deployment } = await networkHelpers.loadFixture(sdkFixture);
      const { result: datanetId } = await as(curator).createDatanet({
        metadataURI: "ipfs://d",
        settings: { ...settings, bond: parseEther("1") },
      });
      expect(datanetId).to.equal(1n);
      await as(curator).setReviewer({ datanetId, reviewer, active: true });
      expect((await as(curator).getDatanet(datanetId)).settings.bond).to.equal(parseEther("1"));

      await as(alice).approve({ amount: parseEther("10") });
      const { result: id } = await as(alice).contribute({
        datanetId,
        contentHash: hash("one"),
        uri: "ipfs://one",
      });
      expect(id).to.equal(as(alice).contributionId(datanetId, hash("one")));
      const { result: ids } = await as(alice).contributeBatch({
        datanetId,
        items: [
          { contentHash: hash("two"), uri: "ipfs://two" },
          { contentHash: hash("three"), uri: "ipfs://three" },
        ],
      });
      expect(ids).to.have.length(2);

      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      const signed = await as(bob).signContribution({
        datanetId,
        contentHash: hash("bob"),
        uri: "ipfs://bob",
        deadline,
      });
      const permit = await as(bob).signPermit({
        spender: deployment.contracts.ContributionRegistry.address,
        value: parseEther("1"),
        deadline,
      });
      const { result: bobId } = await as(curator).relayContributionWithPermit({
        contribution: signed,
        permit,
      });
      expect((await as(curator).getContribution(bobId)).contributor).to.equal(bob);

      await as(reviewer).review({ contributionId: id, approve: true });
      expect((await as(alice).getContribution(id)).status).to.equal("accepted");
      await networkHelpers.time.increase(61);
      await as(bob).finalizeContribution({ contributionId: ids[0] });
      await as(alice).withdrawContribution({ contributionId: ids[0] }); // accepted: withdrawn at once
      await as(alice).withdrawContribution({ contributionId: ids[1] }); // pending: stays under review
      expect((await as(alice).getContribution(ids[1])).status).to.equal("pending");
      const rep = await as(alice).reputation(alice);
      expect([rep.submitted, rep.accepted, rep.withdrawn]).to.deep.equal([3, 1, 1]);
      const { result: version } = await as(curator).snapshotVersion({ datanetId });
      expect(version).to.equal(1);
    });

    it("commits, reveals for the committer through anyone, and matches the contract's commitment hash", async function () {
      const { as, curator, alice, bob, contracts } = await networkHelpers.loadFixture(sdkFixture);
      await as(curator).createDatanet({
        metadataURI: "ipfs://d",
        settings: { ...settings, bond: parseEther("1"), commitRevealOnly: true },
      });
      await as(alice).approve({ amount: parseEther("10") });
      const items = [
        { contentHash: hash("c1"), uri: "ipfs://c1" },
        { contentHash: hash("c2"), uri: "ipfs://c2" },
      ];
      const { commitment } = await as(alice).commitContributions({ datanetId: 1n, items });
      expect(commitment.maxBond).to.equal(parseEther("1")); // the datanet's bond at commit time
      expect(commitment.commitment).to.equal(
        await contracts.contributions.hashCommitment(
          1n,
          items.map((i) => i.contentHash),
          items.map((i) => i.uri),
          commitment.maxBond,
          commitment.salt,
        ),
      );
      await expectRejection(as(bob).revealContributions(commitment), RevealTooEarlyError, "RevealTooEarly");
      await expectRejection(
        as(alice).contribute({ datanetId: 1n, contentHash: hash("c1"), uri: "u" }),
        CommitRevealRequiredError,
        "CommitRevealRequired",
      );
      await networkHelpers.time.increase(60);
      const { result: ids } = await as(bob).revealContributions(commitment);
      expect(ids).to.have.length(2);
      expect((await as(bob).getContribution(ids[0])).contributor).to.equal(alice);
      await expectRejection(
        as(alice).commitContributions({ datanetId: 1n, items: [] }),
        InvalidInputError,
        "items",
      );
    });

    it("signs a commitment that a relayer sends and reveals: gasless commit-reveal", async function () {
      const { as, curator, alice, bob } = await networkHelpers.loadFixture(sdkFixture);
      await as(curator).createDatanet({
        metadataURI: "ipfs://d",
        settings: { ...settings, commitRevealOnly: true },
      });
      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      const items = [{ contentHash: hash("gasless"), uri: "ipfs://gasless" }];
      const signed = await as(alice).signCommitment({ datanetId: 1n, items, deadline });
      expect(signed.commitment.contributor).to.equal(alice);
      await as(bob).relayCommitment(signed);
      await expectRejection(as(bob).relayCommitment(signed), InvalidSignatureError, "InvalidSignature");
      await networkHelpers.time.increase(60);
      const { result: ids } = await as(bob).revealContributions(signed.commitment);
      expect((await as(bob).getContribution(ids[0])).contributor).to.equal(alice);
    });

    it("relays a signed contribution without a permit when the allowance exists", async function () {
      const { as, curator, bob } = await networkHelpers.loadFixture(sdkFixture);
      await as(curator).createDatanet({ metadataURI: "ipfs://d", settings });
      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      const signed = await as(bob).signContribution({
        datanetId: 1n,
        contentHash: hash("sig"),
        uri: "ipfs://sig",
        deadline,
      });
      const { result } = await as(curator).relayContribution(signed);
      expect((await as(curator).getContribution(result)).contributor).to.equal(bob);
    });

    it("decodes contract reverts into named errors with their arguments", async function () {
      const { as, curator, alice, bob } = await networkHelpers.loadFixture(sdkFixture);
      await as(curator).createDatanet({ metadataURI: "ipfs://d", settings: { ...settings, bond: 5n } });
      await expectRejection(
        as(alice).contribute({ datanetId: 1n, contentHash: hash("x"), uri: "u" }),
        ERC20InsufficientAllowanceError,
        "ERC20InsufficientAllowance",
      );
      await as(alice).approve({ amount: 100n });
      await as(alice).contribute({ datanetId: 1n, contentHash: hash("x"), uri: "u" });
      const duplicate = (await expectRejection(
        as(alice).contribute({ datanetId: 1n, contentHash: hash("x"), uri: "u" }),
        DuplicateContentError,
        "DuplicateContent",
      )) as DuplicateContentError;
      expect(duplicate).to.be.instanceOf(ContractRevertError);
      expect(duplicate.errorName).to.equal("DuplicateContent");
      expect(duplicate.args).to.deep.equal({ datanetId: 1n, contentHash: hash("x") });
      const id = as(alice).contributionId(1n, hash("x"));
      const notReviewer = (await expectRejection(
        as(bob).review({ contributionId: id, approve: true }),
        NotReviewerError,
        "NotReviewer",
      )) as NotReviewerError;
      expect(notReviewer.args).to.deep.equal({ datanetId: 1n, caller: bob });
      await as(curator).setReviewer({ datanetId: 1n, reviewer: bob, active: true });
      await as(curator).updateDatanetSettings({
        datanetId: 1n,
        settings: { ...settings, bond: 5n, reviewQuorum: 2 },
      });
      await as(alice).contribute({ datanetId: 1n, contentHash: hash("y"), uri: "u" });
      const second = as(alice).contributionId(1n, hash("y"));
      await as(bob).review({ contributionId: second, approve: true });
      await expectRejection(
        as(bob).review({ contributionId: second, approve: true }),
        AlreadyReviewedError,
        "AlreadyReviewed",
      );
    });

    it("transfers datanet ownership in two steps", async function () {
      const { as, curator, alice } = await networkHelpers.loadFixture(sdkFixture);
      await as(curator).createDatanet({ metadataURI: "ipfs://d", settings });
      await as(curator).transferDatanetOwnership({ datanetId: 1n, newOwner: alice });
      await as(alice).acceptDatanetOwnership({ datanetId: 1n });
      expect((await as(alice).getDatanet(1n)).owner).to.equal(alice);
    });
  });

  describe("models, payments, reports, claims and staking", function () {
    it("runs the money path and decodes its errors", async function () {
      const f = await networkHelpers.loadFixture(modelFixture);
      const { as, alice, app, staker, modelDev, a10, a11, guardian, contributionId } = f;
      expect((await as(app).getModel(1n)).owner).to.equal(modelDev);
      expect(await as(app).lineage(1n)).to.deep.equal([]);
      expect(await as(app).trainedOn(1n)).to.deep.equal([{ datanetId: 1, version: 1 }]);

      await as(staker).approve({ spender: as(staker).addresses.distributor, amount: parseEther("100") });
      await as(staker).stake({ modelId: 1n, amount: parseEther("100") });
      await as(app).approve({ spender: as(app).addresses.distributor, amount: parseEther("1000") });
      await as(app).payInference({ modelId: 1n, amount: parseEther("1000") });
      const deadline = BigInt(await networkHelpers.time.latest()) + 600n;
      await as(app).payInferenceWithPermit({ modelId: 1n, amount: parseEther("100"), deadline });

      const oa = as(alice);
      const epoch = oa.epochAt(await networkHelpers.time.latest());
      await networkHelpers.time.increaseTo(oa.epochEnd(epoch));
      const pool = await oa.poolFundedUpTo(1n, epoch);
      const report = buildReport({
        modelId: 1n,
        epoch,
        weights: [{ contributionId, contributor: alice, weight: 5n }],
        previous: new Map(),
        pool,
      });
      const tooMuch = { ...report.toOnchain("ipfs://r"), totalCumulative: pool + 1n };
      const exceeds = (await expectRejection(
        as(a10).submitReport({ modelId: 1n, epoch, report: tooMuch }),
        ExceedsFundingError,
        "ExceedsFunding",
      )) as ExceedsFundingError;
      expect(exceeds.args).to.deep.equal({ totalCumulative: pool + 1n, funded: pool });
      // a10 first posts a wrong URI, then replaces its own submission; a11 agrees.
      const { result: wrongHash } = await as(a10).submitReport({
        modelId: 1n,
        epoch,
        report: report.toOnchain("ipfs://wrong"),
      });
      await as(a10).replaceReport({
        modelId: 1n,
        epoch,
        previousReportHash: wrongHash,
        report: report.toOnchain("ipfs://r"),
      });
      await expectRejection(
        as(alice).promoteReport({ modelId: 1n, epoch, report: report.toOnchain("ipfs://r") }),
        InsufficientSupportError,
        "InsufficientSupport",
      );
      await as(a11).submitReport({ modelId: 1n, epoch, report: report.toOnchain("ipfs://r") });
      expect((await oa.modelReports(1n)).hasPending).to.equal(true);
      await networkHelpers.time.increase(3_600);
      await oa.finalizeReport({ modelId: 1n });

      await expectRejection(
        oa.claim({ modelId: 1n, account: alice, cumulativeAmount: pool + 1n, proof: [] }),
        InvalidProofError,
        "InvalidProof",
      );
      expect(await oa.claimable({ report, account: alice })).to.equal(pool);
      const { result: paid } = await as(app).claimFromReport({ report, account: alice });
      expect(paid).to.equal(pool);
      const nothing = (await expectRejection(
        oa.claimFromReport({ report, account: alice }),
        NothingToClaimError,
        "NothingToClaim",
      )) as NothingToClaimError;
      expect(nothing.args.claimed).to.equal(pool);
      expect((await oa.claimBatch({ account: alice, reports: [report] })).result).to.equal(0n);

      // While the stream flows, the amount is the one mined (a block after the simulation).
      const stakerBefore = await oa.tokenBalance(staker);
      const { result: stakingPaid } = await as(staker).claimStakingRewards({ modelId: 1n });
      expect(stakingPaid).to.be.greaterThan(0n);
      expect(await oa.tokenBalance(staker)).to.equal(stakerBefore + stakingPaid);
      await as(staker).unstake({ modelId: 1n, amount: parseEther("100") });
      expect((await oa.stakeOf(1n, staker)).unstaking).to.equal(parseEther("100"));
      await networkHelpers.time.increase(86_400);
      await as(staker).withdrawStake({ modelId: 1n });
      expect((await as(modelDev).withdrawBalance()).result).to.be.greaterThan(0n);
      expect((await oa.withdrawTreasury()).result).to.be.greaterThan(0n);

      await f.contracts.distributor.connect(await ethers.getSigner(guardian)).pause();
      await expectRejection(
        as(app).payInference({ modelId: 1n, amount: 1n }),
        EnforcedPauseError,
        "EnforcedPause",
      );
    });

    it("registers adapters, settles royalties, deactivates models and vetoes reports", async function () {
      const f = await networkHelpers.loadFixture(modelFixture);
      const { as, app, modelDev, bob, a10, a11, guardian, contributionId, alice } = f;
      const { result: adapter } = await as(bob).registerModel({
        metadataURI: "ipfs://lora",
        trainedOn: [],
        parentId: 1n,
        royaltyBps: 500,
      });
      expect(await as(bob).lineage(adapter)).to.deep.equal([1n]);
      await as(app).approve({ spender: as(app).addresses.distributor, amount: parseEther("100") });
      await as(app).payInference({ modelId: adapter, amount: parseEther("100") });
      await as(app).settleRoyalties({ modelId: 1n });
      await as(modelDev).setModelActive({ modelId: 1n, active: false });
      expect((await as(app).getModel(1n)).active).to.equal(false);

      const oa = as(alice);
      const epoch = oa.epochAt(await networkHelpers.time.latest());
      await networkHelpers.time.increaseTo(oa.epochEnd(epoch));
      const report = buildReport({
        modelId: 1n,
        epoch,
        weights: [{ contributionId, contributor: alice, weight: 1n }],
        previous: new Map(),
        pool: await oa.poolFundedUpTo(1n, epoch),
      });
      await as(a10).submitReport({ modelId: 1n, epoch, report: report.toOnchain("u") });
      await as(a11).submitReport({ modelId: 1n, epoch, report: report.toOnchain("u") });
      await as(guardian).veto({ modelId: 1n });
      expect((await oa.modelReports(1n)).round).to.equal(1);
    });
  });

  describe("accountable attesters", function () {
    it("signs off chain, submits in one transaction, finds a provable fault and voids the report", async function () {
      const f = await networkHelpers.loadFixture(modelFixture);
      const { as, app, alice, bob, a10, a11, a12, contributionId, minBond } = f;
      const oa = as(app);
      await oa.approve({ spender: oa.addresses.distributor, amount: parseEther("100") });
      await oa.payInference({ modelId: 1n, amount: parseEther("100") });
      const epoch = oa.epochAt(await networkHelpers.time.latest());
      await networkHelpers.time.increaseTo(oa.epochEnd(epoch));
      const pool = await oa.poolFundedUpTo(1n, epoch);
      // A crafted report: alice's contribution credited to bob.
      const crafted = buildReport({
        modelId: 1n,
        epoch,
        weights: [{ contributionId, contributor: bob, weight: 5n }],
        previous: new Map(),
        pool,
      });
      const onchain = crafted.toOnchain("ipfs://crafted");
      const attestations = [
        await as(a10).signReport({ modelId: 1n, epoch, report: onchain }),
        await as(a11).signReport({ modelId: 1n, epoch, report: onchain }),
      ];
      await expectRejection(
        oa.submitAttestedReport({ modelId: 1n, epoch, report: onchain, attestations: [] }),
        InvalidInputError,
        "attestations",
      );
      // Given unsorted, the SDK sorts them; anyone submits.
      const { result: reportHash } = await oa.submitAttestedReport({
        modelId: 1n,
        epoch,
        report: onchain,
        attestations: attestations.reverse(),
      });
      const pending = (await oa.pendingReport(1n))!;
      expect(pending.reportHash).to.equal(reportHash);
      expect(pending.supporters.map((a) => a.toLowerCase()).sort()).to.deep.equal(
        [a10, a11].map((a) => a.toLowerCase()).sort(),
      );
      // The honest version of the same report has no fault; the document must be the pending one.
      const honest = buildReport({
        modelId: 1n,
        epoch,
        weights: [{ contributionId, contributor: alice, weight: 5n }],
        previous: new Map(),
        pool,
      });
      await expectRejection(
        oa.findReportFaults({ modelId: 1n, document: honest.document }),
        InvalidDocumentError,
        "not model 1's pending report",
      );
      const { faults } = await oa.findReportFaults({ modelId: 1n, document: crafted.document });
      expect(faults.map((x) => x.fault)).to.deep.equal(["WrongContributor"]);
      const before = await oa.tokenBalance(app);
      const { result: proven } = await oa.challengeReport({ pending, found: faults[0] });
      expect(proven).to.equal("WrongContributor");
      expect(await oa.pendingReport(1n)).to.equal(null);
      const { slashBps, challengerShareBps } = await oa.attesterRules(); // deployments/params/default.json
      const slashed = (2n * minBond * BigInt(slashBps)) / 10_000n;
      expect((await oa.tokenBalance(app)) - before).to.equal(
        (slashed * BigInt(challengerShareBps)) / 10_000n,
      );
      const info = await oa.attesterInfo(a10);
      expect([info.registered, info.active, info.bond]).to.deep.equal([true, false, minBond - slashed / 2n]);

      // a12 was not involved: it unbonds and withdraws after the delay.
      const { result: unlockAt } = await as(a12).requestUnbond({ amount: minBond });
      await networkHelpers.time.increaseTo(unlockAt);
      expect((await as(a12).withdrawBond()).result).to.equal(minBond);
    });
  });

  describe("decodeContractError", function () {
    it("maps unknown revert data to UnknownRevertError and leaves other errors alone", function () {
      const raw = new CallExecutionError(new RawContractError({ data: "0xdeadbeef" }), {});
      expect(decodeContractError(raw)).to.be.instanceOf(UnknownRevertError);
      const network = new BaseError("connection refused");
      expect(decodeContractError(network)).to.equal(network);
      const plain = new Error("boom");
      expect(decodeContractError(plain)).to.equal(plain);
    });
  });
});
