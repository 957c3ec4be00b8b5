import { expect } from "chai";
import { network } from "hardhat";

import { LOCAL_GOVERNANCE, runProposal } from "../scripts/lib/governance.js";
import { deployRegistries } from "../scripts/lib/registries.js";
import { fixtures } from "./helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { governanceFixture } = fixtures(connection);

const ProposalState = { Canceled: 2n, Defeated: 3n, Succeeded: 4n, Queued: 5n, Executed: 7n };

/** Governance with votes split: holder keeps 20 % of the supply delegated, the timelock holds funds. */
async function delegatedFixture() {
  const base = await governanceFixture();
  const { token, timelock, holder, alice, bob } = base;
  const supply = LOCAL_GOVERNANCE.totalSupply;
  await token.connect(holder).transfer(alice.address, (supply * 30n) / 100n);
  await token.connect(holder).transfer(bob.address, (supply * 10n) / 100n);
  await token.connect(holder).transfer(await timelock.getAddress(), (supply * 40n) / 100n);
  for (const voter of [holder, alice, bob]) await token.connect(voter).delegate(voter.address);
  await networkHelpers.mine();
  return base;
}

describe("Governance", function () {
  it("is configured with the given delays, threshold and quorum", async function () {
    const { governor, timelock, token } = await networkHelpers.loadFixture(governanceFixture);
    expect(await governor.votingDelay()).to.equal(BigInt(LOCAL_GOVERNANCE.votingDelay));
    expect(await governor.votingPeriod()).to.equal(BigInt(LOCAL_GOVERNANCE.votingPeriod));
    expect(await governor.proposalThreshold()).to.equal(LOCAL_GOVERNANCE.proposalThreshold);
    expect(await governor["quorumNumerator()"]()).to.equal(BigInt(LOCAL_GOVERNANCE.quorumPercent));
    expect(await governor.timelock()).to.equal(await timelock.getAddress());
    expect(await governor.token()).to.equal(await token.getAddress());
    expect(await governor.CLOCK_MODE()).to.equal("mode=timestamp");
    expect(await timelock.getMinDelay()).to.equal(BigInt(LOCAL_GOVERNANCE.timelockDelay));
  });

  it("runs a proposal from propose to execute through the timelock", async function () {
    const { governor, timelock, token, holder, alice, carol } =
      await networkHelpers.loadFixture(delegatedFixture);
    const grant = ethers.parseEther("12345");
    const actions = [
      {
        target: await token.getAddress(),
        data: token.interface.encodeFunctionData("transfer", [carol.address, grant]),
      },
      {
        target: await governor.getAddress(),
        data: governor.interface.encodeFunctionData("setVotingPeriod", [600]),
      },
    ];
    const steps: string[] = [];
    const proposalId = await runProposal(
      ethers,
      { governor, timelock },
      actions,
      "Grant to carol",
      [holder, alice],
      (s) => steps.push(s),
    );
    expect(await governor.state(proposalId)).to.equal(ProposalState.Executed);
    expect(await token.balanceOf(carol.address)).to.equal(grant);
    expect(await governor.votingPeriod()).to.equal(600n);
    expect(steps).to.have.length(6);
  });

  it("defeats a proposal that does not reach the quorum", async function () {
    const { governor, token, bob, carol } = await networkHelpers.loadFixture(delegatedFixture);
    const targets = [await token.getAddress()];
    const calldatas = [token.interface.encodeFunctionData("transfer", [carol.address, 1n])];
    const description = "Too few voters";
    await governor.connect(bob).propose(targets, [0n], calldatas, description);
    const proposalId = await governor.hashProposal(targets, [0n], calldatas, ethers.id(description));
    await networkHelpers.time.increase(LOCAL_GOVERNANCE.votingDelay + 1);
    await governor.connect(bob).castVote(proposalId, 1); // 10 % < 25 % quorum
    await networkHelpers.time.increase(LOCAL_GOVERNANCE.votingPeriod);
    expect(await governor.state(proposalId)).to.equal(ProposalState.Defeated);
    await expect(
      governor.queue(targets, [0n], calldatas, ethers.id(description)),
    ).to.be.revertedWithCustomError(governor, "GovernorUnexpectedProposalState");
  });

  it("lets the proposer cancel a pending proposal, which then cannot be queued", async function () {
    const { governor, token, alice, carol } = await networkHelpers.loadFixture(delegatedFixture);
    const targets = [await token.getAddress()];
    const calldatas = [token.interface.encodeFunctionData("transfer", [carol.address, 1n])];
    const descriptionHash = ethers.id("cancel me");
    await governor.connect(alice).propose(targets, [0n], calldatas, "cancel me");
    const proposalId = await governor.hashProposal(targets, [0n], calldatas, descriptionHash);
    expect(await governor.proposalNeedsQueuing(proposalId)).to.equal(true);
    await expect(governor.connect(alice).cancel(targets, [0n], calldatas, descriptionHash))
      .to.emit(governor, "ProposalCanceled")
      .withArgs(proposalId);
    expect(await governor.state(proposalId)).to.equal(ProposalState.Canceled);
    await expect(governor.queue(targets, [0n], calldatas, descriptionHash)).to.be.revertedWithCustomError(
      governor,
      "GovernorUnexpectedProposalState",
    );
  });

  it("refuses proposals from accounts under the proposal threshold", async function () {
    const { governor, token, carol } = await networkHelpers.loadFixture(delegatedFixture);
    await expect(governor.connect(carol).propose([await token.getAddress()], [0n], ["0x"], "no votes"))
      .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
      .withArgs(carol.address, 0n, LOCAL_GOVERNANCE.proposalThreshold);
  });

  it("governs the registries' protocol settings through the timelock", async function () {
    const { governor, timelock, token, holder, alice, carol } =
      await networkHelpers.loadFixture(delegatedFixture);
    const { contributions, models } = await deployRegistries(ethers, {
      token: await token.getAddress(),
      protocolOwner: await timelock.getAddress(),
      treasury: await timelock.getAddress(),
    });
    await expect(contributions.connect(holder).setTreasury(carol.address)).to.be.revertedWithCustomError(
      contributions,
      "OwnableUnauthorizedAccount",
    );
    const actions = [
      {
        target: await contributions.getAddress(),
        data: contributions.interface.encodeFunctionData("setTreasury", [carol.address]),
      },
      {
        target: await models.getAddress(),
        data: models.interface.encodeFunctionData("setMaxRoyaltyBps", [1_000]),
      },
    ];
    await runProposal(ethers, { governor, timelock }, actions, "Move treasury, cap royalties", [
      holder,
      alice,
    ]);
    expect(await contributions.treasury()).to.equal(carol.address);
    expect(await models.maxRoyaltyBps()).to.equal(1_000n);
  });

  describe("only the timelock administers", function () {
    it("leaves the deployer with no timelock role", async function () {
      const { timelock, governor, deployer } = await networkHelpers.loadFixture(governanceFixture);
      for (const role of [
        await timelock.DEFAULT_ADMIN_ROLE(),
        await timelock.PROPOSER_ROLE(),
        await timelock.CANCELLER_ROLE(),
      ]) {
        expect(await timelock.hasRole(role, deployer.address)).to.equal(false);
      }
      const timelockAddress = await timelock.getAddress();
      expect(await timelock.hasRole(await timelock.DEFAULT_ADMIN_ROLE(), timelockAddress)).to.equal(true);
      expect(await timelock.hasRole(await timelock.PROPOSER_ROLE(), await governor.getAddress())).to.equal(
        true,
      );
      expect(await timelock.hasRole(await timelock.EXECUTOR_ROLE(), ethers.ZeroAddress)).to.equal(true);
    });

    it("rejects role changes and delay updates from anyone else", async function () {
      const { timelock, deployer, alice } = await networkHelpers.loadFixture(governanceFixture);
      const adminRole = await timelock.DEFAULT_ADMIN_ROLE();
      await expect(timelock.connect(deployer).grantRole(adminRole, alice.address))
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(deployer.address, adminRole);
      await expect(timelock.connect(alice).updateDelay(0))
        .to.be.revertedWithCustomError(timelock, "TimelockUnauthorizedCaller")
        .withArgs(alice.address);
      await expect(
        timelock.connect(alice).schedule(alice.address, 0n, "0x", ethers.ZeroHash, ethers.ZeroHash, 60),
      ).to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount");
    });

    it("rejects governor setting changes that do not come from the timelock", async function () {
      const { governor, holder } = await networkHelpers.loadFixture(governanceFixture);
      await expect(governor.connect(holder).setVotingDelay(5))
        .to.be.revertedWithCustomError(governor, "GovernorOnlyExecutor")
        .withArgs(holder.address);
      await expect(governor.connect(holder).updateQuorumNumerator(1)).to.be.revertedWithCustomError(
        governor,
        "GovernorOnlyExecutor",
      );
    });
  });
});
