import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { createPublicClient, encodeFunctionData, http, type Address, type Hex } from "viem";

import { contributionRegistryAbi, parseDeployment, type Deployment } from "../sdk/index.js";
import { compareIndexerWithChain } from "../scripts/lib/indexer-vs-chain.js";
import { rpcCall } from "../scripts/lib/ponder-progress.js";
import { runHardhat, startAnvil } from "./helpers/processes.js";

/** The demo's story on anvil, indexed by Ponder: the API's answers must equal chain reads. */
describe("Ponder indexer against anvil [external]", function () {
  this.timeout(300_000);

  let anvil: { url: string; stop: () => void };
  let indexer: ChildProcess;
  let deployment: Deployment;
  let log = "";
  const port = 42_169;
  const api = `http://127.0.0.1:${port}`;

  before(async function () {
    // A fresh anvil deploys at the same addresses and start block: `npm run indexer` still gives
    // it a schema of its own (named after the start block's hash), so a previous run's is ignored.
    anvil = await startAnvil();
    const dir = mkdtempSync(join(tmpdir(), "oa-indexer-"));
    const env = { LOCALHOST_RPC_URL: anvil.url, DEPLOYMENTS_DIR: dir };
    await runHardhat(["run", "--no-compile", "scripts/demo.ts", "--network", "localhost"], env);
    deployment = parseDeployment(JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")));
    const { DATABASE_URL: _postgres, ...inherited } = process.env; // always the embedded PGlite here
    indexer = spawn(process.execPath, ["scripts/indexer.ts", "--port", String(port)], {
      env: { ...inherited, ...env, PONDER_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    indexer.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
    await waitFor(
      async () => (await fetch(`${api}/ready`).catch(() => undefined))?.status === 200,
      120_000,
      () => log,
    );
    await caughtUp();
  });

  /** Waits until the indexer has processed the chain's latest block (`/status`). */
  async function caughtUp() {
    const head = await createPublicClient({ transport: http(anvil.url) }).getBlockNumber();
    await waitFor(
      async () => {
        const status = (await (await fetch(`${api}/status`)).json()) as {
          protocol?: { block?: { number: number } };
        };
        return BigInt(status.protocol?.block?.number ?? -1) >= head;
      },
      60_000,
      () => log,
    );
  }

  after(function () {
    indexer?.kill("SIGTERM");
    anvil?.stop();
  });

  async function query<T>(graphql: string): Promise<T> {
    const res = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: graphql }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown };
    expect(body.errors).to.equal(undefined);
    return body.data;
  }

  it("serves every table equal to chain reads, row by row", async function () {
    const { checked, mismatches, rows } = await compareIndexerWithChain(api, anvil.url, deployment);
    expect(mismatches).to.deep.equal([]);
    // The demo's story: 4 contributions, 2 models, claims, a stake, a voided report, 3 attesters.
    expect(checked.contributions).to.equal(4);
    expect(checked.models).to.equal(2);
    for (const table of ["datanets", "pools", "claims", "reputations", "stakes", "attesters"] as const)
      expect(checked[table], table).to.be.greaterThan(0);
    expect(rows.reports.some((r) => r.status === "voided")).to.equal(true);
    expect(rows.reports.some((r) => r.status === "final")).to.equal(true);
  });

  it("follows the chain live and undoes what an anvil_reorg removes", async function () {
    const rpc = (method: string, params: unknown[] = []) => rpcCall(anvil.url, method, params);
    const [, curator] = (await rpc("eth_accounts")) as Address[];
    const newcomer = "0x00000000000000000000000000000000000000aa";
    const reviewerRow = async () =>
      (
        await query<{ reviewer: { active: boolean } | null }>(
          `{ reviewer(datanetId: "1", account: "${newcomer}") { active } }`,
        )
      ).reviewer;
    const data = encodeFunctionData({
      abi: contributionRegistryAbi,
      functionName: "setReviewer",
      args: [1n, newcomer, true],
    });
    const hash = await rpc("eth_sendTransaction", [
      { from: curator, to: deployment.contracts.ContributionRegistry.address, data },
    ]);
    let receipt: { status: string } | null = null;
    await waitFor(
      async () => (receipt = (await rpc("eth_getTransactionReceipt", [hash])) as typeof receipt) !== null,
      30_000,
      () => `no receipt for ${String(hash)}`,
    );
    expect(receipt!.status).to.equal("0x1");
    // Live: the new block is indexed within a few polling intervals.
    await waitFor(
      async () => (await reviewerRow())?.active === true,
      30_000,
      () => log,
    );
    // The block that added the reviewer is replaced by an empty one.
    await rpc("anvil_reorg", [1, []]);
    await waitFor(
      async () => (await reviewerRow()) === null,
      30_000,
      () => log,
    );
  });
});

async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready within ${timeoutMs} ms; the indexer said:\n${log()}`);
}
