import { parseEventLogs, type Address, type Chain, type Hex, type PublicClient, type Transport } from "viem";

import { contributionRegistryAbi } from "./abis.js";
import { computeContributionId, type ContributionStatusName } from "./actions/contributions.js";
import type { Deployment } from "./deployments.js";
import { InvalidInputError } from "./errors.js";

/**
 * A small reader of the ContributionRegistry's logs, for tools that need the datanets'
 * version membership without an indexer server (the attribution engine, `oa:model:contributions`).
 * Everything a dApp queries (statuses, pools, claims, reputation, reports) is served by the
 * Ponder indexer in `indexer/`.
 */

/** A contribution as its events give it. */
export interface LoggedContribution {
  datanetId: bigint;
  contributor: Address;
  contentHash: Hex;
  uri: string;
  status: ContributionStatusName;
  /** Block of the consent withdrawal (a pending one stays under review until its bond is settled). */
  withdrawnBlock: bigint | null;
}

/** A datanet's accepted contributions now and at each snapshotted version. */
export interface LoggedDatanet {
  /** Contributions currently accepted. */
  accepted: Set<Hex>;
  /** Snapshotted versions with the accepted set at that moment, ids sorted. */
  versions: { version: number; acceptedCount: bigint; timestamp: number; contributionIds: Hex[] }[];
}

/** What the logs say of datanets and contributions up to `lastBlock`. Pass it back to resume. */
export interface DatanetHistory {
  lastBlock: bigint;
  datanets: Map<bigint, LoggedDatanet>;
  contributions: Map<Hex, LoggedContribution>;
}

export interface ReadDatanetHistoryOptions {
  publicClient: PublicClient<Transport, Chain | undefined>;
  deployment: Deployment;
  /** History to continue from (default: none, from the deployment's first block). */
  from?: DatanetHistory;
  /** Last block to include (default: latest). */
  toBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default 2,000). */
  chunkSize?: bigint;
}

type ContributionEvent = ReturnType<typeof parseEventLogs<typeof contributionRegistryAbi>>[number];

function apply(history: DatanetHistory, event: ContributionEvent): void {
  const { datanets, contributions } = history;
  switch (event.eventName) {
    case "DatanetCreated":
      datanets.set(event.args.datanetId, { accepted: new Set(), versions: [] });
      return;
    case "DatanetVersionCreated": {
      const { datanetId, version, acceptedCount, timestamp } = event.args;
      const d = datanets.get(datanetId)!;
      d.versions.push({ version, acceptedCount, timestamp, contributionIds: [...d.accepted].sort() });
      return;
    }
    case "Contributed": {
      const { datanetId, contributor, contentHash, uri } = event.args;
      const id = computeContributionId(datanetId, contentHash);
      const existing = contributions.get(id);
      if (existing?.status === "pending") {
        // Only a reveal takes over a pending record (see ContributionDisplaced): the review
        // goes on; the previous contributor's consent withdrawal is void.
        Object.assign(existing, { contributor, uri, withdrawnBlock: null });
        return;
      }
      contributions.set(id, {
        datanetId,
        contributor,
        contentHash,
        uri,
        status: "pending",
        withdrawnBlock: null,
      });
      return;
    }
    case "ContributionAccepted":
      contributions.get(event.args.contributionId)!.status = "accepted";
      datanets.get(event.args.datanetId)!.accepted.add(event.args.contributionId);
      return;
    case "ContributionRejected":
      contributions.get(event.args.contributionId)!.status = "rejected";
      return;
    case "ContributionWithdrawn": {
      const c = contributions.get(event.args.contributionId)!;
      c.withdrawnBlock = event.blockNumber;
      if (!event.args.underReview) {
        c.status = "withdrawn";
        datanets.get(event.args.datanetId)!.accepted.delete(event.args.contributionId);
      }
      return;
    }
    case "WithdrawnBondReleased":
      contributions.get(event.args.contributionId)!.status = "withdrawn";
      return;
  }
}

/**
 * Rebuilds datanet membership from the ContributionRegistry's logs, fetched in block-range
 * chunks in log order. Resumable: pass the result back as `from` to continue after its `lastBlock`.
 */
export async function readDatanetHistory({
  publicClient,
  deployment,
  from,
  toBlock,
  chunkSize = 2_000n,
}: ReadDatanetHistoryOptions): Promise<DatanetHistory> {
  if (chunkSize < 1n) throw new InvalidInputError("chunkSize", "must be at least 1");
  const history = from ?? {
    lastBlock: BigInt(deployment.startBlock) - 1n,
    datanets: new Map(),
    contributions: new Map(),
  };
  const end = toBlock ?? (await publicClient.getBlockNumber());
  const address = deployment.contracts.ContributionRegistry.address;
  for (let start = history.lastBlock + 1n; start <= end; start += chunkSize) {
    const to = start + chunkSize - 1n < end ? start + chunkSize - 1n : end;
    const logs = await publicClient.getLogs({ address, fromBlock: start, toBlock: to });
    for (const event of parseEventLogs({ abi: contributionRegistryAbi, logs })) apply(history, event);
    history.lastBlock = to;
  }
  return history;
}
