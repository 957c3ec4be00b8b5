/**
 * The load and fault test, run by `npm run load` (scripts/load.ts parses its options into LOAD_*
 * variables). Against a real node process over JSON-RPC:
 * 1. anvil from npm on loopback (or the node at LOAD_RPC), the demo's deployment and story, the
 *    Ponder indexer, and a loopback proxy that drops, delays and duplicates RPC requests;
 * 2. 34 accounts driven concurrently through the SDK (a local key each, retryingHttp through the
 *    proxy): contributions (direct, batch, commit-reveal, signed and relayed) and their reviews;
 *    models with a lineage, stakes, inference payments over several epochs, attested reports,
 *    claims by every rewarded account, owners' and stakers' withdrawals;
 * 3. faults while it runs: the node stopped and restarted from its dumped state, the indexer
 *    killed (SIGKILL) and restarted, the proxy's dropped, delayed and duplicated requests;
 * 4. checks at the end: every planned contribution and payment is on chain exactly once and no
 *    account sent a transaction more than planned (nonces), OPEN is conserved, and the indexer's
 *    tables equal chain reads row by row. Prints a summary and exits 1 if anything was lost.
 * LOAD_DEBUG=1 also prints every error a transaction met on its way (retried or not).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  createPublicClient,
  createWalletClient,
  keccak256,
  parseEther,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import {
  buildReport,
  computeContributionId,
  contributionRegistryAbi,
  createOpenAttributionClient,
  isTransportFailure,
  openTokenAbi,
  parseDeployment,
  retryingHttp,
  rewardDistributorAbi,
  TransactionNotSentError,
  type BuiltReport,
  type Deployment,
  type OpenAttributionClient,
} from "../../sdk/index.js";
import { confirmSigned } from "../../sdk/actions/index.js";
import { type FaultRates } from "../lib/fault-proxy.ts";
import { startFaultProxyProcess } from "../lib/fault-proxy-process.ts";
import { eachLimited } from "../lib/concurrency.ts";
import { compareIndexerWithChain } from "../lib/indexer-vs-chain.ts";
import { readProgress, rpcCall } from "../lib/ponder-progress.ts";
import { runHardhat, startAnvil } from "../lib/processes.ts";

// ------------------------------------------------------------------ settings
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CONTRIBUTIONS = env("LOAD_CONTRIBUTIONS", 5_000);
const PAYMENTS = env("LOAD_PAYMENTS", 2_000);
const EPOCHS = env("LOAD_EPOCHS", 3);
const MINUTES = env("LOAD_MINUTES", 30);
const SEED = env("LOAD_SEED", 1);
const FAULTS = process.env.LOAD_FAULTS !== "0";
const EXTERNAL_RPC = process.env.LOAD_RPC || undefined;
const RATES: FaultRates = FAULTS
  ? { dropRequest: 0.02, dropResponse: 0.02, delay: 0.05, duplicate: 0.03 }
  : { dropRequest: 0, dropResponse: 0, delay: 0, duplicate: 0 };
const MNEMONIC = "test test test test test test test test test test test junk"; // anvil's dev accounts
const deadline = Date.now() + MINUTES * 60_000;
const randomPort = () => 30_000 + Math.floor(Math.random() * 20_000);

/** A deterministic generator (mulberry32) for the plan: the same seed gives the same operations. */
let state = SEED >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = (n: number) => Math.floor(random() * n);

