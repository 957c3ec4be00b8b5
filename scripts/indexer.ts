/**
 * Starts the Ponder indexer (indexer/) for a recorded deployment and serves its API:
 *   npm run indexer -- [--network localhost] [--port 42069]
 * It catches up from the deployment's first block (Ponder logs its progress), then follows the
 * chain live and undoes what a reorg removes. The chain and addresses come from
 * deployments/<network>.json (DEPLOYMENTS_DIR to read another folder); the RPC URL from
 * PONDER_RPC_URL, or LOCALHOST_RPC_URL / http://127.0.0.1:8545 for a local node. PGlite in
 * indexer/.ponder by default; Postgres when DATABASE_URL is set.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

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

// One database schema per deployment: a restart resumes it, another deployment gets its own.
const schema = `oa_${network}_${registry.slice(2, 10).toLowerCase()}_${deployment.startBlock}`;
console.log(
  `Indexing ${network} (chain ${deployment.chainId}) from block ${deployment.startBlock}: http://127.0.0.1:${port}/graphql`,
);
// Run from indexer/, where Ponder keeps its database (.ponder/) and generated files.
const child = spawn(
  resolve("node_modules", ".bin", "ponder"),
  ["start", "--schema", schema, "--port", port],
  {
    cwd: "indexer",
    stdio: "inherit",
    env: {
      ...process.env,
      OA_NETWORK: network,
      DEPLOYMENTS_DIR: resolve(dir),
      PONDER_TELEMETRY_DISABLED: "1",
    },
  },
);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 1));
