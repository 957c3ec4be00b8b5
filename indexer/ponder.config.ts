/**
 * Ponder indexer of one OpenAttribution deployment. The chain, addresses and start blocks come
 * from `deployments/<network>.json` (OA_NETWORK, default "localhost"; DEPLOYMENTS_DIR to read
 * another folder); the RPC from PONDER_RPC_URL (default: LOCALHOST_RPC_URL or 127.0.0.1:8545).
 * PGlite by default (OA_PGLITE_DIR, default indexer/.ponder/pglite), Postgres when DATABASE_URL is set.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { createConfig } from "ponder";

import {
  attributionRegistryAbi,
  contributionRegistryAbi,
  modelRegistryAbi,
  rewardDistributorAbi,
} from "../sdk/abis.js";
import { parseDeployment } from "../sdk/deployments.js";

const network = process.env.OA_NETWORK ?? "localhost";
const recordPath = join(
  process.env.DEPLOYMENTS_DIR ?? join(import.meta.dirname, "..", "deployments"),
  `${network}.json`,
);
const deployment = parseDeployment(JSON.parse(readFileSync(recordPath, "utf8")), recordPath);
const development = deployment.chainId === 31337 || deployment.chainId === 1337;
const rpc = process.env.PONDER_RPC_URL ?? process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545";

const contract = <A>(abi: A, name: keyof typeof deployment.contracts) => ({
  chain: "protocol" as const,
  abi,
  address: deployment.contracts[name].address,
  startBlock: deployment.contracts[name].block,
});

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : {
        kind: "pglite",
        directory: process.env.OA_PGLITE_DIR ?? join(import.meta.dirname, ".ponder", "pglite"),
      },
  chains: {
    // A restarted development chain reuses block numbers: never serve cached RPC answers there.
    protocol: {
      id: deployment.chainId,
      rpc,
      disableCache: development,
      pollingInterval: development ? 250 : 1_000,
    },
  },
  contracts: {
    ContributionRegistry: contract(contributionRegistryAbi, "ContributionRegistry"),
    ModelRegistry: contract(modelRegistryAbi, "ModelRegistry"),
    RewardDistributor: contract(rewardDistributorAbi, "RewardDistributor"),
    AttributionRegistry: contract(attributionRegistryAbi, "AttributionRegistry"),
  },
});
