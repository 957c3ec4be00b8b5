/**
 * The end-to-end story of the demo, driven through the SDK: datanet, contributions (one
 * gasless, one spam rejected and slashed), review, version, base model and adapter, inference
 * payments, epoch close, bonded attesters posting the same report (signed once and submitted
 * once, or separately), challenge window, claims, staking rewards, withdrawals, a crafted report
 * voided by a challenge (its signers slashed), a governance proposal, and a conservation check.
 *
 * The contributions are the files of `demo/corpus/`; the weights come from the attribution
 * engine (sdk/attribution) matching each model's outputs (`demo/outputs-*.jsonl`) against them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import {
  createPublicClient,
  createWalletClient,
  custom,
  formatEther,
  keccak256,
  parseEther,
  type Address,
  type Hex,
} from "viem";

import {
  buildReport,
  createOpenAttributionClient,
  type BuiltReport,
  type Deployment,
  type OpenAttributionClient,
} from "../../sdk/index.js";
import {
  attributeOutputs,
  CorpusIndex,
  DEFAULT_SPAN_PARAMS,
  engineDescriptor,
  evidenceByWeight,
  readOutputs,
  tokenize,
  type AttributionParams,
} from "../../sdk/attribution/index.js";
import { parseDeployment } from "../../sdk/deployments.js";
import { attachSystem, DeploymentMismatchError, deploySystem } from "./deploy.js";
import { runProposal } from "./governance.js";
import { loadDeployParams } from "./params.js";

/** The demo's corpus (one file per contributor) and its models' outputs. */
export const DEMO_DIR = "demo";

/** The engine's settings in the demo: the defaults. */
const ENGINE_PARAMS: AttributionParams = {
  ...DEFAULT_SPAN_PARAMS,
  feeWeighted: false,
  evidencePerContribution: 2,
};

export interface StorySummary {
  deployment: Deployment;
  paidIn: bigint;
  paidOut: bigint;
  held: bigint;
  claims: Record<string, bigint>;
  stakingRewards: bigint;
  slashed: bigint;
  reports: BuiltReport[];
}

/** The demo's actors, in the order of the node's accounts (anvil's and Hardhat's default mnemonic). */
export const DEMO_ACTORS = [
  "deployer",
  "curator",
  "alice",
  "bob",
  "carol",
  "dave",
  "reviewer1",
  "reviewer2",
  "reviewer3",
  "modelDev",
  "attester1",
  "attester2",
  "attester3",
  "guardian",
  "app",
  "staker",
  "adapterDev",
  "relayer",
] as const;
export type DemoActor = (typeof DEMO_ACTORS)[number];

/**
 * A report document's URI, `ipfs://<name>`. With OA_DOCUMENTS_DIR set (the local stack), the
 * document is also written there as `<name>.json`, for the dashboard to fetch.
 */
export function publish(name: string, report: BuiltReport): string {
  const dir = process.env.OA_DOCUMENTS_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(report.document, null, 2)}\n`);
  }
  return `ipfs://${name}`;
}

const fmt = (wei: bigint) =>
  `${Number(formatEther(wei)).toLocaleString("en-US", { maximumFractionDigits: 4 })} OPEN`;

/**
 * On a running local node, reuses the system recorded in `deployments/localhost.json` when its
 * code is there (else deploys one and records it); the in-process chain always starts empty.
 */
async function deployOrReuse(connection: NetworkConnection, log: (line: string) => void) {
  const recordPath = join(process.env.DEPLOYMENTS_DIR ?? "deployments", `${connection.networkName}.json`);
  const onNode = connection.networkName === "localhost";
  if (onNode && existsSync(recordPath)) {
    const deployment = parseDeployment(JSON.parse(readFileSync(recordPath, "utf8")), recordPath);
    try {
      const contracts = await attachSystem(connection, deployment);
      log(`  reusing the system recorded in ${recordPath}`);
      return { deployment, contracts };
    } catch (error) {
      if (!(error instanceof DeploymentMismatchError)) throw error;
      log(`  ${recordPath} does not match this node (${error.message}): deploying a new system`);
    }
  }
  const deployed = await deploySystem(connection, loadDeployParams("default"));
  if (onNode) {
    mkdirSync(dirname(recordPath), { recursive: true });
    writeFileSync(recordPath, `${JSON.stringify(deployed.deployment, null, 2)}\n`);
  }
  return deployed;
}

