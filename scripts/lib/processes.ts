import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);

/** Path of an npm package's file, resolved from this project. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * A separately started anvil node (from the `@foundry-rs/anvil` npm package), on `port` or a
 * random one, with `accounts` funded dev accounts. `stop` resolves once the process has exited
 * (with `--state`/`--dump-state`, after it wrote its state).
 */
export async function startAnvil(
  extraArgs: string[] = [],
  port = 20_000 + Math.floor(Math.random() * 20_000),
  accounts = 20,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      packageFile("@foundry-rs/anvil", "bin.mjs"),
      "--port",
      String(port),
      "--accounts",
      String(accounts),
      "--silent",
      ...extraArgs,
    ],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = () => {
    child.kill("SIGTERM");
    return exited;
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error(`anvil did not start on ${url}`);
}

/** Runs the Hardhat CLI with `args` and extra environment; resolves with its output. */
export async function runHardhat(args: string[], env: Record<string, string> = {}) {
  const cli = packageFile("hardhat", "dist/src/cli.js");
  const { stdout, stderr } = await execFileAsync(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout + stderr;
}

/** Runs the Hardhat CLI expecting it to fail; resolves with its output ("" if it succeeded). */
export async function runHardhatFailing(args: string[], env: Record<string, string> = {}): Promise<string> {
  return runHardhat(args, env).then(
    () => "",
    (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
  );
}

/** What a finished command printed and its exit code. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the Hardhat CLI and resolves with its exit code and separate outputs, failing or not.
 * `env` values of `undefined` remove the variable (e.g. `CI`, which makes Hardhat print stack traces).
 */
export async function runHardhatCommand(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CommandResult> {
  const cli = packageFile("hardhat", "dist/src/cli.js");
  const merged: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
  return execFileAsync(process.execPath, [cli, ...args], { env: merged, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}
