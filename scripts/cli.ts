/**
 * `npm run oa -- <command> [options]`: a short alias of `npx hardhat oa:<command> [options]`.
 * The commands are Hardhat tasks (tasks/index.ts), so `--network` and the accounts come from
 * hardhat.config.ts. `npm run oa` alone lists them.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const hardhat = join(
  dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
  "dist/src/cli.js",
);
const [command, ...rest] = process.argv.slice(2);
const args =
  command === undefined || command === "help" || command === "--help"
    ? ["--help"]
    : [`oa:${command}`, ...rest];
const { status } = spawnSync(process.execPath, [hardhat, ...args], { stdio: "inherit" });
process.exitCode = status ?? 1;
