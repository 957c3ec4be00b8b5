/**
 * Deploys the whole OpenAttribution system to the selected network and writes
 * `deployments/<network>.json`.
 *
 *   npm run deploy                          # in-process network (record not committed)
 *   npm run deploy -- --network localhost   # a running `npx hardhat node` or anvil
 *   npm run deploy -- --network sepolia     # RPC URL and key from .env
 *
 *   DRY_RUN=1 npm run deploy -- --network sepolia   # plan, roles, gas and cost; sends nothing
 *
 * Development networks take deployments/params/default.json with <network>.json on top; real
 * networks read only their own complete <network>.json (DEPLOY_PARAMS_DIR changes the folder).
 * Everything is validated and every address resolved before anything is sent. When a record
 * already exists (on any network but the in-process one), the script verifies the code at its
 * addresses and does nothing; set
 * REDEPLOY=1 to deploy again and replace the record. A deployment that stopped midway (out of funds,
 * a dropped connection) leaves `deployments/<network>.journal.json`; running the command again
 * continues where it stopped, reusing what was deployed. DEPLOYMENTS_DIR changes where records
 * are read and written (default: deployments).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { ethers } from "ethers";
import { network } from "hardhat";

import { parseDeployment } from "../sdk/deployments.js";
import {
  DeploymentMismatchError,
  deploySystem,
  estimateDeployment,
  InvalidRoleError,
  UnfundedDeployerError,
  verifyDeployment,
} from "./lib/deploy.js";
import { DeployJournal } from "./lib/journal.js";
import { InvalidDeployParamsError, loadDeployParams } from "./lib/params.js";

const connection = await network.create();
const { networkName } = connection;
const recordsDir = process.env.DEPLOYMENTS_DIR ?? "deployments";
const recordPath = join(recordsDir, `${networkName}.json`);
const journalPath = join(recordsDir, `${networkName}.journal.json`);

const paramsDir = process.env.DEPLOY_PARAMS_DIR;

/** Prints the plan, the parameters, the roles and the estimated gas and cost; sends nothing. */
async function dryRun() {
  const params = loadDeployParams(networkName, paramsDir);
  const simulated = await network.create({ network: "default" });
  const estimate = await estimateDeployment(connection, simulated, params);
  const openAmounts = (_: string, v: unknown) =>
    typeof v === "bigint" ? `${ethers.formatEther(v)} OPEN` : v;
  console.log(`Dry run on "${networkName}" (chain id ${estimate.chainId}): nothing is sent.`);
  console.log(
    `\nPlan (${estimate.transactions} transactions): OpenToken, OpenTimelock, OpenGovernor, ` +
      "ContributionRegistry, ModelRegistry, RewardDistributor, AttributionRegistry; the initial supply " +
      "handed out as allocated; the timelock made the owner of every protocol setting; the deployer " +
      "renounces its temporary timelock role.",
  );
  console.log(`\nParameters (durations in seconds):\n${JSON.stringify(params, openAmounts, 2)}`);
  console.log("\nRoles and holders:");
  console.table(Object.fromEntries(estimate.roles.map(([field, address]) => [field, { address }])));
  console.log(`Estimated gas: ${estimate.gas} at ${ethers.formatUnits(estimate.feePerGas, "gwei")} gwei`);
  console.log(`Estimated cost: ${ethers.formatEther(estimate.cost)} in the network's currency`);
  console.log(`Deployer ${estimate.deployer} holds ${ethers.formatEther(estimate.balance)}: enough.`);
}

/** A deployment stopped after some transactions; its journal lets it continue. */
class DeploymentStoppedError extends Error {}

/** The configured deployer key is not a private key. */
class InvalidKeyError extends Error {}

/**
 * Checks the network's configured keys (from .env or the keystore) before anything uses them, so a
 * malformed one gets one line instead of a stack trace from deep inside the signer.
 */
async function checkKeys() {
  const { accounts } = connection.networkConfig;
  if (!Array.isArray(accounts)) return; // generated (in-process) or remote accounts
  for (const account of accounts) {
    if (!("_type" in account) || account._type !== "ResolvedConfigurationVariable") continue;
    const key = await account.get();
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(key)) {
      throw new InvalidKeyError(
        `the deployer key of network "${networkName}" (DEPLOYER_PRIVATE_KEY or the keystore) is not a private ` +
          "key: expected 64 hex digits, optionally after 0x",
      );
    }
  }
}

async function main() {
  await checkKeys();
  if (process.env.DRY_RUN === "1") return dryRun();
  // The in-process chain starts empty on every run: its record is rewritten, never verified.
  const inProcess = networkName === "default" || networkName === "hardhat";
  if (!inProcess && existsSync(recordPath) && process.env.REDEPLOY !== "1") {
    const deployment = parseDeployment(JSON.parse(readFileSync(recordPath, "utf8")), recordPath);
    console.log(`${recordPath} exists: verifying the code at its addresses (REDEPLOY=1 deploys again)`);
    for (const line of await verifyDeployment(connection, deployment)) console.log(`  ${line}`);
    console.log("Nothing to do.");
  } else {
    const params = loadDeployParams(networkName, paramsDir);
    if (!inProcess && networkName !== "localhost") {
      // A real network: check the balance against the measured cost before the first transaction.
      const estimate = await estimateDeployment(
        connection,
        await network.create({ network: "default" }),
        params,
      );
      console.log(
        `- estimated cost ${ethers.formatEther(estimate.cost)} (${estimate.gas} gas); the deployer holds enough`,
      );
    }
    // The journal lets a deployment that stopped midway continue where it stopped when run again;
    // REDEPLOY=1 starts from scratch. The in-process chain starts empty: no journal file.
    if (process.env.REDEPLOY === "1") rmSync(journalPath, { force: true });
    const journal = new DeployJournal(inProcess ? undefined : journalPath);
    const { deployment } = await deploySystem(
      connection,
      params,
      (line) => console.log(`- ${line}`),
      journal,
    ).catch((error: unknown) => {
      if (inProcess || error instanceof InvalidRoleError) throw error;
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      throw new DeploymentStoppedError(
        journal.resuming
          ? `the deployment stopped midway (${reason}); what it deployed is in ${journalPath}: fix the ` +
              "cause (e.g. fund the deployer) and run the same command again to continue"
          : `the deployment failed before its first contract (${reason})`,
      );
    });
    mkdirSync(recordsDir, { recursive: true });
    writeFileSync(recordPath, `${JSON.stringify(deployment, null, 2)}\n`);
    journal.finish();
    console.table(
      Object.fromEntries(
        Object.entries(deployment.contracts).map(([name, c]) => [
          name,
          { address: c.address, block: c.block },
        ]),
      ),
    );
    console.log(
      `Wrote ${recordPath} (chain id ${deployment.chainId}, commit ${deployment.gitCommit.slice(0, 10)}).`,
    );
  }
}

try {
  await main();
} catch (error) {
  // Mistakes an operator can fix get one clear line instead of a stack trace.
  if (
    error instanceof InvalidDeployParamsError ||
    error instanceof InvalidRoleError ||
    error instanceof UnfundedDeployerError ||
    error instanceof InvalidKeyError ||
    error instanceof DeploymentStoppedError ||
    error instanceof DeploymentMismatchError
  ) {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
