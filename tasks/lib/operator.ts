import { HardhatError } from "@nomicfoundation/hardhat-errors";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { EthereumProvider } from "hardhat/types/providers";
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  custom,
  getAddress,
  isAddress,
  type Address,
  type PublicClient,
} from "viem";

import {
  CONTRIBUTION_STATUSES,
  ContractRevertError,
  createOpenAttributionClient,
  OpenAttributionError,
  type Deployment,
  type OpenAttributionClient,
} from "../../sdk/index.js";
import { loadDeployment } from "../../sdk/node.js";
import { TaskArgs, UsageError, type RawArgs } from "./args.js";
import { formatDate, formatOpen, printOutput, type Output } from "./output.js";

/** Chain ids of development nodes (Hardhat's in-process network, anvil, Hardhat node). */
export const DEVELOPMENT_CHAIN_IDS = [31337, 1337];

/** Everything an operator task works with, on the network chosen with `--network`. */
export interface OperatorContext {
  networkName: string;
  chainId: number;
  provider: EthereumProvider;
  publicClient: PublicClient;
  /** The network's deployment record (`deployments/<network>.json`), its chain id checked. */
  deployment: Deployment;
  /** A client for reads. */
  reader: OpenAttributionClient;
  /** The account that sends (`--from`, default: the network's first account) and its client. */
  signer(): Promise<{ address: Address; oa: OpenAttributionClient }>;
  /** The latest block's timestamp (unix seconds). */
  now(): Promise<bigint>;
}

interface ActionOptions {
  /** Whether the task acts on a deployment (all but time travel). Default true. */
  deployment?: boolean;
}

type Run = (args: TaskArgs, ctx: OperatorContext) => Promise<Output>;

/**
 * Wraps an operator command into a Hardhat task action: connects to the network, loads and
 * checks the deployment record, runs the command and prints its output (`--json` for scripts).
 * Mistakes an operator can fix are printed as one `error:` line on stderr with exit code 1;
 * anything else is a bug and keeps its stack trace.
 */
export function operatorAction(run: Run, options: ActionOptions = {}) {
  return async (raw: RawArgs, hre: HardhatRuntimeEnvironment): Promise<void> => {
    try {
      const args = new TaskArgs(raw);
      const ctx = await openContext(hre, args, options.deployment ?? true);
      printOutput(await run(args, ctx), args.flag("json"));
    } catch (error) {
      const line = operatorErrorLine(error);
      if (line === undefined) throw error;
      console.error(`error: ${line}`);
      process.exitCode = 1;
    }
  };
}

/** One line for an error an operator can act on, or undefined for a bug. */
export function operatorErrorLine(error: unknown): string | undefined {
  const first = (text: string) => text.split("\n")[0].trim();
  if (error instanceof UsageError) return error.message;
  if (error instanceof ContractRevertError)
    return `${error.name}: ${error.errorName}(${Object.entries(error.args as Record<string, unknown>)
      .map(([name, value]) => `${name}: ${formatErrorArg(name, value)}`)
      .join(", ")})`;
  if (error instanceof OpenAttributionError) {
    const cause = error.cause instanceof BaseError ? error.cause : undefined;
    const detail = error.name === "OpenAttributionError" && cause ? ` (${first(cause.shortMessage)})` : "";
    return `${error.name}: ${first(error.message)}${detail}`;
  }
  // Hardhat's messages are short paragraphs: one line, same words.
  const joined = (text: string) => text.replace(/\s*\n\s*/g, " ").trim();
  if (HardhatError.isHardhatError(error)) return joined(error.message);
  if (error instanceof BaseError) {
    // A transport failure (node down, wrong URL) is Hardhat's error wrapped by viem: say Hardhat's words.
    const transport = error.walk((e) => HardhatError.isHardhatError(e));
    if (HardhatError.isHardhatError(transport)) return joined(transport.message);
    const details = error.details ? `: ${first(error.details)}` : "";
    return `${first(error.shortMessage)}${details}`;
  }
  return undefined;
}

/** Custom error arguments that are OPEN amounts (wei in the revert). */
const OPEN_ARGS = new Set([
  "amount",
  "bond",
  "maxBond",
  "staked",
  "unstaking",
  "cumulativeAmount",
  "claimed",
  "totalCumulative",
  "funded",
  "required",
  "requested",
  "minimum",
  "reportTotal",
  "previousTotal",
  "balance",
  "needed",
  "allowance",
  "minBond",
]);

