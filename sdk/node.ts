/**
 * Node-only helpers (file system): `import { loadDeployment } from "openattribution/node"`.
 * The main entry runs in browsers too and reads shipped deployments with `deploymentFor`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { parseDeployment, type Deployment } from "./deployments.js";
import { DeploymentNotFoundError } from "./errors.js";

/**
 * Loads the deployment record for a network name (`"localhost"`, `"sepolia"`, …) or a chain
 * id from a `deployments/` directory (default: `./deployments`), as `npm run deploy` writes it.
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
