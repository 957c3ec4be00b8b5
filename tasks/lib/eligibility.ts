import type { Address, Hex } from "viem";

import { isEligible, readDatanetHistory, type ContributionStatusName } from "../../sdk/index.js";
import { requireCreated, type OperatorContext } from "./operator.js";

/** One contribution in the datanet versions a model was trained on. */
export interface ModelContribution {
  contributionId: Hex;
  datanetId: bigint;
  /** The versions of its datanet, among the model's, that include it. */
  versions: number[];
  contributor: Address;
  contentHash: Hex;
  uri: string;
  status: ContributionStatusName;
  /** Unix seconds; 0 if never withdrawn. */
  withdrawnAt: bigint;
  /**
   * Whether it earns weight in the epoch asked for: the on-chain rule (IAttributionRegistry),
   * so a report that weighs only these can never be challenged. In short: accepted into one of
   * the model's versions and not withdrawn before the epoch began.
   */
  eligible: boolean;
}

/**
 * The contributions accepted into the datanet versions `modelId` was registered on, in a fixed
 * order (datanet, then contribution id), each marked eligible or not for `epoch`: what an
 * attester weighs. Versions are rebuilt from the deployment's events; statuses are read from
 * the chain.
 */
export async function modelContributions(
  ctx: OperatorContext,
  modelId: bigint,
  epoch: bigint,
): Promise<{ trainedOn: { datanetId: number; version: number }[]; contributions: ModelContribution[] }> {
  const { reader, publicClient, deployment } = ctx;
  requireCreated("model", modelId, (await reader.counts()).models);
  const trainedOn = (await reader.trainedOn(modelId)).map((v) => ({
    datanetId: Number(v.datanetId),
    version: Number(v.version),
  }));
  const state = await readDatanetHistory({ publicClient, deployment });
  const epochStart = BigInt(deployment.epochs.genesis) + epoch * BigInt(deployment.epochs.length);

  const found = new Map<Hex, { datanetId: bigint; versions: number[] }>();
  const snapshots = new Map<bigint, bigint[]>();
  for (const { datanetId, version } of trainedOn) {
    const snapshot = state.datanets.get(BigInt(datanetId))?.versions.find((v) => v.version === version);
    if (snapshot)
      snapshots.set(BigInt(datanetId), [
        ...(snapshots.get(BigInt(datanetId)) ?? []),
        BigInt(snapshot.timestamp),
      ]);
    for (const id of snapshot?.contributionIds ?? []) {
      const entry = found.get(id) ?? { datanetId: BigInt(datanetId), versions: [] };
      entry.versions.push(version);
      found.set(id, entry);
    }
  }
  const contributions: ModelContribution[] = [];
  for (const [contributionId, { datanetId, versions }] of found) {
    const indexed = state.contributions.get(contributionId)!;
    const onchain = await reader.getContribution(contributionId);
    contributions.push({
      contributionId,
      datanetId,
      versions,
      contributor: onchain.contributor,
      contentHash: indexed.contentHash,
      uri: indexed.uri,
      status: onchain.status,
      withdrawnAt: onchain.withdrawnAt,
      eligible: isEligible(onchain, epochStart, snapshots.get(datanetId) ?? []),
    });
  }
  contributions.sort((a, b) =>
    a.datanetId !== b.datanetId
      ? Number(a.datanetId - b.datanetId)
      : a.contributionId < b.contributionId
        ? -1
        : a.contributionId > b.contributionId
          ? 1
          : 0,
  );
  return { trainedOn, contributions };
}
