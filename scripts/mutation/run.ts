/**
 * Mutation testing of the contracts that hold funds or decide payouts:
 *   npm run mutation [-- --sample <k>] [--jobs <n>] [--fresh] [--retest-survivors] [--only <file substring>] [--report]
 * Mutants come from SuMo's operators (`@morenabarboni/sumo`, minimal rules: one mutant where
 * its extended rules give several that the same tests kill). Each mutant is applied to a copy
 * of the project, the tests that exercise its contract run with --bail, and the verdict is
 * recorded: killed (a test failed), survived (all passed), stillborn (it does not compile) or
 * timed out. Verdicts are saved in .mutation/results.json as they come, so an interrupted run
 * resumes where it stopped (--fresh starts over); a changed contract invalidates its verdicts.
 * `--sample k` tests every k-th mutant (by hash, so the same ones every run).
 * Score = killed / (killed + survived - listed equivalents + timed out counted as killed).
 * Every survivor must be listed in scripts/mutation/equivalent-mutants.json with the reason
 * it is equivalent, or the command exits 1.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
const RESULTS = join(ROOT, ".mutation", "results.json");
const EQUIVALENT = join(import.meta.dirname, "equivalent-mutants.json");
const TIMEOUT_MS = 300_000;

/** The contracts under mutation and the tests that exercise each (mocha first: they fail fastest). */
const TARGETS: Record<string, { mocha: string[]; solidity: string[] }> = {
  "contracts/ContributionRegistry.sol": {
    mocha: ["test/ContributionRegistry.ts", "test/Attacks.ts"],
    solidity: ["test/solidity/ContributionRegistry.t.sol", "test/solidity/RegistryContractCallers.t.sol"],
  },
  "contracts/base/ContributionRecords.sol": {
    mocha: ["test/ContributionRegistry.ts", "test/Attacks.ts"],
    solidity: ["test/solidity/ContributionRegistry.t.sol"],
  },
  "contracts/AttributionRegistry.sol": {
    mocha: ["test/AttributionRegistry.ts", "test/AccountableAttesters.ts", "test/Attacks.ts"],
    solidity: ["test/solidity/AttributionRegistry.t.sol"],
  },
  "contracts/base/Attesters.sol": {
    mocha: ["test/AccountableAttesters.ts", "test/AttributionRegistry.ts"],
    solidity: ["test/solidity/AttributionRegistry.t.sol"],
  },
  "contracts/RewardDistributor.sol": {
    mocha: ["test/RewardDistributor.ts", "test/Attacks.ts"],
    solidity: ["test/solidity/RewardDistributor.t.sol", "test/solidity/StakingContractCallers.t.sol"],
  },
  "contracts/base/ModelStaking.sol": {
    mocha: ["test/RewardDistributor.ts", "test/Attacks.ts"],
    solidity: ["test/solidity/RewardDistributor.t.sol", "test/solidity/StakingContractCallers.t.sol"],
  },
};

const CONTRACT_FILES = (readdirSync(join(ROOT, "contracts"), { recursive: true }) as string[])
  .filter((f) => f.endsWith(".sol"))
  .map((f) => join("contracts", f));

type Verdict = "killed" | "survived" | "stillborn" | "timedout";
interface Mutant {
  hash: string;
  file: string;
  operator: string;
  line: number;
  start: number;
  end: number;
  original: string;
  replacement: string;
}
interface Result {
  verdict: Verdict;
  seconds: number;
  /** keccak of the unmutated contract the verdict was obtained on. */
  source: string;
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}
function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith("--")) fail(`--${name} needs a value`);
  return value;
}
const sample = Number(option("sample") ?? 1);
const jobs = Number(option("jobs") ?? 1);
const only = option("only");
if (!Number.isInteger(sample) || sample < 1) fail("--sample takes a whole number ≥ 1");
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 8) fail("--jobs takes a whole number from 1 to 8");
if (!existsSync(join(ROOT, "artifacts"))) fail("build first: npm run build");

