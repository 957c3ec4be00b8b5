import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

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
 * Loads the deployment record for a network name (`"localhost"`, `"sepolia"`, …) or a chain
 * id from a `deployments/` directory (default: `./deployments`).
 * @example const deployment = loadDeployment("localhost");
 */
export function loadDeployment(networkOrChainId: string | number, dir = "deployments"): Deployment {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    throw new DeploymentNotFoundError(`no deployments directory at ${dir}`);
  }
  if (typeof networkOrChainId === "string" && files.includes(`${networkOrChainId}.json`)) {
    const path = join(dir, `${networkOrChainId}.json`);
    return parseDeployment(JSON.parse(readFileSync(path, "utf8")), path);
  }
  for (const file of files) {
    const path = join(dir, file);
    const json = JSON.parse(readFileSync(path, "utf8")) as { chainId?: unknown };
    if (json.chainId === networkOrChainId) return parseDeployment(json, path);
  }
  throw new DeploymentNotFoundError(
    `no deployment for ${JSON.stringify(networkOrChainId)} in ${dir} (have: ${files.join(", ") || "none"}); run npm run deploy -- --network <name>`,
  );
}
