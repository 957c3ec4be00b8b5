import { expect } from "chai";
import { network } from "hardhat";
import {
  createPublicClient,
  createWalletClient,
  custom,
  decodeFunctionResult,
  keccak256,
  parseEther,
  toBytes,
  type Address,
} from "viem";

import { deploySystem } from "../../scripts/lib/deploy.js";
import { loadDeployParams } from "../../scripts/lib/params.js";
import * as actions from "../../sdk/actions/index.js";
import {
  contributionRegistryAbi,
  createOpenAttributionClient,
  DuplicateContentError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidInputError,
  openLedgerTestnet,
  TransactionRevertedError,
  WalletRequiredError,
  withRpcUrl,
  type OpenAttributionContext,
} from "../../sdk/index.js";
import { expectRejection } from "../helpers/assertions.js";

const connection = await network.create();
const { ethers, networkHelpers, provider } = connection;

const settings = {
  kind: "dataset",
  open: true,
  optimistic: false,
  reviewQuorum: 1,
  reviewWindow: 60,
  dailyLimit: 0,
  bond: 0n,
} as const;
const hash = (text: string) => keccak256(toBytes(text));
const setAutomine = (on: boolean) => provider.request({ method: "evm_setAutomine", params: [on] });

async function contextFixture() {
  const { deployment, contracts } = await deploySystem(connection, loadDeployParams("default"));
  const [deployer, curator, alice, bob, reviewer] = (await ethers.getSigners()).map(
    (s) => s.address as Address,
  );
  const publicClient = createPublicClient({ transport: custom(provider, { retryCount: 0 }) });
  const ctx = (account?: Address): OpenAttributionContext => ({
    publicClient,
    deployment,
    walletClient: account
      ? createWalletClient({ account, transport: custom(provider, { retryCount: 0 }) })
      : undefined,
  });
  for (const who of [alice, bob]) await contracts.token.transfer(who, parseEther("1000"));
  return { deployment, contracts, publicClient, ctx, deployer, curator, alice, bob, reviewer };
}

