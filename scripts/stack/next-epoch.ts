/**
 * After the demo, for the local stack (`npm run stack`): leaves the dashboard something to do.
 * An app pays both models again; the next epoch's reports (the same weights, the new fees) are
 * attested and published to OA_DOCUMENTS_DIR: the base model's finalized, its rewards left for
 * the contributors to claim, the adapter's left pending for attesters to verify; and carol
 * submits a contribution that waits in the reviewers' queue.
 *   LOCALHOST_RPC_URL=… DEPLOYMENTS_DIR=… OA_DOCUMENTS_DIR=… hardhat run scripts/stack/next-epoch.ts --network localhost
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { network } from "hardhat";
import {
  createPublicClient,
  createWalletClient,
  custom,
  formatEther,
  keccak256,
  parseEther,
  toBytes,
  type Address,
} from "viem";

import {
  attributionRegistryAbi,
  buildReport,
  createOpenAttributionClient,
  loadReport,
  rewardDistributorAbi,
  type ReportDocument,
} from "../../sdk/index.js";
import { loadDeployment } from "../../sdk/node.js";
import { DEMO_ACTORS, publish, type DemoActor } from "../lib/story.js";

const documents = process.env.OA_DOCUMENTS_DIR ?? "";
if (!documents)
  throw new Error("set OA_DOCUMENTS_DIR to the folder the demo published its report documents in");
const connection = await network.create();
const deployment = loadDeployment(connection.networkName, process.env.DEPLOYMENTS_DIR ?? "deployments");
const transport = custom(connection.provider, { retryCount: 0 });
const publicClient = createPublicClient({ transport, pollingInterval: 50 });
const accounts = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
const who = Object.fromEntries(DEMO_ACTORS.map((n, i) => [n, accounts[i]])) as Record<DemoActor, Address>;
const as = (actor: DemoActor) =>
  createOpenAttributionClient({
    publicClient,
    walletClient: createWalletClient({ account: who[actor], transport }),
    deployment,
  });
const advance = async (seconds: bigint) => {
  await connection.provider.request({ method: "evm_increaseTime", params: [Number(seconds)] });
  await connection.provider.request({ method: "evm_mine", params: [] });
};
const oa = as("deployer");

// Attesters slashed by the demo's challenge bond back up to the minimum.
const { minBond } = await oa.attesterRules();
for (const attester of ["attester2", "attester3"] as const) {
  const { bond } = await oa.attesterInfo(who[attester]);
  if (bond >= minBond) continue;
  await oa.transfer({ to: who[attester], amount: minBond - bond });
  await as(attester).approve({ spender: oa.addresses.attribution, amount: minBond - bond });
  await as(attester).bondAttester({ amount: minBond - bond });
}

// New fees for both models in the current epoch, then the epoch ends.
await as("app").approve({ spender: oa.addresses.distributor, amount: parseEther("3000") });
await as("app").payInference({ modelId: 1n, amount: parseEther("2000") });
await as("app").payInference({ modelId: 2n, amount: parseEther("1000") });
await oa.settleRoyalties({ modelId: 1n }); // the adapter's royalty to its parent
const { timestamp } = await publicClient.getBlock();
const epoch = oa.epochAt(timestamp);
await advance(oa.epochEnd(epoch) - timestamp + 1n);

/** A model's latest final report, from the document published for it (found through its ReportPending event). */
async function latestFinal(modelId: bigint) {
  const state = await oa.modelReports(modelId);
  const [root] = await publicClient.readContract({
    address: oa.addresses.distributor,
    abi: rewardDistributorAbi,
    functionName: "claimRoot",
    args: [modelId],
  });
  const pendingEvents = await publicClient.getContractEvents({
    address: oa.addresses.attribution,
    abi: attributionRegistryAbi,
    eventName: "ReportPending",
    args: { modelId, epoch: BigInt(state.finalEpoch) },
    fromBlock: BigInt(deployment.startBlock),
  });
  const finalEvent = pendingEvents.find((e) => e.args.report?.cumulativeRoot === root);
  if (!finalEvent) throw new Error(`model ${modelId}'s final report has no ReportPending event`);
  const name = finalEvent.args.report!.uri.replace(/^ipfs:\/\//, "");
  return loadReport(JSON.parse(readFileSync(join(documents, `${name}.json`), "utf8")) as ReportDocument);
}

/** The epoch's report of `modelId`: the same weights (same contributions and outputs), the new fees; published, signed by two attesters, submitted. */
async function reportEpoch(modelId: bigint) {
  const previous = await latestFinal(modelId);
  const report = buildReport({
    modelId,
    epoch,
    weights: previous.document.weights.map((w) => ({ ...w, weight: BigInt(w.weight) })),
    previous: previous.cumulative,
    pool: (await oa.poolFundedUpTo(modelId, epoch)) - previous.totalCumulative,
    attribution: previous.document.attribution,
  });
  const onchain = report.toOnchain(
    publish(`report-${modelId}-${epoch}-${report.documentHash.slice(2, 10)}`, report),
  );
  const attestations = [
    await as("attester1").signReport({ modelId, epoch, report: onchain }),
    await as("attester2").signReport({ modelId, epoch, report: onchain }),
  ];
  await as("relayer").submitAttestedReport({ modelId, epoch, report: onchain, attestations });
  return report;
}

// The base model's report becomes final (its rewards wait to be claimed); the adapter's stays
// pending, for attesters to verify on the dashboard.
const base = await reportEpoch(1n);
await advance(BigInt((await oa.attesterRules()).challengeWindow) + 1n);
await as("relayer").finalizeReport({ modelId: 1n });
await reportEpoch(2n);

// A contribution waiting for the reviewers.
const datanetId = 1n;
const { settings } = await oa.getDatanet(datanetId);
await as("carol").approve({ amount: settings.bond });
await as("carol").contribute({
  datanetId,
  contentHash: keccak256(toBytes("carol's second file: dosage tables for pediatric care")),
  uri: "ipfs://bafy-carol-2",
});
console.log(
  `epoch ${epoch}: model 1's report is final (${formatEther(base.pool)} OPEN to claim), model 2's is pending; carol's new contribution awaits review`,
);
