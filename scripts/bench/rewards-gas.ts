/**
 * Gas benchmark of AttributionRegistry, RewardDistributor and staking: deploys on the
 * in-process chain, runs each operation and prints gas per transaction next to its
 * target, then claim gas against trees of 2^4, 2^10 and 2^17 accounts.
 * Usage: npm run bench:rewards
 */
import { network } from "hardhat";

import { deployGovernance, LOCAL_GOVERNANCE } from "../lib/governance.js";
import { defaultDatanetSettings, deployRegistries } from "../lib/registries.js";
import { buildCumulativeTree, deployRewards, proofFor } from "../lib/rewards.js";
import { ATTEST_REPORT_TYPES, ATTRIBUTION_DOMAIN_NAME } from "../../sdk/challenges.js";
import { printGasTable, saveRows, type GasRow } from "./table.js";

const { ethers, networkHelpers } = await network.create();
const [deployer, holder, alice, bob, payer, staker, a1, a2, a3, guardian, claimer] =
  await ethers.getSigners();
const HOUR = 60 * 60;
const DAY = 24 * HOUR;

const { token } = await deployGovernance(ethers, { ...LOCAL_GOVERNANCE, tokenRecipient: holder.address });
const { contributions, models } = await deployRegistries(ethers, {
  token: await token.getAddress(),
  protocolOwner: deployer.address,
  treasury: deployer.address,
});
await contributions.createDatanet("ipfs://d", defaultDatanetSettings);
await contributions.snapshotVersion(1n);
const trainedOn = [{ datanetId: 1n, version: 1n }];
const genesis = BigInt(await networkHelpers.time.latest());
const { distributor, attribution } = await deployRewards(ethers, {
  token: await token.getAddress(),
  models: await models.getAddress(),
  owner: deployer.address,
  treasury: deployer.address,
  guardian: guardian.address,
  attesters: [a1.address, a2.address, a3.address],
  threshold: 2,
  challengeWindow: 3600,
  attesterBonds: {
    minBond: ethers.parseEther("1000"),
    unbondingDelay: 7200,
    slashBps: 5_000,
    challengerShareBps: 2_000,
  },
  genesis,
  epochLength: DAY,
  cooldown: DAY,
});
for (const a of [a1, a2, a3]) {
  await token.connect(holder).transfer(a.address, ethers.parseEther("1000"));
  await token.connect(a).approve(await attribution.getAddress(), ethers.MaxUint256);
  await attribution.connect(a).bond(ethers.parseEther("1000"));
}
const distributorAddress = await distributor.getAddress();
for (const who of [payer, staker, claimer]) {
  await token.connect(holder).transfer(who.address, ethers.parseEther("100000000"));
  await token.connect(who).approve(distributorAddress, ethers.MaxUint256);
}

const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
  (await (await tx).wait())!.gasUsed;
const rows: GasRow[] = [];

// Models: 1 = base (alice), 2 = adapter of 1 with 10 % royalty (bob), 3..12 for the batch claim.
await models.connect(alice).registerModel("ipfs://base", trainedOn, 0, 0);
await models.connect(bob).registerModel("ipfs://adapter", trainedOn, 1, 1_000);
const FEE = ethers.parseEther("1000");

await distributor.connect(payer).payInference(1, FEE); // first payment of the model (fresh slots)
rows.push({
  operation: "payInference, base model, no stakers",
  gas: await gasOf(distributor.connect(payer).payInference(1, FEE)),
  target: 90_000n,
});
await distributor.connect(payer).payInference(2, FEE);
rows.push({
  operation: "payInference, adapter (royalty to parent)",
  gas: await gasOf(distributor.connect(payer).payInference(2, FEE)),
  target: 90_000n,
});

