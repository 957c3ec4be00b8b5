/**
 * Applies each mutant listed in listed-mutants.json to the contracts, runs the tests named
 * for it and expects them to fail (the mutant is "killed"); restores the file afterwards,
 * also on Ctrl-C. Prints a table and exits 1 if any mutant survives.
 * Usage: npm run mutation:listed [-- <mutant id> ...]
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

interface Mutant {
  id: string;
  file: string;
  from: string;
  to: string;
  tests: [kind: "mocha" | "solidity", file: string];
}

const { mutants } = JSON.parse(readFileSync(new URL("./listed-mutants.json", import.meta.url), "utf8")) as {
  mutants: Mutant[];
};
const only = process.argv.slice(2);
const selected = only.length === 0 ? mutants : mutants.filter((m) => only.includes(m.id));
if (selected.length === 0) {
  console.error(`no listed mutant is named ${only.join(", ")}`);
  process.exit(2);
}

const originals = new Map<string, string>();
const restore = () => {
  for (const [file, text] of originals) writeFileSync(file, text);
  originals.clear();
};
process.on("SIGINT", () => {
  restore();
  process.exit(130);
});

/** Runs one test file; `failedTests` is true only when tests ran and some failed. */
function runTests([kind, file]: Mutant["tests"]) {
  const run = spawnSync("npx", ["hardhat", "test", kind, file], { encoding: "utf8" });
  const output = `${run.stdout}${run.stderr}`;
  return { passed: run.status === 0, failedTests: run.status !== 0 && /\d+ failing/.test(output) };
}

// Each test file must pass on the unmutated contracts, or a failure would prove nothing.
for (const file of new Set(selected.map((m) => m.tests.join(" ")))) {
  const [kind, path] = file.split(" ") as Mutant["tests"];
  if (!runTests([kind, path]).passed) {
    console.error(`${path} fails on the unmutated contracts: fix it before checking mutants`);
    process.exit(1);
  }
}

const rows: { mutant: string; verdict: string; seconds: number }[] = [];
for (const m of selected) {
  const original = readFileSync(m.file, "utf8");
  const count = original.split(m.from).length - 1;
  if (count !== 1) {
    rows.push({ mutant: m.id, verdict: `NOT APPLIED (${count} matches)`, seconds: 0 });
    continue;
  }
  originals.set(m.file, original);
  writeFileSync(m.file, original.replace(m.from, m.to));
  const started = Date.now();
  const result = runTests(m.tests);
  restore();
  const verdict = result.failedTests ? "killed" : result.passed ? "SURVIVED" : "BUILD FAILED";
  rows.push({ mutant: m.id, verdict, seconds: Math.round((Date.now() - started) / 1000) });
}
console.table(rows);
const survivors = rows.filter((r) => r.verdict !== "killed");
console.log(`${rows.length - survivors.length} killed, ${survivors.length} not killed`);
process.exit(survivors.length === 0 ? 0 : 1);
