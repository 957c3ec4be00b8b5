/**
 * Deploys the whole OpenAttribution system to the selected network and writes
 * `deployments/<network>.json`.
 *
 *   npm run deploy                          # in-process network (record not committed)
 *   npm run deploy -- --network localhost   # a running `npx hardhat node` or anvil
 *   npm run deploy -- --network sepolia     # RPC URL and key from .env
 *
 * Parameters come from deployments/params/default.json merged with
 * deployments/params/<network>.json and are validated before anything is sent. When a record
 * already exists (on any network but the in-process one), the script verifies the code at its
 * addresses and does nothing; set
 * REDEPLOY=1 to deploy again and replace the record. DEPLOYMENTS_DIR changes where records
 * are read and written (default: deployments).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { network } from "hardhat";

import { parseDeployment } from "../sdk/deployments.js";
import { DeploymentMismatchError, deploySystem, InvalidRoleError, verifyDeployment } from "./lib/deploy.js";
import { InvalidDeployParamsError, loadDeployParams } from "./lib/params.js";

const connection = await network.create();
const { networkName } = connection;
const recordsDir = process.env.DEPLOYMENTS_DIR ?? "deployments";
const recordPath = join(recordsDir, `${networkName}.json`);

async function main() {
  // The in-process chain starts empty on every run: its record is rewritten, never verified.
  const inProcess = networkName === "default" || networkName === "hardhat";
  if (!inProcess && existsSync(recordPath) && process.env.REDEPLOY !== "1") {
    const deployment = parseDeployment(JSON.parse(readFileSync(recordPath, "utf8")), recordPath);
    console.log(`${recordPath} exists: verifying the code at its addresses (REDEPLOY=1 deploys again)`);
    for (const line of await verifyDeployment(connection, deployment)) console.log(`  ${line}`);
    console.log("Nothing to do.");
  } else {
    const params = loadDeployParams(networkName);
    const { deployment } = await deploySystem(connection, params, (line) => console.log(`- ${line}`));
    mkdirSync(recordsDir, { recursive: true });
    writeFileSync(recordPath, `${JSON.stringify(deployment, null, 2)}\n`);
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
    error instanceof DeploymentMismatchError
  ) {
    console.error(`error: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
