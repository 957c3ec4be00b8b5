import { createServer, type Server } from "node:http";

import { expect } from "chai";
import { network } from "hardhat";
import {
  createPublicClient,
  createTransport,
  createWalletClient,
  HttpRequestError,
  keccak256,
  parseEther,
  toBytes,
  type EIP1193RequestFn,
  type Transport,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { deploySystem } from "../../scripts/lib/deploy.js";
import { startFaultProxy } from "../../scripts/lib/fault-proxy.js";
import { loadDeployParams } from "../../scripts/lib/params.js";
import { defaultDatanetSettings } from "../../scripts/lib/registries.js";
import * as actions from "../../sdk/actions/index.js";
import {
  contributionRegistryAbi,
  InvalidInputError,
  isRetrySafe,
  retryingHttp,
  TransactionNotSentError,
  type OpenAttributionContext,
} from "../../sdk/index.js";
import { expectRejection } from "../helpers/assertions.js";

const connection = await network.create();
const { ethers, provider } = connection;
// Hardhat's account #7: a local key, as integrators use (the SDK signs it itself).
const KEY = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356";
const hash = (text: string) => keccak256(toBytes(text));

/** Serves the in-process chain over HTTP on loopback, like a node. */
async function serveChain(): Promise<{ url: string; server: Server }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { id, method, params } = JSON.parse(Buffer.concat(chunks).toString());
    const answer = await provider.request({ method, params }).then(
      (result) => ({ jsonrpc: "2.0", id, result }),
      (error: { code?: number; message: string; data?: unknown }) => ({
        jsonrpc: "2.0",
        id,
        error: { code: error.code ?? -32603, message: error.message, data: error.data },
      }),
    );
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

/** A server that resets the first `failures` connections, then answers every request with `answer`. */
async function flakyServer(failures: number, answer: (method: string) => object) {
  const hits: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { id, method } = JSON.parse(Buffer.concat(chunks).toString());
    hits.push(method);
    if (hits.length <= failures) return res.socket?.destroy();
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ jsonrpc: "2.0", id, ...answer(method) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, hits, close: () => server.close() };
}