/** Runs the story on `connection` (in-process or `localhost`); `log` receives the printed output. */
export async function runStory(
  connection: NetworkConnection,
  log: (line: string) => void = () => {},
): Promise<StorySummary> {
  const table = (rows: Record<string, unknown>[]) => {
    const keys = Object.keys(rows[0] ?? {});
    const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
    log(`  ${line(keys)}`);
    log(`  ${line(widths.map((w) => "-".repeat(w)))}`);
    for (const r of rows) log(`  ${line(keys.map((k) => String(r[k])))}`);
  };
  const step = (title: string) => log(`\n== ${title}`);
  const { ethers, provider } = connection;
  const advance = async (seconds: bigint | number) => {
    await provider.request({ method: "evm_increaseTime", params: [Number(seconds)] });
    await provider.request({ method: "evm_mine", params: [] });
  };

  step("1. Deploy the system (governance, registries, attribution, distributor)");
  const { deployment, contracts } = await deployOrReuse(connection, log);
  table(Object.entries(deployment.contracts).map(([name, c]) => ({ contract: name, address: c.address })));

  const signers = await ethers.getSigners();
  const who = Object.fromEntries(DEMO_ACTORS.map((n, i) => [n, signers[i].address as Address])) as Record<
    DemoActor,
    Address
  >;
  const publicClient = createPublicClient({ transport: custom(provider, { retryCount: 0 }) });
  const clients = new Map<Address, OpenAttributionClient>();
  const as = (address: Address) => {
    if (!clients.has(address)) {
      const walletClient = createWalletClient({
        account: address,
        transport: custom(provider, { retryCount: 0 }),
      });
      clients.set(address, createOpenAttributionClient({ publicClient, walletClient, deployment }));
    }
    return clients.get(address)!;
  };
  const deployerOa = as(who.deployer);
  const distributorBefore = await deployerOa.tokenBalance(deployerOa.addresses.distributor);
  for (const n of ["curator", "alice", "bob", "carol", "dave", "app", "staker"] as const) {
    await contracts.token.transfer(who[n], parseEther(n === "app" ? "100000" : "10000"));
  }
  log(`  each actor received OPEN from the deployer; the timelock owns every protocol setting`);
  const { minBond } = await deployerOa.attesterRules();
  for (const n of ["attester1", "attester2", "attester3"] as const) {
    await contracts.token.transfer(who[n], minBond);
    await as(who[n]).approve({ spender: deployerOa.addresses.attribution, amount: minBond });
    await as(who[n]).bondAttester({ amount: minBond });
  }
  log(
    `  the three attesters each bonded ${fmt(minBond)} OPEN: slashed if a report they support is proven wrong`,
  );

  step("2. A curator creates a datanet with a 10 OPEN bond and three reviewers");
  const BOND = parseEther("10");
  const { result: datanetId } = await as(who.curator).createDatanet({
    metadataURI: "ipfs://bafy-medical-qa-datanet",
    settings: {
      kind: "dataset",
      open: true,
      optimistic: false,
      reviewQuorum: 2,
      reviewWindow: 86_400,
      dailyLimit: 10,
      bond: BOND,
    },
  });
  for (const r of [who.reviewer1, who.reviewer2, who.reviewer3])
    await as(who.curator).setReviewer({ datanetId, reviewer: r, active: true });
  log(`  datanet #${datanetId}: quorum 2, bond ${fmt(BOND)}, daily limit 10`);

  step(
    "3. Contributions: alice by commit-reveal (no one can copy it first), bob directly, carol gasless (relayed with a permit), dave spams",
  );
  const content = (n: string) => readFileSync(join(DEMO_DIR, "corpus", `${n}.txt`));
  const contentOf = (n: string) => keccak256(content(n));
  const ids: Record<string, Hex> = {};
  await as(who.alice).approve({ amount: BOND });
  const { commitment } = await as(who.alice).commitContributions({
    datanetId,
    items: [{ contentHash: contentOf("alice"), uri: "ipfs://bafy-alice" }],
  });
  await advance(60); // MIN_REVEAL_DELAY: whoever sees the reveal can only commit after it
  [ids.alice] = (await as(who.relayer).revealContributions(commitment)).result;
  log(
    `  alice committed to a hash only; a minute later the relayer revealed it, for her, at most ${fmt(commitment.maxBond)} bond`,
  );
  for (const n of ["bob", "dave"] as const) {
    await as(who[n]).approve({ amount: BOND });
    ids[n] = (
      await as(who[n]).contribute({ datanetId, contentHash: contentOf(n), uri: `ipfs://bafy-${n}` })
    ).result;
  }
  const deadline = BigInt((await publicClient.getBlock()).timestamp) + 3_600n;
  const signed = await as(who.carol).signContribution({
    datanetId,
    contentHash: contentOf("carol"),
    uri: "ipfs://bafy-carol",
    deadline,
  });
  const permit = await as(who.carol).signPermit({
    spender: deployerOa.addresses.contributions,
    value: BOND,
    deadline,
  });
  ids.carol = (await as(who.relayer).relayContributionWithPermit({ contribution: signed, permit })).result;
  log(`  carol signed off-chain; the relayer paid the gas; her bond came through her permit`);

  step("4. Review: quorum accepts the good ones, rejects the spam (bond slashed to the treasury)");
  for (const n of ["alice", "bob", "carol"] as const) {
    await as(who.reviewer1).review({ contributionId: ids[n], approve: true });
    await as(who.reviewer2).review({ contributionId: ids[n], approve: true });
  }
  await as(who.reviewer1).review({ contributionId: ids.dave, approve: false });
  await as(who.reviewer3).review({ contributionId: ids.dave, approve: false });
  const contributionRows = [];
  for (const n of ["alice", "bob", "carol", "dave"] as const) {
    const c = await deployerOa.getContribution(ids[n]);
    const rep = await deployerOa.reputation(who[n]);
    contributionRows.push({
      contributor: n,
      id: `${ids[n].slice(0, 10)}…`,
      status: c.status,
      approvals: c.approvals,
      rejections: c.rejections,
      slashed: fmt(rep.slashed),
    });
  }
  table(contributionRows);
  const slashed = (await deployerOa.reputation(who.dave)).slashed;

  step("5. Version 1 of the datanet; a base model and an adapter (10 % royalty) trained on it");
  const { result: version } = await as(who.curator).snapshotVersion({ datanetId });
  const trainedOn = [{ datanetId: Number(datanetId), version }];
  const { result: baseModel } = await as(who.modelDev).registerModel({
    metadataURI: "ipfs://bafy-medllm-7b",
    trainedOn,
  });
  const { result: adapter } = await as(who.adapterDev).registerModel({
    metadataURI: "ipfs://bafy-medllm-7b-pediatrics-lora",
    trainedOn,
    parentId: baseModel,
    royaltyBps: 1_000,
  });
  log(
    `  version ${version} (${(await deployerOa.getDatanet(datanetId)).acceptedCount} accepted); model #${baseModel}, adapter #${adapter} with lineage [${(await deployerOa.lineage(adapter)).join(", ")}]`,
  );

  step("6. A staker stakes on the base model; an app pays for inference");
  await as(who.staker).approve({ spender: deployerOa.addresses.distributor, amount: parseEther("1000") });
  await as(who.staker).stake({ modelId: baseModel, amount: parseEther("1000") });
  await as(who.app).approve({ spender: deployerOa.addresses.distributor, amount: parseEther("4000") });
  const payments: [bigint, bigint][] = [
    [baseModel, parseEther("1000")],
    [baseModel, parseEther("1500")],
    [adapter, parseEther("800")],
    [adapter, parseEther("700")],
  ];
  for (const [modelId, amount] of payments) await as(who.app).payInference({ modelId, amount });
  await as(who.app).payInferenceWithPermit({ modelId: baseModel, amount: parseEther("500"), deadline });
  payments.push([baseModel, parseEther("500")]);
  await deployerOa.settleRoyalties({ modelId: baseModel });
  const paidIn = payments.reduce((sum, [, amount]) => sum + amount, 0n);
  const poolRows = [];
  for (const modelId of [baseModel, adapter]) {
    const pool = await deployerOa.pool(modelId);
    poolRows.push({
      model: `#${modelId}`,
      paid: fmt(payments.filter(([m]) => m === modelId).reduce((s, [, a]) => s + a, 0n)),
      contributorPool: fmt(pool.funded),
    });
  }
  table(poolRows);

  step(
    "7. The epoch closes; attesters run the attribution engine: spans of each model's outputs found in the accepted contributions",
  );
  const epoch = deployerOa.epochAt((await publicClient.getBlock()).timestamp);
  await advance(deployerOa.epochEnd(epoch) - (await publicClient.getBlock()).timestamp);
  // The accepted contributions of version 1 (dave's spam was rejected), in id order.
  const accepted = (["alice", "bob", "carol"] as const)
    .map((n) => ({ n, contributionId: ids[n], contentHash: contentOf(n) }))
    .sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));
  const index = CorpusIndex.build(
    accepted.map((d) => ({ ...d, tokens: tokenize(content(d.n).toString("utf8")) })),
  );
  const nameOf = new Map<Hex, string>(accepted.map((d) => [d.contributionId, d.n]));
  const reports: BuiltReport[] = [];
  const evidenceRows = [];
  for (const [modelId, outputs] of [
    [baseModel, "outputs-base.jsonl"],
    [adapter, "outputs-adapter.jsonl"],
  ] as const) {
    const result = attributeOutputs(readOutputs(join(DEMO_DIR, outputs)), [index], ENGINE_PARAMS);
    const weights = [...result.weights].map(([contributionId, weight]) => ({
      contributionId,
      contributor: who[nameOf.get(contributionId) as "alice" | "bob" | "carol"],
      weight,
    }));
    const pool = await deployerOa.poolFundedUpTo(modelId, epoch);
    const attribution = {
      engine: engineDescriptor(ENGINE_PARAMS),
      evidence: evidenceByWeight(weights, result.evidence),
    };
    const report = buildReport({ modelId, epoch, weights, previous: new Map(), pool, attribution });
    const onchain = report.toOnchain(
      publish(`report-${modelId}-${epoch}-${report.documentHash.slice(2, 10)}`, report),
    );
    if (modelId === baseModel) {
      // Sign once, submit once: both attesters sign off chain; the relayer submits in one transaction.
      const attestations = [
        await as(who.attester1).signReport({ modelId, epoch, report: onchain }),
        await as(who.attester2).signReport({ modelId, epoch, report: onchain }),
      ];
      await as(who.relayer).submitAttestedReport({ modelId, epoch, report: onchain, attestations });
    } else {
      await as(who.attester1).submitReport({ modelId, epoch, report: onchain });
      await as(who.attester2).submitReport({ modelId, epoch, report: onchain });
    }
    reports.push(report);
    for (const w of weights)
      evidenceRows.push({
        model: `#${modelId}`,
        contributor: nameOf.get(w.contributionId),
        weight: w.weight.toString(),
        reward: fmt(report.allocated.get(w.contributor) ?? 0n),
        "strongest span": `"${result.evidence.get(w.contributionId)![0].text.trim()}"`,
      });
  }
  table(evidenceRows);
  log(
    `  attester1 and attester2 support identical reports (2 of 3 = threshold): the base model's signed off chain and ` +
      `submitted by the relayer in one transaction, the adapter's submitted separately; attester3 did not need to`,
  );

  step("8. Challenge window passes with no veto; anyone finalizes; contributors claim");
  await advance(3_601);
  for (const modelId of [baseModel, adapter]) await deployerOa.finalizeReport({ modelId });
  const claims: Record<string, bigint> = {};
  // Each contributor claims from the reports that pay them: one report alone, or several in one batch.
  const payingReports = (n: "alice" | "bob" | "carol") => reports.filter((r) => r.cumulative.has(who[n]));
  claims.alice = 0n;
  for (const report of payingReports("alice"))
    claims.alice += (await as(who.alice).claimFromReport({ report, account: who.alice })).result;
  claims.bob = (await as(who.relayer).claimBatch({ account: who.bob, reports: payingReports("bob") })).result; // claimed for bob by someone else
  claims.carol = (
    await as(who.carol).claimBatch({ account: who.carol, reports: payingReports("carol") })
  ).result;
  const stakingRewards = (await as(who.staker).claimStakingRewards({ modelId: baseModel })).result;
  const ownerWithdrawals =
    (await as(who.modelDev).withdrawBalance()).result + (await as(who.adapterDev).withdrawBalance()).result;
  const treasuryWithdrawal = (await deployerOa.withdrawTreasury()).result;
  table([
    ...(["alice", "bob", "carol"] as const).map((n) => ({
      who: n,
      role: "contributor",
      paid: fmt(claims[n]),
    })),
    { who: "staker", role: "staker (base model)", paid: fmt(stakingRewards) },
    { who: "modelDev + adapterDev", role: "model owners", paid: fmt(ownerWithdrawals) },
    { who: "timelock", role: "treasury", paid: fmt(treasuryWithdrawal) },
  ]);

  step("9. Two attesters sign a crafted report; anyone proves it wrong on chain and it is void");
  // Next epoch of the base model: the same amounts as before, but a weight for dave's rejected spam.
  const nextEpoch = deployerOa.epochAt((await publicClient.getBlock()).timestamp);
  await advance(Number(deployerOa.epochEnd(nextEpoch) - BigInt((await publicClient.getBlock()).timestamp)));
  const base = reports[0];
  const crafted = buildReport({
    modelId: baseModel,
    epoch: nextEpoch,
    pool: 0n,
    previous: base.cumulative,
    weights: [{ contributionId: ids.dave, contributor: who.dave, weight: 1_000_000n }],
  });
  const craftedOnchain = crafted.toOnchain(publish(`crafted-${crafted.documentHash.slice(2, 10)}`, crafted));
  const craftedSignatures = [
    await as(who.attester2).signReport({ modelId: baseModel, epoch: nextEpoch, report: craftedOnchain }),
    await as(who.attester3).signReport({ modelId: baseModel, epoch: nextEpoch, report: craftedOnchain }),
  ];
  await as(who.relayer).submitAttestedReport({
    modelId: baseModel,
    epoch: nextEpoch,
    report: craftedOnchain,
    attestations: craftedSignatures,
  });
  log(
    `  attester2 and attester3 signed a report of epoch ${nextEpoch} weighing dave's rejected spam; it is pending`,
  );
  const watcher = as(who.carol); // any watcher who fetched the posted document
  const { pending, faults } = await watcher.findReportFaults({
    modelId: baseModel,
    document: crafted.document,
    previous: base.document,
  });
  const carolBefore = await watcher.tokenBalance(who.carol);
  const { result: proven } = await watcher.challengeReport({ pending, found: faults[0] });
  const challengerReward = (await watcher.tokenBalance(who.carol)) - carolBefore;
  table([
    {
      fault: proven,
      "void report": `${pending.reportHash.slice(0, 18)}…`,
      "paid to carol (challenger)": fmt(challengerReward),
    },
  ]);
  table(
    await Promise.all(
      (["attester1", "attester2", "attester3"] as const).map(async (n) => {
        const info = await deployerOa.attesterInfo(who[n]);
        return {
          attester: n,
          bonded: fmt(info.bond),
          counts: info.active ? "yes" : "no (below the minimum)",
        };
      }),
    ),
  );

  step("10. Governance: holders delegate and the timelock lowers the treasury share to 4 %");
  await contracts.token.delegate(who.deployer);
  await advance(1);
  const splits = { treasuryBps: 400, ownerBps: 2_000, stakersBps: 1_000 };
  await runProposal(
    ethers,
    contracts,
    [
      {
        target: deployerOa.addresses.distributor,
        data: contracts.distributor.interface.encodeFunctionData("setSplits", [splits]),
      },
    ],
    // A description of its own per run: a proposal can only be made once.
    `Lower the treasury share to 4 % (demo run at ${(await publicClient.getBlock()).timestamp})`,
    [signers[0]],
    (line) => log(`  - ${line}`),
  );
  log(`  distributor splits now ${JSON.stringify((await contracts.distributor.splits()).map(Number))}`);

  step("11. Conservation: every OPEN paid in is accounted for");
  const paidOut =
    Object.values(claims).reduce((a, b) => a + b, 0n) +
    stakingRewards +
    ownerWithdrawals +
    treasuryWithdrawal;
  // Measured as a change over this run, so that it also holds on a reused deployment.
  const distributorHeld =
    (await deployerOa.tokenBalance(deployerOa.addresses.distributor)) - distributorBefore;
  const staked = (await deployerOa.stakeOf(baseModel, who.staker)).staked;
  const held = distributorHeld - staked;
  table([
    { item: "inference fees paid in", amount: fmt(paidIn) },
    { item: "paid out (claims, staking, owners, treasury)", amount: fmt(paidOut) },
    { item: "still held by the distributor (unclaimed, rounding)", amount: fmt(held) },
    { item: "spam bond slashed to the treasury (separate)", amount: fmt(slashed) },
  ]);
  if (paidOut + held !== paidIn) throw new Error(`conservation violated: ${paidOut} + ${held} != ${paidIn}`);
  log(`  paid out + held == paid in: conservation holds`);
  return { deployment, paidIn, paidOut, held, claims, stakingRewards, slashed, reports };
}
