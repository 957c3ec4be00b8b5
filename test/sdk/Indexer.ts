import { expect } from "chai";
import { network } from "hardhat";
import { createPublicClient, custom, keccak256, toBytes, type Hex } from "viem";

import { deploySystem } from "../../scripts/lib/deploy.js";
import { loadDeployParams } from "../../scripts/lib/params.js";
import { defaultDatanetSettings } from "../../scripts/lib/registries.js";
import { readDatanetHistory } from "../../sdk/log-reader.js";
import { CONTRIBUTION_STATUSES } from "../../sdk/actions/contributions.js";
import { ANY_BOND } from "../helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

/**
 * The log reader follows the integrity rules: a reveal that displaces a copy, a pending
 * withdrawal that keeps the review going until its bond is released, and re-submitted content.
 */
describe("SDK log reader", function () {
  it("rebuilds displaced, withdrawn-under-review and re-submitted contributions as the chain holds them", async function () {
    const { contracts, deployment } = await deploySystem(connection, loadDeployParams("default"));
    const { contributions, token } = contracts;
    const [, curator, alice, bob, r1, r2] = await ethers.getSigners();
    for (const who of [alice, bob]) {
      await token.transfer(who.address, ethers.parseEther("1000"));
      await token.connect(who).approve(await contributions.getAddress(), ethers.MaxUint256);
    }
    const bond = ethers.parseEther("10");
    await contributions.connect(curator).createDatanet("ipfs://d", { ...defaultDatanetSettings, bond });
    for (const r of [r1, r2]) await contributions.connect(curator).setReviewer(1, r.address, true);
    const hash = (text: string) => keccak256(toBytes(text));
    const id = (contentHash: Hex) => contributions.contributionId(1, contentHash);

    // 1. alice commits; bob copies the content directly before her reveal; the reveal displaces him.
    const displaced = hash("displaced");
    const salt = ethers.id("salt");
    await contributions
      .connect(alice)
      .commit(await contributions.hashCommitment(1, [displaced], ["u"], bond, salt));
    await networkHelpers.time.increase(60);
    await contributions.connect(bob).contribute(1, displaced, "copy", ANY_BOND);
    await contributions.connect(r1).review(await id(displaced), true); // a vote on the copy carries over
    await contributions.reveal(alice.address, 1, [displaced], ["u"], bond, salt);
    // 2. bob withdraws a pending contribution; an approval quorum later releases its bond.
    const released = hash("released");
    await contributions.connect(bob).contribute(1, released, "u", ANY_BOND);
    await contributions.connect(bob).withdraw(await id(released));
    // 3. rejected content, submitted again by someone else.
    const resubmitted = hash("resubmitted");
    await contributions.connect(bob).contribute(1, resubmitted, "u", ANY_BOND);
    await networkHelpers.time.increase(1);
    for (const r of [r1, r2]) await contributions.connect(r).review(await id(released), true);
    for (const r of [r1, r2]) await contributions.connect(r).review(await id(resubmitted), false);
    await contributions.connect(alice).contribute(1, resubmitted, "again", ANY_BOND);

    const publicClient = createPublicClient({ transport: custom(connection.provider, { retryCount: 0 }) });
    const state = await readDatanetHistory({ publicClient, deployment, chunkSize: 5n });
    for (const contentHash of [displaced, released, resubmitted]) {
      const onChain = await contributions.getContribution(await id(contentHash));
      const indexed = state.contributions.get((await id(contentHash)) as Hex)!;
      expect([indexed.contributor, indexed.status], contentHash).to.deep.equal([
        onChain.contributor,
        CONTRIBUTION_STATUSES[Number(onChain.status)],
      ]);
      expect(indexed.withdrawnBlock !== null, contentHash).to.equal(onChain.withdrawnAt !== 0n);
    }
    expect(state.contributions.get((await id(displaced)) as Hex)!.contributor).to.equal(alice.address);
    expect(state.contributions.get((await id(released)) as Hex)!.status).to.equal("withdrawn");
    expect(state.contributions.get((await id(resubmitted)) as Hex)!.contributor).to.equal(alice.address);
  });
});
