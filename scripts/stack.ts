/**
 * The whole local stack in one command, for a newcomer:
 *   npm run stack [-- --app-port 5173 --rpc-port 8545 --indexer-port 42069]
 * starts anvil, deploys and runs the demo story on it (report documents published to
 * .stack/public/documents), reports one more epoch and leaves its rewards to claim and a
 * contribution to review, starts the indexer, builds the dashboard and serves it, then prints
 * the URLs. Ctrl-C stops everything. Everything it writes is under .stack/ (ignored by git;
 * OA_STACK_DIR for another folder).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { waitForCatchUp } from "./lib/ponder-progress.ts";
import { runHardhat, startAnvil } from "./lib/processes.ts";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) fail(`--${name} needs a port number`);
  return value;
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  stopAll();
  process.exit(1);
}

const ports = {
  app: option("app-port", 5173),
  rpc: option("rpc-port", 8545),
  indexer: option("indexer-port", 42069),
};
const stack = resolve(process.env.OA_STACK_DIR ?? ".stack");
const publicDir = join(stack, "public");
const deployments = join(stack, "deployments");
const children: ChildProcess[] = [];
let stopAnvil = () => {};
function stopAll() {
  for (const child of children) child.kill("SIGTERM");
  stopAnvil();
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    stopAll();
    process.exit(0);
  });

async function portInUse(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}`, { signal: AbortSignal.timeout(1_000) }).then(
    () => true,
    (error: Error) => error.name === "TimeoutError",
  );
}
for (const [name, port] of Object.entries(ports))
  if (await portInUse(port)) fail(`port ${port} is in use: stop what listens there or pass --${name}-port`);

const started = Date.now();
const step = (text: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${text}`);
rmSync(stack, { recursive: true, force: true });
mkdirSync(join(publicDir, "documents"), { recursive: true });

step(`starting anvil on port ${ports.rpc}`);
const anvil = await startAnvil([], ports.rpc);
stopAnvil = anvil.stop;
const env = {
  LOCALHOST_RPC_URL: anvil.url,
  DEPLOYMENTS_DIR: deployments,
  OA_DOCUMENTS_DIR: join(publicDir, "documents"),
};
try {
  step("deploying and running the demo story (about a minute)");
  await runHardhat(["run", "scripts/demo.ts", "--network", "localhost"], env);
  step("reporting one more epoch: rewards to claim, a contribution to review");
  console.log(
    `       ${(await runHardhat(["run", "--no-compile", "scripts/stack/next-epoch.ts", "--network", "localhost"], env)).trim().split("\n").pop()}`,
  );
} catch (error) {
  // The first line naming an error, from Hardhat's output (its stack trace follows).
  const text = (error as { stderr?: string }).stderr ?? String(error);
  const line = text.split("\n").find((l) => /Error\b|error:/.test(l)) ?? text.trim().split("\n").pop();
  fail(`the demo story failed: ${line?.trim()}`);
}
const deployment = JSON.parse(readFileSync(join(deployments, "localhost.json"), "utf8")) as {
  chainId: number;
  startBlock: number;
};

step(`starting the indexer on port ${ports.indexer}`);
const indexerUrl = `http://127.0.0.1:${ports.indexer}`;
const indexer = spawn(process.execPath, ["scripts/indexer.ts", "--port", String(ports.indexer)], {
  env: { ...process.env, ...env, PONDER_LOG_LEVEL: "warn" },
  stdio: ["ignore", "ignore", "inherit"],
});
children.push(indexer);
indexer.on("exit", (code) => code !== 0 && code !== null && fail(`the indexer stopped (exit ${code})`));
await waitForCatchUp({
  api: indexerUrl,
  rpcUrl: anvil.url,
  startBlock: BigInt(deployment.startBlock),
  startedAt: Date.now(),
  timeoutMs: 180_000,
});

writeFileSync(
  join(publicDir, "config.json"),
  `${JSON.stringify({ deployment, indexerUrl, rpcUrl: anvil.url, documentsUrl: "/documents/" }, null, 2)}\n`,
);
step("building the dashboard");
const vite = resolve("node_modules", ".bin", "vite");
await new Promise<void>((done, failed) => {
  const build = spawn(vite, ["build", "--config", "app/vite.config.ts", "--logLevel", "warn"], {
    env: { ...process.env, OA_APP_PUBLIC: publicDir, OA_APP_OUT: join(stack, "app-dist") },
    stdio: ["ignore", "ignore", "inherit"],
  });
  build.on("exit", (code) => (code === 0 ? done() : failed(new Error(`vite build exited with ${code}`))));
}).catch((error: Error) => fail(error.message));
const preview = spawn(vite, ["preview", "--config", "app/vite.config.ts"], {
  env: {
    ...process.env,
    OA_APP_PUBLIC: publicDir,
    OA_APP_OUT: join(stack, "app-dist"),
    OA_APP_PORT: String(ports.app),
  },
  stdio: ["ignore", "ignore", "inherit"],
});
children.push(preview);
preview.on(
  "exit",
  (code) => code !== 0 && code !== null && fail(`the dashboard server stopped (exit ${code})`),
);
const appUrl = `http://127.0.0.1:${ports.app}`;
for (
  let i = 0;
  i < 100 &&
  !(await fetch(appUrl).then(
    (r) => r.ok,
    () => false,
  ));
  i++
)
  await new Promise((r) => setTimeout(r, 100));

step("ready");
console.log(`
  Dashboard  ${appUrl}
  Indexer    ${indexerUrl}/graphql
  Node       ${anvil.url} (chain ${deployment.chainId})

  To send transactions, add the node to your wallet (RPC ${anvil.url}, chain id ${deployment.chainId})
  and import one of anvil's test keys, e.g. alice (she has rewards to claim):
    0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
  Reading works without a wallet: ${appUrl}/#/account/0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC

Ctrl-C stops everything.`);