rows.push({
  operation: "stake (model's first staker ever: one-time pool slot)",
  gas: await gasOf(distributor.connect(staker).stake(1, ethers.parseEther("5000"))),
});
await distributor.connect(payer).payInference(1, FEE); // first reward to stakers (a stream starts)
await networkHelpers.time.increase(HOUR);
rows.push({
  operation: "stake (first release of the stream: one-time accumulator slot)",
  gas: await gasOf(distributor.connect(staker).stake(1, ethers.parseEther("1000"))),
});
await networkHelpers.time.increase(HOUR);
rows.push({
  operation: "stake (new staker, first position)",
  gas: await gasOf(distributor.connect(payer).stake(1, ethers.parseEther("5000"))),
  target: 90_000n,
});
await networkHelpers.time.increase(HOUR);
rows.push({
  operation: "payInference, base model, with stakers (stream flowing)",
  gas: await gasOf(distributor.connect(payer).payInference(1, FEE)),
  target: 95_000n,
});
await networkHelpers.time.increase(HOUR);
rows.push({
  operation: "stake (add to position)",
  gas: await gasOf(distributor.connect(staker).stake(1, ethers.parseEther("1000"))),
  target: 90_000n,
});
await networkHelpers.time.increase(HOUR);
rows.push({
  operation: "claimStakingRewards",
  gas: await gasOf(distributor.connect(staker).claimStakingRewards(1)),
  target: 90_000n,
});
rows.push({
  operation: "unstake (account's first: fresh queue and tranche slots)",
  gas: await gasOf(distributor.connect(staker).unstake(1, ethers.parseEther("1000"))),
});
rows.push({
  operation: "unstake (second tranche while the first cools down)",
  gas: await gasOf(distributor.connect(staker).unstake(1, ethers.parseEther("1000"))),
});
await networkHelpers.time.increase(DAY);
rows.push({
  operation: "withdrawStake (after cooldown, 2 tranches)",
  gas: await gasOf(distributor.connect(staker).withdrawStake(1)),
  target: 90_000n,
});
rows.push({
  operation: "unstake (steady: emptied queue, slots reused)",
  gas: await gasOf(distributor.connect(staker).unstake(1, ethers.parseEther("1000"))),
  target: 90_000n,
});

// Claims against trees of growing size, one epoch each, on model 1.
const accountAt = (i: number) => ethers.getAddress(ethers.dataSlice(ethers.id(`account ${i}`), 12));
const PER_ACCOUNT = ethers.parseEther("0.0001");
const claimRows: GasRow[] = [];
let epoch = 0n;
/** Closes the current epoch: moves time to its end and returns its index. */
async function closeEpoch() {
  epoch = await attribution.currentEpoch();
  await networkHelpers.time.increaseTo(await attribution.epochEnd(epoch));
  return epoch;
}

/** Signs `report` as `attester` for the model's current round (EIP-712, what the SDK's signReport sends). */
async function attest(
  attester: typeof a1,
  modelId: bigint,
  epochOf: bigint,
  report: Parameters<typeof attribution.hashReport>[2],
) {
  const { chainId } = await ethers.provider.getNetwork();
  const { round } = await attribution.modelReports(modelId);
  const signature = await attester.signTypedData(
    {
      name: ATTRIBUTION_DOMAIN_NAME,
      version: "1",
      chainId,
      verifyingContract: await attribution.getAddress(),
    },
    { AttestReport: [...ATTEST_REPORT_TYPES.AttestReport] },
    { modelId, epoch: epochOf, round, reportHash: await attribution.hashReport(modelId, epochOf, report) },
  );
  return { attester: attester.address, signature };
}

/**
 * Posts and finalizes a report; `measure` says which rows to record (the model's first report
 * or a later one); "attested" posts a later one with both signatures in one transaction.
 */
