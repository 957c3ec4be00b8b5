import {
  encodeFunctionData,
  type Abi,
  type Account,
  type Address,
  type Chain,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

import {
  attributionRegistryAbi,
  contributionRegistryAbi,
  modelRegistryAbi,
  openGovernorAbi,
  openTokenAbi,
  rewardDistributorAbi,
} from "../abis.js";
import type { Deployment } from "../deployments.js";
import {
  decodeContractError,
  InvalidInputError,
  TransactionRevertedError,
  WalletRequiredError,
} from "../errors.js";
import { requireAddress, requireAmount, requireInteger } from "../validate.js";
import { confirmSigned, sendSigned, signOnce } from "./send.js";

/**
 * What every action takes first: the clients it talks through and the deployment it acts on
 * (as viem's actions take a client). A `walletClient` with an account is needed only to send
 * or sign.
 */
export interface OpenAttributionContext {
  publicClient: PublicClient<Transport, Chain | undefined>;
  walletClient?: WalletClient<Transport, Chain | undefined, Account | undefined>;
  deployment: Deployment;
}

/** Transaction fields a caller may set per call; unset ones are filled by the node as usual. */
export interface TxOverrides {
  gas?: bigint;
  nonce?: number;
  /** Legacy gas price (not with the EIP-1559 fields). */
  gasPrice?: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
}

/**
 * How a transaction action ends:
 * - `"wait"` (default): send it and wait for its receipt (a transaction that reverts once mined
 *   throws `TransactionRevertedError`);
 * - `"hash"`: send it and return its hash at once;
 * - `"prepare"`: simulate it and return the transaction without sending it (for a Safe, a smart
 *   account or a hardware signer).
 */
export type WriteMode = "wait" | "hash" | "prepare";

/** Options every transaction action accepts next to its own parameters. */
export interface WriteOptions<M extends WriteMode = "wait"> extends TxOverrides {
  mode?: M;
  /** `"prepare"` only: the account that will send it (e.g. a Safe); default: the wallet's. */
  from?: Address;
}

/** A transaction built and simulated but not sent (`mode: "prepare"`). */
export interface PreparedTransaction<T> {
  request: TxOverrides & { chainId: number; from: Address; to: Address; data: Hex; value: bigint };
  /** The function's return value in the simulation. */
  result: T;
}

/** A transaction sent without waiting (`mode: "hash"`). */
export interface SentTransaction<T> {
  hash: Hex;
  /** The function's return value in the simulation before sending. */
  result: T;
}

/** A transaction sent and mined (`mode: "wait"`). */
export interface TxResult<T = undefined> extends SentTransaction<T> {
  receipt: TransactionReceipt;
}

/** What a transaction action returns in mode `M`. */
export type WriteResult<T, M extends WriteMode> = M extends "prepare"
  ? PreparedTransaction<T>
  : M extends "hash"
    ? SentTransaction<T>
    : TxResult<T>;

/** The protocol's contracts of a deployment, each as `{ address, abi }` for viem. */
export function contractsOf(deployment: Deployment) {
  const c = deployment.contracts;
  return {
    token: { address: c.OpenToken.address, abi: openTokenAbi },
    governor: { address: c.OpenGovernor.address, abi: openGovernorAbi },
    contributions: { address: c.ContributionRegistry.address, abi: contributionRegistryAbi },
    models: { address: c.ModelRegistry.address, abi: modelRegistryAbi },
    distributor: { address: c.RewardDistributor.address, abi: rewardDistributorAbi },
    attribution: { address: c.AttributionRegistry.address, abi: attributionRegistryAbi },
  } as const;
}

/** The wallet's account, or `WalletRequiredError`. */
export function requireAccount(ctx: OpenAttributionContext): Account {
  const account = ctx.walletClient?.account;
  if (!ctx.walletClient || !account)
    throw new WalletRequiredError("this action sends a transaction: pass a walletClient with an account");
  return account;
}

/** Runs a read, turning reverts into the SDK's named errors. */
export async function read<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw decodeContractError(error);
  }
}

const MODES: readonly WriteMode[] = ["wait", "hash", "prepare"];
const OPTION_KEYS = new Set([
  "mode",
  "from",
  "gas",
  "nonce",
  "gasPrice",
  "maxFeePerGas",
  "maxPriorityFeePerGas",
]);
const MAX_UINT128 = 2n ** 128n - 1n;

/**
 * Checks the write options an action passes on (what its parameters left over): a key that is
 * neither a parameter of the action nor an option is refused by name rather than ignored.
 */
