import { getAddress, isAddress, isHex, zeroAddress, zeroHash, type Address, type Hex } from "viem";

import { InvalidAddressError, InvalidAmountError, InvalidHashError, InvalidInputError } from "./errors.js";

const UINT256_MAX = 2n ** 256n - 1n;

/** A checksummed, non-zero address, or `InvalidAddressError` naming `field`. */
export function requireAddress(field: string, value: unknown): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new InvalidAddressError(
      field,
      `expected a 0x-prefixed 20-byte address, got ${JSON.stringify(value)}`,
    );
  }
  if (value.toLowerCase() === zeroAddress)
    throw new InvalidAddressError(field, "the zero address is not allowed");
  return getAddress(value);
}

/** A bigint amount within `[min, max]` (default: 1 .. 2^256-1), or `InvalidAmountError`. */
export function requireAmount(field: string, value: unknown, min = 1n, max = UINT256_MAX): bigint {
  if (typeof value !== "bigint") {
    throw new InvalidAmountError(
      field,
      `expected a bigint in wei (e.g. parseEther("1")), got ${typeof value}`,
    );
  }
  if (value < min) throw new InvalidAmountError(field, `must be at least ${min}, got ${value}`);
  if (value > max) throw new InvalidAmountError(field, `must be at most ${max}, got ${value}`);
  return value;
}

/** A 32-byte hex hash (non-zero unless `allowZero`), or `InvalidHashError`. */
export function requireHash(field: string, value: unknown, allowZero = false): Hex {
  if (typeof value !== "string" || !isHex(value) || value.length !== 66) {
    throw new InvalidHashError(field, `expected 32 bytes of 0x-prefixed hex, got ${JSON.stringify(value)}`);
  }
  if (!allowZero && value === zeroHash) throw new InvalidHashError(field, "the zero hash is not allowed");
  return value;
}

/** A positive integer id (bigint or safe number), as a bigint, or `InvalidInputError`. */
export function requireId(field: string, value: unknown): bigint {
  const id = typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof id !== "bigint" || id < 1n) {
    throw new InvalidInputError(field, `expected a positive integer id, got ${String(value)}`);
  }
  return id;
}

/** An integer in `[min, max]`, or `InvalidInputError`. */
export function requireInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidInputError(field, `expected an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** A non-empty string, or `InvalidInputError`. */
export function requireText(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new InvalidInputError(field, `expected a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}
