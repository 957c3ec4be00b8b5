import {
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  isHex,
  type Abi,
  type AbiParameter,
  type Hex,
  type TransactionReceipt,
} from "viem";

import * as abis from "./abis.js";
import { OpenAttributionError } from "./contract-error.js";
import { contractErrorClasses } from "./errors.generated.js";

export { ContractRevertError, OpenAttributionError } from "./contract-error.js";
export * from "./errors.generated.js";

/** An argument given to the SDK is invalid; nothing was sent. `field` names it. */
export class InvalidInputError extends OpenAttributionError {
  override readonly name: string = "InvalidInputError";

  constructor(
    /** The offending argument, e.g. `"contentHash"` or `"items[2].amount"`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** An address argument is malformed or zero. */
export class InvalidAddressError extends InvalidInputError {
  override readonly name = "InvalidAddressError";
}

/** An amount argument is negative, zero where not allowed, or too large. */
export class InvalidAmountError extends InvalidInputError {
  override readonly name = "InvalidAmountError";
}

/** A hash argument is not 32 bytes of hex, or is zero where not allowed. */
export class InvalidHashError extends InvalidInputError {
  override readonly name = "InvalidHashError";
}

/** No deployment record matches the requested network or chain id. */
export class DeploymentNotFoundError extends OpenAttributionError {
  override readonly name = "DeploymentNotFoundError";
}

/** A deployment record or a report file is malformed. */
export class InvalidDocumentError extends OpenAttributionError {
  override readonly name = "InvalidDocumentError";
}

/** The client needs a wallet client (with an account) for this action. */
export class WalletRequiredError extends OpenAttributionError {
  override readonly name = "WalletRequiredError";
}

/** A transaction passed its simulation but reverted once mined (the state changed in between). */
export class TransactionRevertedError extends OpenAttributionError {
  override readonly name = "TransactionRevertedError";

  constructor(
    readonly hash: Hex,
    readonly receipt: TransactionReceipt,
  ) {
    super(`transaction ${hash} reverted on chain in block ${receipt.blockNumber}`);
  }
}

/**
 * A transaction was signed but could not be handed to the node, and the node could not say
 * whether it holds it. Nothing else was signed for it: send `serialized` again (it runs at most
 * once), or wait for `hash`.
 */
export class TransactionNotSentError extends OpenAttributionError {
  override readonly name = "TransactionNotSentError";
  readonly hash: Hex;
  readonly serialized: Hex;

  constructor(tx: { hash: Hex; serialized: Hex }, cause: unknown) {
    super(
      `transaction ${tx.hash} was signed but the node could not be reached to send it: ` +
        `it may or may not be pending; resend the same signed bytes or wait for the hash`,
      { cause },
    );
    this.hash = tx.hash;
    this.serialized = tx.serialized;
  }
}

/**
 * A signed transaction was not mined within the time allowed. `cause` is the node's last answer
 * to resending it, if it refused it (e.g. its nonce was used by another transaction).
 */
export class TransactionNotConfirmedError extends OpenAttributionError {
  override readonly name = "TransactionNotConfirmedError";

  constructor(
    readonly hash: Hex,
    cause: unknown,
  ) {
    super(
      `transaction ${hash} was not mined in time` +
        (cause instanceof Error ? `; the node refused it: ${cause.message.split("\n")[0]}` : ""),
      { cause },
    );
  }
}

/** A contract reverted without one of the protocol's custom errors (e.g. out of gas, a panic). */
export class UnknownRevertError extends OpenAttributionError {
  override readonly name = "UnknownRevertError";
}

type ErrorName = keyof typeof contractErrorClasses;

/** Every custom error of the protocol's contracts, for decoding raw revert data. */
const protocolErrorsAbi: Abi = Object.values(abis)
  .flat()
  .filter((item) => item.type === "error");

function toError(
  errorName: string,
  inputs: readonly AbiParameter[],
  values: readonly unknown[],
  cause: unknown,
) {
  if (!(errorName in contractErrorClasses)) return undefined;
  const args = Object.fromEntries(inputs.map((input, i) => [input.name ?? String(i), values[i]]));
  const ErrorClass = contractErrorClasses[errorName as ErrorName];
  return new ErrorClass(errorName, args as never, cause);
}

/**
 * Turns a viem error from a contract call into the SDK's error: a named subclass of
 * `ContractRevertError` (e.g. `DuplicateContentError` with `args.datanetId`, `args.contentHash`)
 * when the revert is one of the protocol's custom errors, `UnknownRevertError` for other
 * reverts, and the error itself when it is not a revert (network, user rejection, …).
 */
export function decodeContractError(error: unknown): unknown {
  if (!(error instanceof BaseError)) return error;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data?.errorName) {
    const item = reverted.data.abiItem;
    const inputs = "inputs" in item ? item.inputs : [];
    return (
      toError(reverted.data.errorName, inputs, reverted.data.args ?? [], error) ??
      new UnknownRevertError(reverted.shortMessage, { cause: error })
    );
  }
  const raw = error.walk((e) => isHex((e as { data?: unknown }).data));
  const data = (raw as { data?: unknown } | null)?.data;
  if (isHex(data) && data.length >= 10) {
    try {
      const decoded = decodeErrorResult({ abi: protocolErrorsAbi, data });
      const inputs = "inputs" in decoded.abiItem ? decoded.abiItem.inputs : [];
      const known = toError(decoded.errorName, inputs, decoded.args ?? [], error);
      if (known) return known;
    } catch {
      // not one of ours
    }
    return new UnknownRevertError(`reverted with data ${data.slice(0, 10)}…`, { cause: error });
  }
  if (reverted) return new UnknownRevertError(error.shortMessage, { cause: error });
  return error;
}
