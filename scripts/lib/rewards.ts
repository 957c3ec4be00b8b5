import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ethers } from "ethers";

import { CUMULATIVE_LEAF_TYPES } from "../../sdk/reports.js";
import type { AttributionRegistry, RewardDistributor } from "../../typechain-types/index.js";

/** Basis-point splits of an inference payment (see IRewardDistributor). */
export interface Splits {
  treasuryBps: number;
  ownerBps: number;
  stakersBps: number;
}

/** Default splits: 5 % treasury; of the rest 20 % owner, 10 % stakers, 70 % contributors. */
export const DEFAULT_SPLITS: Splits = { treasuryBps: 500, ownerBps: 2_000, stakersBps: 1_000 };

export interface RewardsParams {
  token: string;
  models: string;
  /** The governance timelock. */
  owner: string;
  treasury: string;
  guardian: string;
  attesters: string[];
  threshold: number;
  /** Seconds. */
  challengeWindow: number;
  /** Start of epoch 0, unix seconds. */
  genesis: bigint;
  /** Seconds. */
  epochLength: number;
  /** Unstaking cooldown, seconds. */
  cooldown: number;
  splits?: Splits;
}

/**
 * Deploys RewardDistributor then AttributionRegistry. Each needs the other's address: the
 * distributor is given the registry's address predicted from the deployer's next nonce,
 * and the registry's constructor checks the wiring.
 */
export async function deployRewards(
  hre: HardhatEthers,
  params: RewardsParams,
): Promise<{ distributor: RewardDistributor; attribution: AttributionRegistry }> {
  const [deployer] = await hre.getSigners();
  const nonce = await hre.provider.getTransactionCount(deployer.address, "pending");
  const predicted = ethers.getCreateAddress({ from: deployer.address, nonce: nonce + 1 });
  const distributor = await hre.deployContract("RewardDistributor", [
    params.token,
    params.models,
    predicted,
    params.owner,
    params.treasury,
    params.guardian,
    params.splits ?? DEFAULT_SPLITS,
    params.genesis,
    params.epochLength,
    params.cooldown,
  ]);
  const attribution = await hre.deployContract("AttributionRegistry", [
    await distributor.getAddress(),
    params.models,
    params.owner,
    params.guardian,
    params.attesters,
    params.threshold,
    params.challengeWindow,
    params.genesis,
    params.epochLength,
  ]);
  const actual = await attribution.getAddress();
  if (actual !== predicted) {
    throw new Error(
      `AttributionRegistry deployed at ${actual}, expected ${predicted}: another transaction used the deployer's nonce`,
    );
  }
  return { distributor, attribution };
}

/**
 * Builds the cumulative rewards tree of a model straight from account → cumulative amount
 * (tests and benchmarks; integrators use the SDK's `buildReport`, which derives the amounts
 * from weights).
 */
export function buildCumulativeTree(modelId: bigint, cumulative: Map<string, bigint>) {
  const values = [...cumulative.entries()].map(([account, amount]) => [modelId, account, amount]);
  return StandardMerkleTree.of(values, CUMULATIVE_LEAF_TYPES);
}

/** A model's cumulative rewards tree. */
export type CumulativeTree = ReturnType<typeof buildCumulativeTree>;

/** The proof of `account`'s leaf in a cumulative tree. */
export function proofFor(tree: CumulativeTree, account: string): string[] {
  for (const [i, v] of tree.entries()) {
    if ((v[1] as string).toLowerCase() === account.toLowerCase()) return tree.getProof(i);
  }
  throw new Error(`account ${account} is not in the tree`);
}
