/**
 * Verifies the source of every contract of `deployments/<network>.json` on the network's
 * explorer (Etherscan API v2 by default, key from the config variable ETHERSCAN_API_KEY: the
 * keystore or the environment) and records the result of each in the record's `verification`.
 *
 *   npm run verify:deployment -- --network sepolia
 *
 * DEPLOYMENTS_DIR changes where the record is read and written (default: deployments).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import hre from "hardhat";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";

import { CONTRACT_NAMES, parseDeployment } from "../sdk/deployments.js";
import { LOCAL_NETWORKS } from "./lib/deploy.js";
import { verifyOnExplorer } from "./lib/verify.js";

const connection = await hre.network.create();
const { networkName } = connection;
const recordPath = join(process.env.DEPLOYMENTS_DIR ?? "deployments", `${networkName}.json`);

if (LOCAL_NETWORKS.includes(networkName)) {
  console.error(`error: "${networkName}" is a development network; explorers verify public networks only`);
  process.exitCode = 1;
} else {
  let text: string;
  try {
    text = readFileSync(recordPath, "utf8");
  } catch {
    console.error(
      `error: no deployment record at ${recordPath}: deploy first (npm run deploy -- --network ${networkName})`,
    );
    process.exit(1);
  }
  const deployment = parseDeployment(JSON.parse(text), recordPath);
  const verified = await verifyOnExplorer(
    deployment,
    "etherscan",
    (request) => verifyContract({ ...request, provider: "etherscan" }, hre),
    (line) => console.log(line),
  );
  writeFileSync(recordPath, `${JSON.stringify(verified, null, 2)}\n`);
  const failed = Object.values(verified.verification ?? {}).filter((v) => v.status === "failed").length;
  console.log(
    `Wrote the results to ${recordPath}: ${CONTRACT_NAMES.length - failed} verified, ${failed} failed.`,
  );
  if (failed !== 0) process.exitCode = 1;
}
