import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { createPublicClient, encodeFunctionData, http, type Address, type Hex } from "viem";

import {
  contributionRegistryAbi,
  parseDeployment,
  rewardDistributorAbi,
  type Deployment,
} from "../sdk/index.js";
import { runHardhat, startAnvil } from "./helpers/processes.js";

const STATUS = ["none", "pending", "accepted", "rejected", "withdrawn"];

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
    // A fresh anvil deploys at the same addresses: start from an empty database, not a previous run's.
    rmSync(join("indexer", ".ponder"), { recursive: true, force: true });
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

  it("serves contribution statuses, pools, claims and reputation equal to chain reads", async function () {
    const client = createPublicClient({ transport: http(anvil.url) });
    const contributions = {
      address: deployment.contracts.ContributionRegistry.address,
      abi: contributionRegistryAbi,
    };
    const distributor = {
      address: deployment.contracts.RewardDistributor.address,
      abi: rewardDistributorAbi,
    };
    const data = await query<{
      contributions: { items: { id: Hex; status: string; contributor: Address }[] };
      pools: { items: { modelId: string; funded: string; claimed: string }[] };
      claims: { items: { modelId: string; account: Address; claimed: string }[] };
      reputations: {
        items: {
          account: Address;
          submitted: number;
          accepted: number;
          rejected: number;
          withdrawn: number;
          slashed: string;
        }[];
      };
    }>(`{
      contributions { items { id status contributor } }
      pools { items { modelId funded claimed } }
      claims { items { modelId account claimed } }
      reputations { items { account submitted accepted rejected withdrawn slashed } }
    }`);
    expect(data.contributions.items).to.have.length(4);
    for (const c of data.contributions.items) {
      const onchain = await client.readContract({
        ...contributions,
        functionName: "getContribution",
        args: [c.id],
      });
      expect([c.status, c.contributor.toLowerCase()]).to.deep.equal([
        STATUS[Number(onchain.status)],
        onchain.contributor.toLowerCase(),
      ]);
    }
    for (const p of data.pools.items) {
      const id = BigInt(p.modelId);
      expect(BigInt(p.funded)).to.equal(
        await client.readContract({ ...distributor, functionName: "contributorPoolTotal", args: [id] }),
      );
      expect(BigInt(p.claimed)).to.equal(
        await client.readContract({ ...distributor, functionName: "claimedTotal", args: [id] }),
      );
    }
    expect(data.claims.items.length).to.be.greaterThan(0);
    for (const c of data.claims.items) {
      const onchain = await client.readContract({
        ...distributor,
        functionName: "claimed",
        args: [BigInt(c.modelId), c.account],
      });
      expect(BigInt(c.claimed)).to.equal(onchain);
    }
    for (const r of data.reputations.items) {
      const onchain = await client.readContract({
        ...contributions,
        functionName: "reputation",
        args: [r.account],
      });
      expect([r.submitted, r.accepted, r.rejected, r.withdrawn, BigInt(r.slashed)]).to.deep.equal([
        onchain.submitted,
        onchain.accepted,
        onchain.rejected,
        onchain.withdrawn,
        onchain.slashed,
      ]);
    }
  });

  it("follows the chain live and undoes what an anvil_reorg removes", async function () {
    const rpc = async (method: string, params: unknown[] = []) => {
      const res = await fetch(anvil.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      const body = (await res.json()) as { result?: unknown; error?: { message: string } };
      if (body.error) throw new Error(`${method}: ${body.error.message}`);
      return body.result;
    };
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
