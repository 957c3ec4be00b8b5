import { BaseError, ContractFunctionRevertedError } from "viem";

import { ContractRevertError, OpenAttributionError } from "./contract-error.js";
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

/** A contract reverted without one of the protocol's custom errors (e.g. out of gas, a panic). */
export class UnknownRevertError extends OpenAttributionError {
  override readonly name = "UnknownRevertError";
}

type ErrorName = keyof typeof contractErrorClasses;

/**
 * Turns a viem error from a contract call into the SDK's error: a named subclass of
 * `ContractRevertError` (e.g. `DuplicateContentError` with `args.datanetId`, `args.contentHash`)
 * when the revert is one of the protocol's custom errors; otherwise the error itself.
 */
export function decodeContractError(error: unknown): unknown {
  if (!(error instanceof BaseError)) return error;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(revert instanceof ContractFunctionRevertedError)) return error;
  const data = revert.data;
  if (!data?.errorName || !(data.errorName in contractErrorClasses)) {
    return new UnknownRevertError(revert.shortMessage, { cause: error });
  }
  const inputs = data.abiItem && "inputs" in data.abiItem ? data.abiItem.inputs : [];
  const args = Object.fromEntries(inputs.map((input, i) => [input.name ?? String(i), data.args?.[i]]));
  const ErrorClass = contractErrorClasses[data.errorName as ErrorName];
  return new ErrorClass(data.errorName, args as never, error);
}