async function postReport(
  modelId: bigint,
  cumulative: Map<string, bigint>,
  measure: "first" | "steady" | "attested",
) {
  const tree = buildCumulativeTree(modelId, cumulative);
  const total = [...cumulative.values()].reduce((a, b) => a + b, 0n);
  await closeEpoch();
  const report = {
    weightsRoot: ethers.id(`weights ${epoch}`),
    totalWeight: 1_000_000n,
    cumulativeRoot: tree.root,
    totalCumulative: total,
    uri: `ipfs://report-${modelId}-${epoch}`,
  };
  if (measure === "attested") {
    const attestations = [
      await attest(a1, modelId, epoch, report),
      await attest(a2, modelId, epoch, report),
    ].sort((x, y) => (BigInt(x.attester) < BigInt(y.attester) ? -1 : 1));
    rows.push({
      operation: "submitAttestedReport (2 signatures, reaching threshold: 1 transaction)",
      gas: await gasOf(
        attribution.connect(claimer).submitAttestedReport(modelId, epoch, report, attestations),
      ),
      target: 110_000n,
    });
    await networkHelpers.time.increase(3600);
    await attribution.finalizeReport(modelId);
    epoch = await attribution.currentEpoch();
    return tree;
  }
  const first = await gasOf(attribution.connect(a1).submitReport(modelId, epoch, report));
  const second = await gasOf(attribution.connect(a2).submitReport(modelId, epoch, report));
  await networkHelpers.time.increase(3600);
  const finalize = await gasOf(attribution.finalizeReport(modelId));
  if (measure === "first") {
    rows.push({ operation: "finalizeReport (model's first: fresh claim-root slots)", gas: finalize });
  } else if (measure === "steady") {
    rows.push({ operation: "submitReport (attester, below threshold)", gas: first, target: 120_000n });
    rows.push({ operation: "submitReport (attester reaching threshold)", gas: second, target: 120_000n });
    rows.push({ operation: "finalizeReport", gas: finalize, target: 60_000n });
    rows.push({ operation: "two separate submissions reaching threshold 2 (sum)", gas: first + second });
  }
  epoch = await attribution.currentEpoch();
  return tree;
}

const claimer2 = accountAt(1); // holds no OPEN before its first claim
for (const [bits, measure] of [
  [4, "first"],
  [10, "steady"],
  [17, "attested"],
] as const) {
  const size = 2 ** bits;
  const cumulative = new Map<string, bigint>();
  for (let i = 0; i < size; i++) cumulative.set(accountAt(i), PER_ACCOUNT * BigInt(bits));
  cumulative.set(claimer.address, PER_ACCOUNT * BigInt(bits)); // replaces account 0: claimer holds OPEN
  cumulative.delete(accountAt(0));
  const tree = await postReport(1n, cumulative, measure);
  const proofLength = proofFor(tree, claimer.address).length;
  const firstOrRepeat = bits === 4 ? "first claim, account already holds OPEN" : "repeat claim";
  claimRows.push({
    operation: `2^${bits} accounts (${proofLength}-level proof): ${firstOrRepeat}`,
    gas: await gasOf(
      distributor.claim(
        1,
        claimer.address,
        cumulative.get(claimer.address)!,
        proofFor(tree, claimer.address),
      ),
    ),
    target: bits === 17 ? 71_000n : undefined,
  });
  claimRows.push({
    operation: `2^${bits} accounts (${proofLength}-level proof): ${bits === 4 ? "first claim, new holder" : "repeat claim, second account"}`,
    gas: await gasOf(distributor.claim(1, claimer2, cumulative.get(claimer2)!, proofFor(tree, claimer2))),
  });
  if (bits === 17) {
    const fresh = accountAt(2 ** 16 + 5); // first appears in the 2^17 tree: new holder, first claim
    claimRows.push({
      operation: `2^17 accounts (${proofLength}-level proof): first claim by a new holder`,
      gas: await gasOf(distributor.claim(1, fresh, cumulative.get(fresh)!, proofFor(tree, fresh))),
      target: 90_000n,
    });
  }
}

/**
 * Pays each model, closes the epoch, posts and finalizes a report per model whose tree gives
 * `perAccount` (cumulative) to 2^10 accounts and the claimer, then claims them all for the
 * claimer in one transaction: returns its gas.
 */
async function reportAndBatchClaim(ids: bigint[], perAccount: bigint): Promise<bigint> {
  for (const id of ids) await distributor.connect(payer).payInference(id, FEE);
  await closeEpoch();
  const items = [];
  for (const modelId of ids) {
    const cumulative = new Map<string, bigint>();
    for (let i = 0; i < 2 ** 10; i++) cumulative.set(accountAt(100_000 + i), perAccount);
    cumulative.set(claimer.address, perAccount);
    const tree = buildCumulativeTree(modelId, cumulative);
    const report = {
      weightsRoot: ethers.ZeroHash,
      totalWeight: 1n,
      cumulativeRoot: tree.root,
      totalCumulative: perAccount * BigInt(cumulative.size),
      uri: `ipfs://batch-${perAccount}`,
    };
    await attribution.connect(a1).submitReport(modelId, epoch, report);
    await attribution.connect(a3).submitReport(modelId, epoch, report);
    items.push({ modelId, cumulativeAmount: perAccount, proof: proofFor(tree, claimer.address) });
  }
  await networkHelpers.time.increase(3600);
  for (const modelId of ids) await attribution.finalizeReport(modelId);
  return gasOf(distributor.claimBatch(claimer.address, items));
}
/** Registers `count` base models; returns their ids. */
async function registerModels(count: number): Promise<bigint[]> {
  const first = (await models.modelCount()) + 1n;
  const ids = Array.from({ length: count }, (_, i) => first + BigInt(i));
  for (const id of ids) await models.connect(alice).registerModel(`ipfs://batch-${id}`, trainedOn, 0, 0);
  return ids;
}

