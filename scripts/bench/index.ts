/**
 * One benchmark table: `npm run bench`. Runs the gas benchmarks (in-process chain), the SDK's
 * report building and the indexer's catch-up, then prints every user-facing operation's gas
 * (first-time and steady) next to the systems people use today, the scaling rows, and the
 * speeds. BENCH_SCALE=small (CI) builds the report for 10,000 accounts instead of 100,000 and
 * skips the indexer (its own command: npm run bench:indexer).
 *
 * Reference figures are whole-transaction gas measured on the systems themselves (issue 14):
 * EAS `attest` with 32 bytes of data and no resolver, and with the fields of a contribution;
 * Morpho's Universal Rewards Distributor claim at 2^17 accounts on the same ERC20Votes token,
 * and its root update (submit + accept).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SMALL = process.env.BENCH_SCALE === "small";
const out = mkdtempSync(join(tmpdir(), "oa-bench-"));
const env = { ...process.env, BENCH_OUT: out };
const hardhat = join("node_modules", ".bin", "hardhat");

function run(command: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...env, ...extra },
  });
  if (result.status !== 0) {
    console.error(`error: ${[command, ...args].join(" ")} failed (exit ${result.status})`);
    process.exit(1);
  }
}
const build = spawnSync(hardhat, ["build", "--quiet"], { stdio: "inherit" });
if (build.status !== 0) process.exit(1);
console.error("measuring gas (registries, rewards) …");
run(hardhat, ["run", "--no-compile", "scripts/bench/registry-gas.ts"]);
run(hardhat, ["run", "--no-compile", "scripts/bench/rewards-gas.ts"]);
console.error("measuring the SDK's report building …");
run(hardhat, ["run", "--no-compile", "scripts/bench/report-speed.ts"], {
  BENCH_ACCOUNTS: SMALL ? "10000" : "100000",
});
if (!SMALL) {
  console.error("measuring the indexer's catch-up over 10,000 events …");
  run(process.execPath, ["scripts/bench/indexer.ts"], { BENCH_INDEXER: "large" });
}

const read = <T>(name: string): T => JSON.parse(readFileSync(join(out, `${name}.json`), "utf8")) as T;
const gas = new Map(
  [
    ...read<{ operation: string; gas: number }[]>("registry"),
    ...read<{ operation: string; gas: number }[]>("rewards"),
  ].map((r) => [r.operation, r.gas]),
);
/** A measured row by its benchmark name; a renamed row fails loudly rather than vanishing. */
const g = (operation: string): number => {
  const value = gas.get(operation);
  if (value === undefined) throw new Error(`no benchmark row named "${operation}"`);
  return value;
};
const fmt = (n: number | undefined) => (n === undefined ? "" : n.toLocaleString("en-US"));

