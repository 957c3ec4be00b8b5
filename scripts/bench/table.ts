import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One measured operation of a gas benchmark. */
export interface GasRow {
  operation: string;
  gas: bigint;
  /** The target, if any: the row reports whether it is met. */
  target?: bigint;
}

/** Prints a benchmark's rows as a table with targets and a verdict per row. */
export function printGasTable(title: string, rows: GasRow[]): void {
  console.log(`\n${title}`);
  console.table(
    rows.map((r) => ({
      operation: r.operation,
      gas: Number(r.gas),
      target: r.target === undefined ? "" : `≤ ${Number(r.target)}`,
      verdict: r.target === undefined ? "" : r.gas <= r.target ? "ok" : "OVER",
    })),
  );
}

/**
 * With BENCH_OUT set (by `npm run bench`, which prints one table of every benchmark), writes a
 * benchmark's rows to `<BENCH_OUT>/<name>.json`.
 */
export function saveRows(name: string, rows: GasRow[]): void {
  const dir = process.env.BENCH_OUT;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const plain = rows.map((r) => ({ operation: r.operation, gas: Number(r.gas) }));
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(plain, null, 1));
}