/** A custom error's argument as a person reads it: amounts in OPEN, times as dates, statuses by name. */
function formatErrorArg(name: string, value: unknown): string {
  if (typeof value === "bigint" && OPEN_ARGS.has(name)) return formatOpen(value);
  if (
    (typeof value === "bigint" || typeof value === "number") &&
    /(At|^deadline|^timestamp|^genesis)$/.test(name)
  )
    return formatDate(value);
  if (name === "status" && typeof value === "number") return CONTRIBUTION_STATUSES[value] ?? String(value);
  return String(value);
}

async function openContext(
  hre: HardhatRuntimeEnvironment,
  args: TaskArgs,
  needsDeployment: boolean,
): Promise<OperatorContext> {
  const connection = await hre.network.getOrCreate();
  const { networkName, provider } = connection;
  const publicClient = createPublicClient({ transport: custom(provider) });
  const chainId = await publicClient.getChainId();
  const recordsDir = process.env.DEPLOYMENTS_DIR ?? "deployments";

  let deployment: Deployment | undefined;
  if (needsDeployment) {
    try {
      deployment = loadDeployment(networkName, recordsDir);
    } catch (error) {
      if (error instanceof OpenAttributionError && error.name === "DeploymentNotFoundError")
        throw new UsageError(
          `no deployment record ${recordsDir}/${networkName}.json for --network ${networkName}: deploy with ` +
            `npm run deploy -- --network ${networkName}, or pick the network you deployed to`,
        );
      throw error;
    }
    if (deployment.network !== networkName && deployment.chainId !== chainId)
      throw new UsageError(
        `${recordsDir}/${networkName}.json is the record of network ${deployment.network}`,
      );
    if (deployment.chainId !== chainId)
      throw new UsageError(
        `--network ${networkName} is chain ${chainId} but ${recordsDir}/${networkName}.json was deployed on ` +
          `chain ${deployment.chainId}: nothing was sent; point the network's RPC URL at that chain or redeploy`,
      );
  }
  const record = deployment;
  const reader = record
    ? createOpenAttributionClient({ publicClient, deployment: record })
    : (undefined as never);

  let signer: { address: Address; oa: OpenAttributionClient } | undefined;
  return {
    networkName,
    chainId,
    provider,
    publicClient,
    deployment: record ?? (undefined as never),
    reader,
    async signer() {
      if (signer) return signer;
      const address = await chooseAccount(provider, networkName, args);
      const walletClient = createWalletClient({ account: address, transport: custom(provider) });
      signer = {
        address,
        oa: createOpenAttributionClient({ publicClient, walletClient, deployment: record! }),
      };
      return signer;
    },
    async now() {
      return (await publicClient.getBlock()).timestamp;
    },
  };
}

/** `--from` (an address or an index into the network's accounts), or the first account. */
async function chooseAccount(
  provider: EthereumProvider,
  networkName: string,
  args: TaskArgs,
): Promise<Address> {
  const accounts = ((await provider.request({ method: "eth_accounts" })) as string[]).map((a) =>
    getAddress(a),
  );
  const from = args.optionalText("from");
  if (from === undefined) {
    if (accounts.length === 0)
      throw new UsageError(
        `network ${networkName} has no account to send from: set its key (npx hardhat keystore set ` +
          "DEPLOYER_PRIVATE_KEY, or the variable in .env) or pass --from",
      );
    return accounts[0];
  }
  if (/^\d+$/.test(from)) {
    const index = Number(from);
    if (index >= accounts.length)
      throw new UsageError(
        `--from ${from}: network ${networkName} has ${accounts.length} account(s) (0 to ${accounts.length - 1})`,
      );
    return accounts[index];
  }
  if (!isAddress(from, { strict: false }))
    throw new UsageError(`--from must be an address or an account index like 0, got "${from}"`);
  const address = getAddress(from);
  if (!accounts.includes(address))
    throw new UsageError(
      `--from ${address} is not an account network ${networkName} can sign for: add its key to the ` +
        "network's accounts in hardhat.config.ts (or the keystore), or use one of its accounts",
    );
  return address;
}

/** Fails with a UsageError naming `--<option>` unless `id` is one of the `count` ids created so far (1..count). */
export function requireCreated(option: "datanet" | "model", id: bigint, count: bigint): void {
  if (id > count) throw new UsageError(`--${option} ${id} does not exist (there are ${count} ${option}s)`);
}
