import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { ethers } from "ethers";

import type { OpenGovernor, OpenTimelock, OpenToken } from "../../typechain-types/index.js";
import { DeployJournal } from "./journal.js";

const DAY = 24 * 60 * 60;

/** Parameters of the token and governance deployment. Durations are in seconds. */
export interface GovernanceParams {
  tokenName: string;
  tokenSymbol: string;
  /** Whole supply in wei, minted once to `tokenRecipient`. */
  totalSupply: bigint;
  /** An address, or "timelock" to mint the supply to the timelock (the DAO treasury). */
  tokenRecipient: string;
  votingDelay: number;
  votingPeriod: number;
  /** Votes (token wei) needed to create a proposal. */
  proposalThreshold: bigint;
  /** Percentage of the supply that must vote For or Abstain. */
  quorumPercent: number;
  timelockDelay: number;
}

/** OpenLedger's public production settings: the defaults for real networks. */
export const PRODUCTION_GOVERNANCE: Omit<GovernanceParams, "tokenRecipient"> = {
  tokenName: "OpenLedger",
  tokenSymbol: "OPEN",
  totalSupply: ethers.parseEther("1000000000"),
  votingDelay: DAY,
  votingPeriod: 14 * DAY,
  proposalThreshold: ethers.parseEther("100"),
  quorumPercent: 25,
  timelockDelay: DAY,
};

/** Short delays for the in-process network, tests and the demo (seconds, not days). */
export const LOCAL_GOVERNANCE: Omit<GovernanceParams, "tokenRecipient"> = {
  ...PRODUCTION_GOVERNANCE,
  votingDelay: 1,
  votingPeriod: 300,
  timelockDelay: 60,
};

export interface GovernanceDeployment {
  token: OpenToken;
  timelock: OpenTimelock;
  governor: OpenGovernor;
}

/**
 * Deploys OpenTimelock, OpenToken and OpenGovernor and wires the timelock's roles:
 * the governor proposes and cancels, anyone executes, and the deployer renounces the
 * timelock's admin role so that the timelock administers itself.
 */
export async function deployGovernance(
  hre: HardhatEthers,
  params: GovernanceParams,
  journal = new DeployJournal(),
): Promise<GovernanceDeployment> {
  const [deployer] = await hre.getSigners();
  const timelock = await journal.contract(
    hre,
    "OpenTimelock",
    () => hre.deployContract("OpenTimelock", [params.timelockDelay, [], [], deployer.address]),
    (address) => hre.getContractAt("OpenTimelock", address),
  );
  const recipient =
    params.tokenRecipient === "timelock" ? await timelock.getAddress() : params.tokenRecipient;
  const token = await journal.contract(
    hre,
    "OpenToken",
    () =>
      hre.deployContract("OpenToken", [params.tokenName, params.tokenSymbol, params.totalSupply, recipient]),
    (address) => hre.getContractAt("OpenToken", address),
  );
  const governor = await journal.contract(
    hre,
    "OpenGovernor",
    async () =>
      hre.deployContract("OpenGovernor", [
        await token.getAddress(),
        await timelock.getAddress(),
        params.votingDelay,
        params.votingPeriod,
        params.proposalThreshold,
        params.quorumPercent,
      ]),
    (address) => hre.getContractAt("OpenGovernor", address),
  );
  const governorAddress = await governor.getAddress();
  await journal.transaction("grant proposer", async () =>
    timelock.grantRole(await timelock.PROPOSER_ROLE(), governorAddress),
  );
  await journal.transaction("grant canceller", async () =>
    timelock.grantRole(await timelock.CANCELLER_ROLE(), governorAddress),
  );
  await journal.transaction("open execution", async () =>
    timelock.grantRole(await timelock.EXECUTOR_ROLE(), ethers.ZeroAddress),
  );
  await journal.transaction("renounce timelock admin", async () =>
    timelock.renounceRole(await timelock.DEFAULT_ADMIN_ROLE(), deployer.address),
  );
  return { token, timelock, governor };
}

/** One call for governance to make through the timelock. */
export interface ProposalAction {
  target: string;
  value?: bigint;
  data: string;
}

/** Moves the chain's clock forward (works on Hardhat's network, `hardhat node` and anvil). */
export async function advanceTime(hre: HardhatEthers, seconds: number): Promise<void> {
  await hre.provider.send("evm_increaseTime", [seconds]);
  await hre.provider.send("evm_mine", []);
}

/**
 * Takes one proposal through its whole life on a local chain: propose, wait for the
 * voting delay, vote For with every `voters` signer, wait for the period to end, queue
 * in the timelock, wait for its delay and execute. `log` is told each step.
 * @returns the proposal id.
 */
export async function runProposal(
  hre: HardhatEthers,
  { governor, timelock }: Pick<GovernanceDeployment, "governor" | "timelock">,
  actions: ProposalAction[],
  description: string,
  voters: ethers.Signer[],
  log: (step: string) => void = () => {},
): Promise<bigint> {
  const targets = actions.map((a) => a.target);
  const values = actions.map((a) => a.value ?? 0n);
  const calldatas = actions.map((a) => a.data);
  const descriptionHash = ethers.id(description);
  const proposalId = await governor.hashProposal(targets, values, calldatas, descriptionHash);

  await (await governor.connect(voters[0]).propose(targets, values, calldatas, description)).wait();
  log(`proposed #${proposalId.toString().slice(0, 10)}… "${description}"`);

  await advanceTime(hre, Number(await governor.votingDelay()) + 1);
  for (const voter of voters) {
    await (await governor.connect(voter).castVote(proposalId, 1)).wait();
    log(`${await voter.getAddress()} voted For`);
  }
  await advanceTime(hre, Number(await governor.votingPeriod()));
  const { forVotes } = await governor.proposalVotes(proposalId);
  log(
    `voting closed: ${ethers.formatEther(forVotes)} votes For, state ${await governor.state(proposalId)} (4 = Succeeded)`,
  );

  await (await governor.queue(targets, values, calldatas, descriptionHash)).wait();
  log(`queued in the timelock for ${await timelock.getMinDelay()} s`);
  await advanceTime(hre, Number(await timelock.getMinDelay()) + 1);
  await (await governor.execute(targets, values, calldatas, descriptionHash)).wait();
  log(`executed, state ${await governor.state(proposalId)} (7 = Executed)`);
  return proposalId;
}
