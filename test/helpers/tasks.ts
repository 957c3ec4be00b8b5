import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { formatEther, getAddress, type Address } from "viem";

import { runHardhat, runHardhatCommand, startAnvil, type CommandResult } from "./processes.js";

/**
 * Runs operator tasks as an operator does: each command a separate Hardhat process
 * (`npx hardhat oa:<command> … --network localhost`) against a separately started anvil node
 * holding a fresh deployment, in a temporary folder of its own.
 */
export class TaskHarness {
  private constructor(
    private readonly anvil: { url: string; stop: () => void },
    /** The harness's temporary folder (deployment record, files the tests write). */
    readonly dir: string,
    /** The node's accounts, checksummed. */
    readonly accounts: Address[],
  ) {}

  /** Starts anvil (20 accounts) and deploys the system on it with `npm run deploy`. */
  static async start(): Promise<TaskHarness> {
    const anvil = await startAnvil();
    const dir = mkdtempSync(join(tmpdir(), "oa-tasks-"));
    const env = { LOCALHOST_RPC_URL: anvil.url, DEPLOYMENTS_DIR: join(dir, "deployments") };
    await runHardhat(["run", "--no-compile", "scripts/deploy.ts", "--network", "localhost"], env);
    const harness = new TaskHarness(anvil, dir, []);
    const accounts = ((await harness.rpc("eth_accounts")) as string[]).map((a) => getAddress(a));
    return new TaskHarness(anvil, dir, accounts);
  }

  stop(): void {
    this.anvil.stop();
  }

  get url(): string {
    return this.anvil.url;
  }

  /** The environment every command runs with. */
  env(): Record<string, string> {
    return { LOCALHOST_RPC_URL: this.anvil.url, DEPLOYMENTS_DIR: join(this.dir, "deployments") };
  }

  /** A path in the harness's folder, written with `content` when given. */
  file(name: string, content?: string | Uint8Array): string {
    const path = join(this.dir, name);
    if (content !== undefined) writeFileSync(path, content);
    return path;
  }

  /** Runs `oa:<command>` (or a task named with a space, like "attribution run"), failing or not. */
  async run(
    command: string,
    args: string[],
    from?: number,
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<CommandResult> {
    const task = command.includes(" ") ? command.split(" ") : [`oa:${command}`];
    const fromArgs = from === undefined ? [] : ["--from", String(from)];
    return runHardhatCommand([...task, ...args, ...fromArgs, "--network", "localhost"], {
      ...this.env(),
      ...extraEnv,
    });
  }

  /** Runs a command that must succeed; resolves with what it printed. */
  async ok(command: string, args: string[], from?: number): Promise<string> {
    const result = await this.run(command, args, from);
    expect(result.stderr, `${command} ${args.join(" ")}`).to.equal("");
    expect(result.code).to.equal(0);
    return result.stdout;
  }

  /** Runs a command with --json; resolves with its parsed output. */
  async json<T = Record<string, unknown>>(command: string, args: string[], from?: number): Promise<T> {
    return JSON.parse(await this.ok(command, [...args, "--json"], from)) as T;
  }

  /** Runs a command that must fail with one `error:` line and no stack trace; resolves with that line. */
  async error(
    command: string,
    args: string[],
    from?: number,
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<string> {
    const result = await this.run(command, args, from, extraEnv);
    expect(result.code, `${command} ${args.join(" ")} should fail`).to.equal(1);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines, result.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: /);
    expect(result.stderr).not.to.contain("    at ");
    return lines[0];
  }

  /** Asserts a failing command's one line: containing `expected` (a string) or matching it (a RegExp). */
  async expectError(
    command: string,
    args: string[],
    expected: string | RegExp,
    from?: number,
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<void> {
    const line = await this.error(command, args, from, extraEnv);
    if (typeof expected === "string") expect(line).to.contain(expected);
    else expect(line).to.match(expected);
  }

  /** Funds the accounts at `indexes` with the minimum attester bond and has each bond it (oa:attester:bond). */
  async bondAttesters(indexes: number[]): Promise<void> {
    const { rules } = await this.json<{ rules: { minBond: string } }>("attester:show", []);
    const amount = formatEther(BigInt(rules.minBond));
    for (const i of indexes) {
      await this.ok("transfer", ["--to", this.accounts[i], "--amount", amount]);
      await this.ok("attester:bond", [], i);
    }
  }

  /** A JSON-RPC call to the node. */
  async rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const res = await fetch(this.anvil.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    return ((await res.json()) as { result: unknown }).result;
  }
}