/** SuMo's mutants of `file` (its generator reads sumo-config from the project root). */
function generate(files: string[]): Mutant[] {
  // SuMo's installer writes a CommonJS sumo-config.js, which this ESM package cannot load.
  const generated = join(ROOT, "sumo-config.js");
  if (existsSync(generated) && readFileSync(generated, "utf8").startsWith("module.exports"))
    rmSync(generated);
  writeFileSync(
    join(ROOT, "sumo-config.json"),
    JSON.stringify({ contractsDir: "contracts", testDir: "test", buildDir: "artifacts", minimal: true }),
  );
  try {
    const require = createRequire(join(ROOT, "package.json"));
    const sumo = resolve(require.resolve("@morenabarboni/sumo/package.json"), "..");
    const parser = createRequire(join(sumo, "package.json"))("@solidity-parser/parser");
    const operators = require(join(sumo, "src", "operators", "mutationGenerator.js"));
    // The operators SuMo's own runner composes, in its order.
    const runner = readFileSync(join(sumo, "src", "mutationRunner.js"), "utf8");
    const names = [...runner.matchAll(/new mutationGenerator\.(\w+)\(\)/g)].map((m) => m[1]);
    const composite = new operators.CompositeOperator(names.map((n) => new operators[n]()));
    return files.flatMap((file) => {
      const source = readFileSync(join(ROOT, file), "utf8");
      const ast = parser.parse(source, { range: true, loc: true });
      return composite
        .getMutations(file, source, parser.visit.bind(parser, ast), false)
        .map((m: Record<string, never>) => ({
          hash: m.id,
          file,
          operator: m.operator,
          line: m.startLine,
          start: m.start,
          end: m.end,
          original: m.original,
          replacement: m.replace,
        }));
    });
  } finally {
    rmSync(join(ROOT, "sumo-config.json"));
  }
}

const sourceHash = (file: string) =>
  createHash("sha256")
    .update(readFileSync(join(ROOT, file)))
    .digest("hex")
    .slice(0, 16);
const files = Object.keys(TARGETS).filter((f) => only === undefined || f.includes(only));
if (files.length === 0) fail(`no contract under mutation matches ${only}`);
const all = generate(files);
const selected = all.filter((m) => parseInt(m.hash.slice(1, 9), 16) % sample === 0);
const previous: Record<string, Result> =
  process.argv.includes("--fresh") || !existsSync(RESULTS) ? {} : JSON.parse(readFileSync(RESULTS, "utf8"));
const results: Record<string, Result> = {};
for (const m of selected) {
  const old = previous[m.hash];
  // --retest-survivors: survivors are tested again (after tests were added to kill them).
  const retest = process.argv.includes("--retest-survivors") && old?.verdict === "survived";
  if (old && old.source === sourceHash(m.file) && !retest) results[m.hash] = old;
}
const save = () => {
  mkdirSync(join(ROOT, ".mutation"), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ ...previous, ...results }, null, 1));
};
// --report: only the table of what is recorded so far (mutants not yet tested are left out).
const reportOnly = process.argv.includes("--report");
const todo = reportOnly ? [] : selected.filter((m) => results[m.hash] === undefined);
console.log(
  `${all.length} mutants in ${files.length} contracts; testing ${selected.length}` +
    (sample > 1 ? ` (every ${sample}th)` : "") +
    (reportOnly
      ? `, ${Object.keys(results).length} with a recorded verdict`
      : `, ${selected.length - todo.length} already done, with ${jobs} worker(s)`),
);

/**
 * Hardhat's compile cache trusts artifacts it once wrote for a source: after a mutant's build
 * overwrote them, restoring the source alone would leave the mutant's bytecode in place. So
 * each mutant starts from the unmutated build output, kept in `<workspace>.pristine`.
 */
const BUILD_OUTPUT = ["artifacts", "cache"];
function restoreBuild(dir: string) {
  for (const entry of BUILD_OUTPUT) {
    rmSync(join(dir, entry), { recursive: true, force: true });
    cpSync(join(`${dir}.pristine`, entry), join(dir, entry), { recursive: true });
  }
}

/** A copy of the project for one worker: sources and build output copied, node_modules linked. */
function workspace(index: number): string {
  const dir = join(tmpdir(), `oa-mutation-${index}`);
  for (const path of [dir, `${dir}.pristine`]) rmSync(path, { recursive: true, force: true });
  mkdirSync(dir);
  for (const entry of ["contracts", "test", "scripts", "sdk", "tasks", "typechain-types"])
    if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  for (const entry of ["hardhat.config.ts", "package.json", "tsconfig.json", "remappings.txt"])
    cpSync(join(ROOT, entry), join(dir, entry));
  for (const entry of BUILD_OUTPUT)
    cpSync(join(ROOT, entry), join(`${dir}.pristine`, entry), { recursive: true });
  restoreBuild(dir);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}

/** Runs `args` with the project's Hardhat in `cwd`; resolves with its exit code and output. */
function hardhat(
  cwd: string,
  args: string[],
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "hardhat"), ["--no-typechain", ...args], {
      cwd,
      env: { ...process.env, CI: "" },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, output, timedOut: code === null });
    });
  });
}

