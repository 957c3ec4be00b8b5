/**
 * Load and fault test over JSON-RPC (see scripts/load/main.ts for what it does and checks):
 *   npm run load [-- --rpc <url>] [--contributions 5000] [--payments 2000] [--epochs 3]
 *                [--minutes 30] [--seed 1] [--no-faults]
 * Without --rpc it starts anvil (from npm) on loopback and can restart it from its dumped state;
 * with --rpc the node must have anvil's dev accounts (54 of them) and is never restarted.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}
const numbers = { contributions: 5_000, payments: 2_000, epochs: 3, minutes: 30, seed: 1 };
const env: Record<string, string> = {};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const name = args[i].replace(/^--/, "");
  if (name === "no-faults") {
    env.LOAD_FAULTS = "0";
    continue;
  }
  const value = args[++i];
  if (value === undefined) fail(`--${name} needs a value`);
  if (name === "rpc") {
    if (!/^https?:\/\/.+/.test(value)) fail(`--rpc ${value} is not an http(s) URL`);
    env.LOAD_RPC = value;
  } else if (name in numbers) {
    if (!/^\d+$/.test(value) || Number(value) < 1) fail(`--${name} takes a whole number ≥ 1, not ${value}`);
    env[`LOAD_${name.toUpperCase()}`] = value;
  } else
    fail(
      `unknown option ${args[i - 1]} (options: --rpc, ${Object.keys(numbers)
        .map((n) => `--${n}`)
        .join(", ")}, --no-faults)`,
    );
}
const hardhat = join("node_modules", ".bin", "hardhat");
const build = spawnSync(hardhat, ["build", "--quiet"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(hardhat, ["run", "--no-compile", "scripts/load/main.ts"], {
  stdio: "inherit",
  env: { ...process.env, ...env },
});
process.exit(run.status ?? 1);
