/**
 * Compares what the Ponder indexer serves (GraphQL, every page) with what the contracts say,
 * row by row: contributions, datanets, models, pools, claims, reputations, stakes, reports and
 * attesters. Used by the indexer's test and by the load test (`npm run load`).
 */
import { createPublicClient, http, type Address, type Hex } from "viem";

import {
  attributionRegistryAbi,
  CONTRIBUTION_STATUSES,
  contributionRegistryAbi,
  DATANET_KINDS,
  modelRegistryAbi,
  rewardDistributorAbi,
  type Deployment,
} from "../../sdk/index.js";
import { eachLimited } from "./concurrency.ts";

interface Rows {
  contributions: { id: Hex; status: string; contributor: Address }[];
  datanets: { id: string; owner: Address; kind: string; bond: string; acceptedCount: number }[];
  models: { id: string; owner: Address; parentId: string; royaltyBps: number; active: boolean }[];
  pools: { modelId: string; funded: string; claimed: string }[];
  claims: { modelId: string; account: Address; claimed: string }[];
  reputations: {
    account: Address;
    submitted: number;
    accepted: number;
    rejected: number;
    withdrawn: number;
    slashed: string;
  }[];
  stakes: { modelId: string; account: Address; staked: string; unstaking: string }[];
  reports: { reportHash: Hex; modelId: string; epoch: string; status: string; cumulativeRoot: Hex }[];
  attesters: { account: Address; registered: boolean; bond: string; unbonding: string; unlockAt: string }[];
}

const FIELDS: Record<keyof Rows, string> = {
  contributions: "id status contributor",
  datanets: "id owner kind bond acceptedCount",
  models: "id owner parentId royaltyBps active",
  pools: "modelId funded claimed",
  claims: "modelId account claimed",
  reputations: "account submitted accepted rejected withdrawn slashed",
  stakes: "modelId account staked unstaking",
  reports: "reportHash modelId epoch status cumulativeRoot",
  attesters: "account registered bond unbonding unlockAt",
};

/** Every row of one of the indexer's tables, page by page (Ponder serves at most 1,000 a page). */
async function allRows<T extends keyof Rows>(api: string, table: T): Promise<Rows[T]> {
  const rows: Rows[T] = [];
  let after: string | null = null;
  for (;;) {
    const cursor: string = after === null ? "" : `, after: ${JSON.stringify(after)}`;
    const res = await fetch(`${api}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ ${table}(limit: 1000${cursor}) { items { ${FIELDS[table]} } pageInfo { hasNextPage endCursor } } }`,
      }),
    });
    const body = (await res.json()) as {
      data?: Record<string, { items: Rows[T]; pageInfo: { hasNextPage: boolean; endCursor: string } }>;
      errors?: unknown;
    };
    if (body.errors || !body.data)
      throw new Error(`the indexer refused the ${table} query: ${JSON.stringify(body.errors)}`);
    const page = body.data[table];
    rows.push(...(page.items as never[]));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

export interface IndexerComparison {
  /** Rows compared, per table. */
  checked: Record<keyof Rows, number>;
  /** One line per difference; empty when the indexer equals the chain. */
  mismatches: string[];
  rows: Rows;
}