function checkOptions<M extends WriteMode>(options: WriteOptions<M>) {
  for (const key of Object.keys(options))
    if (!OPTION_KEYS.has(key)) throw new InvalidInputError(key, "is not a parameter of this action");
  const { mode = "wait", from, gas, nonce, gasPrice, maxFeePerGas, maxPriorityFeePerGas } = options;
  if (!MODES.includes(mode)) throw new InvalidInputError("mode", `expected one of ${MODES.join(", ")}`);
  if (from !== undefined && mode !== "prepare")
    throw new InvalidInputError("from", 'only "prepare" takes another sender; sending uses the wallet');
  if (gasPrice !== undefined && (maxFeePerGas !== undefined || maxPriorityFeePerGas !== undefined))
    throw new InvalidInputError("gasPrice", "give either gasPrice or the EIP-1559 fee fields, not both");
  const overrides: TxOverrides = {};
  if (gas !== undefined) overrides.gas = requireAmount("gas", gas, 21_000n, MAX_UINT128);
  if (nonce !== undefined) overrides.nonce = requireInteger("nonce", nonce, 0, Number.MAX_SAFE_INTEGER);
  if (gasPrice !== undefined) overrides.gasPrice = requireAmount("gasPrice", gasPrice, 0n, MAX_UINT128);
  if (maxFeePerGas !== undefined)
    overrides.maxFeePerGas = requireAmount("maxFeePerGas", maxFeePerGas, 0n, MAX_UINT128);
  if (maxPriorityFeePerGas !== undefined)
    overrides.maxPriorityFeePerGas = requireAmount(
      "maxPriorityFeePerGas",
      maxPriorityFeePerGas,
      0n,
      overrides.maxFeePerGas ?? MAX_UINT128,
    );
  return { mode: mode as M, from, overrides };
}

type Writable = "nonpayable" | "payable";

/** A state-changing call of one of the protocol's contracts, typed by its ABI. */
export interface ContractWrite<
  abi extends Abi,
  functionName extends ContractFunctionName<abi, Writable>,
  args extends ContractFunctionArgs<abi, Writable, functionName>,
> {
  address: Address;
  abi: abi;
  functionName: functionName;
  args?: args;
}

/**
 * Simulates `call` from the sender, then (by `mode`) returns the prepared transaction, sends it
 * and returns the hash, or sends it and waits for the receipt. Contract reverts are thrown as
 * the SDK's named errors; nothing is sent when the simulation reverts.
 */
export async function write<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, Writable>,
  const args extends ContractFunctionArgs<abi, Writable, functionName>,
  M extends WriteMode = "wait",
>(
  ctx: OpenAttributionContext,
  call: ContractWrite<abi, functionName, args>,
  options: WriteOptions<M> = {},
): Promise<WriteResult<ContractFunctionReturnType<abi, Writable, functionName, args>, M>> {
  const { mode, from, overrides } = checkOptions(options);
  const { publicClient, walletClient, deployment } = ctx;
  const sender =
    mode === "prepare" && from !== undefined ? requireAddress("from", from) : requireAccount(ctx);
  try {
    const { result, request } = await publicClient.simulateContract({
      ...call,
      account: sender,
      ...overrides,
    } as never);
    if (mode === "prepare") {
      const data = encodeFunctionData(call as never);
      const prepared = {
        chainId: deployment.chainId,
        from: typeof sender === "string" ? sender : sender.address,
        to: call.address,
        data,
        value: 0n,
        ...overrides,
      };
      return { request: prepared, result } as never;
    }
    // A local account's transaction is signed once and only those bytes are ever resent (see
    // send.ts); a node-side account (eth_sendTransaction) is sent once, as viem does.
    const signed =
      walletClient!.account?.type === "local"
        ? await signOnce(publicClient, walletClient!, {
            to: call.address,
            data: encodeFunctionData(call as never),
            ...overrides,
          })
        : undefined;
    const hash = signed
      ? (await sendSigned(publicClient, signed), signed.hash)
      : await walletClient!.writeContract({
          ...(request as object),
          chain: walletClient!.chain ?? null,
        } as never);
    if (mode === "hash") return { hash, result } as never;
    const receipt = signed
      ? await confirmSigned(publicClient, signed)
      : await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new TransactionRevertedError(hash, receipt);
    return { hash, receipt, result } as never;
  } catch (error) {
    throw decodeContractError(error);
  }
}

/** The transaction result with its `result` replaced (e.g. by what the mined receipt says). */
export function withResult<T, U, M extends WriteMode>(sent: WriteResult<T, M>, result: U): WriteResult<U, M> {
  return { ...sent, result } as unknown as WriteResult<U, M>;
}