const log = (line: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const started = Date.now();
const workDir = mkdtempSync(join(tmpdir(), "oa-load-"));

// ------------------------------------------------------------------ node, deployment, proxy, indexer
const nodePort = randomPort();
const statePath = join(workDir, "anvil-state.json");
const startNode = () => startAnvil(["--state", statePath, "--gas-limit", "60000000"], nodePort, 54);
let node = EXTERNAL_RPC ? undefined : await startNode();
const nodeUrl = EXTERNAL_RPC ?? node!.url;
log(`node: ${EXTERNAL_RPC ? `external at ${nodeUrl}` : `anvil on ${nodeUrl}, state in ${statePath}`}`);

await runHardhat(["run", "--no-compile", "scripts/demo.ts", "--network", "localhost"], {
  LOCALHOST_RPC_URL: nodeUrl,
  DEPLOYMENTS_DIR: workDir,
});
const deployment: Deployment = parseDeployment(
  JSON.parse(readFileSync(join(workDir, "localhost.json"), "utf8")),
);
log(`deployed and ran the demo story (deployment record in ${workDir})`);

const proxy = await startFaultProxyProcess({ target: nodeUrl, port: randomPort(), rates: RATES, seed: SEED });
log(
  `fault proxy on ${proxy.url}: drops ${RATES.dropRequest * 100} % of requests and ${RATES.dropResponse * 100} % of answers, ` +
    `delays ${RATES.delay * 100} %, duplicates ${RATES.duplicate * 100} %`,
);

const indexerPort = randomPort();
const api = `http://127.0.0.1:${indexerPort}`;
const faults = { nodeRestarts: 0, indexerKills: 0, indexerExits: 0 };
let indexer: ChildProcess | undefined;
const indexerLogPath = join(workDir, "indexer.log");
let stopping = false;
/** Starts `npm run indexer` against the proxy; its output (Ponder's info log) goes to indexer.log. */
function startIndexer() {
  const { DATABASE_URL: _postgres, ...inherited } = process.env;
  const output = openSync(indexerLogPath, "a");
  const child = spawn(process.execPath, ["scripts/indexer.ts", "--port", String(indexerPort)], {
    env: { ...inherited, LOCALHOST_RPC_URL: proxy.url, DEPLOYMENTS_DIR: workDir, PONDER_LOG_LEVEL: "info" },
    stdio: ["ignore", output, output],
    detached: true, // its own process group: the wrapper and Ponder under it die together
  });
  closeSync(output);
  child.on("exit", () => {
    if (stopping || indexer !== child) return;
    faults.indexerExits++; // it gave up on its own (e.g. the node was down too long): start it again
    log(`fault: the indexer exited on its own (code ${child.exitCode}); restarting it`);
    setTimeout(() => {
      if (!stopping && indexer === child) indexer = startIndexer();
    }, 1_000);
  });
  return child;
}
/** The last lines of the indexer's log, for a failure message. */
const indexerLogTail = (lines = 40) =>
  readFileSync(indexerLogPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
/** Signals the indexer's whole process group (`npm run indexer` and the Ponder process it runs). */
const signalIndexer = (child: ChildProcess | undefined, signal: NodeJS.Signals) => {
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, signal);
};
indexer = startIndexer();

/** Logs the indexer's block next to the chain's every minute, to tell a stall from slowness. */
const progressWatch = setInterval(async () => {
  const [p, chainHead] = await Promise.all([
    readProgress(api),
    rpcCall(nodeUrl, "eth_blockNumber", [], 1).catch(() => undefined),
  ]);
  const chain = chainHead === undefined ? "(node down)" : BigInt(chainHead as string);
  if (!stopping) log(`indexer at block ${p?.block ?? "none"}, chain at ${chain}`);
}, 60_000);

// ------------------------------------------------------------------ accounts and clients
let retries = 0;
let resent = 0;
const transport = retryingHttp(proxy.url, { retries: 12, timeoutMs: 15_000, onRetry: () => retries++ });
const publicClient = createPublicClient({ transport, pollingInterval: 100 }) as PublicClient;
const direct = createPublicClient({ transport: retryingHttp(nodeUrl, { retries: 20 }) }) as PublicClient;
const accountAt = (index: number) => mnemonicToAccount(MNEMONIC, { addressIndex: index });
const clientFor = (index: number): OpenAttributionClient =>
  createOpenAttributionClient({
    publicClient,
    walletClient: createWalletClient({ account: accountAt(index), transport }),
    deployment,
  });
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const roles = {
  deployer: [0],
  curator: [1],
  attesters: [10, 11, 12],
  contributors: range(20, 16),
  payers: range(36, 4),
  stakers: range(40, 4),
  relayers: range(44, 2),
  reviewers: range(46, 6),
  owners: range(52, 2),
};
const driven = Object.values(roles).flat();
const loadAccounts = driven.filter((i) => i >= 20);
const client = new Map(driven.map((i) => [i, clientFor(i)]));
const as = (index: number) => client.get(index)!;
const address = (index: number) => accountAt(index).address;
const startNonce = new Map<number, number>();
for (const i of driven)
  startNonce.set(i, await direct.getTransactionCount({ address: address(i), blockTag: "latest" }));

/** Transactions each account confirmed; the chain's nonces must say the same at the end. */
const sentBy = new Map<number, number>(driven.map((i) => [i, 0]));
const operations: Record<string, number> = {};
const failures: string[] = [];

/**
 * Runs one transaction action of account `index`. Nothing is signed twice: an action that fails
 * before signing (the node unreachable for the simulation) is run again; one whose signed bytes
 * could not be handed over is confirmed by resending those bytes (`confirmSigned`); a contract
 * error is recorded as a failure.
 */
const inFlight = new Map<number, { kind: string; since: number }>();
/** The last transaction of each account: the next one waits for it (one nonce at a time). */
const accountQueue = new Map<number, Promise<unknown>>();
async function tx<T>(
  index: number,
  kind: string,
  action: () => Promise<{ result: T }>,
): Promise<T | undefined> {
  const previous = accountQueue.get(index) ?? Promise.resolve();
  const run = previous.then(async () => {
    inFlight.set(index, { kind, since: Date.now() });
    try {
      return await txOnce(index, kind, action);
    } finally {
      inFlight.delete(index);
    }
  });
  accountQueue.set(
    index,
    run.catch(() => undefined),
  );
  return run;
}
async function txOnce<T>(
  index: number,
  kind: string,
  action: () => Promise<{ result: T }>,
): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    if (Date.now() > deadline) {
      failures.push(`${kind} by account ${index}: not run, the time limit passed`);
      return undefined;
    }
    try {
      const { result } = await action();
      sentBy.set(index, sentBy.get(index)! + 1);
      operations[kind] = (operations[kind] ?? 0) + 1;
      return result;
    } catch (error) {
      if (process.env.LOAD_DEBUG)
        log(
          `debug: ${kind} by ${index}: ${(error as Error).name}: ${(error as Error).message.split("\n")[0]}`,
        );
      if (error instanceof TransactionNotSentError) {
        resent++;
        const receipt = await confirmSigned(publicClient, error, { timeoutMs: 300_000 });
        sentBy.set(index, sentBy.get(index)! + 1);
        if (receipt.status !== "success") failures.push(`${kind} by account ${index}: reverted on chain`);
        // The action's result is lost with the answer: callers that need it read it from the chain.
        operations[kind] = (operations[kind] ?? 0) + 1;
        return undefined;
      }
      const cause = (error as { cause?: unknown }).cause;
      if ((isTransportFailure(error) || isTransportFailure(cause)) && attempt < 20) {
        await new Promise((r) => setTimeout(r, 500 * attempt));
        continue;
      }
      failures.push(`${kind} by account ${index}: ${(error as Error).message.split("\n")[0]}`);
      return undefined;
    }
  }
}

