/**
 * The OpenAttribution demo: runs the protocol's story on the in-process chain (or on
 * `--network localhost`) and prints each step.
 *
 * Today it covers the foundation: deploy OPEN and governance, delegate votes and take
 * one proposal from propose to execute through the timelock.
 */
import { network } from "hardhat";

import { deployGovernance, LOCAL_GOVERNANCE, runProposal } from "./lib/governance.js";

const { ethers, networkName } = await network.create();
const fmt = (wei: bigint) => `${Number(ethers.formatEther(wei)).toLocaleString("en-US")} OPEN`;
const step = (title: string) => console.log(`\n== ${title}`);

const [deployer, treasury, alice, bob, grantee] = await ethers.getSigners();
const { chainId } = await ethers.provider.getNetwork();
console.log(`OpenAttribution demo on network "${networkName}" (chain id ${chainId})`);

step("1. Deploy OPEN token, timelock and governor");
const gov = await deployGovernance(ethers, { ...LOCAL_GOVERNANCE, tokenRecipient: treasury.address });
const { token, timelock, governor } = gov;
console.table({
  OpenToken: await token.getAddress(),
  OpenTimelock: await timelock.getAddress(),
  OpenGovernor: await governor.getAddress(),
});
console.log(
  `supply ${fmt(await token.totalSupply())} minted to ${treasury.address}; deployer ${deployer.address} kept no role`,
);

step("2. Distribute and delegate votes");
const supply = await token.totalSupply();
await (await token.connect(treasury).transfer(alice.address, (supply * 20n) / 100n)).wait();
await (await token.connect(treasury).transfer(bob.address, (supply * 10n) / 100n)).wait();
await (await token.connect(treasury).transfer(await timelock.getAddress(), (supply * 30n) / 100n)).wait();
for (const voter of [treasury, alice, bob]) await (await token.connect(voter).delegate(voter.address)).wait();
await ethers.provider.send("evm_mine", []);
console.table(
  await Promise.all(
    [
      ["treasury", treasury.address],
      ["alice", alice.address],
      ["bob", bob.address],
      ["timelock", await timelock.getAddress()],
    ].map(async ([who, address]) => ({
      who,
      balance: fmt(await token.balanceOf(address)),
      votes: fmt(await token.getVotes(address)),
    })),
  ),
);

step("3. Governance grants 50,000 OPEN from the timelock to a grantee");
const grant = ethers.parseEther("50000");
const before = await token.balanceOf(grantee.address);
await runProposal(
  ethers,
  gov,
  [
    {
      target: await token.getAddress(),
      data: token.interface.encodeFunctionData("transfer", [grantee.address, grant]),
    },
  ],
  "Grant 50,000 OPEN to the grantee",
  [alice, bob],
  (s) => console.log(`  - ${s}`),
);
const received = (await token.balanceOf(grantee.address)) - before;
console.log(`grantee received ${fmt(received)}`);
if (received !== grant) throw new Error(`demo check failed: grantee received ${received}, expected ${grant}`);
console.log("\nDemo finished: every step succeeded.");
