/** Base of every error the SDK throws. */
export class OpenAttributionError extends Error {
  override readonly name: string = "OpenAttributionError";
}

/**
 * A contract call reverted with one of the protocol's custom errors. Subclasses (one per
 * custom error, in `errors.generated.ts`) are named after the error, e.g. `DuplicateContentError`,
 * and carry its arguments by name in `args`.
 */
export class ContractRevertError<
  TArgs extends object = Record<string, unknown>,
> extends OpenAttributionError {
  override readonly name: string = "ContractRevertError";

  constructor(
    /** The custom error's name as declared in Solidity. */
    readonly errorName: string,
    /** The custom error's arguments, by parameter name. */
    readonly args: TArgs,
    /** The underlying viem error. */
    override readonly cause?: unknown,
  ) {
    super(
      `${errorName}(${Object.entries(args)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join(", ")})`,
    );
  }
}
