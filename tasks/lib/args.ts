import { readFileSync } from "node:fs";

import { getAddress, isAddress, isHex, parseEther, zeroAddress, type Address, type Hex } from "viem";

/** A mistake in a task's arguments or files: printed as one line naming the argument. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Task arguments as Hardhat passes them (every operator option is optional to Hardhat). */
export type RawArgs = Record<string, string | boolean | undefined>;

const MAX_UINT96 = 2n ** 96n - 1n;
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** `maxBond` → `--max-bond`, as Hardhat spells options on the command line. */
export const optionFlag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Typed, validated access to a task's options. Every parser throws a `UsageError` that names
 * the option, says what it expected and what it got.
 */
export class TaskArgs {
  constructor(private readonly raw: RawArgs) {}

  private fail(name: string, message: string): never {
    throw new UsageError(`${optionFlag(name)} ${message}`);
  }

  has(name: string): boolean {
    const v = this.raw[name];
    return v !== undefined && v !== "" && v !== false;
  }

  flag(name: string): boolean {
    return this.raw[name] === true;
  }

  text(name: string): string {
    const v = this.raw[name];
    if (typeof v !== "string" || v.trim() === "") this.fail(name, "is required");
    return v;
  }

  optionalText(name: string): string | undefined {
    return this.has(name) ? this.text(name) : undefined;
  }

  /** Comma-separated values, none empty. */
  list(name: string): string[] {
    const items = this.text(name).split(",");
    if (items.some((item) => item.trim() === "")) this.fail(name, `has an empty entry: "${this.raw[name]}"`);
    return items.map((item) => item.trim());
  }

  /** `true`/`false` (also yes/no), or `fallback` when not given. */
  bool(name: string, fallback: boolean): boolean {
    if (!this.has(name)) return fallback;
    const v = this.text(name).toLowerCase();
    if (v === "true" || v === "yes") return true;
    if (v === "false" || v === "no") return false;
    this.fail(name, `must be true or false, got "${v}"`);
  }

  /** A positive integer id (datanet, model, proposal). */
  id(name: string): bigint {
    const v = this.text(name);
    if (!/^\d+$/.test(v) || BigInt(v) === 0n) this.fail(name, `must be a positive whole number, got "${v}"`);
    return BigInt(v);
  }

  /** A whole number from `min` to `max`. */
  integer(name: string, min: number, max: number): number {
    const v = this.text(name);
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max)
      this.fail(name, `must be a whole number from ${min} to ${max}, got "${v}"`);
    return n;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    return this.has(name) ? this.integer(name, min, max) : undefined;
  }

  /** An epoch number (0 is the first epoch). */
  epoch(name: string): bigint {
    const v = this.text(name);
    if (!/^\d+$/.test(v)) this.fail(name, `must be an epoch number (0, 1, …), got "${v}"`);
    return BigInt(v);
  }

  /** An amount of OPEN such as `12.5`, returned in wei; at least `min` wei. */
  open(name: string, min = 1n): bigint {
    const v = this.text(name);
    if (!/^\d+(\.\d{1,18})?$/.test(v)) this.fail(name, `must be an amount of OPEN like 12.5, got "${v}"`);
    const wei = parseEther(v);
    if (wei < min) this.fail(name, min === 1n ? "must be more than 0 OPEN" : `must be at least ${min} wei`);
    if (wei > MAX_UINT96) this.fail(name, `is more than the token's whole supply can be, got ${v} OPEN`);
    return wei;
  }

  optionalOpen(name: string, min = 1n): bigint | undefined {
    return this.has(name) ? this.open(name, min) : undefined;
  }

  address(name: string): Address {
    const v = this.text(name);
    if (!isAddress(v, { strict: false }))
      this.fail(name, `must be a 0x-prefixed 20-byte address, got "${v}"`);
    if (v.toLowerCase() === zeroAddress) this.fail(name, "must not be the zero address");
    return getAddress(v);
  }

  optionalAddress(name: string): Address | undefined {
    return this.has(name) ? this.address(name) : undefined;
  }

  /** A 32-byte hex value (contribution id, content hash). */
  hash(name: string): Hex {
    const v = this.text(name);
    if (!isHex(v) || v.length !== 66) this.fail(name, `must be 32 bytes of 0x-prefixed hex, got "${v}"`);
    return v;
  }

  /** A duration: seconds, or a number with s, m, h, d or w (`90`, `15m`, `2d`). */
  duration(name: string): number {
    const v = this.text(name);
    const match = /^(\d+)([smhdw]?)$/.exec(v);
    if (!match) this.fail(name, `must be a duration like 3600, 90m, 2h or 1d, got "${v}"`);
    return Number(match[1]) * DURATION_UNITS[match[2] || "s"];
  }

  /** A date (ISO 8601, e.g. 2026-12-31T12:00:00Z) as unix seconds. */
  date(name: string): bigint {
    const v = this.text(name);
    const ms = Date.parse(v);
    if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(ms))
      this.fail(name, `must be a date like 2026-12-31T12:00:00Z, got "${v}"`);
    return BigInt(Math.floor(ms / 1000));
  }

  /** One of `choices` (case-insensitive), returned as given in `choices`. */
  choice<T extends string>(name: string, choices: readonly T[]): T {
    const v = this.text(name);
    const found = choices.find((c) => c.toLowerCase() === v.toLowerCase());
    if (found === undefined) this.fail(name, `must be one of ${choices.join(", ")}, got "${v}"`);
    return found;
  }

  /** The bytes of the file named by the option. */
  file(name: string): Buffer {
    return readOptionFile(name, this.text(name));
  }

  /** The parsed JSON of the file named by the option. */
  json<T>(name: string): T {
    const path = this.text(name);
    return parseJsonFile<T>(name, path, readOptionFile(name, path));
  }
}

/** Reads a file given by an option, or a `UsageError` naming the option and the file. */
export function readOptionFile(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "does not exist"
        : code === "EISDIR"
          ? "is a directory"
          : `cannot be read (${code})`;
    throw new UsageError(`${optionFlag(name)}: ${path} ${why}`);
  }
}

/** Parses a file's JSON, or a `UsageError` naming the option, the file and the position. */
export function parseJsonFile<T>(name: string, path: string, bytes: Buffer): T {
  try {
    return JSON.parse(bytes.toString("utf8")) as T;
  } catch (error) {
    throw new UsageError(`${optionFlag(name)}: ${path} is not valid JSON (${(error as Error).message})`);
  }
}
