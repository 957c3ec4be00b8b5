/**
 * Adds many events to a deployed chain for the indexer benchmark: a datanet with no bond, then
 * BENCH_EVENTS (default 10,240) contributions in batches of 256 from several accounts, each
 * batch a `contributeBatch` transaction (one Contributed event per item).
 *   LOCALHOST_RPC_URL=… DEPLOYMENTS_DIR=… hardhat run scripts/bench/indexer-events.ts --network localhost
 */
import { network } from "hardhat";
import { createPublicClient, createWalletClient, custom, keccak256, toHex, type Address } from "viem";

import { createOpenAttributionClient } from "../../sdk/index.js";
import { loadDeployment } from "../../sdk/node.js";

const total = Number(process.env.BENCH_EVENTS ?? 10_240);
if (!Number.isInteger(total) || total < 1)
  throw new Error(`BENCH_EVENTS must be a positive integer, got ${total}`);
const connection = await network.create();
const deployment = loadDeployment(connection.networkName, process.env.DEPLOYMENTS_DIR ?? "deployments");
const transport = custom(connection.provider, { retryCount: 0 });
const publicClient = createPublicClient({ transport, pollingInterval: 50 });
const accounts = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
const as = (account: Address) =>
  createOpenAttributionClient({
    publicClient,
    walletClient: createWalletClient({ account, transport }),
    deployment,
  });

const curator = as(accounts[1]);
const { result: datanetId } = await curator.createDatanet({
  metadataURI: "ipfs://bench-datanet",
  settings: {
    kind: "dataset",
    open: true,
    optimistic: true,
    reviewQuorum: 1,
    reviewWindow: 3600,
    dailyLimit: 0,
    bond: 0n,
  },
});
const started = Date.now();
let sent = 0;
for (let batch = 0; sent < total; batch++) {
  const size = Math.min(256, total - sent);
  const items = Array.from({ length: size }, (_, i) => ({
    contentHash: keccak256(toHex(`bench-${sent + i}`)),
    uri: `ipfs://bench/${sent + i}`,
  }));
  await as(accounts[2 + (batch % 8)]).contributeBatch({ datanetId, items });
  sent += size;
}
const seconds = (Date.now() - started) / 1000;
console.log(`added ${sent} contributions to datanet ${datanetId} in ${seconds.toFixed(1)} s`);
