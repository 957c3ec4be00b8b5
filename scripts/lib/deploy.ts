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

const SOURCES: Record<ContractName, string> = {
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
  const startBlock = await hre.provider.getBlockNumber();

  // One allocation: minted straight to it. Several: minted to the deployer, then handed out.
  const { allocations } = params.token;
  const single = allocations.length === 1 ? allocations[0].to : "deployer";
  log(`deploying governance (deployer ${deployer.address})`);
  const governance = await deployGovernance(hre, {
    tokenName: params.token.name,
    tokenSymbol: params.token.symbol,
    totalSupply: params.token.totalSupply,
    tokenRecipient: single === "timelock" ? "timelock" : resolve("token.allocations[0].to", single),
    ...params.governance,
  });
  const timelock = await governance.timelock.getAddress();
  if (allocations.length > 1) {
    for (const [i, a] of allocations.entries()) {
      const to = resolve(`token.allocations[${i}].to`, a.to, timelock);
      if (to === deployer.address) continue; // the deployer's own share (local networks only) stays
      log(`allocating ${ethers.formatEther(a.amount)} OPEN to ${a.label} (${to})`);
      await (await governance.token.connect(deployer).transfer(to, a.amount)).wait();
    }
  }
  const treasury = resolve("rewards.treasury", params.rewards.treasury, timelock);

  log("deploying registries");
  const { contributions, models } = await deployRegistries(hre, {
    token: await governance.token.getAddress(),
    protocolOwner: timelock,
    treasury,
    ...params.registries,
  });

  log("deploying attribution and rewards");
  const latest = await hre.provider.getBlock("latest");
  const genesis = BigInt(latest!.timestamp);
  const { distributor, attribution } = await deployRewards(hre, {
    token: await governance.token.getAddress(),
    models: await models.getAddress(),
    owner: timelock,
    treasury,
    guardian: resolve("rewards.guardian", params.rewards.guardian, timelock),
    attesters: params.rewards.attesters.map((a, i) => resolve(`rewards.attesters[${i}]`, a, timelock)),
    threshold: params.rewards.threshold,
    challengeWindow: params.rewards.challengeWindow,
    genesis,
    epochLength: params.rewards.epochLength,
    cooldown: params.rewards.cooldown,
    splits: params.rewards.splits,
  });

  const contracts: SystemContracts = { ...governance, contributions, models, distributor, attribution };
  const byName: Record<
    ContractName,
    { getAddress(): Promise<string>; deploymentTransaction(): ethers.ContractTransactionResponse | null }
  > = {
    OpenToken: contracts.token,
    OpenTimelock: contracts.timelock,
    OpenGovernor: contracts.governor,
    ContributionRegistry: contributions,
    ModelRegistry: models,
    RewardDistributor: distributor,
    AttributionRegistry: attribution,
  };
  const records = {} as Deployment["contracts"];
  for (const name of CONTRACT_NAMES) {
    const tx = byName[name].deploymentTransaction()!;
    const receipt = (await tx.wait())!;
    const factory = await hre.getContractFactory(name);
    const encodedArgs = ethers.dataSlice(tx.data, ethers.dataLength(factory.bytecode));
    const args = ethers.AbiCoder.defaultAbiCoder()
      .decode(factory.interface.deploy.inputs, encodedArgs)
      .toArray(true);
    records[name] = {
      address: (await byName[name].getAddress()) as `0x${string}`,
      txHash: tx.hash as `0x${string}`,
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
    startBlock: startBlock + 1,
    epochs: { genesis: Number(genesis), length: params.rewards.epochLength },
    contracts: records,
  };
  return { contracts, deployment };
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