/** Reads every table of the indexer at `api` and compares each row with chain reads at `rpcUrl`. */
export async function compareIndexerWithChain(
  api: string,
  rpcUrl: string,
  deployment: Deployment,
): Promise<IndexerComparison> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 5 }) });
  const c = deployment.contracts;
  const read = <R>(address: Address, abi: unknown, functionName: string, args: unknown[] = []) =>
    client.readContract({ address, abi, functionName, args } as never) as Promise<R>;
  const rows = Object.fromEntries(
    await Promise.all(
      (Object.keys(FIELDS) as (keyof Rows)[]).map(async (table) => [table, await allRows(api, table)]),
    ),
  ) as Rows;
  const mismatches: string[] = [];
  const same = (what: string, served: unknown, onchain: unknown) => {
    const a = JSON.stringify(served, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    const b = JSON.stringify(onchain, (_, v) => (typeof v === "bigint" ? v.toString() : v));
    if (a !== b) mismatches.push(`${what}: indexer ${a}, chain ${b}`);
  };
  const lower = (a: string) => a.toLowerCase();

  await eachLimited(rows.contributions, 32, async (r) => {
    const onchain = await read<{ status: number; contributor: Address }>(
      c.ContributionRegistry.address,
      contributionRegistryAbi,
      "getContribution",
      [r.id],
    );
    same(
      `contribution ${r.id}`,
      [r.status, lower(r.contributor)],
      [CONTRIBUTION_STATUSES[onchain.status], lower(onchain.contributor)],
    );
  });
  const datanetCount = await read<bigint>(
    c.ContributionRegistry.address,
    contributionRegistryAbi,
    "datanetCount",
  );
  same("number of datanets", rows.datanets.length, Number(datanetCount));
  await eachLimited(rows.datanets, 8, async (d) => {
    const [owner, , settings, acceptedCount] = await read<
      [Address, Address, { kind: number; bond: bigint }, bigint]
    >(c.ContributionRegistry.address, contributionRegistryAbi, "getDatanet", [BigInt(d.id)]);
    same(
      `datanet ${d.id}`,
      [lower(d.owner), d.kind, BigInt(d.bond), BigInt(d.acceptedCount)],
      [lower(owner), DATANET_KINDS[settings.kind], settings.bond, acceptedCount],
    );
  });
  const modelCount = await read<bigint>(c.ModelRegistry.address, modelRegistryAbi, "modelCount");
  same("number of models", rows.models.length, Number(modelCount));
  await eachLimited(rows.models, 8, async (m) => {
    const onchain = await read<{ owner: Address; parentId: number; royaltyBps: number; active: boolean }>(
      c.ModelRegistry.address,
      modelRegistryAbi,
      "getModel",
      [BigInt(m.id)],
    );
    same(
      `model ${m.id}`,
      [lower(m.owner), BigInt(m.parentId), m.royaltyBps, m.active],
      [lower(onchain.owner), BigInt(onchain.parentId), onchain.royaltyBps, onchain.active],
    );
  });
  const distributor = (name: string, args: unknown[]) =>
    read<bigint>(c.RewardDistributor.address, rewardDistributorAbi, name, args);
  await eachLimited(rows.pools, 8, async (p) => {
    const id = BigInt(p.modelId);
    same(
      `pool of model ${p.modelId}`,
      [BigInt(p.funded), BigInt(p.claimed)],
      [await distributor("contributorPoolTotal", [id]), await distributor("claimedTotal", [id])],
    );
  });
  await eachLimited(rows.claims, 16, async (r) => {
    same(
      `claimed by ${r.account} from model ${r.modelId}`,
      BigInt(r.claimed),
      await distributor("claimed", [BigInt(r.modelId), r.account]),
    );
  });
  await eachLimited(rows.reputations, 16, async (r) => {
    const onchain = await read<{
      submitted: number;
      accepted: number;
      rejected: number;
      withdrawn: number;
      slashed: bigint;
    }>(c.ContributionRegistry.address, contributionRegistryAbi, "reputation", [r.account]);
    same(
      `reputation of ${r.account}`,
      [r.submitted, r.accepted, r.rejected, r.withdrawn, BigInt(r.slashed)],
      [onchain.submitted, onchain.accepted, onchain.rejected, onchain.withdrawn, onchain.slashed],
    );
  });
  await eachLimited(rows.stakes, 16, async (s) => {
    const onchain = await read<{ staked: bigint; unstaking: bigint }>(
      c.RewardDistributor.address,
      rewardDistributorAbi,
      "positionOf",
      [BigInt(s.modelId), s.account],
    );
    same(
      `stake of ${s.account} on model ${s.modelId}`,
      [BigInt(s.staked), BigInt(s.unstaking)],
      [onchain.staked, onchain.unstaking],
    );
  });
  // Reports: the latest final one per model is the distributor's root; a voided one is barred.
  await eachLimited(rows.models, 8, async (m) => {
    const state = await read<{ hasFinal: boolean; finalEpoch: bigint; hasPending: boolean }>(
      c.AttributionRegistry.address,
      attributionRegistryAbi,
      "modelReports",
      [BigInt(m.id)],
    );
    const own = rows.reports.filter((r) => r.modelId === m.id);
    const finals = own
      .filter((r) => r.status === "final")
      .sort((a, b) => Number(BigInt(a.epoch) - BigInt(b.epoch)));
    same(`model ${m.id} has a final report`, finals.length > 0, state.hasFinal);
    same(
      `model ${m.id} has a pending report`,
      own.some((r) => r.status === "pending"),
      state.hasPending,
    );
    if (state.hasFinal && finals.length > 0) {
      const [root] = await read<[Hex, bigint]>(
        c.RewardDistributor.address,
        rewardDistributorAbi,
        "claimRoot",
        [BigInt(m.id)],
      );
      same(
        `model ${m.id}'s latest final report`,
        [finals.at(-1)!.cumulativeRoot, BigInt(finals.at(-1)!.epoch)],
        [root, BigInt(state.finalEpoch)],
      );
    }
  });
  await eachLimited(
    rows.reports.filter((r) => r.status === "voided"),
    8,
    async (r) => {
      same(
        `voided report ${r.reportHash} is barred`,
        true,
        await read<boolean>(c.AttributionRegistry.address, attributionRegistryAbi, "isBarred", [
          r.reportHash,
        ]),
      );
    },
  );
  await eachLimited(rows.attesters, 8, async (a) => {
    const onchain = await read<{ registered: boolean; bond: bigint; unbonding: bigint; unlockAt: bigint }>(
      c.AttributionRegistry.address,
      attributionRegistryAbi,
      "attesterInfo",
      [a.account],
    );
    same(
      `attester ${a.account}`,
      [a.registered, BigInt(a.bond), BigInt(a.unbonding), BigInt(a.unlockAt)],
      [onchain.registered, onchain.bond, onchain.unbonding, BigInt(onchain.unlockAt)],
    );
  });
  const checked = Object.fromEntries(
    Object.entries(rows).map(([table, list]) => [table, (list as unknown[]).length]),
  ) as Record<keyof Rows, number>;
  return { checked, mismatches, rows };
}
