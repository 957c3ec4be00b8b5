/**
 * Starts the Ponder indexer (indexer/) for a recorded deployment and serves its API:
 *   npm run indexer -- [--network localhost] [--port 42069]
 * It catches up from the deployment's first block (printing its progress and, once caught up,
 * its speed), then follows the chain live and undoes what a reorg removes. The chain and
 * addresses come from deployments/<network>.json (DEPLOYMENTS_DIR to read another folder); the
 * RPC URL from PONDER_RPC_URL, or LOCALHOST_RPC_URL / http://127.0.0.1:8545 for a local node.
 * PGlite in indexer/.ponder by default (one database per local chain instance); Postgres when
 * DATABASE_URL is set.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { describeProgress, rpcCall, waitForCatchUp } from "./lib/ponder-progress.ts";

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith("--")) fail(`--${name} needs a value`);
  return value;
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

const network = option("network", "localhost");
const port = option("port", "42069");
if (!/^\d+$/.test(port) || Number(port) > 65_535) fail(`--port ${port} is not a port number`);
const dir = process.env.DEPLOYMENTS_DIR ?? "deployments";
const recordPath = join(dir, `${network}.json`);
if (!existsSync(recordPath))
  fail(`no deployment record at ${recordPath}: deploy first (npm run deploy -- --network ${network})`);
// Read as plain JSON (this script runs under Node without a TypeScript resolver); the indexer
// itself validates the whole record with the SDK's parseDeployment.
const deployment = JSON.parse(readFileSync(recordPath, "utf8")) as {
  chainId?: number;
  startBlock?: number;
  contracts?: { AttributionRegistry?: { address?: string } };
};
const registry = deployment.contracts?.AttributionRegistry?.address;
if (typeof deployment.chainId !== "number" || typeof deployment.startBlock !== "number" || !registry)
  fail(`${recordPath} is not a deployment record (chainId, startBlock, contracts)`);
const local = deployment.chainId === 31337 || deployment.chainId === 1337;
if (!local && !process.env.PONDER_RPC_URL)
  fail(`set PONDER_RPC_URL to an RPC endpoint of chain ${deployment.chainId}`);
const rpcUrl = process.env.PONDER_RPC_URL ?? process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545";
const startBlock = BigInt(deployment.startBlock);

const chainId = await rpcCall(rpcUrl, "eth_chainId", []).catch(() =>
  fail(`cannot reach a node at ${rpcUrl}: start one (npx hardhat node) or set PONDER_RPC_URL`),
);
if (Number(chainId) !== deployment.chainId)
  fail(
    `the node at ${rpcUrl} is chain ${Number(chainId)}, but ${recordPath} is for chain ${deployment.chainId}`,
  );
const first = (await rpcCall(rpcUrl, "eth_getBlockByNumber", [`0x${startBlock.toString(16)}`, false])) as {
  hash: string;
} | null;
if (!first)
  fail(`the node at ${rpcUrl} has no block ${startBlock}: is it the chain ${recordPath} was deployed to?`);

// One database schema per chain instance and deployment: a restart resumes it; a new local chain
// (same addresses, same start block, another block hash) or another deployment gets its own.
const schema = [network, registry.slice(2, 10), String(startBlock), first.hash.slice(2, 10)]
  .join("_")
  .toLowerCase()
  .replace(/[^a-z0-9_]/g, "_");
const api = `http://127.0.0.1:${port}`;
console.log(
  `Indexing ${network} (chain ${deployment.chainId}) from block ${startBlock} into schema oa_${schema}`,
);
// Run from indexer/, where Ponder keeps its database (.ponder/) and generated files.
const child = spawn(
  resolve("node_modules", ".bin", "ponder"),
  ["start", "--schema", `oa_${schema}`, "--port", port],
  {
    cwd: "indexer",
    stdio: "inherit",
    env: {
      ...process.env,
      OA_NETWORK: network,
      DEPLOYMENTS_DIR: resolve(dir),
      PONDER_TELEMETRY_DISABLED: "1",
      // Ponder caches RPC answers by chain id in tables every schema of a database shares (even
      // with `disableCache`, a restarted local chain was served a previous instance's logs): each
      // local chain instance gets a PGlite database of its own.
      ...(local && !process.env.DATABASE_URL
        ? { OA_PGLITE_DIR: resolve("indexer", ".ponder", `oa_${schema}`) }
        : {}),
    },
  },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 1));

// Progress while it catches up, then where to query it.
const startedAt = Date.now();
let last = "";
const caughtUp = await waitForCatchUp({
  api,
  rpcUrl,
  startBlock,
  startedAt,
  timeoutMs: 24 * 3600 * 1000,
  intervalMs: 2_000,
  onProgress: (progress, head) => {
    const line = describeProgress(progress, startBlock, head);
    if (line !== last) console.log(`catching up: ${line}`);
    last = line;
  },
});
const rate = (n: number | bigint) =>
  Math.round(Number(n) / Math.max(caughtUp.seconds, 0.001)).toLocaleString("en-US");
console.log(
  `caught up in ${caughtUp.seconds.toFixed(1)} s: ${caughtUp.blocks} blocks, ${caughtUp.events} events ` +
    `(${rate(caughtUp.blocks)} blocks/s, ${rate(caughtUp.events)} events/s); following the chain live`,
);
console.log(`GraphQL: ${api}/graphql   SQL over HTTP: ${api}/sql/*   status: ${api}/status`);
