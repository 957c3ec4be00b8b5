import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { ethers } from "ethers";

import { CUMULATIVE_LEAF_TYPES } from "../../sdk/reports.js";
import type { AttributionRegistry, RewardDistributor } from "../../typechain-types/index.js";
import { DeployJournal } from "./journal.js";

/** Basis-point splits of an inference payment (see IRewardDistributor). */
export interface Splits {
  treasuryBps: number;
  ownerBps: number;
  stakersBps: number;
}

/** Attester bond rules (IAttesters.BondSettings; minBond in wei, unbondingDelay in seconds). */
export interface AttesterBonds {
  minBond: bigint;
  unbondingDelay: number;
  slashBps: number;
  challengerShareBps: number;
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
  /** Attester bond rules (minBond in wei). */
  attesterBonds: AttesterBonds;
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
  journal = new DeployJournal(),
): Promise<{ distributor: RewardDistributor; attribution: AttributionRegistry }> {
  const [deployer] = await hre.getSigners();
  const distributor = await journal.contract(
    hre,
    "RewardDistributor",
    async () => {
      const nonce = await hre.provider.getTransactionCount(deployer.address, "pending");
      return hre.deployContract("RewardDistributor", [
        params.token,
        params.models,
        ethers.getCreateAddress({ from: deployer.address, nonce: nonce + 1 }),
        params.owner,
        params.treasury,
        params.guardian,
        params.splits ?? DEFAULT_SPLITS,
        params.genesis,
        params.epochLength,
        params.cooldown,
      ]);
    },
    (address) => hre.getContractAt("RewardDistributor", address),
  );
  // The registry must land where the distributor expects it: the deployer's next address.
  const expected = await distributor.attributionRegistry();
  const attribution = await journal.contract(
    hre,
    "AttributionRegistry",
    async () => {
      const nonce = await hre.provider.getTransactionCount(deployer.address, "pending");
      const next = ethers.getCreateAddress({ from: deployer.address, nonce });
      if (next !== expected) {
        throw new Error(
          `the RewardDistributor expects the AttributionRegistry at ${expected}, but the deployer's next ` +
            `contract would be ${next} (another transaction used its nonce): deploy again from scratch`,
        );
      }
      return hre.deployContract("AttributionRegistry", [
        await distributor.getAddress(),
        params.models,
        params.owner,
        params.guardian,
        params.attesters,
        params.threshold,
        params.challengeWindow,
        params.attesterBonds,
        await distributor.genesis(), // the genesis the distributor was deployed with (also on resume)
        params.epochLength,
      ]);
    },
    (address) => hre.getContractAt("AttributionRegistry", address),
  );
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
