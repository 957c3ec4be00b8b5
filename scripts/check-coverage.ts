/**
 * Enforces the coverage minimums of `contracts/` after `hardhat test --coverage` (Hardhat has
 * no threshold option of its own):
 * - lines, from the lcov report Hardhat writes (coverage/lcov.info);
 * - branches (each `if`'s two paths), derived from the statement hits Hardhat saves
 *   (coverage/data), see scripts/lib/branch-coverage.ts.
 * Usage: node scripts/check-coverage.ts [--lines <percent>] [--branches <percent>]
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";

import {
  type BranchPath,
  ifBranchPaths,
  instrumentedStatements,
  parseSolidity,
} from "./lib/branch-coverage.ts";

const LCOV_PATH = join("coverage", "lcov.info");
const DATA_DIR = join("coverage", "data");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let options;
try {
  options = parseArgs({
    options: { lines: { type: "string", default: "98" }, branches: { type: "string", default: "90" } },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}. Usage: node scripts/check-coverage.ts [--lines <%>] [--branches <%>]`);
}
const minimum = { lines: Number(options.lines), branches: Number(options.branches) };
for (const [name, value] of Object.entries(minimum))
  if (!(value >= 0 && value <= 100)) fail(`--${name} takes a percentage from 0 to 100`);
if (!existsSync(LCOV_PATH) || !existsSync(DATA_DIR))
  fail(`no coverage report in coverage/: run \`npm run coverage\` (hardhat test --coverage) first`);

const percent = (hit: number, found: number) => (found === 0 ? 100 : (100 * hit) / found);

// Lines, per file, from the lcov report.
const lines = new Map<string, { hit: number; found: number }>();
let file: string | undefined;
for (const line of readFileSync(LCOV_PATH, "utf8").split("\n")) {
  if (line.startsWith("SF:")) file = line.slice(3);
  else if (file?.startsWith("contracts/") && line.startsWith("LF:"))
    lines.set(file, { ...(lines.get(file) ?? { hit: 0 }), found: Number(line.slice(3)) });
  else if (file?.startsWith("contracts/") && line.startsWith("LH:"))
    lines.set(file, { found: 0, ...lines.get(file), hit: Number(line.slice(3)) });
}
if (lines.size === 0) fail(`no contracts/ entries in ${LCOV_PATH}: did the coverage run fail?`);

// Statement hits of every test runner (mocha, solidity), summed per tag.
const hits = new Map<string, number>();
for (const runner of readdirSync(DATA_DIR))
  for (const name of readdirSync(join(DATA_DIR, runner)).filter((n) => n.endsWith(".json")))
    for (const [tag, count] of Object.entries(
      JSON.parse(readFileSync(join(DATA_DIR, runner, name), "utf8")) as Record<string, number>,
    ))
      hits.set(tag, (hits.get(tag) ?? 0) + count);

// Branches, per file, from the same instrumentation as Hardhat's and solc's AST.
const branches = new Map<string, BranchPath[]>();
let tagsMatched = 0;
for (const path of lines.keys()) {
  const source = readFileSync(path, "utf8");
  const sourceName = `project/${path.split(sep).join("/")}`;
  const statements = instrumentedStatements(source, sourceName);
  tagsMatched += statements.filter((s) => hits.has(s.tag)).length;
  try {
    branches.set(path, ifBranchPaths(source, parseSolidity(source, sourceName), statements, hits));
  } catch (error) {
    fail(`${path}: ${(error as Error).message}`);
  }
}
// Hit tags recomputed here must be the ones the run recorded, or every branch would read as missed.
if (tagsMatched === 0) fail("no instrumented statement of contracts/ was hit: the tags do not match the run");

const rows = [...lines].map(([path, l]) => {
  const paths = branches.get(path) ?? [];
  return { path, lines: l, branches: { hit: paths.filter((p) => p.taken).length, found: paths.length } };
});
const total = (key: "lines" | "branches") =>
  rows.reduce((sum, r) => ({ hit: sum.hit + r[key].hit, found: sum.found + r[key].found }), {
    hit: 0,
    found: 0,
  });
const cell = ({ hit, found }: { hit: number; found: number }) =>
  `${percent(hit, found).toFixed(2)} % (${hit}/${found})`;

console.log("\n| file | lines | branches |\n|---|---:|---:|");
for (const r of rows) console.log(`| ${r.path} | ${cell(r.lines)} | ${cell(r.branches)} |`);
console.log(`| **total** | ${cell(total("lines"))} | ${cell(total("branches"))} |`);

const missed = [...branches].flatMap(([path, paths]) =>
  paths
    .filter((p) => !p.taken)
    .map((p) => `  ${relative(".", path)}:${p.line} ${p.path} path of if (${p.condition})`),
);
if (missed.length > 0) console.log(`\nbranch paths no test takes:\n${missed.join("\n")}`);

let failed = false;
for (const key of ["lines", "branches"] as const) {
  const { hit, found } = total(key);
  const value = percent(hit, found);
  console.log(`contracts/ ${key}: ${value.toFixed(2)} % (minimum ${minimum[key]} %)`);
  if (value < minimum[key]) failed = true;
}
if (failed) fail("coverage is below the minimum");
