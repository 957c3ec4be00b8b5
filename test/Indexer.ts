import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { createPublicClient, encodeFunctionData, http, type Address, type Hex } from "viem";

import {
  attributionRegistryAbi,
  CONTRIBUTION_STATUSES,
  contributionRegistryAbi,
  DATANET_KINDS,
  modelRegistryAbi,
  parseDeployment,
  rewardDistributorAbi,
  type Deployment,
} from "../sdk/index.js";
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
        CONTRIBUTION_STATUSES[onchain.status],
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

  it("serves datanets, models, stakes, reports and attesters equal to chain reads", async function () {
    const client = createPublicClient({ transport: http(anvil.url) });
    const read = <T>(
      name: keyof Deployment["contracts"],
      abi: unknown,
      functionName: string,
      args: unknown[],
    ) =>
      client.readContract({
        address: deployment.contracts[name].address,
        abi,
        functionName,
        args,
      } as never) as Promise<T>;
    const data = await query<{
      models: {
        items: { id: string; owner: Address; parentId: string; royaltyBps: number; active: boolean }[];
      };
      stakes: { items: { modelId: string; account: Address; staked: string; unstaking: string }[] };
      reports: {
        items: { reportHash: Hex; modelId: string; epoch: string; status: string; cumulativeRoot: Hex }[];
      };
      attesters: {
        items: { account: Address; registered: boolean; bond: string; unbonding: string; unlockAt: string }[];
      };
      datanets: {
        items: { id: string; owner: Address; kind: string; bond: string; acceptedCount: number }[];
      };
    }>(`{
      datanets { items { id owner kind bond acceptedCount } }
      models { items { id owner parentId royaltyBps active } }
      stakes { items { modelId account staked unstaking } }
      reports { items { reportHash modelId epoch status cumulativeRoot } }
      attesters { items { account registered bond unbonding unlockAt } }
    }`);
    expect(data.datanets.items.length).to.be.greaterThan(0);
    for (const d of data.datanets.items) {
      const [owner, , settings, acceptedCount] = await read<
        [Address, Address, { kind: number; bond: bigint }, bigint]
      >("ContributionRegistry", contributionRegistryAbi, "getDatanet", [BigInt(d.id)]);
      expect([d.owner.toLowerCase(), d.kind, BigInt(d.bond), BigInt(d.acceptedCount)]).to.deep.equal([
        owner.toLowerCase(),
        DATANET_KINDS[settings.kind],
        settings.bond,
        acceptedCount,
      ]);
    }
    expect(data.models.items).to.have.length(2);
    for (const m of data.models.items) {
      const onchain = await read<{ owner: Address; parentId: number; royaltyBps: number; active: boolean }>(
        "ModelRegistry",
        modelRegistryAbi,
        "getModel",
        [BigInt(m.id)],
      );
      expect([m.owner.toLowerCase(), BigInt(m.parentId), m.royaltyBps, m.active]).to.deep.equal([
        onchain.owner.toLowerCase(),
        BigInt(onchain.parentId),
        onchain.royaltyBps,
        onchain.active,
      ]);
    }
    expect(data.stakes.items.length).to.be.greaterThan(0);
    for (const st of data.stakes.items) {
      const onchain = await read<{ staked: bigint; unstaking: bigint }>(
        "RewardDistributor",
        rewardDistributorAbi,
        "positionOf",
        [BigInt(st.modelId), st.account],
      );
      expect([BigInt(st.staked), BigInt(st.unstaking)]).to.deep.equal([onchain.staked, onchain.unstaking]);
    }
    // Reports: the latest final one per model is the distributor's root; a voided one is barred on chain.
    for (const m of data.models.items) {
      const state = await read<{ hasFinal: boolean; finalEpoch: bigint; hasPending: boolean }>(
        "AttributionRegistry",
        attributionRegistryAbi,
        "modelReports",
        [BigInt(m.id)],
      );
      const own = data.reports.items.filter((r) => r.modelId === m.id);
      const finals = own
        .filter((r) => r.status === "final")
        .sort((a, b) => Number(BigInt(a.epoch) - BigInt(b.epoch)));
      expect(finals.length > 0, `model ${m.id} has a final report`).to.equal(state.hasFinal);
      if (state.hasFinal) {
        const [root] = await read<[Hex, bigint]>("RewardDistributor", rewardDistributorAbi, "claimRoot", [
          BigInt(m.id),
        ]);
        expect(finals.at(-1)!.cumulativeRoot).to.equal(root);
        expect(BigInt(finals.at(-1)!.epoch)).to.equal(BigInt(state.finalEpoch));
      }
      expect(own.some((r) => r.status === "pending")).to.equal(state.hasPending);
    }
    const voided = data.reports.items.filter((r) => r.status === "voided");
    expect(voided.length).to.be.greaterThan(0); // the demo's crafted report
    for (const r of voided)
      expect(
        await read<boolean>("AttributionRegistry", attributionRegistryAbi, "isBarred", [r.reportHash]),
      ).to.equal(true);
    expect(data.attesters.items.length).to.be.greaterThan(0);
    for (const a of data.attesters.items) {
      const onchain = await read<{ registered: boolean; bond: bigint; unbonding: bigint; unlockAt: bigint }>(
        "AttributionRegistry",
        attributionRegistryAbi,
        "attesterInfo",
        [a.account],
      );
      expect([a.registered, BigInt(a.bond), BigInt(a.unbonding), BigInt(a.unlockAt)]).to.deep.equal([
        onchain.registered,
        onchain.bond,
        onchain.unbonding,
        BigInt(onchain.unlockAt),
      ]);
    }
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
