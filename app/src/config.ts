import { parseDeployment, type Deployment } from "openattribution";
import { defineChain, type Chain } from "viem";
import { createConfig, http } from "wagmi";
import { injected } from "wagmi/connectors";

/** What the dashboard talks to, from `/config.json` (written by `npm run stack`). */
export interface AppConfig {
  deployment: Deployment;
  /** The Ponder indexer's base URL (GraphQL at /graphql). */
  indexerUrl: string;
  /** The node's JSON-RPC URL, for reads. */
  rpcUrl: string;
  /** Where report documents are served: `ipfs://NAME` is read from `${documentsUrl}NAME.json`. */
  documentsUrl: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch("/config.json");
  if (!res.ok)
    throw new Error(`no /config.json (HTTP ${res.status}): start the dashboard with npm run stack`);
  const raw = (await res.json()) as Omit<AppConfig, "deployment"> & { deployment: unknown };
  for (const key of ["indexerUrl", "rpcUrl", "documentsUrl"] as const)
    if (typeof raw[key] !== "string") throw new Error(`config.json: ${key} must be a URL`);
  return { ...raw, deployment: parseDeployment(raw.deployment, "config.json") };
}

/** The deployment's chain as viem and wagmi take it. */
export function chainOf(config: AppConfig): Chain {
  return defineChain({
    id: config.deployment.chainId,
    name: config.deployment.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
}

/** wagmi: the deployment's chain only, injected wallets (MetaMask, Rabby, …). */
export function wagmiConfig(config: AppConfig) {
  const chain = chainOf(config);
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    transports: { [chain.id]: http(config.rpcUrl) },
  });
}