describe("SDK transport and sending over an unreliable link", function () {
  this.timeout(120_000);

  describe("retryingHttp", function () {
    it("sends a read again when its answer was lost, until it gets one", async function () {
      const node = await flakyServer(2, () => ({ result: "0x2a" }));
      let retried = 0;
      const client = createPublicClient({
        transport: retryingHttp(node.url, { baseDelayMs: 1, onRetry: () => retried++ }),
      });
      expect(await client.getBlockNumber({ cacheTime: 0 })).to.equal(42n);
      expect(retried).to.equal(2);
      expect(node.hits).to.deep.equal(["eth_blockNumber", "eth_blockNumber", "eth_blockNumber"]);
      node.close();
    });

    it("never sends eth_sendTransaction twice: the node signs it, a second arrival would be a second transaction", async function () {
      const node = await flakyServer(1, () => ({ result: hash("tx") }));
      const transport = retryingHttp(node.url, { baseDelayMs: 1 })({});
      await expectRejection(
        transport.request({ method: "eth_sendTransaction", params: [{ from: ethers.ZeroAddress }] }),
        HttpRequestError,
        "HTTP request failed",
      );
      expect(node.hits).to.deep.equal(["eth_sendTransaction"]);
      node.close();
    });

    it("returns the node's own error at once, and gives up after its retries", async function () {
      const refusing = await flakyServer(0, () => ({ error: { code: -32000, message: "nonce too low" } }));
      const transport = retryingHttp(refusing.url, { baseDelayMs: 1 })({});
      await expectRejection(
        transport.request({ method: "eth_sendRawTransaction", params: ["0x01"] }),
        Error,
        "nonce too low",
      );
      expect(refusing.hits).to.have.length(1);
      refusing.close();
      const dead = await flakyServer(100, () => ({ result: "0x1" }));
      const retrying = retryingHttp(dead.url, { retries: 3, baseDelayMs: 1 })({});
      await expectRejection(
        retrying.request({ method: "eth_chainId" }),
        HttpRequestError,
        "HTTP request failed",
      );
      expect(dead.hits).to.have.length(4);
      dead.close();
    });

    it("names the methods it retries and refuses invalid settings", async function () {
      expect(
        ["eth_call", "eth_getTransactionReceipt", "eth_sendRawTransaction", "net_version"].map(isRetrySafe),
      ).to.deep.equal([true, true, true, true]);
      expect(
        ["eth_sendTransaction", "eth_signTypedData_v4", "personal_sign", "evm_mine", "anvil_reset"].map(
          isRetrySafe,
        ),
      ).to.deep.equal([false, false, false, false, false]);
      expect(() => retryingHttp("http://127.0.0.1:1", { retries: -1 })).to.throw(
        InvalidInputError,
        "retries",
      );
      expect(() => retryingHttp("http://127.0.0.1:1", { timeoutMs: 1.5 })).to.throw(
        InvalidInputError,
        "timeoutMs",
      );
    });
  });

  describe("a local account's transactions are signed once", function () {
    async function setup(transportFor: (url: string) => Transport | Promise<Transport>) {
      const { deployment, contracts } = await deploySystem(connection, loadDeployParams("default"));
      const account = privateKeyToAccount(KEY);
      await contracts.token.transfer(account.address, parseEther("100"));
      const chain = await serveChain();
      const transport = await transportFor(chain.url);
      const publicClient = createPublicClient({ transport, pollingInterval: 20 });
      const ctx: OpenAttributionContext = {
        publicClient,
        deployment,
        walletClient: createWalletClient({ account, transport }),
      };
      const [, curator] = await ethers.getSigners();
      const settings = { ...defaultDatanetSettings, optimistic: false, reviewQuorum: 1 };
      const datanetId = await contracts.contributions
        .connect(curator)
        .createDatanet.staticCall("ipfs://d", settings);
      await contracts.contributions.connect(curator).createDatanet("ipfs://d", settings);
      const contributedCount = async () =>
        (
          await publicClient.getContractEvents({
            address: deployment.contracts.ContributionRegistry.address,
            abi: contributionRegistryAbi,
            eventName: "Contributed",
            args: { contributor: account.address },
            fromBlock: 0n,
          })
        ).length;
      const nonce = () => ethers.provider.getTransactionCount(account.address);
      return { ctx, datanetId, chain, contributedCount, nonce };
    }

    it("through a link that loses requests and answers and duplicates some, each contribution lands once", async function () {
      let proxy: Awaited<ReturnType<typeof startFaultProxy>> | undefined;
      const { ctx, datanetId, chain, contributedCount, nonce } = await setup(async (url) => {
        proxy = await startFaultProxy({
          target: url,
          port: 41_000 + Math.floor(Math.random() * 5_000),
          rates: { dropRequest: 0.1, dropResponse: 0.25, delay: 0, duplicate: 0.2 },
          seed: 7,
        });
        return retryingHttp(proxy.url, { baseDelayMs: 5, retries: 20 });
      });
      const before = await nonce();
      for (let i = 0; i < 20; i++)
        await actions.contribute(ctx, { datanetId, contentHash: hash(`item ${i}`), uri: `ipfs://${i}` });
      expect(await contributedCount()).to.equal(20);
      expect((await nonce()) - before).to.equal(20); // no transaction was sent twice
      expect(proxy!.counts.droppedResponses).to.be.greaterThan(0);
      expect(proxy!.counts.duplicated).to.be.greaterThan(0);
      await proxy!.close();
      chain.server.close();
    });

    it("a send lost on the way throws TransactionNotSentError with the signed bytes; resending them confirms it once", async function () {
      // The first eth_sendRawTransaction never reaches the node, and the node cannot be asked about it.
      let dropSends = true;
      const { ctx, datanetId, chain, contributedCount, nonce } = await setup((url) => (params) => {
        const inner = retryingHttp(url, { retries: 0 })(params);
        const request: EIP1193RequestFn = async (args) => {
          if (
            dropSends &&
            (args.method === "eth_sendRawTransaction" || args.method === "eth_getTransactionByHash")
          )
            throw new HttpRequestError({ url, details: "connection reset" });
          return inner.request(args);
        };
        return createTransport({ key: "lossy", name: "lossy", type: "http", request, retryCount: 0 });
      });
      const before = await nonce();
      const error = await actions
        .contribute(ctx, { datanetId, contentHash: hash("lost"), uri: "ipfs://lost" })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).to.be.instanceOf(TransactionNotSentError);
      const { hash: txHash, serialized } = error as TransactionNotSentError;
      expect(keccak256(serialized)).to.equal(txHash);
      expect(await contributedCount()).to.equal(0);
      dropSends = false;
      const receipt = await actions.confirmSigned(
        ctx.publicClient,
        { hash: txHash, serialized },
        { rebroadcastMs: 0 },
      );
      expect(receipt.status).to.equal("success");
      // Resent again: the node knows it, nothing runs twice.
      await actions.sendSigned(ctx.publicClient, { hash: txHash, serialized });
      expect(await contributedCount()).to.equal(1);
      expect((await nonce()) - before).to.equal(1);
      chain.server.close();
    });

    it("adds a margin to the node's gas estimate", function () {
      expect(actions.gasWithMargin(100_000n)).to.equal(145_000n);
    });
  });
});