// ------------------------------------------------------------------ chain clock (direct, not through the proxy)
const nodeRpc = (method: string, params: unknown[] = []) => rpcCall(nodeUrl, method, params, 20);
async function chainTime(): Promise<bigint> {
  const block = (await nodeRpc("eth_getBlockByNumber", ["latest", false])) as { timestamp: Hex };
  return BigInt(block.timestamp);
}
let nodeDown = false;
/** Mines one block at `timestamp` (absolute, so it holds across node restarts). */
async function advanceTo(timestamp: bigint) {
  while (nodeDown) await new Promise((r) => setTimeout(r, 200));
  const now = await chainTime();
  await nodeRpc("evm_setNextBlockTimestamp", [Number(timestamp > now ? timestamp : now + 1n)]);
  await nodeRpc("evm_mine", []);
}

/**
 * Stops the node (it dumps its state), leaves it down a moment, starts it from the dump. Anvil
 * restores blocks and state but not its clock's offset: its next block would be stamped with the
 * wall clock, days before the last one (the demo moved time on). So clients are held off (HTTP
 * 503) until a block continues the chain's time.
 */
async function restartNode() {
  if (!node) return;
  nodeDown = true;
  await proxy.setOpen(false);
  // Requests already on their way finish first, and a block is mined after them: anvil answers a
  // transaction before it mines it, and stopped while mining it, it dumped the state after the
  // transaction without its block (seen: a nonce used by a transaction it no longer knew, and an
  // indexer that had read the lost block).
  await proxy.drain();
  await nodeRpc("evm_mine", []);
  await node.stop();
  await new Promise((r) => setTimeout(r, 1_500));
  node = await startNode();
  const last = await chainTime();
  await nodeRpc("evm_setNextBlockTimestamp", [Number(last + 1n)]);
  await nodeRpc("evm_mine", []);
  await proxy.setOpen(true);
  nodeDown = false;
  faults.nodeRestarts++;
  log(`fault: node stopped, state dumped, restarted from ${statePath}`);
}
/** Kills the indexer once it is indexing (killed during its first setup, Ponder cannot resume). */
async function killIndexer() {
  while ((await fetch(`${api}/ready`).catch(() => undefined))?.status !== 200 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 500));
  const victim = indexer!;
  indexer = undefined;
  signalIndexer(victim, "SIGKILL");
  faults.indexerKills++;
  await new Promise((r) => setTimeout(r, 2_000));
  indexer = startIndexer();
  log("fault: indexer killed (SIGKILL) and restarted");
}

// ------------------------------------------------------------------ setup: OPEN, datanets, reviewers
const token = { address: deployment.contracts.OpenToken.address, abi: openTokenAbi } as const;
const balanceOf = (who: Address) =>
  direct.readContract({ ...token, functionName: "balanceOf", args: [who] }) as Promise<bigint>;
const before = {
  registry: await balanceOf(deployment.contracts.ContributionRegistry.address),
  distributor: await balanceOf(deployment.contracts.RewardDistributor.address),
  supply: (await direct.readContract({ ...token, functionName: "totalSupply" })) as bigint,
  block: await direct.getBlockNumber(),
};
const deployer = as(0);
const BOND = parseEther("1");
for (const i of [...roles.contributors, ...roles.payers, ...roles.stakers])
  await tx(0, "transfer", () => deployer.transfer({ to: address(i), amount: parseEther("100000") }));
