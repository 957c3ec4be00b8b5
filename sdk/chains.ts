import { defineChain, type Chain } from "viem";

/**
 * OpenLedger's testnet (chain id 161201) as a viem chain. No public RPC URL is recorded in this
 * project, so none is built in: pass yours with `withRpcUrl` (or to viem's `http(url)`); the
 * deploy configuration reads it from `OPENLEDGER_TESTNET_RPC_URL`.
 */
export const openLedgerTestnet: Chain = defineChain({
  id: 161201,
  name: "OpenLedger Testnet",
  nativeCurrency: { name: "OPEN", symbol: "OPEN", decimals: 18 },
  rpcUrls: { default: { http: [] } },
  testnet: true,
});

/** `chain` with `url` as its default RPC endpoint (e.g. `withRpcUrl(openLedgerTestnet, process.env.RPC_URL)`). */
export function withRpcUrl<const C extends Chain>(chain: C, url: string): C {
  if (!/^(https?|wss?):\/\/\S+$/.test(url))
    throw new TypeError(`expected an http(s) or ws(s) URL, got "${url}"`);
  const isWs = url.startsWith("ws");
  return {
    ...chain,
    rpcUrls: { ...chain.rpcUrls, default: isWs ? { http: [], webSocket: [url] } : { http: [url] } },
  };
}
