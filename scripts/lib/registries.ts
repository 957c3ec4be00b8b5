import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { ethers } from "ethers";

import { DatanetKind } from "../../sdk/actions/datanets.js";
import type { ContributionRegistry, ModelRegistry } from "../../typechain-types/index.js";
import { DeployJournal } from "./journal.js";

export { DatanetKind };

/** Contribution statuses as bigints, as ethers returns them (IContributionRegistry.Status). */
export const ContributionStatus = {
  None: 0n,
  Pending: 1n,
  Accepted: 2n,
  Rejected: 3n,
  Withdrawn: 4n,
} as const;

/** A datanet with no bond, a quorum of 2, a 1-day optimistic window and no daily limit. */
export const defaultDatanetSettings = {
  kind: DatanetKind.Dataset,
  open: true,
  optimistic: true,
  reviewQuorum: 2,
  reviewWindow: 24 * 60 * 60,
  dailyLimit: 0,
  bond: 0n,
  commitRevealOnly: false,
};

export interface RegistryParams {
  token: string;
  /** The governance timelock: owner of protocol-level settings. */
  protocolOwner: string;
  /** Receives slashed bonds. */
  treasury: string;
  maxBond?: bigint;
  /** Seconds. */
  maxReviewWindow?: number;
  maxRoyaltyBps?: number;
}

/** Protocol bounds used when a parameter is not given. */
export const DEFAULT_REGISTRY_BOUNDS = {
  maxBond: ethers.parseEther("1000000"),
  maxReviewWindow: 30 * 24 * 60 * 60,
  maxRoyaltyBps: 5_000,
};

/** Deploys ContributionRegistry and ModelRegistry, owned by `protocolOwner`. */
export async function deployRegistries(
  hre: HardhatEthers,
  params: RegistryParams,
  journal = new DeployJournal(),
): Promise<{ contributions: ContributionRegistry; models: ModelRegistry }> {
  const bounds = { ...DEFAULT_REGISTRY_BOUNDS, ...params };
  const contributions = await journal.contract(
    hre,
    "ContributionRegistry",
    () =>
      hre.deployContract("ContributionRegistry", [
        params.token,
        params.protocolOwner,
        params.treasury,
        bounds.maxBond,
        bounds.maxReviewWindow,
      ]),
    (address) => hre.getContractAt("ContributionRegistry", address),
  );
  const models = await journal.contract(
    hre,
    "ModelRegistry",
    async () =>
      hre.deployContract("ModelRegistry", [
        await contributions.getAddress(),
        params.protocolOwner,
        bounds.maxRoyaltyBps,
      ]),
    (address) => hre.getContractAt("ModelRegistry", address),
  );
  return { contributions, models };
}
