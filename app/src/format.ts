import { ContractRevertError, OpenAttributionError, WalletRequiredError } from "openattribution";
import { BaseError, formatEther, UserRejectedRequestError } from "viem";

/** "1,234.5 OPEN" (at most 4 decimals). */
export function formatOpen(wei: bigint | string | number): string {
  const value = Number(formatEther(BigInt(wei)));
  return `${value.toLocaleString("en-US", { maximumFractionDigits: 4 })} OPEN`;
}

/** "0x1234…abcd". */
export const shortHex = (hex: string) => (hex.length > 12 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex);

/** A unix time as a local date and time; 0 or null is "—". */
export function formatDate(seconds: bigint | string | number | null | undefined): string {
  if (seconds === null || seconds === undefined || BigInt(seconds) === 0n) return "—";
  return new Date(Number(seconds) * 1000).toLocaleString("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** "2 h 5 min" until `seconds` (unix) from `now` (ms; "…" while unknown); "ended" once past. */
export function countdown(seconds: bigint | string | number, now: number | undefined): string {
  if (now === undefined) return "…";
  let left = Number(seconds) - Math.floor(now / 1000);
  if (left <= 0) return "ended";
  const parts: string[] = [];
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
  ] as const) {
    if (left >= size) parts.push(`${Math.floor(left / size)} ${unit}`);
    left %= size;
  }
  return parts.length > 0 ? parts.slice(0, 2).join(" ") : `${left} s`;
}

/** "DuplicateContent" → "Duplicate content". */
const words = (name: string) =>
  name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/ ([A-Z])(?=[a-z])/g, (m) => m.toLowerCase());

/** An error as one sentence a person can act on. */
export function describeError(error: unknown): string {
  if (error instanceof ContractRevertError) {
    const args = Object.entries(error.args)
      .map(([k, v]) => `${k} ${typeof v === "bigint" && v > 10n ** 15n ? formatOpen(v) : String(v)}`)
      .join(", ");
    return `The contract refused: ${words(error.errorName)}${args ? ` (${args})` : ""}.`;
  }
  if (error instanceof WalletRequiredError) return "Connect a wallet first.";
  if (error instanceof BaseError && error.walk((e) => e instanceof UserRejectedRequestError))
    return "You rejected the request in your wallet.";
  if (error instanceof OpenAttributionError || error instanceof Error)
    return error instanceof BaseError ? error.shortMessage : error.message;
  return String(error);
}