const { minBond } = await deployer.attesterRules();
for (const i of roles.attesters) {
  // The demo slashed two attesters below the minimum: they bond back up.
  const { bond } = await deployer.attesterInfo(address(i));
  if (bond >= minBond) continue;
  await tx(0, "transfer", () => deployer.transfer({ to: address(i), amount: minBond - bond }));
  await tx(i, "approve", () =>
    as(i).approve({ spender: deployer.addresses.attribution, amount: minBond - bond }),
  );
  await tx(i, "bondAttester", () => as(i).bondAttester({ amount: minBond - bond }));
}
const datanetSettings = (bond: bigint) => ({
  kind: "dataset" as const,
  open: true,
  optimistic: false,
  reviewQuorum: 1,
  reviewWindow: 2_592_000,
  dailyLimit: 1_000_000,
  bond,
});
const datanets: bigint[] = [];
for (const bond of [BOND, 0n]) {
  const id = await tx(1, "createDatanet", () =>
    as(1).createDatanet({ metadataURI: `ipfs://load-datanet-${bond}`, settings: datanetSettings(bond) }),
  );
  datanets.push(id ?? (await as(1).counts()).datanets);
}
for (const d of datanets)
  for (const r of roles.reviewers)
    await tx(1, "setReviewer", () => as(1).setReviewer({ datanetId: d, reviewer: address(r), active: true }));
for (const i of roles.contributors)
  await tx(i, "approve", () => as(i).approve({ amount: parseEther("100000") }));
log(
  `setup: ${datanets.length} datanets (bond 1 OPEN and none), ${roles.reviewers.length} reviewers, ${loadAccounts.length} load accounts funded`,
);

// ------------------------------------------------------------------ phase 1: contributions and reviews
interface Planned {
  id: Hex;
  datanetId: bigint;
  contentHash: Hex;
  contributor: number;
}
const planned: Planned[] = [];
const toReview: Planned[] = [];
let contributionsDone = 0;
const phase1Start = Date.now();
const perContributor = Math.ceil(CONTRIBUTIONS / roles.contributors.length);
let contentCounter = 0;
function nextContent(contributor: number, datanetId: bigint): Planned {
  const contentHash = keccak256(toHex(`load ${SEED} content ${contentCounter++}`));
  const p = { id: computeContributionId(datanetId, contentHash), datanetId, contentHash, contributor };
  planned.push(p);
  return p;
}
const uri = (p: Planned) => `ipfs://load/${p.contentHash.slice(2, 14)}`;

/** What each contributor is doing, for the progress line. */
const stepOf = new Map<number, { step: string; since: number }>();
const step = (i: number, what: string) => stepOf.set(i, { step: what, since: Date.now() });

async function contributorLoop(i: number) {
  const me = as(i);
  let left = Math.min(perContributor, CONTRIBUTIONS - roles.contributors.indexOf(i) * perContributor);
  while (left > 0 && Date.now() < deadline) {
    const datanetId = datanets[pick(datanets.length)];
    const way = pick(10);
    step(i, way < 4 ? "contribute" : way < 6 ? "batch" : way < 8 ? "commit" : "sign");
    if (way < 4) {
      const p = nextContent(i, datanetId);
      await tx(i, "contribute", () => me.contribute({ datanetId, contentHash: p.contentHash, uri: uri(p) }));
      toReview.push(p);
      left -= 1;
    } else if (way < 6) {
      const items = Array.from({ length: Math.min(left, 8) }, () => nextContent(i, datanetId));
      await tx(i, "contributeBatch", () =>
        me.contributeBatch({
          datanetId,
          items: items.map((p) => ({ contentHash: p.contentHash, uri: uri(p) })),
        }),
      );
      toReview.push(...items);
      left -= items.length;
    } else if (way < 8) {
      const items = Array.from({ length: Math.min(left, 4) }, () => nextContent(i, datanetId));
      const salt = keccak256(toHex(`salt ${items[0].contentHash}`));
      const fields = {
        datanetId,
        items: items.map((p) => ({ contentHash: p.contentHash, uri: uri(p) })),
        salt,
      };
      const committed = await tx(i, "commit", async () => {
        const sent = await me.commitContributions(fields);
        return { result: sent.commitment };
      });
      if (committed === undefined) {
        failures.push(`commit by ${i}: no commitment to reveal`);
        continue;
      }
      // Revealable a minute of chain time after the commitment: the chain clock moves it on.
      step(i, "wait for the reveal delay");
      const revealAt = (await chainTime()) + 61n;
      for (let now = await chainTime(); now < revealAt && Date.now() < deadline; now = await chainTime()) {
        if (process.env.LOAD_DEBUG) log(`debug: ${i} waits for ${revealAt}, chain at ${now}`);
        await new Promise((r) => setTimeout(r, 300));
      }
      step(i, "reveal");
      await tx(i, "reveal", () => me.revealContributions(committed));
      toReview.push(...items);
      left -= items.length;
    } else {
      const p = nextContent(i, datanetId);
      const relayer = roles.relayers[pick(roles.relayers.length)];
      const signed = await me.signContribution({
        datanetId,
        contentHash: p.contentHash,
        uri: uri(p),
        deadline: (await chainTime()) + 86_400n,
      });
      step(i, "relay");
      await tx(relayer, "relayContribution (signed)", () => as(relayer).relayContribution(signed));
      toReview.push(p);
      left -= 1;
    }
    contributionsDone = planned.length;
  }
  stepOf.delete(i);
}

