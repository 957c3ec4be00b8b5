import {
  parseEventLogs,
  type Abi,
  type Address,
  type Chain,
  type Hex,
  type Log,
  type PublicClient,
  type Transport,
} from "viem";

import {
  attributionRegistryAbi,
  contributionRegistryAbi,
  modelRegistryAbi,
  rewardDistributorAbi,
} from "./abis.js";
import { computeContributionId, type DatanetSettings } from "./client.js";
import type { Deployment } from "./deployments.js";
import { InvalidInputError } from "./errors.js";

/** A datanet as rebuilt from events. */
export interface IndexedDatanet {
  owner: Address;
  pendingOwner: Address | null;
  metadataURI: string;
  settings: DatanetSettings;
  reviewers: Set<Address>;
  /** Contributions currently accepted. */
  accepted: Set<Hex>;
  /** Snapshotted versions with the accepted set at that moment. */
  versions: { version: number; acceptedCount: bigint; timestamp: number; contributionIds: Hex[] }[];
}

/** A contribution as rebuilt from events (status values as in IContributionRegistry.Status). */
export interface IndexedContribution {
  datanetId: bigint;
  contributor: Address;
  contentHash: Hex;
  uri: string;
  bond: bigint;
  status: number;
  approvals: number;
  rejections: number;
  submittedBlock: bigint;
  /** Block of the consent withdrawal (a pending one stays under review until its bond is settled). */
  withdrawnBlock: bigint | null;
}

/** A model as rebuilt from events. */
export interface IndexedModel {
  owner: Address;
  pendingOwner: Address | null;
  parentId: bigint;
  royaltyBps: number;
  active: boolean;
  metadataURI: string;
  trainedOn: { datanetId: number; version: number }[];
}

/** The whole protocol state that events carry. Pass it back to `indexProtocol` to resume. */
export interface ProtocolState {
  /** Last block included. */
  lastBlock: bigint;
  datanets: Map<bigint, IndexedDatanet>;
  contributions: Map<Hex, IndexedContribution>;
  models: Map<bigint, IndexedModel>;
  reports: Map<
    bigint,
    {
      finalEpoch: bigint | null;
      cumulativeRoot: Hex | null;
      totalCumulative: bigint;
      pendingEpoch: bigint | null;
      submissions: number;
      /** Pending reports proven wrong by a challenge. */
      voided: number;
    }
  >;
  /** Contributor pool per model: funded and claimed. */
  pools: Map<bigint, { funded: bigint; claimed: bigint }>;
  /** Claimed cumulative amount, keyed `${modelId}:${account}`. */
  claims: Map<string, bigint>;
  /** Staking positions, keyed `${modelId}:${account}`. */
  stakes: Map<string, { staked: bigint; unstaking: bigint }>;
  /** Staking rewards credited and not yet claimed, per model. */
  stakingRewardsHeld: Map<bigint, bigint>;
  /** Accrued owner balances in the distributor. */
  ownerBalances: Map<Address, bigint>;
  treasuryBalance: bigint;
  /** Royalties accrued and not settled, per model. */
  royalties: Map<bigint, bigint>;
}

/** An empty state, starting before `deployment.startBlock`. */
export function emptyState(deployment: Deployment): ProtocolState {
  return {
    lastBlock: BigInt(deployment.startBlock) - 1n,
    datanets: new Map(),
    contributions: new Map(),
    models: new Map(),
    reports: new Map(),
    pools: new Map(),
    claims: new Map(),
    stakes: new Map(),
    stakingRewardsHeld: new Map(),
    ownerBalances: new Map(),
    treasuryBalance: 0n,
    royalties: new Map(),
  };
}

const add = <K>(map: Map<K, bigint>, key: K, amount: bigint) => map.set(key, (map.get(key) ?? 0n) + amount);

type Decoded = { eventName: string; args: Record<string, unknown>; blockNumber: bigint; logIndex: number };

