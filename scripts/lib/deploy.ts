import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import { ethers } from "ethers";

import { CONTRACT_NAMES, type ContractName, type Deployment } from "../../sdk/deployments.js";
import type {
  AttributionRegistry,
  ContributionRegistry,
  ModelRegistry,
  OpenGovernor,
  OpenTimelock,
  OpenToken,
  RewardDistributor,
} from "../../typechain-types/index.js";
import { deployGovernance } from "./governance.js";
import { DeployJournal } from "./journal.js";
import { roleRefs, type AddressRef, type DeployParams } from "./params.js";
import { deployRegistries } from "./registries.js";
import { deployRewards } from "./rewards.js";

/** Networks whose accounts are the well-known local ones; every other network is "real". */
export const LOCAL_NETWORKS = ["default", "hardhat", "localhost"];

/** A role would go to the deployer on a real network, or names an account that does not exist. */
export class InvalidRoleError extends Error {
  override readonly name = "InvalidRoleError";
}

/** The code at a recorded address is not the compiled contract. */
export class DeploymentMismatchError extends Error {
  override readonly name = "DeploymentMismatchError";
}

/** The deployed contracts, typed. */
export interface SystemContracts {
  token: OpenToken;
  timelock: OpenTimelock;
  governor: OpenGovernor;
  contributions: ContributionRegistry;
  models: ModelRegistry;
  distributor: RewardDistributor;
  attribution: AttributionRegistry;
}

/** Source file of each contract (for fully qualified names and artifacts). */
export const SOURCES: Record<ContractName, string> = {
  OpenToken: "contracts/OpenToken.sol",
  OpenTimelock: "contracts/governance/OpenTimelock.sol",
  OpenGovernor: "contracts/governance/OpenGovernor.sol",
  ContributionRegistry: "contracts/ContributionRegistry.sol",
  ModelRegistry: "contracts/ModelRegistry.sol",
  RewardDistributor: "contracts/RewardDistributor.sol",
  AttributionRegistry: "contracts/AttributionRegistry.sol",
};

interface Artifact {
  bytecode: string;
  deployedBytecode: string;
  immutableReferences?: Record<string, { start: number; length: number }[]>;
}

function readArtifact(name: ContractName): Artifact {
  return JSON.parse(readFileSync(join("artifacts", SOURCES[name], `${name}.json`), "utf8")) as Artifact;
}