let reviewing = true;
const decided = new Map<Hex, boolean>();
async function reviewerLoop(r: number) {
  while (reviewing || toReview.length > 0) {
    const p = toReview.shift();
    if (!p) {
      await new Promise((res) => setTimeout(res, 100));
      continue;
    }
    if (p.contributor === r) continue; // never: reviewers do not contribute
    const approve = parseInt(p.contentHash.slice(2, 6), 16) % 20 !== 0; // about 5 % rejected
    await tx(r, approve ? "review (accept)" : "review (reject)", () =>
      as(r).review({ contributionId: p.id, approve }),
    );
    decided.set(p.id, approve);
  }
}

// The chain clock: a minute of chain time every 2 s, for reveals (direct to the node).
let clockRunning = true;
const clock = (async () => {
  while (clockRunning) {
    await new Promise((r) => setTimeout(r, 2_000));
    if (!clockRunning || nodeDown) continue;
    await advanceTo((await chainTime()) + 60n).catch(() => undefined);
  }
})();

// Faults during phase 1: the node restarts at a third of the contributions, the indexer dies at half.
const faultPlan = (async () => {
  if (!FAULTS) return;
  while (contributionsDone < CONTRIBUTIONS / 3 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await restartNode();
  while (contributionsDone < CONTRIBUTIONS / 2 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  await killIndexer();
})();
const progress = setInterval(() => {
  const slow = [
    ...[...inFlight].map(([i, f]) => [i, f.kind, f.since] as const),
    ...[...stepOf].map(([i, f]) => [i, f.step, f.since] as const),
  ].filter(([, , since]) => Date.now() - since > 20_000);
  log(
    `contributions ${planned.length}/${CONTRIBUTIONS} (${stepOf.size} contributors busy), ` +
      `reviews ${decided.size} (${toReview.length} queued), retries ${retries}` +
      (slow.length ? `; waiting > 20 s: ${slow.map(([i, what]) => `${what} by ${i}`).join(", ")}` : ""),
  );
}, 10_000);
const reviewers = Promise.all(roles.reviewers.map(reviewerLoop));
await Promise.all(roles.contributors.map(contributorLoop));
reviewing = false;
await reviewers;
await faultPlan;
clearInterval(progress);
const phase1Seconds = (Date.now() - phase1Start) / 1000;
log(
  `phase 1 done: ${planned.length} contributions, ${decided.size} reviews in ${phase1Seconds.toFixed(0)} s`,
);

// ------------------------------------------------------------------ phase 2: models, stakes, payments, reports, claims
for (const d of datanets) await tx(1, "snapshotVersion", () => as(1).snapshotVersion({ datanetId: d }));
const version = (d: bigint) => ({ datanetId: Number(d), version: 1 });
const [ownerA, ownerB] = roles.owners;
const modelCountBefore = (await deployer.counts()).models;
const modelPlan = [
  { owner: ownerA, trainedOn: [version(datanets[0]), version(datanets[1])], parent: 0, royalty: 0 },
  { owner: ownerB, trainedOn: [version(datanets[0])], parent: 1, royalty: 1_000 },
  { owner: ownerA, trainedOn: [version(datanets[1])], parent: 0, royalty: 0 },
  { owner: ownerB, trainedOn: [version(datanets[1])], parent: 2, royalty: 500 },
];
const models: bigint[] = [];
for (const m of modelPlan) {
  const parentId = m.parent === 0 ? 0n : models[m.parent - 1];
  const id = await tx(m.owner, "registerModel", () =>
    as(m.owner).registerModel({
      metadataURI: `ipfs://load-model-${models.length}`,
      trainedOn: m.trainedOn,
      parentId,
      royaltyBps: m.royalty,
    }),
  );
  models.push(id ?? modelCountBefore + BigInt(models.length + 1));
}
log(`models ${models.join(", ")} registered (lineage: ${models[3]} → ${models[1]} → ${models[0]})`);

for (const i of [...roles.payers, ...roles.stakers])
  await tx(i, "approve", () =>
    as(i).approve({ spender: deployer.addresses.distributor, amount: parseEther("100000") }),
  );
await eachLimited(roles.stakers, roles.stakers.length, async (s) => {
  for (const m of [models[s % 2], models[2 + (s % 2)]])
    await tx(s, "stake", () => as(s).stake({ modelId: m, amount: parseEther("1000") }));
});

/** Eligible contributions of a model: accepted ones in the datanets it was trained on. */
const weightsOf = (modelIndex: number) => {
  const sources = new Set(modelPlan[modelIndex].trainedOn.map((v) => BigInt(v.datanetId)));
  return planned
    .filter((p) => sources.has(p.datanetId) && decided.get(p.id) === true)
    .map((p) => ({
      contributionId: p.id,
      contributor: address(p.contributor),
      weight: 1n + (BigInt(p.contentHash) % 1_000n),
    }));
};
const latest = new Map<bigint, BuiltReport>();
const plannedPayments: { payer: number; modelId: bigint; amount: bigint }[] = [];
const paymentsPerEpoch = Math.ceil(PAYMENTS / EPOCHS);
const phase2Start = Date.now();
const { challengeWindow } = await deployer.attesterRules();

for (let round = 0; round < EPOCHS && Date.now() < deadline; round++) {
  const count = Math.min(paymentsPerEpoch, PAYMENTS - plannedPayments.length);
  const batch = Array.from({ length: count }, () => ({
    payer: roles.payers[pick(roles.payers.length)],
    modelId: models[pick(models.length)],
    amount: parseEther(String(1 + pick(100))),
  }));
  plannedPayments.push(...batch);
  log(`round ${round + 1} of ${EPOCHS}: ${count} payments by ${roles.payers.length} payers`);
  const queues = roles.payers.map((p) => batch.filter((b) => b.payer === p));
  const restartAt = FAULTS && round === 1 ? Math.floor(count / 2) : -1;
  let paid = 0;
  await Promise.all([
    ...queues.map(async (queue) => {
      for (const b of queue) {
        await tx(b.payer, "payInference", () =>
          as(b.payer).payInference({ modelId: b.modelId, amount: b.amount }),
        );
        paid++;
      }
    }),
    (async () => {
      if (restartAt < 0) return;
      while (paid < restartAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await restartNode();
    })(),
  ]);
  if (round === 1) {
    // A staker leaves part of its position; it keeps what it earned.
    await tx(roles.stakers[0], "unstake", () =>
      as(roles.stakers[0]).unstake({ modelId: models[0], amount: parseEther("400") }),
    );
  }
  // Royalties accrued by the parents move into their pools before the epoch closes.
  for (const m of models) {
    const accrued = await direct.readContract({
      address: deployment.contracts.RewardDistributor.address,
      abi: rewardDistributorAbi,
      functionName: "royaltiesAccrued",
      args: [m],
    });
    if (accrued > 0n)
      await tx(roles.payers[0], "settleRoyalties", () => as(roles.payers[0]).settleRoyalties({ modelId: m }));
  }

  // The epoch ends; two attesters sign each model's report, a relayer submits it, then finalizes.
  const epoch = deployer.epochAt(await chainTime());
  await advanceTo(deployer.epochEnd(epoch) + 1n);
  for (const [k, modelId] of models.entries()) {
    const previous = latest.get(modelId);
    const report = buildReport({
      modelId,
      epoch,
      weights: weightsOf(k),
      previous: previous?.cumulative ?? new Map(),
      pool: (await deployer.poolFundedUpTo(modelId, epoch)) - (previous?.totalCumulative ?? 0n),
    });
    const onchain = report.toOnchain(`ipfs://load-report-${modelId}-${epoch}`);
    const attestations = await Promise.all(
      roles.attesters.slice(0, 2).map((a) => as(a).signReport({ modelId, epoch, report: onchain })),
    );
    const relayer = roles.relayers[0];
    await tx(relayer, "submitAttestedReport", () =>
      as(relayer).submitAttestedReport({ modelId, epoch, report: onchain, attestations }),
    );
    latest.set(modelId, report);
    log(
      `epoch ${epoch}: model ${modelId}'s report (${report.cumulative.size} accounts) attested and submitted`,
    );
  }
  await advanceTo((await chainTime()) + BigInt(challengeWindow) + 1n);
  for (const modelId of models)
    await tx(roles.relayers[1], "finalizeReport", () => as(roles.relayers[1]).finalizeReport({ modelId }));

  // Every rewarded account claims what this epoch's reports give it, across models in one transaction.
  await eachLimited(roles.contributors, roles.contributors.length, async (i) => {
    const paying = [...latest.values()].filter((r) => (r.cumulative.get(address(i)) ?? 0n) > 0n);
    if (paying.length > 0)
      await tx(i, "claimBatch", () => as(i).claimBatch({ account: address(i), reports: paying }));
  });
  log(`epoch ${epoch}: ${count} payments, ${models.length} attested reports finalized, claims made`);
}
await eachLimited(roles.stakers, roles.stakers.length, async (s) => {
  for (const m of [models[s % 2], models[2 + (s % 2)]])
    await tx(s, "claimStakingRewards", () => as(s).claimStakingRewards({ modelId: m }));
});
for (const o of roles.owners) await tx(o, "withdrawBalance", () => as(o).withdrawBalance());
await tx(0, "withdrawTreasury", () => deployer.withdrawTreasury());
const phase2Seconds = (Date.now() - phase2Start) / 1000;
clockRunning = false;
await clock;

// ------------------------------------------------------------------ checks
await proxy.setEnabled(false);
log("load done; faults off; waiting for the indexer to reach the chain's head");
const head = await direct.getBlockNumber();
const waitStart = Date.now();
for (let polls = 0; ; polls++) {
  const p = await readProgress(api);
  if (p?.block !== null && p?.block !== undefined && p.block >= head) break;
  if (polls % 30 === 0) log(`indexer at block ${p?.block ?? "none"} of ${head}`);
  if (Date.now() - waitStart > 300_000) {
    const at = (await readProgress(api))?.block ?? "none";
    failures.push(
      `the indexer did not reach block ${head} within 300 s (it is at block ${at}); ` +
        `its progress was logged above and its log ends (${indexerLogPath}):\n${indexerLogTail()}`,
    );
    break;
  }
  await new Promise((r) => setTimeout(r, 500));
}

const lost: string[] = [];
// Exactly once: each planned contribution on chain once (by content), nothing unplanned.
const logs = async (abi: unknown, address: Address, eventName: string) => {
  const found = [];
  for (let from = before.block + 1n; from <= head; from += 2_000n) {
    const to = from + 1_999n > head ? head : from + 1_999n;
    found.push(
      ...(await direct.getContractEvents({ abi, address, eventName, fromBlock: from, toBlock: to } as never)),
    );
  }
  return found as unknown as { args: Record<string, unknown> }[];
};
const contributed = await logs(
  contributionRegistryAbi,
  deployment.contracts.ContributionRegistry.address,
  "Contributed",
);
const byContent = new Map<string, number>();
for (const e of contributed)
  byContent.set(
    `${e.args.datanetId}:${e.args.contentHash}`,
    (byContent.get(`${e.args.datanetId}:${e.args.contentHash}`) ?? 0) + 1,
  );
for (const p of planned) {
  const n = byContent.get(`${p.datanetId}:${p.contentHash}`) ?? 0;
  if (n !== 1) lost.push(`contribution ${p.contentHash} of account ${p.contributor} is on chain ${n} times`);
}
if (contributed.length !== planned.length)
  lost.push(`${contributed.length} contributions on chain, ${planned.length} planned`);
const paidEvents = await logs(
  rewardDistributorAbi,
  deployment.contracts.RewardDistributor.address,
  "InferencePaid",
);
const key = (payer: Address, modelId: bigint, amount: bigint) =>
  `${payer.toLowerCase()}:${modelId}:${amount}`;
const expectedPayments = plannedPayments.map((p) => key(address(p.payer), p.modelId, p.amount)).sort();
const actualPayments = paidEvents
  .map((e) => key(e.args.payer as Address, e.args.modelId as bigint, e.args.amount as bigint))
  .sort();
if (JSON.stringify(expectedPayments) !== JSON.stringify(actualPayments))
  lost.push(
    `payments on chain (${actualPayments.length}) differ from those planned (${expectedPayments.length})`,
  );
// No transaction sent twice: each account's nonce moved by exactly the transactions it confirmed.
for (const i of driven) {
  const nonce = await direct.getTransactionCount({ address: address(i), blockTag: "latest" });
  const moved = nonce - startNonce.get(i)!;
  if (moved !== sentBy.get(i))
    lost.push(`account ${i} sent ${moved} transactions, the load confirmed ${sentBy.get(i)}`);
}
// Every decided contribution has the status its review gave it.
await eachLimited([...decided], 16, async ([id, approve]) => {
  const c = await direct.readContract({
    address: deployment.contracts.ContributionRegistry.address,
    abi: contributionRegistryAbi,
    functionName: "getContribution",
    args: [id],
  });
  if (c.status !== (approve ? 2 : 3))
    lost.push(`contribution ${id}: status ${c.status} after a ${approve ? "yes" : "no"} review`);
});

// Conservation of OPEN.
const sum = (events: { args: Record<string, unknown> }[], field: string) =>
  events.reduce((s, e) => s + (e.args[field] as bigint), 0n);
const distributorAddress = deployment.contracts.RewardDistributor.address;
const paidIn = sum(paidEvents, "amount");
const paidOut =
  sum(await logs(rewardDistributorAbi, distributorAddress, "Claimed"), "amount") +
  sum(await logs(rewardDistributorAbi, distributorAddress, "StakingRewardsClaimed"), "amount") +
  sum(await logs(rewardDistributorAbi, distributorAddress, "BalanceWithdrawn"), "amount") +
  sum(await logs(rewardDistributorAbi, distributorAddress, "TreasuryWithdrawn"), "amount");
const principal =
  sum(await logs(rewardDistributorAbi, distributorAddress, "Staked"), "amount") -
  sum(await logs(rewardDistributorAbi, distributorAddress, "StakeWithdrawn"), "amount");
const distributorNow = await balanceOf(distributorAddress);
const held = distributorNow - before.distributor - principal;
const conservation = [
  {
    check: "distributor: fees in = paid out + still held",
    holds: paidIn === paidOut + held && held >= 0n,
    detail: `${paidIn} = ${paidOut} + ${held}`,
  },
  {
    check: "registry: every bond refunded or slashed (all decided)",
    holds: (await balanceOf(deployment.contracts.ContributionRegistry.address)) === before.registry,
    detail: `holds ${await balanceOf(deployment.contracts.ContributionRegistry.address)}, held ${before.registry} before`,
  },
  {
    check: "token: total supply unchanged",
    holds:
      ((await direct.readContract({ ...token, functionName: "totalSupply" })) as bigint) === before.supply,
    detail: `${before.supply}`,
  },
];
// Every rewarded account claimed all its reports give it.
for (const [modelId, report] of latest)
  for (const [account, amount] of report.cumulative) {
    const claimed = await direct.readContract({
      address: distributorAddress,
      abi: rewardDistributorAbi,
      functionName: "claimed",
      args: [modelId, account],
    });
    if (claimed !== amount) lost.push(`${account} claimed ${claimed} of ${amount} from model ${modelId}`);
  }
for (const c of conservation) if (!c.holds) lost.push(`conservation: ${c.check} fails (${c.detail})`);

const comparison = await compareIndexerWithChain(api, nodeUrl, deployment);
lost.push(...comparison.mismatches.slice(0, 20));
if (comparison.checked.contributions < planned.length)
  lost.push(
    `the indexer serves ${comparison.checked.contributions} contributions, at least ${planned.length} exist`,
  );

// ------------------------------------------------------------------ summary
stopping = true;
clearInterval(progressWatch);
const last = indexer;
const indexerExited = new Promise((resolve) =>
  last?.exitCode === null ? last.once("exit", resolve) : resolve(0),
);
signalIndexer(last, "SIGTERM");
await Promise.race([indexerExited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
const proxyCounts = await proxy.counts();
await proxy.close();
await node?.stop();
const total = Object.values(operations).reduce((a, b) => a + b, 0);
const seconds = (Date.now() - started) / 1000;
console.log("\nLoad and faults over JSON-RPC: summary");
console.table(
  Object.fromEntries(
    Object.entries(operations)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => [k, { transactions: v }]),
  ),
);
console.table({
  "load accounts driven concurrently": { value: loadAccounts.length },
  "contributions planned / on chain": { value: `${planned.length} / ${contributed.length}` },
  "payments planned / on chain": { value: `${plannedPayments.length} / ${paidEvents.length}` },
  "transactions confirmed": { value: total },
  "phase 1 throughput (contributions + reviews)": {
    value: `${((planned.length + decided.size) / phase1Seconds).toFixed(1)} /s over ${phase1Seconds.toFixed(0)} s`,
  },
  "phase 2 (payments, stakes, reports, claims)": { value: `${phase2Seconds.toFixed(0)} s` },
  "transactions per second (whole run)": { value: (total / seconds).toFixed(1) },
  "RPC requests through the proxy": {
    value: Object.values(proxyCounts).reduce((a, b) => a + b, 0),
  },
  "faults: requests dropped before the node": { value: proxyCounts.droppedRequests },
  "faults: answers dropped after the node acted": { value: proxyCounts.droppedResponses },
  "faults: requests delayed": { value: proxyCounts.delayed },
  "faults: requests duplicated": { value: proxyCounts.duplicated },
  "faults: requests refused while the node was down": { value: proxyCounts.nodeDown },
  "faults: node restarts from dumped state": { value: faults.nodeRestarts },
  "faults: indexer kills / exits on its own": { value: `${faults.indexerKills} / ${faults.indexerExits}` },
  "SDK retries (safe requests resent)": { value: retries },
  "signed transactions resent as the same bytes": { value: resent },
  "indexer rows compared with the chain": {
    value: Object.values(comparison.checked).reduce((a, b) => a + b, 0),
  },
  "total time": { value: `${seconds.toFixed(0)} s` },
});
for (const c of conservation) console.log(`${c.holds ? "ok  " : "FAIL"} ${c.check}`);
const problems = [...lost, ...failures];
if (problems.length === 0) {
  console.log(
    "nothing lost: every contribution and payment is on chain exactly once, and the indexer equals the chain",
  );
  rmSync(workDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 500 });
} else {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems.slice(0, 50)) console.log(`  - ${p}`);
  console.log(`(node state and deployment kept in ${workDir})`);
  process.exitCode = 1;
}