async function test(dir: string, m: Mutant): Promise<Verdict> {
  const path = join(dir, m.file);
  const original = readFileSync(path, "utf8");
  writeFileSync(path, original.slice(0, m.start) + m.replacement + original.slice(m.end));
  try {
    // The contracts only: the Solidity tests, which embed the contracts' bytecode, are compiled
    // only if the mutant survives the mocha tests (most do not).
    const build = await hardhat(dir, ["build", "--quiet", ...CONTRACT_FILES]);
    if (build.code !== 0) return "stillborn";
    const { mocha, solidity } = TARGETS[m.file];
    const unit = await hardhat(dir, ["test", "mocha", "--no-compile", "--bail", ...mocha]);
    if (unit.timedOut) return "timedout";
    if (unit.code !== 0) return "killed";
    const sol = await hardhat(dir, ["test", "solidity", ...solidity]);
    if (sol.timedOut) return "timedout";
    return sol.code !== 0 ? "killed" : "survived";
  } finally {
    writeFileSync(path, original);
    restoreBuild(dir);
  }
}

// The tests must pass on the unmutated contracts, or a failure would prove nothing.
if (todo.length > 0) {
  const mocha = [...new Set(files.flatMap((f) => TARGETS[f].mocha))];
  const solidity = [...new Set(files.flatMap((f) => TARGETS[f].solidity))];
  for (const args of [
    ["test", "mocha", ...mocha],
    ["test", "solidity", ...solidity],
  ]) {
    const baseline = await hardhat(ROOT, args);
    if (baseline.code !== 0)
      fail(`the unmutated contracts fail \`hardhat ${args.join(" ")}\`:\n${baseline.output}`);
  }
}

const started = Date.now();
let next = 0;
let done = 0;
process.on("SIGINT", () => {
  save();
  console.log(`\ninterrupted: ${done} verdicts saved in ${RESULTS}; run again to resume`);
  process.exit(130);
});
await Promise.all(
  Array.from({ length: Math.min(jobs, todo.length) }, async (_, index) => {
    const dir = workspace(index);
    for (;;) {
      const m = todo[next++];
      if (m === undefined) break;
      const t0 = Date.now();
      const verdict = await test(dir, m);
      results[m.hash] = {
        verdict,
        seconds: Math.round((Date.now() - t0) / 1000),
        source: sourceHash(m.file),
      };
      done++;
      save();
      const eta = (((Date.now() - started) / done) * (todo.length - done)) / 60_000;
      console.log(
        `[${done}/${todo.length}] ${verdict.padEnd(9)} ${m.hash} ${m.file}:${m.line} ${m.operator} ` +
          `${JSON.stringify(m.original).slice(0, 40)} → ${JSON.stringify(m.replacement).slice(0, 40)} ` +
          `(about ${eta.toFixed(0)} min left)`,
      );
    }
    for (const path of [dir, `${dir}.pristine`]) rmSync(path, { recursive: true, force: true });
  }),
);

// ------------------------------------------------------------------ report
const equivalent = new Map(
  (JSON.parse(readFileSync(EQUIVALENT, "utf8")).mutants as { hash: string; reason: string }[]).map((e) => [
    e.hash,
    e.reason,
  ]),
);
const rows = files.map((file) => {
  const own = selected.filter((m) => m.file === file).map((m) => ({ m, r: results[m.hash] }));
  const count = (v: Verdict) => own.filter(({ r }) => r?.verdict === v).length;
  const listed = own.filter(({ m, r }) => r?.verdict === "survived" && equivalent.has(m.hash)).length;
  const killed = count("killed") + count("timedout");
  const scored = killed + count("survived") - listed;
  return {
    contract: file.replace("contracts/", ""),
    mutants: own.length,
    tested: own.filter(({ r }) => r !== undefined).length,
    killed: count("killed"),
    "timed out": count("timedout"),
    survived: count("survived"),
    "listed equivalent": listed,
    stillborn: count("stillborn"),
    score: scored === 0 ? "-" : `${((100 * killed) / scored).toFixed(1)} %`,
  };
});
const total = rows.reduce(
  (t, r) => ({
    killed: t.killed + r.killed + r["timed out"],
    scored: t.scored + r.killed + r["timed out"] + r.survived - r["listed equivalent"],
  }),
  { killed: 0, scored: 0 },
);
console.log(`\nMutation testing (SuMo minimal operators${sample > 1 ? `, every ${sample}th mutant` : ""})`);
console.table(rows);
const score = (100 * total.killed) / total.scored;
console.log(
  `score ${score.toFixed(1)} % (${total.killed} of ${total.scored} non-equivalent mutants killed); ` +
    `this run: ${todo.length} mutants in ${((Date.now() - started) / 60_000).toFixed(1)} min`,
);
const unlisted = selected.filter((m) => results[m.hash]?.verdict === "survived" && !equivalent.has(m.hash));
for (const m of unlisted)
  console.log(
    `SURVIVED ${m.hash} ${m.file}:${m.line} ${m.operator}: ${JSON.stringify(m.original)} → ${JSON.stringify(m.replacement)}`,
  );
if (unlisted.length > 0) {
  console.error(`${unlisted.length} survivor(s) neither killed by a test nor listed as equivalent`);
  process.exit(1);
}
if (score < 90) process.exit(1);
