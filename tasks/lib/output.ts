import { formatEther } from "viem";

/** What a command prints: lines for people, and an object for `--json`. */
export interface Output {
  text: string[];
  json: unknown;
}

/** An output whose text is `lines` and whose JSON is `json`. */
export const output = (json: unknown, ...lines: string[]): Output => ({ text: lines, json });

/** Prints JSON (bigints as decimal strings) or the text lines. */
export function printOutput({ text, json }: Output, asJson: boolean): void {
  if (asJson) console.log(toJson(json));
  else for (const line of text) console.log(line);
}

/** JSON with bigints as decimal strings and sets as arrays, indented. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Set ? [...v] : v),
    2,
  );
}

/** `76.5 OPEN`. */
export const formatOpen = (wei: bigint) => `${formatEther(wei)} OPEN`;

/** A unix timestamp as an ISO date (`2026-12-02T06:00:00Z`); 0 is "never". */
export const formatDate = (seconds: bigint | number) =>
  BigInt(seconds) === 0n ? "never" : new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/** "sent tx 0x…" suffix of a transaction's line. */
export const txNote = (hash: string) => `(tx ${hash})`;
