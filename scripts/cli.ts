/**
 * `oa`: operator commands on a deployment, built on the SDK.
 *
 *   npm run oa -- <command> [options]
 *
 * Common options: --network <name> (deployment record, default localhost), --rpc <url>
 * (default RPC_URL or http://127.0.0.1:8545), --deployments <dir>. The signer is
 * OA_PRIVATE_KEY from the environment, or --from <address> for a node's unlocked account.
 * Run `npm run oa -- help` for the commands.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import {
  createPublicClient,
  createWalletClient,
  formatEther,
  http,
  isHex,
  keccak256,
  parseEther,
  type Account,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  buildReport,
  createOpenAttributionClient,
  DatanetKind,
  loadDeployment,
  loadReport,
  OpenAttributionError,
  type ReportDocument,
} from "../sdk/index.js";

const HELP = `Usage: npm run oa -- <command> [options]

Commands:
  status                                         summary of the deployment
  create-datanet --uri U [--bond OPEN] [--quorum N] [--window S] [--kind dataset|evaluation|expertise|compute] [--optimistic]
  add-reviewer --datanet ID --reviewer ADDRESS
  contribute --datanet ID --file PATH --uri U    hashes the file (keccak256) and contributes it
  review --id CONTRIBUTION_ID --approve|--reject
  snapshot --datanet ID
  register-model --uri U --versions DATANET:VERSION[,…] [--parent ID --royalty BPS]
  pay --model ID --amount OPEN                   approves and pays for inference
  build-report --model ID --epoch N --weights FILE [--previous REPORT.json] --out FILE
                                                 weights FILE: JSON [{contributionId, contributor, weight}]
  submit-report --report FILE --uri U            attest a built report (attesters)
  finalize --model ID
  claim --report FILE --account ADDRESS

Options: --network NAME (default localhost), --rpc URL, --deployments DIR, --from ADDRESS
Signer: OA_PRIVATE_KEY in the environment, or --from for an unlocked account of the node.`;

/** A command-line mistake: printed with the help hint, exit code 2. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    network: { type: "string", default: "localhost" },
    rpc: { type: "string" },
    deployments: { type: "string", default: "deployments" },
    from: { type: "string" },
    uri: { type: "string" },
    bond: { type: "string", default: "0" },
    quorum: { type: "string", default: "1" },
    window: { type: "string", default: "86400" },
    kind: { type: "string", default: "dataset" },
    optimistic: { type: "boolean", default: false },
    datanet: { type: "string" },
    reviewer: { type: "string" },
    file: { type: "string" },
    id: { type: "string" },
    approve: { type: "boolean", default: false },
    reject: { type: "boolean", default: false },
    versions: { type: "string" },
    parent: { type: "string", default: "0" },
    royalty: { type: "string", default: "0" },
    model: { type: "string" },
    amount: { type: "string" },
    epoch: { type: "string" },
    weights: { type: "string" },
    previous: { type: "string" },
    out: { type: "string" },
    report: { type: "string" },
    account: { type: "string" },
  },
});

function need(name: keyof typeof values): string {
  const v = values[name];
  if (typeof v !== "string" || v.length === 0)
    throw new UsageError(`--${name} is required for ${positionals[0]}`);
  return v;
}
const bigintArg = (name: keyof typeof values) => {
  const v = need(name);
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got ${v}`);
  return BigInt(v);
};
const openArg = (name: keyof typeof values) => {
  const v = need(name);
  if (!/^\d+(\.\d{1,18})?$/.test(v))
    throw new UsageError(`--${name} must be an OPEN amount like 12.5, got ${v}`);
  return parseEther(v);
};
const readJson = <T>(path: string): T => {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch (error) {
    throw new UsageError(`cannot read JSON from ${path}: ${(error as Error).message}`);
  }
};
const fmt = (wei: bigint) => `${formatEther(wei)} OPEN`;

async function main() {
  const command = positionals[0];
  if (!command || command === "help") {
    console.log(HELP);
    return;
  }
  const deployment = loadDeployment(values.network!, values.deployments);
  const transport = http(values.rpc ?? process.env.RPC_URL ?? "http://127.0.0.1:8545");
  const publicClient = createPublicClient({ transport });
  const key = process.env.OA_PRIVATE_KEY;
  let account: Account | Address | undefined;
  if (key) {
    if (!isHex(key) || key.length !== 66)
      throw new UsageError("OA_PRIVATE_KEY must be a 0x-prefixed 32-byte hex key");
    account = privateKeyToAccount(key);
  } else if (values.from) {
    account = values.from as Address;
  }
  const walletClient = account ? createWalletClient({ account, transport }) : undefined;
  const oa = createOpenAttributionClient({ publicClient, walletClient, deployment });
  const done = (what: string, hash: Hex) => console.log(`${what} (tx ${hash})`);

  switch (command) {
    case "status": {
      const { datanets, models } = await oa.counts();
      const now = (await publicClient.getBlock()).timestamp;
      console.log(
        `Deployment "${deployment.network}" (chain ${deployment.chainId}, commit ${deployment.gitCommit.slice(0, 10)})`,
      );
      console.table(Object.fromEntries(Object.entries(deployment.contracts).map(([n, c]) => [n, c.address])));
      console.log(
        `epoch ${oa.epochAt(now)} (ends ${new Date(Number(oa.epochEnd(oa.epochAt(now))) * 1000).toISOString()}); ${datanets} datanets; ${models} models`,
      );
      const rows = [];
      for (let id = 1n; id <= models; id++) {
        const model = await oa.getModel(id);
        const pool = await oa.pool(id);
        const reports = await oa.modelReports(id);
        rows.push({
          model: `#${id}`,
          owner: model.owner,
          parent: model.parentId === 0 ? "-" : `#${model.parentId}`,
          active: model.active,
          poolFunded: fmt(pool.funded),
          claimed: fmt(pool.claimed),
          finalReport: reports.hasFinal ? `epoch ${reports.finalEpoch}` : "none",
          pending: reports.hasPending ? `epoch ${reports.pendingEpoch}` : "-",
        });
      }
      if (rows.length > 0) console.table(rows);
      console.log(
        `treasury balance in the distributor: ${fmt((await oa.balances(oa.addresses.timelock)).treasuryBalance)}`,
      );
      return;
    }
    case "create-datanet": {
      const kinds: Record<string, number> = {
        dataset: DatanetKind.Dataset,
        evaluation: DatanetKind.Evaluation,
        expertise: DatanetKind.Expertise,
        compute: DatanetKind.Compute,
      };
      const kind = kinds[values.kind!];
      if (kind === undefined) throw new UsageError(`--kind must be one of ${Object.keys(kinds).join(", ")}`);
      const settings = {
        kind,
        open: true,
        optimistic: values.optimistic!,
        reviewQuorum: Number(values.quorum),
        reviewWindow: Number(values.window),
        dailyLimit: 0,
        bond: openArg("bond"),
      };
      const { result, hash } = await oa.createDatanet({ metadataURI: need("uri"), settings });
      return done(`created datanet #${result}`, hash);
    }
    case "add-reviewer": {
      const { hash } = await oa.setReviewer({
        datanetId: bigintArg("datanet"),
        reviewer: need("reviewer") as Address,
        active: true,
      });
      return done(`added reviewer ${values.reviewer}`, hash);
    }
    case "contribute": {
      const datanetId = bigintArg("datanet");
      const contentHash = keccak256(readFileSync(need("file")));
      const { settings } = await oa.getDatanet(datanetId);
      if (settings.bond > 0n) await oa.approve({ amount: settings.bond });
      const { result, hash } = await oa.contribute({ datanetId, contentHash, uri: need("uri") });
      return done(`contributed ${values.file} (content hash ${contentHash}) as ${result}`, hash);
    }
    case "review": {
      if (values.approve === values.reject) throw new UsageError("give exactly one of --approve or --reject");
      const { hash } = await oa.review({ contributionId: need("id") as Hex, approve: values.approve! });
      return done(`${values.approve ? "approved" : "rejected"} ${values.id}`, hash);
    }
    case "snapshot": {
      const { result, hash } = await oa.snapshotVersion({ datanetId: bigintArg("datanet") });
      return done(`snapshotted version ${result}`, hash);
    }
    case "register-model": {
      const trainedOn = need("versions")
        .split(",")
        .map((pair) => {
          const [datanetId, version] = pair.split(":").map(Number);
          if (!Number.isInteger(datanetId) || !Number.isInteger(version))
            throw new UsageError(`--versions entries look like 1:2, got ${pair}`);
          return { datanetId, version };
        });
      const { result, hash } = await oa.registerModel({
        metadataURI: need("uri"),
        trainedOn,
        parentId: bigintArg("parent"),
        royaltyBps: Number(values.royalty),
      });
      return done(`registered model #${result}`, hash);
    }
    case "pay": {
      const amount = openArg("amount");
      await oa.approve({ spender: oa.addresses.distributor, amount });
      const { hash } = await oa.payInference({ modelId: bigintArg("model"), amount });
      return done(`paid ${fmt(amount)} for inference on model #${values.model}`, hash);
    }
    case "build-report": {
      const modelId = bigintArg("model");
      const epoch = bigintArg("epoch");
      const weights = readJson<{ contributionId: Hex; contributor: Address; weight: string | number }[]>(
        need("weights"),
      ).map((w) => ({ ...w, weight: BigInt(w.weight) }));
      const previous = values.previous
        ? loadReport(readJson<ReportDocument>(values.previous)).cumulative
        : new Map<Address, bigint>();
      const previousTotal = [...previous.values()].reduce((a, b) => a + b, 0n);
      const pool = (await oa.poolFundedUpTo(modelId, epoch)) - previousTotal;
      const report = buildReport({ modelId, epoch, weights, previous, pool });
      const { writeFileSync } = await import("node:fs");
      writeFileSync(need("out"), `${JSON.stringify(report.document, null, 2)}\n`);
      console.log(
        `built report for model #${modelId} epoch ${epoch}: pool ${fmt(pool)}, root ${report.cumulativeRoot}, document hash ${report.documentHash} → ${values.out}`,
      );
      return;
    }
    case "submit-report": {
      const report = loadReport(readJson<ReportDocument>(need("report")));
      const { hash } = await oa.submitReport({
        modelId: report.modelId,
        epoch: report.epoch,
        report: report.toOnchain(need("uri")),
      });
      return done(`submitted report for model #${report.modelId} epoch ${report.epoch}`, hash);
    }
    case "finalize": {
      const { hash } = await oa.finalizeReport({ modelId: bigintArg("model") });
      return done(`finalized the pending report of model #${values.model}`, hash);
    }
    case "claim": {
      const report = loadReport(readJson<ReportDocument>(need("report")));
      const { result, hash } = await oa.claimFromReport({ report, account: need("account") as Address });
      return done(`paid ${fmt(result)} to ${values.account}`, hash);
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

try {
  await main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`error: ${error.message}\n(run: npm run oa -- help)`);
    process.exit(2);
  }
  if (error instanceof OpenAttributionError) {
    console.error(`error: ${error.name}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