interface Row {
  section: string;
  operation: string;
  first?: number;
  steady?: number;
  reference?: string;
  referenceGas?: number;
}
const rows: Row[] = [
  {
    section: "contribute",
    operation: "contribute, no bond",
    first: g("contribute, no bond (account's first)"),
    steady: g("contribute, no bond"),
    reference: "EAS attest, 32-byte data, no resolver",
    referenceGas: 179_794,
  },
  {
    section: "contribute",
    operation: "contribute, bond escrowed",
    first: g("contribute, with bond (registry's first escrow)"),
    steady: g("contribute, with bond"),
    reference: "EAS attest, the fields of a contribution",
    referenceGas: 318_844,
  },
  {
    section: "contribute",
    operation: "contributeBatch ×100, per contribution",
    steady: g("contributeBatch ×100, per contribution"),
  },
  {
    section: "contribute",
    operation: "commit + reveal, one contribution",
    steady: g("commit + reveal of one contribution"),
  },
  {
    section: "contribute",
    operation: "commit + reveal ×100, per contribution",
    steady: g("commit + reveal ×100, per contribution"),
  },
  {
    section: "contribute",
    operation: "contributeWithSig (relayed), no bond",
    steady: g("contributeWithSig, no bond (relayed)"),
  },
  { section: "review", operation: "review, vote", steady: g("review (vote, not deciding)") },
  {
    section: "review",
    operation: "review, deciding vote (refunds the bond)",
    steady: g("review (deciding vote, refunds bond)"),
  },
  {
    section: "models",
    operation: "registerModel, 3 datanet versions",
    steady: g("registerModel, 3 datanet versions"),
  },
  { section: "models", operation: "registerModel, adapter", steady: g("registerModel, adapter on a parent") },
  {
    section: "payments",
    operation: "payInference, base model",
    steady: g("payInference, base model, no stakers"),
  },
  {
    section: "payments",
    operation: "payInference, base model, stakers streaming",
    steady: g("payInference, base model, with stakers (stream flowing)"),
  },
  {
    section: "payments",
    operation: "payInference, adapter",
    steady: g("payInference, adapter (royalty to parent)"),
  },
  {
    section: "staking",
    operation: "stake",
    first: g("stake (new staker, first position)"),
    steady: g("stake (add to position)"),
  },
  {
    section: "staking",
    operation: "unstake",
    first: g("unstake (account's first: fresh queue and tranche slots)"),
    steady: g("unstake (steady: emptied queue, slots reused)"),
  },
  {
    section: "staking",
    operation: "withdrawStake (2 tranches)",
    steady: g("withdrawStake (after cooldown, 2 tranches)"),
  },
  { section: "staking", operation: "claimStakingRewards", steady: g("claimStakingRewards") },
  {
    section: "reports",
    operation: "submitAttestedReport (2 signatures) + finalizeReport",
    steady: g("submitAttestedReport (2 signatures, reaching threshold: 1 transaction)") + g("finalizeReport"),
    reference: "Morpho URD root update (submit + accept)",
    referenceGas: 135_854,
  },
  {
    section: "reports",
    operation: "submitReport, reaching threshold",
    steady: g("submitReport (attester reaching threshold)"),
  },
  {
    section: "reports",
    operation: "finalizeReport",
    first: g("finalizeReport (model's first: fresh claim-root slots)"),
    steady: g("finalizeReport"),
  },
  {
    section: "reports",
    operation: "challengeReward (voids, slashes 2 supporters)",
    steady: g("challengeReward (10-level proof, voids and slashes 2 supporters)"),
  },
  {
    section: "claims",
    operation: "claim at 2^17 accounts, repeat",
    steady: g("2^17 accounts (17-level proof): repeat claim"),
    reference: "Morpho URD claim, 2^17 accounts, repeat",
    referenceGas: 66_759,
  },
  {
    section: "claims",
    operation: "claim at 2^17 accounts, first (new holder)",
    first: g("2^17 accounts (17-level proof): first claim by a new holder"),
    reference: "Morpho URD claim, 2^17 accounts, first",
    referenceGas: 100_967,
  },
  {
    section: "claims",
    operation: "claimBatch, 10 models, per model",
    first: g("claimBatch, 10 models, first claims, per model"),
    steady: g("claimBatch, 10 models, repeat claims, per model"),
  },
];
// Scaling rows.
for (const size of [1, 4, 16, 64, 256])
  rows.push({
    section: "scaling: batch size",
    operation: `contributeBatch ×${size}, per contribution`,
    steady: g(`contributeBatch ×${size}, per contribution`),
  });
for (const bits of [4, 10, 17]) {
  const name = [...gas.keys()].find((k) => k.startsWith(`2^${bits} accounts`) && k.includes("repeat claim"));
  const first = [...gas.keys()].find((k) => k.startsWith(`2^${bits} accounts`) && k.includes("first claim"));
  rows.push({
    section: "scaling: accounts",
    operation: `claim, 2^${bits} accounts`,
    first: first ? g(first) : undefined,
    steady: name ? g(name) : undefined,
  });
}
for (const count of [1, 10, 50])
  rows.push({
    section: "scaling: models per claim",
    operation: `claimBatch, ${count} model${count === 1 ? "" : "s"}, per model`,
    first: g(`claimBatch, ${count} model${count === 1 ? "" : "s"} (first claims), per model`),
  });
for (let depth = 1; depth <= 8; depth++)
  rows.push({
    section: "scaling: lineage depth",
    operation: `payInference, ${depth} ancestor${depth === 1 ? "" : "s"}`,
    steady: g(`payInference, ${depth} ancestor${depth === 1 ? "" : "s"} (royalty to the parent)`),
  });

const table = rows.map((r) => {
  const ours = r.steady ?? r.first;
  return {
    section: r.section,
    operation: r.operation,
    "first-time": fmt(r.first),
    steady: fmt(r.steady),
    "today's system": r.reference ?? "",
    "its gas": fmt(r.referenceGas),
    ratio: r.referenceGas && ours ? `${(ours / r.referenceGas).toFixed(2)}×` : "",
  };
});
for (const speed of [
  ...read<{ operation: string; value: string }[]>("report"),
  ...(SMALL ? [] : read<{ operation: string; value: string }[]>("indexer")),
])
  table.push({
    section: "speed",
    operation: speed.operation,
    "first-time": "",
    steady: speed.value,
    "today's system": "",
    "its gas": "",
    ratio: "",
  });
console.log(
  `\nOpenAttribution benchmark${SMALL ? " (small scale: report for 10,000 accounts, no indexer run)" : ""}. ` +
    "Gas (time for the speed rows) is whole-transaction on the in-process chain; ratio = ours (steady, else first) / theirs.",
);
console.table(table);