function apply(state: ProtocolState, e: Decoded): void {
  const a = e.args as Record<string, never>;
  switch (e.eventName) {
    // ---------------------------------------------------------------- datanets
    case "DatanetCreated":
      state.datanets.set(a.datanetId, {
        owner: a.owner,
        pendingOwner: null,
        metadataURI: a.metadataURI,
        settings: a.settings,
        reviewers: new Set(),
        accepted: new Set(),
        versions: [],
      });
      return;
    case "DatanetSettingsUpdated":
      state.datanets.get(a.datanetId)!.settings = a.settings;
      return;
    case "DatanetMetadataUpdated":
      state.datanets.get(a.datanetId)!.metadataURI = a.metadataURI;
      return;
    case "DatanetOwnershipTransferStarted":
      state.datanets.get(a.datanetId)!.pendingOwner = a.to;
      return;
    case "DatanetOwnershipTransferred":
      Object.assign(state.datanets.get(a.datanetId)!, { owner: a.to, pendingOwner: null });
      return;
    case "ReviewerSet": {
      const reviewers = state.datanets.get(a.datanetId)!.reviewers;
      if (a.active) reviewers.add(a.reviewer);
      else reviewers.delete(a.reviewer);
      return;
    }
    case "DatanetVersionCreated": {
      const d = state.datanets.get(a.datanetId)!;
      d.versions.push({
        version: a.version,
        acceptedCount: a.acceptedCount,
        timestamp: a.timestamp,
        contributionIds: [...d.accepted].sort(),
      });
      return;
    }
    // ---------------------------------------------------------------- contributions
    case "Contributed": {
      const id = computeContributionId(a.datanetId, a.contentHash);
      const existing = state.contributions.get(id);
      if (existing?.status === 1) {
        // Only a reveal takes over a pending record (see ContributionDisplaced): the review,
        // its rules and bond go on; the previous contributor's consent withdrawal is void.
        Object.assign(existing, { contributor: a.contributor, uri: a.uri, withdrawnBlock: null });
        return;
      }
      // A first submission, or a re-submission with a fresh review at the datanet's bond now.
      state.contributions.set(id, {
        datanetId: a.datanetId,
        contributor: a.contributor,
        contentHash: a.contentHash,
        uri: a.uri,
        bond: state.datanets.get(a.datanetId)!.settings.bond,
        status: 1,
        approvals: 0,
        rejections: 0,
        submittedBlock: e.blockNumber,
        withdrawnBlock: null,
      });
      return;
    }
    case "Reviewed": {
      const c = state.contributions.get(a.contributionId)!;
      if (a.approve) c.approvals += 1;
      else c.rejections += 1;
      return;
    }
    case "ContributionAccepted":
      state.contributions.get(a.contributionId)!.status = 2;
      state.datanets.get(a.datanetId)!.accepted.add(a.contributionId);
      return;
    case "ContributionRejected":
      state.contributions.get(a.contributionId)!.status = 3;
      return;
    case "ContributionWithdrawn": {
      const c = state.contributions.get(a.contributionId)!;
      c.withdrawnBlock = e.blockNumber;
      if (!a.underReview) {
        c.status = 4;
        state.datanets.get(a.datanetId)!.accepted.delete(a.contributionId);
      }
      return;
    }
    case "WithdrawnBondReleased":
      state.contributions.get(a.contributionId)!.status = 4;
      return;
    // ---------------------------------------------------------------- models
    case "ModelRegistered":
      state.models.set(a.modelId, {
        owner: a.owner,
        pendingOwner: null,
        parentId: a.parentId,
        royaltyBps: a.royaltyBps,
        active: true,
        metadataURI: a.metadataURI,
        trainedOn: a.trainedOn,
      });
      return;
    case "ModelMetadataUpdated":
      state.models.get(a.modelId)!.metadataURI = a.metadataURI;
      return;
    case "ModelActiveSet":
      state.models.get(a.modelId)!.active = a.active;
      return;
    case "ModelOwnershipTransferStarted":
      state.models.get(a.modelId)!.pendingOwner = a.to;
      return;
    case "ModelOwnershipTransferred":
      Object.assign(state.models.get(a.modelId)!, { owner: a.to, pendingOwner: null });
      return;
    // ---------------------------------------------------------------- reports
    case "ReportSubmitted":
      reportOf(state, a.modelId).submissions += 1;
      return;
    case "ReportPending":
      reportOf(state, a.modelId).pendingEpoch = a.epoch;
      return;
    case "ReportVetoed":
      reportOf(state, a.modelId).pendingEpoch = null;
      return;
    case "ReportVoided":
      reportOf(state, a.modelId).pendingEpoch = null;
      reportOf(state, a.modelId).voided += 1;
      return;
    case "ReportFinalized":
      Object.assign(reportOf(state, a.modelId), {
        finalEpoch: a.epoch,
        cumulativeRoot: a.cumulativeRoot,
        totalCumulative: a.totalCumulative,
        pendingEpoch: null,
      });
      return;
    // ---------------------------------------------------------------- money
    case "InferencePaid":
      state.treasuryBalance += a.treasuryCut;
      credit(state, a.modelId, a.ownerCut, a.stakersCut, a.contributorsCut);
      return;
    case "RoyaltyAccrued":
      add(state.royalties, a.modelId, a.amount);
      return;
    case "RoyaltiesSettled":
      state.royalties.set(a.modelId, 0n);
      credit(state, a.modelId, a.ownerCut, a.stakersCut, a.contributorsCut);
      return;
    case "Claimed":
      state.claims.set(`${a.modelId}:${a.account}`, a.cumulativeAmount);
      poolOf(state, a.modelId).claimed += a.amount;
      return;
    case "BalanceWithdrawn":
      state.ownerBalances.set(a.account, 0n);
      return;
    case "TreasuryWithdrawn":
      state.treasuryBalance = 0n;
      return;
    case "Staked":
      stakeOf(state, a.modelId, a.account).staked += a.amount;
      return;
    case "UnstakeStarted": {
      const s = stakeOf(state, a.modelId, a.account);
      s.staked -= a.amount;
      s.unstaking += a.amount;
      return;
    }
    case "StakeWithdrawn":
      stakeOf(state, a.modelId, a.account).unstaking -= a.amount; // later tranches may still cool down
      return;
    case "StakingRewardsClaimed":
      add(state.stakingRewardsHeld, a.modelId, -(a.amount as bigint));
      return;
    default:
      return; // configuration events (bounds, attesters, splits, …) change no indexed state
  }
}