describe("SDK actions (viem style, one domain per module)", function () {
  it("every family works standalone with a context, and the client composes the same functions", async function () {
    const { ctx, curator, alice, reviewer, publicClient } = await networkHelpers.loadFixture(contextFixture);
    // datanets
    const { result: datanetId } = await actions.createDatanet(ctx(curator), {
      metadataURI: "ipfs://d",
      settings,
    });
    await actions.setReviewer(ctx(curator), { datanetId, reviewer, active: true });
    const datanet = await actions.getDatanet(ctx(), datanetId);
    expect(datanet.settings.kind).to.equal("dataset");
    // contributions
    const { result: id } = await actions.contribute(ctx(alice), {
      datanetId,
      contentHash: hash("a"),
      uri: "ipfs://a",
    });
    expect((await actions.getContribution(ctx(), id)).status).to.equal("pending");
    await actions.review(ctx(reviewer), { contributionId: id, approve: true });
    expect((await actions.getContribution(ctx(), id)).status).to.equal("accepted");
    const { result: version } = await actions.snapshotVersion(ctx(curator), { datanetId });
    // models
    const { result: modelId } = await actions.registerModel(ctx(curator), {
      metadataURI: "ipfs://m",
      trainedOn: [{ datanetId: Number(datanetId), version }],
    });
    expect((await actions.trainedOn(ctx(), modelId)).length).to.equal(1);
    // token, payments and staking
    const distributor = actions.contractsOf(ctx().deployment).distributor.address;
    await actions.approve(ctx(alice), { spender: distributor, amount: parseEther("300") });
    await actions.payInference(ctx(alice), { modelId, amount: parseEther("100") });
    expect((await actions.pool(ctx(), modelId)).funded).to.be.greaterThan(0n);
    await actions.stake(ctx(alice), { modelId, amount: parseEther("200") });
    expect((await actions.stakeOf(ctx(alice), modelId)).staked).to.equal(parseEther("200"));
    // reports and attesters (reads)
    expect((await actions.modelReports(ctx(), modelId)).hasPending).to.equal(false);
    expect((await actions.attesterRules(ctx())).threshold).to.be.greaterThan(0);
    // governance: the proposal state is a name
    await actions.delegate(ctx(alice), { delegatee: alice });
    // the client is the same functions with the context bound
    const oa = createOpenAttributionClient(ctx(alice));
    expect(await oa.tokenBalance(alice)).to.equal(await actions.tokenBalance(ctx(), alice));
    expect(await oa.getContribution(id)).to.deep.equal(await actions.getContribution(ctx(), id));
    expect(await publicClient.getChainId()).to.equal(ctx().deployment.chainId);
  });

  it('"prepare" simulates and returns the transaction without sending; another sender (e.g. a Safe) needs no wallet', async function () {
    const { ctx, curator, bob, publicClient } = await networkHelpers.loadFixture(contextFixture);
    const before = await publicClient.getBlockNumber();
    const prepared = await actions.createDatanet(ctx(curator), {
      metadataURI: "ipfs://d",
      settings,
      mode: "prepare",
      gas: 400_000n,
    });
    expect(prepared.result).to.equal(1n); // the id it would get
    expect(prepared.request).to.include({
      from: curator,
      to: ctx().deployment.contracts.ContributionRegistry.address,
    });
    expect(prepared.request.gas).to.equal(400_000n);
    expect(prepared.request.chainId).to.equal(ctx().deployment.chainId);
    expect(await publicClient.getBlockNumber()).to.equal(before); // nothing sent

    // A read-only context prepares for any sender; the sender then sends the request as it is.
    const forBob = await actions.createDatanet(ctx(), {
      metadataURI: "ipfs://b",
      settings,
      mode: "prepare",
      from: bob,
    });
    expect(forBob.request.from).to.equal(bob);
    const wallet = createWalletClient({ account: bob, transport: custom(provider, { retryCount: 0 }) });
    const { to, data: calldata, value, gas } = forBob.request;
    const sent = await wallet.sendTransaction({ account: bob, chain: null, to, data: calldata, value, gas });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: sent });
    expect(receipt.status).to.equal("success");
    expect((await actions.getDatanet(ctx(), 1n)).owner).to.equal(bob);
    // The calldata is the function's: its simulated result decodes from a call of it.
    const { data } = await publicClient.call({
      account: bob,
      to: forBob.request.to,
      data: forBob.request.data,
    });
    expect(
      decodeFunctionResult({ abi: contributionRegistryAbi, functionName: "createDatanet", data: data! }),
    ).to.equal(2n);

    // Without a wallet, sending (or preparing with no sender) is refused by name.
    await expectRejection(
      actions.createDatanet(ctx(), { metadataURI: "x", settings }),
      WalletRequiredError,
      "walletClient",
    );
    await expectRejection(
      actions.createDatanet(ctx(), { metadataURI: "x", settings, mode: "prepare" }),
      WalletRequiredError,
      "walletClient",
    );
  });

  it('"hash" returns before the transaction is mined; overrides reach the transaction', async function () {
    const { ctx, curator, publicClient } = await networkHelpers.loadFixture(contextFixture);
    const nonce = await publicClient.getTransactionCount({ address: curator });
    await setAutomine(false);
    try {
      const sent = await actions.createDatanet(ctx(curator), {
        metadataURI: "ipfs://d",
        settings,
        mode: "hash",
        gas: 500_000n,
        nonce,
        maxFeePerGas: 3_000_000_000n,
        maxPriorityFeePerGas: 2_000_000_000n,
      });
      expect(sent).to.have.keys(["hash", "result"]);
      expect(sent.result).to.equal(1n);
      const pending = await publicClient.getTransaction({ hash: sent.hash });
      expect(pending.blockNumber).to.equal(null); // not mined yet
      expect([pending.gas, pending.nonce, pending.maxFeePerGas, pending.maxPriorityFeePerGas]).to.deep.equal([
        500_000n,
        nonce,
        3_000_000_000n,
        2_000_000_000n,
      ]);
      await provider.request({ method: "evm_mine", params: [] });
      expect((await publicClient.getTransactionReceipt({ hash: sent.hash })).status).to.equal("success");
    } finally {
      await setAutomine(true);
    }
  });

  it("a transaction that passes its simulation but reverts once mined throws TransactionRevertedError", async function () {
    const { ctx, curator, alice, bob } = await networkHelpers.loadFixture(contextFixture);
    await actions.createDatanet(ctx(curator), { metadataURI: "ipfs://d", settings });
    const item = { datanetId: 1n, contentHash: hash("same"), uri: "ipfs://same" };
    await setAutomine(false);
    try {
      // alice's copy is pending; bob's simulation (against the latest block) does not see it.
      await actions.contribute(ctx(alice), { ...item, mode: "hash", gas: 500_000n });
      const bobs = actions.contribute(ctx(bob), { ...item, gas: 500_000n });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await provider.request({ method: "evm_mine", params: [] });
      const error = await expectRejection(bobs, TransactionRevertedError, "reverted on chain");
      expect((error as TransactionRevertedError).receipt.status).to.equal("reverted");
    } finally {
      await setAutomine(true);
    }
    // Now the simulation sees it: nothing is sent and the contract's error is named.
    await expectRejection(actions.contribute(ctx(bob), item), DuplicateContentError, "DuplicateContent");
  });

  it("refuses bad modes and overrides by name, before anything is sent", async function () {
    const { ctx, curator, bob, publicClient } = await networkHelpers.loadFixture(contextFixture);
    const before = await publicClient.getBlockNumber();
    const base = { metadataURI: "ipfs://d", settings };
    const c = ctx(curator);
    await expectRejection(
      actions.createDatanet(c, { ...base, mode: "later" as "hash" }),
      InvalidInputError,
      "mode",
    );
    await expectRejection(actions.createDatanet(c, { ...base, gas: 20_999n }), InvalidAmountError, "gas");
    await expectRejection(actions.createDatanet(c, { ...base, nonce: -1 }), InvalidInputError, "nonce");
    await expectRejection(actions.createDatanet(c, { ...base, nonce: 1.5 }), InvalidInputError, "nonce");
    await expectRejection(
      actions.createDatanet(c, { ...base, gasPrice: 1n, maxFeePerGas: 1n }),
      InvalidInputError,
      "gasPrice",
    );
    await expectRejection(
      actions.createDatanet(c, { ...base, maxFeePerGas: 1n, maxPriorityFeePerGas: 2n }),
      InvalidAmountError,
      "maxPriorityFeePerGas",
    );
    await expectRejection(actions.createDatanet(c, { ...base, from: bob }), InvalidInputError, "from");
    await expectRejection(
      actions.createDatanet(c, { ...base, metadataUri: "typo" } as typeof base),
      InvalidInputError,
      "metadataUri: is not a parameter of this action",
    );
    await expectRejection(
      actions.createDatanet(c, { ...base, mode: "prepare", from: "0x0" as Address }),
      InvalidAddressError,
      "from",
    );
    await expectRejection(
      actions.createDatanet(c, { ...base, settings: { ...settings, kind: "images" as "dataset" } }),
      InvalidInputError,
      "settings.kind",
    );
    await expectRejection(
      actions.castVote(c, { proposalId: 1n, support: "yes" as "for" }),
      InvalidInputError,
      "support",
    );
    expect(await publicClient.getBlockNumber()).to.equal(before);
  });

  it("ships a chain definition for OpenLedger's testnet, with the RPC URL supplied by the caller", function () {
    expect(openLedgerTestnet.id).to.equal(161201);
    expect(openLedgerTestnet.rpcUrls.default.http).to.deep.equal([]);
    const chain = withRpcUrl(openLedgerTestnet, "https://rpc.example.org");
    expect(chain.id).to.equal(161201);
    expect(chain.rpcUrls.default.http).to.deep.equal(["https://rpc.example.org"]);
    expect(withRpcUrl(openLedgerTestnet, "wss://rpc.example.org").rpcUrls.default).to.deep.equal({
      http: [],
      webSocket: ["wss://rpc.example.org"],
    });
    expect(() => withRpcUrl(openLedgerTestnet, "rpc.example.org")).to.throw(TypeError, "expected an http(s)");
  });
});
