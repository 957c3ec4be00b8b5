import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, parseEther, type Address } from "viem";

import { readDatanetHistory } from "../sdk/log-reader.js";
import { createOpenAttributionClient, rewardDistributorAbi } from "../sdk/index.js";
import { runStory } from "../scripts/lib/story.js";

describe("end to end (the demo's story through the SDK)", function () {
  this.timeout(120_000);

  it("pays everyone exactly, conserves every OPEN, and the indexer rebuilds the same state from logs", async function () {
    const connection = await network.create();
    const lines: string[] = [];
    const summary = await runStory(connection, (l) => lines.push(l));
    const signers = await connection.ethers.getSigners();
    const [, , alice, bob, carol, dave, , , , modelDev, , , , , , staker, adapterDev] = signers.map(
      (s) => s.address as Address,
    );

    // Fees: 3,000 OPEN to the base model, 1,500 to the adapter; default splits 5 % / 20 % / 10 %.
    expect(summary.paidIn).to.equal(parseEther("4500"));
    expect(summary.paidOut + summary.held).to.equal(summary.paidIn);
    const base = summary.reports[0];
    const adapter = summary.reports[1];
    // Adapter: net 1,425; royalty 142.5 to the base; rest 1,282.5: owner 256.5, stakers 0 → pool 1,026.
    expect(adapter.pool).to.equal(parseEther("1026"));
    // Base: net 2,850 (rest: owner 570, stakers 285, pool 1,995) + settled royalty 142.5 (owner 28.5, stakers 14.25, pool 99.75).
    expect(base.pool).to.equal(parseEther("2094.75"));
    // The engine's weights decide the split: the base model's outputs quote alice and bob, the
    // adapter's only carol; each report hands out its whole pool, and claims pay exactly that.
    expect([...base.allocated.keys()].sort()).to.deep.equal([alice, bob].sort());
    expect([...adapter.allocated.keys()]).to.deep.equal([carol]);
    expect(base.allocated.get(alice)! + base.allocated.get(bob)!).to.equal(base.pool);
    expect(base.allocated.get(alice)!).to.be.greaterThan(base.allocated.get(bob)!);
    expect(adapter.allocated.get(carol)).to.equal(adapter.pool);
    expect(summary.claims).to.deep.equal({
      alice: base.cumulative.get(alice),
      bob: base.cumulative.get(bob),
      carol: adapter.cumulative.get(carol),
    });
    expect(summary.stakingRewards).to.equal(parseEther("299.25"));
    expect(summary.slashed).to.equal(parseEther("10"));

    const publicClient = createPublicClient({ transport: custom(connection.provider, { retryCount: 0 }) });
    const oa = createOpenAttributionClient({ publicClient, deployment: summary.deployment });
    expect(await oa.tokenBalance(oa.addresses.distributor)).to.equal(parseEther("1000")); // the stake only
    expect(await oa.tokenBalance(oa.addresses.contributions)).to.equal(0n); // no pending bonds
    expect((await oa.balances(modelDev)).ownerBalance).to.equal(0n);
    expect((await oa.balances(adapterDev)).ownerBalance).to.equal(0n);

    // Rebuild datanet membership from logs in small chunks, resuming halfway, and compare with chain reads.
    const latest = await publicClient.getBlockNumber();
    const half = await readDatanetHistory({
      publicClient,
      deployment: summary.deployment,
      toBlock: latest / 2n,
      chunkSize: 7n,
    });
    const state = await readDatanetHistory({
      publicClient,
      deployment: summary.deployment,
      from: half,
      chunkSize: 7n,
    });
    expect(state.lastBlock).to.equal(latest);
    for (const [id, c] of state.contributions) {
      const onchain = await oa.getContribution(id);
      expect([c.status, c.contributor]).to.deep.equal([onchain.status, onchain.contributor]);
    }
    expect(state.contributions.size).to.equal(4);
    const datanet = state.datanets.get(1n)!;
    const onchainDatanet = await oa.getDatanet(1n);
    expect(BigInt(datanet.accepted.size)).to.equal(onchainDatanet.acceptedCount);
    expect(datanet.versions).to.have.length(onchainDatanet.versionCount);
    expect(datanet.versions[0].contributionIds).to.have.length(3);
    expect(lines.join("\n")).to.contain("conservation holds");
  });
});