function reportOf(state: ProtocolState, modelId: bigint) {
  let r = state.reports.get(modelId);
  if (!r) {
    r = {
      finalEpoch: null,
      cumulativeRoot: null,
      totalCumulative: 0n,
      pendingEpoch: null,
      submissions: 0,
      voided: 0,
    };
    state.reports.set(modelId, r);
  }
  return r;
}

function poolOf(state: ProtocolState, modelId: bigint) {
  let p = state.pools.get(modelId);
  if (!p) {
    p = { funded: 0n, claimed: 0n };
    state.pools.set(modelId, p);
  }
  return p;
}

function stakeOf(state: ProtocolState, modelId: bigint, account: Address) {
  const key = `${modelId}:${account}`;
  let s = state.stakes.get(key);
  if (!s) {
    s = { staked: 0n, unstaking: 0n };
    state.stakes.set(key, s);
  }
  return s;
}

function credit(
  state: ProtocolState,
  modelId: bigint,
  ownerCut: bigint,
  stakersCut: bigint,
  contributorsCut: bigint,
) {
  add(state.ownerBalances, state.models.get(modelId)!.owner, ownerCut);
  add(state.stakingRewardsHeld, modelId, stakersCut);
  poolOf(state, modelId).funded += contributorsCut;
}

export interface IndexOptions {
  publicClient: PublicClient<Transport, Chain | undefined>;
  deployment: Deployment;
  /** State to continue from (default: empty, from the deployment's first block). */
  state?: ProtocolState;
  /** Last block to include (default: latest). */
  toBlock?: bigint;
  /** Blocks per `eth_getLogs` request (default 2,000). */
  chunkSize?: bigint;
}

/**
 * Rebuilds the protocol's state from event logs alone, fetching them in block-range chunks.
 * Resumable: pass the returned state back as `state` to continue from its `lastBlock`.
 * @example let state = await indexProtocol({ publicClient, deployment }); ... state = await indexProtocol({ publicClient, deployment, state });
 */
export async function indexProtocol({
  publicClient,
  deployment,
  state,
  toBlock,
  chunkSize = 2_000n,
}: IndexOptions): Promise<ProtocolState> {
  if (chunkSize < 1n) throw new InvalidInputError("chunkSize", "must be at least 1");
  const current = state ?? emptyState(deployment);
  const end = toBlock ?? (await publicClient.getBlockNumber());
  const sources: [Address, Abi][] = [
    [deployment.contracts.ContributionRegistry.address, contributionRegistryAbi],
    [deployment.contracts.ModelRegistry.address, modelRegistryAbi],
    [deployment.contracts.AttributionRegistry.address, attributionRegistryAbi],
    [deployment.contracts.RewardDistributor.address, rewardDistributorAbi],
  ];
  for (let from = current.lastBlock + 1n; from <= end; from += chunkSize) {
    const to = from + chunkSize - 1n < end ? from + chunkSize - 1n : end;
    const logs = await publicClient.getLogs({
      address: sources.map(([address]) => address),
      fromBlock: from,
      toBlock: to,
    });
    const decoded: Decoded[] = [];
    for (const [address, abi] of sources) {
      const own = logs.filter((l: Log) => l.address.toLowerCase() === address.toLowerCase());
      for (const event of parseEventLogs({ abi, logs: own })) {
        decoded.push({
          eventName: event.eventName,
          args: event.args as Record<string, unknown>,
          blockNumber: event.blockNumber,
          logIndex: event.logIndex,
        });
      }
    }
    decoded.sort((x, y) =>
      x.blockNumber === y.blockNumber ? x.logIndex - y.logIndex : x.blockNumber < y.blockNumber ? -1 : 1,
    );
    for (const event of decoded) apply(current, event);
    current.lastBlock = to;
  }
  return current;
}
