/**
 * Enforces a minimum line coverage of `contracts/` from the lcov report written by
 * `hardhat test --coverage` (Hardhat has no threshold option of its own).
 * Usage: node scripts/check-coverage.ts [minimumPercent]
 */
import { readFileSync } from "node:fs";

const LCOV_PATH = "coverage/lcov.info";
const minimum = Number(process.argv[2] ?? process.env.COVERAGE_MIN ?? 98);

const rows: { file: string; hit: number; found: number }[] = [];
let current: { file: string; hit: number; found: number } | undefined;
for (const line of readFileSync(LCOV_PATH, "utf8").split("\n")) {
  if (line.startsWith("SF:")) current = { file: line.slice(3), hit: 0, found: 0 };
  else if (line.startsWith("LF:") && current) current.found = Number(line.slice(3));
  else if (line.startsWith("LH:") && current) current.hit = Number(line.slice(3));
  else if (line === "end_of_record" && current) {
    if (current.file.includes("contracts/")) rows.push(current);
    current = undefined;
  }
}
if (rows.length === 0) throw new Error(`no contracts/ entries in ${LCOV_PATH}: did the coverage run fail?`);

const hit = rows.reduce((sum, r) => sum + r.hit, 0);
const found = rows.reduce((sum, r) => sum + r.found, 0);
const percent = (100 * hit) / found;
console.log(
  `contracts/ line coverage: ${percent.toFixed(2)} % (${hit}/${found} lines, ${rows.length} files)`,
);
if (percent < minimum) {
  console.error(`coverage ${percent.toFixed(2)} % is below the required ${minimum} %`);
  process.exit(1);
}
