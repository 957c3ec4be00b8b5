import type { ContractName, ContractVerification, Deployment } from "../../sdk/deployments.js";
import { CONTRACT_NAMES } from "../../sdk/deployments.js";
import { SOURCES } from "./deploy.js";

/** What verifying one contract needs: address, constructor arguments and fully qualified name. */
export interface VerifyRequest {
  address: string;
  constructorArgs: unknown[];
  contract: string;
}

/**
 * Verifies every contract of a deployment record on an explorer with `verify` (hardhat-verify's
 * `verifyContract` in production, a stand-in in tests) and returns the record with the result of
 * each in `verification`. A contract that fails does not stop the others; its first error line is
 * recorded.
 */
export async function verifyOnExplorer(
  deployment: Deployment,
  explorer: string,
  verify: (request: VerifyRequest) => Promise<boolean>,
  log: (line: string) => void = () => {},
): Promise<Deployment> {
  const verification: Partial<Record<ContractName, ContractVerification>> = { ...deployment.verification };
  for (const name of CONTRACT_NAMES) {
    const { address, args } = deployment.contracts[name];
    const at = new Date().toISOString();
    try {
      await verify({ address, constructorArgs: args, contract: `${SOURCES[name]}:${name}` });
      verification[name] = { explorer, status: "verified", at };
      log(`${name.padEnd(22)} ${address} verified on ${explorer}`);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      verification[name] = { explorer, status: "failed", message, at };
      log(`${name.padEnd(22)} ${address} NOT verified: ${message}`);
    }
  }
  return { ...deployment, verification };
}