// Batch claim across 10 models, first claims; then a second report per model raises the
// claimer's cumulative amount: a repeat batch claim.
const batchModels = await registerModels(10);
const batchGas = await reportAndBatchClaim(batchModels, PER_ACCOUNT);
rows.push({ operation: "claimBatch, 10 models, first claims (whole tx)", gas: batchGas });
rows.push({
  operation: "claimBatch, 10 models, first claims, per model",
  gas: batchGas / 10n,
  target: 45_000n,
});
const repeatGas = await reportAndBatchClaim(batchModels, 2n * PER_ACCOUNT);
rows.push({
  operation: "claimBatch, 10 models, repeat claims, per model",
  gas: repeatGas / 10n,
  target: 45_000n,
});

// Scaling: models in one batch claim (first claims).
const scalingRows: GasRow[] = [];
for (const count of [1, 10, 50])
  scalingRows.push({
    operation: `claimBatch, ${count} model${count === 1 ? "" : "s"} (first claims), per model`,
    gas: (await reportAndBatchClaim(await registerModels(count), PER_ACCOUNT)) / BigInt(count),
  });

// Scaling: payInference on a model with 1 to 8 ancestors (each adapter owes its parent 10 %).
{
  let parent = (await models.modelCount()) + 1n;
  await models.connect(alice).registerModel("ipfs://lineage-0", trainedOn, 0, 0);
  await distributor.connect(payer).payInference(parent, FEE);
  for (let depth = 1; depth <= 8; depth++) {
    await models.connect(bob).registerModel(`ipfs://lineage-${depth}`, trainedOn, parent, 1_000);
    parent += 1n;
    await distributor.connect(payer).payInference(parent, FEE); // the model's first payment
    scalingRows.push({
      operation: `payInference, ${depth} ancestor${depth === 1 ? "" : "s"} (royalty to the parent)`,
      gas: await gasOf(distributor.connect(payer).payInference(parent, FEE)),
    });
  }
}

// A challenge: model 3's next report gives one account of its 2^10 more than the declared total.
await distributor.connect(payer).payInference(3, FEE);
await closeEpoch();
{
  const cumulative = new Map<string, bigint>();
  for (let i = 0; i < 2 ** 10; i++) cumulative.set(accountAt(100_000 + i), 2n * PER_ACCOUNT);
  cumulative.set(claimer.address, FEE); // above the total below
  const tree = buildCumulativeTree(3n, cumulative);
  const report = {
    weightsRoot: ethers.ZeroHash,
    totalWeight: 1n,
    cumulativeRoot: tree.root,
    totalCumulative: 2n * PER_ACCOUNT * BigInt(cumulative.size),
    uri: "ipfs://over-allocated",
  };
  await attribution.connect(a1).submitReport(3, epoch, report);
  await attribution.connect(a3).submitReport(3, epoch, report);
  const evidence = {
    account: claimer.address,
    cumulativeAmount: FEE,
    proof: proofFor(tree, claimer.address),
    previousAmount: 0n,
    previousProof: [],
  };
  rows.push({
    operation: "challengeReward (10-level proof, voids and slashes 2 supporters)",
    gas: await gasOf(
      attribution.connect(payer).challengeReward(3, report, [a1.address, a3.address], evidence),
    ),
  });
}

printGasTable("RewardDistributor / AttributionRegistry gas (per transaction)", rows);
printGasTable("Claim gas by tree size (grows with log2(accounts) only)", claimRows);
printGasTable("Scaling: models per batch claim, lineage depth", scalingRows);
saveRows("rewards", [...rows, ...claimRows, ...scalingRows]);
