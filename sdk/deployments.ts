import { ADDRESS_BOOK } from "./addresses.generated.js";
import { getAddress, isAddress, type Address, type Hex } from "viem";

import { DeploymentNotFoundError, InvalidDocumentError } from "./errors.js";

/** The contracts of one deployment, by name. */
export const CONTRACT_NAMES = [
  "OpenToken",
  "OpenTimelock",
  "OpenGovernor",
  "ContributionRegistry",
  "ModelRegistry",
  "RewardDistributor",
  "AttributionRegistry",
] as const;

export type ContractName = (typeof CONTRACT_NAMES)[number];

/** Where and how one contract was deployed. */
export interface DeployedContract {
  address: Address;
  txHash: Hex;
  block: number;
  /** Constructor arguments (bigints as decimal strings). */
  args: unknown[];
}

/** A `deployments/<network>.json` record, written by `npm run deploy`. */
export interface Deployment {
  network: string;
  chainId: number;
  deployer: Address;
  gitCommit: string;
  deployedAt: string;
  /** First block of the deployment: where an indexer starts. */
  startBlock: number;
  /** Epoch genesis (unix seconds) and length (seconds) of AttributionRegistry and RewardDistributor. */
  epochs: { genesis: number; length: number };
  contracts: Record<ContractName, DeployedContract>;
  /** Who received the initial supply; a vesting allocation is held by a vesting wallet for its beneficiary. */
  allocations?: {
    label: string;
    holder: Address;
    /** Wei, as a decimal string. */
    amount: string;
    beneficiary?: Address;
    start?: number;
    duration?: number;
  }[];
  /** Explorer verification of each contract, once `npm run verify:deployment` ran. */
  verification?: Partial<Record<ContractName, ContractVerification>>;
}

/** The result of verifying one contract's source on an explorer. */
export interface ContractVerification {
  explorer: string;
  status: "verified" | "failed";
  /** Why it failed (first line of the explorer's answer). */
  message?: string;
  at: string;
}

/** Validates a parsed deployment record (addresses checksummed, every contract present). */
export function parseDeployment(json: unknown, source = "deployment"): Deployment {
  const fail = (field: string, message: string): never => {
    throw new InvalidDocumentError(`${source}: ${field} ${message}`);
  };
  if (typeof json !== "object" || json === null) return fail("(root)", "must be an object");
  const record = json as Record<string, unknown>;
  if (typeof record.network !== "string") fail("network", "must be a string");
  if (!Number.isInteger(record.chainId)) fail("chainId", "must be an integer");
  if (!Number.isInteger(record.startBlock)) fail("startBlock", "must be an integer");
  const epochs = record.epochs as Record<string, unknown> | undefined;
  if (!epochs || !Number.isInteger(epochs.genesis) || !Number.isInteger(epochs.length)) {
    fail("epochs", "must have integer genesis and length");
  }
  const contracts = (record.contracts ?? {}) as Record<string, Record<string, unknown>>;
  const parsed = {} as Record<ContractName, DeployedContract>;
  for (const name of CONTRACT_NAMES) {
    const entry = contracts[name];
    if (!entry || typeof entry.address !== "string" || !isAddress(entry.address)) {
      fail(`contracts.${name}.address`, "must be an address");
    }
    parsed[name] = {
      address: getAddress(entry.address as string),
      txHash: entry.txHash as Hex,
      block: Number(entry.block),
      args: Array.isArray(entry.args) ? entry.args : [],
    };
  }
  return { ...(record as unknown as Deployment), contracts: parsed };
}

/**
 * The deployment on `chainId` from the address book shipped in this package (the records of
 * every real network the project is deployed to), or from `book`.
 * @throws DeploymentNotFoundError naming the chains the book knows.
 * @example const deployment = deploymentFor(11155111);
 */
export function deploymentFor(
  chainId: number,
  book: Readonly<Record<number, unknown>> = ADDRESS_BOOK,
): Deployment {
  const record = book[chainId];
  if (record === undefined) {
    const known = Object.keys(book).join(", ") || "none yet";
    throw new DeploymentNotFoundError(
      `no deployment for chain ${chainId} in the address book (chains: ${known}); for a local or ` +
        `unlisted network load its record with loadDeployment from "openattribution/node"`,
    );
  }
  return parseDeployment(record, `address book, chain ${chainId}`);
}