function gitCommit(): string {
  try {
    return execSync("git rev-parse HEAD", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "unknown";
  }
}

/** JSON-friendly copy of decoded values (bigints as decimal strings). */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/**
 * Deploys the whole system with `params` and wires its roles: the timelock owns every
 * protocol setting and the deployer keeps no role. On real networks no role may be the
 * deployer. Returns the contracts and the deployment record.
 */
export async function deploySystem(
  connection: NetworkConnection,
  params: DeployParams,
  log: (line: string) => void = () => {},
  journal = new DeployJournal(),
): Promise<{ contracts: SystemContracts; deployment: Deployment }> {
  const { ethers: hre, networkName } = connection;
  const signers = await hre.getSigners();
  const deployer = signers[0];
  const local = LOCAL_NETWORKS.includes(networkName);
  const resolve = (field: string, ref: AddressRef, timelock?: string): string => {
    if (ref === "deployer") return deployer.address;
    if (ref === "timelock") {
      if (!timelock) throw new InvalidRoleError(`${field}: "timelock" is not available for this role`);
      return timelock;
    }
    const named = /^account:(\d+)$/.exec(ref);
    if (named) {
      const signer = signers[Number(named[1])];
      if (!signer)
        throw new InvalidRoleError(
          `${field}: ${ref} does not exist (the network has ${signers.length} accounts)`,
        );
      return signer.address;
    }
    return ref;
  };
  // Every reference is resolved before the first transaction: a missing account fails now.
  for (const [field, ref] of roleRefs(params)) {
    const address = resolve(field, ref, "timelock");
    if (!local && ref !== "timelock" && address === deployer.address) {
      throw new InvalidRoleError(
        `${field}: on a real network the deployer keeps no role; give another address`,
      );
    }
  }
  if (journal.resuming) log("resuming the deployment recorded in the journal");

  // One allocation: minted straight to it. Several: minted to the deployer, then handed out.
  const { allocations } = params.token;
  const direct = allocations.length === 1 && !allocations[0].vesting;
  const single = direct ? allocations[0].to : "deployer";
  log(`deploying governance (deployer ${deployer.address})`);
  const governance = await deployGovernance(
    hre,
    {
      tokenName: params.token.name,
      tokenSymbol: params.token.symbol,
      totalSupply: params.token.totalSupply,
      tokenRecipient: single === "timelock" ? "timelock" : resolve("token.allocations[0].to", single),
      ...params.governance,
    },
    journal,
  );
  const timelock = await governance.timelock.getAddress();
  logDeployed(["OpenToken", "OpenTimelock", "OpenGovernor"], journal, log);
  const allocationRecords: NonNullable<Deployment["allocations"]> = [];
  for (const [i, a] of allocations.entries()) {
    const to = resolve(`token.allocations[${i}].to`, a.to, timelock);
    let holder = to;
    if (a.vesting) {
      const { start, duration } = a.vesting;
      const wallet = await journal.contract(
        hre,
        `vesting wallet ${i}`,
        () => hre.deployContract("OpenVestingWallet", [to, start, duration]),
        (address) => hre.getContractAt("OpenVestingWallet", address),
      );
      holder = await wallet.getAddress();
      log(`  vesting wallet of ${a.label} at ${holder} (for ${to}, from ${start} over ${duration} s)`);
    }
    allocationRecords.push({
      label: a.label,
      holder: holder as `0x${string}`,
      amount: a.amount.toString(),
      ...(a.vesting ? { beneficiary: to as `0x${string}`, ...a.vesting } : {}),
    });
    // One direct allocation was minted to its holder; the deployer's own share (local only) stays.
    if (direct || holder === deployer.address) continue;
    log(`allocating ${ethers.formatEther(a.amount)} OPEN to ${a.label} (${holder})`);
    await journal.transaction(`allocation ${i}`, () =>
      governance.token.connect(deployer).transfer(holder, a.amount),
    );
  }
  const treasury = resolve("rewards.treasury", params.rewards.treasury, timelock);

  log("deploying registries");
  const { contributions, models } = await deployRegistries(
    hre,
    {
      token: await governance.token.getAddress(),
      protocolOwner: timelock,
      treasury,
      ...params.registries,
    },
    journal,
  );
  logDeployed(["ContributionRegistry", "ModelRegistry"], journal, log);

  log("deploying attribution and rewards");
  const latest = await hre.provider.getBlock("latest");
  const genesis = BigInt(latest!.timestamp);
  const { distributor, attribution } = await deployRewards(
    hre,
    {
      token: await governance.token.getAddress(),
      models: await models.getAddress(),
      owner: timelock,
      treasury,
      guardian: resolve("rewards.guardian", params.rewards.guardian, timelock),
      attesters: params.rewards.attesters.map((a, i) => resolve(`rewards.attesters[${i}]`, a, timelock)),
      threshold: params.rewards.threshold,
      challengeWindow: params.rewards.challengeWindow,
      attesterBonds: params.rewards.attesterBonds,
      genesis,
      epochLength: params.rewards.epochLength,
      cooldown: params.rewards.cooldown,
      splits: params.rewards.splits,
    },
    journal,
  );
  logDeployed(["RewardDistributor", "AttributionRegistry"], journal, log);

  const contracts: SystemContracts = { ...governance, contributions, models, distributor, attribution };
  const records = {} as Deployment["contracts"];
  for (const name of CONTRACT_NAMES) {
    const { address, txHash } = journal.entry(name)!;
    const tx = (await hre.provider.getTransaction(txHash))!;
    const receipt = (await hre.provider.getTransactionReceipt(txHash))!;
    const factory = await hre.getContractFactory(name);
    const encodedArgs = ethers.dataSlice(tx.data, ethers.dataLength(factory.bytecode));
    const args = ethers.AbiCoder.defaultAbiCoder()
      .decode(factory.interface.deploy.inputs, encodedArgs)
      .toArray(true);
    records[name] = {
      address: address as `0x${string}`,
      txHash: txHash as `0x${string}`,
      block: receipt.blockNumber,
      args: args.map(plain),
    };
  }
  const { chainId } = await hre.provider.getNetwork();
  const deployment: Deployment = {
    network: networkName,
    chainId: Number(chainId),
    deployer: deployer.address as `0x${string}`,
    gitCommit: gitCommit(),
    deployedAt: new Date().toISOString(),
    startBlock: Math.min(...Object.values(records).map((r) => r.block)),
    epochs: { genesis: Number(await distributor.genesis()), length: params.rewards.epochLength },
    contracts: records,
    allocations: allocationRecords,
  };
  return { contracts, deployment };
}

/**
 * The contracts of a recorded deployment, attached to `connection`, after checking that their
 * code is at the recorded addresses (`verifyDeployment`).
 * @throws DeploymentMismatchError when the chain does not hold the recorded system (it was reset).
 */
export async function attachSystem(
  connection: NetworkConnection,
  deployment: Deployment,
): Promise<SystemContracts> {
  await verifyDeployment(connection, deployment);
  const hre = connection.ethers;
  const at = deployment.contracts;
  return {
    token: await hre.getContractAt("OpenToken", at.OpenToken.address),
    timelock: await hre.getContractAt("OpenTimelock", at.OpenTimelock.address),
    governor: await hre.getContractAt("OpenGovernor", at.OpenGovernor.address),
    contributions: await hre.getContractAt("ContributionRegistry", at.ContributionRegistry.address),
    models: await hre.getContractAt("ModelRegistry", at.ModelRegistry.address),
    distributor: await hre.getContractAt("RewardDistributor", at.RewardDistributor.address),
    attribution: await hre.getContractAt("AttributionRegistry", at.AttributionRegistry.address),
  };
}

/** What a dry run measured: the deploy's gas on a simulated chain and its cost on the target. */
export interface DeployEstimate {
  chainId: bigint;
  deployer: string;
  balance: bigint;
  gas: bigint;
  /** Wei per gas used for the estimate (the target's max fee per gas, or gas price). */
  feePerGas: bigint;
  cost: bigint;
  transactions: number;
  roles: [string, string][];
}

/** The deployer cannot pay for the deployment. */
export class UnfundedDeployerError extends Error {
  override readonly name = "UnfundedDeployerError";
}

/**
 * Dry run: checks `params` against the target network (every account resolved, no role held by
 * the deployer on a real network), plays the whole deployment on a fresh simulated chain to
 * measure its gas, prices it at the target's current fees and checks the deployer's balance.
 * Sends nothing to the target.
 * @throws UnfundedDeployerError when the balance is below the estimated cost plus 20 %.
 */
export async function estimateDeployment(
  target: NetworkConnection,
  simulated: NetworkConnection,
  params: DeployParams,
): Promise<DeployEstimate> {
  const signers = await target.ethers.getSigners();
  const deployer = signers[0];
  const roles = roleRefs(params).map(([field, ref]): [string, string] => {
    if (ref === "timelock") return [field, "the timelock (deployed)"];
    if (ref === "deployer") return [field, deployer.address];
    const named = /^account:(\d+)$/.exec(ref);
    if (named && !signers[Number(named[1])]) {
      throw new InvalidRoleError(
        `${field}: ${ref} does not exist (the network has ${signers.length} accounts)`,
      );
    }
    return [field, named ? signers[Number(named[1])].address : ref];
  });
  if (!LOCAL_NETWORKS.includes(target.networkName)) {
    const own = roles.find(([, address]) => address === deployer.address);
    if (own) {
      throw new InvalidRoleError(
        `${own[0]}: on a real network the deployer keeps no role; give another address`,
      );
    }
  }
  // The simulated chain plays the deployment with its own accounts in the same places.
  const sim = simulated.ethers.provider;
  const startBlock = await sim.getBlockNumber();
  await deploySystem(simulated, params);
  let gas = 0n;
  let transactions = 0;
  for (let n = startBlock + 1; n <= (await sim.getBlockNumber()); n++) {
    for (const hash of (await sim.getBlock(n))!.transactions) {
      gas += (await sim.getTransactionReceipt(hash))!.gasUsed;
      transactions++;
    }
  }
  const fees = await target.ethers.provider.getFeeData();
  const feePerGas = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  const cost = gas * feePerGas;
  const balance = await target.ethers.provider.getBalance(deployer.address);
  const { chainId } = await target.ethers.provider.getNetwork();
  if (balance < (cost * 12n) / 10n) {
    throw new UnfundedDeployerError(
      `the deployer ${deployer.address} holds ${ethers.formatEther(balance)} of the network's currency; ` +
        `the deployment needs about ${ethers.formatEther(cost)} (${gas} gas at ` +
        `${ethers.formatUnits(feePerGas, "gwei")} gwei) plus a 20 % margin: fund it first`,
    );
  }
  return { chainId, deployer: deployer.address, balance, gas, feePerGas, cost, transactions, roles };
}

/** Logs where each contract was deployed (or found, on resume) and by which transaction. */
function logDeployed(names: ContractName[], journal: DeployJournal, log: (line: string) => void): void {
  for (const name of names) {
    const { address, txHash } = journal.entry(name)!;
    log(`  ${name} at ${address}, transaction ${txHash}`);
  }
}

/** Replaces the bytes of immutable variables with zeros, so code can be compared to its artifact. */
function maskImmutables(code: string, artifact: Artifact): string {
  const bytes = ethers.getBytes(code);
  for (const ranges of Object.values(artifact.immutableReferences ?? {})) {
    for (const { start, length } of ranges) bytes.fill(0, start, start + length);
  }
  return ethers.hexlify(bytes);
}

/**
 * Checks that every recorded address holds the compiled contract's runtime code (immutable
 * values masked). Returns one line per contract.
 * @throws DeploymentMismatchError naming the first contract that differs.
 */
export async function verifyDeployment(
  connection: NetworkConnection,
  deployment: Deployment,
): Promise<string[]> {
  const lines: string[] = [];
  for (const name of CONTRACT_NAMES) {
    const { address } = deployment.contracts[name];
    const code = await connection.ethers.provider.getCode(address);
    const artifact = readArtifact(name);
    if (code === "0x") {
      throw new DeploymentMismatchError(`${name}: no code at ${address} (the chain was reset?)`);
    }
    if (maskImmutables(code, artifact) !== maskImmutables(artifact.deployedBytecode, artifact)) {
      throw new DeploymentMismatchError(`${name}: the code at ${address} differs from the compiled contract`);
    }
    lines.push(`${name.padEnd(22)} ${address} verified`);
  }
  return lines;
}
