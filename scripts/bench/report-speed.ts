/**
 * Speed and memory of the SDK's report building at scale: an epoch's report for ACCOUNTS
 * (default 100,000) contributors, one contribution each, on top of a previous report of the same
 * accounts (both Merkle trees, the document and its hash), then claim proofs for a sample.
 *   npm run bench:report   (BENCH_ACCOUNTS=… to change the size)
 * Inputs are generated from fixed seeds: two runs build byte-identical documents.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { getAddress, keccak256, toHex, type Address, type Hex } from "viem";

import { buildReport } from "../../sdk/reports.js";

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000);
const accountAt = (i: number): Address => getAddress(keccak256(toHex(`account ${i}`)).slice(0, 42));
const idAt = (i: number): Hex => keccak256(toHex(`contribution ${i}`));

const accounts = Array.from({ length: ACCOUNTS }, (_, i) => accountAt(i));
const weights = accounts.map((contributor, i) => ({
  contributionId: idAt(i),
  contributor,
  weight: 1n + BigInt(i % 997),
}));
const previous = new Map(accounts.map((a, i) => [a, 10n ** 15n * BigInt(1 + (i % 13))]));
const pool = 10n ** 24n; // 1,000,000 OPEN for the epoch

const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const report = buildReport({ modelId: 1n, epoch: 7n, weights, previous, pool });
const buildSeconds = (performance.now() - started) / 1000;
const SAMPLE = Math.min(1_000, ACCOUNTS);
const proofStart = performance.now();
let proofLength = 0;
for (let i = 0; i < SAMPLE; i++) proofLength = report.proof(accounts[(i * 7919) % ACCOUNTS]).proof.length;
const proofMs = (performance.now() - proofStart) / SAMPLE;
const peakMb = process.resourceUsage().maxRSS / 1024;
const again = buildReport({ modelId: 1n, epoch: 7n, weights, previous, pool });

const rows = [
  {
    operation: `buildReport, ${ACCOUNTS.toLocaleString("en-US")} accounts (weights + cumulative trees, document)`,
    value: `${buildSeconds.toFixed(1)} s`,
  },
  {
    operation: `a claim proof (${proofLength} levels), mean of ${SAMPLE.toLocaleString("en-US")}`,
    value: `${proofMs.toFixed(2)} ms`,
  },
  {
    operation: "peak memory of the process (resident)",
    value: `${peakMb.toFixed(0)} MB (${((process.memoryUsage().rss - rssBefore) / 1024 / 1024).toFixed(0)} MB held by the report)`,
  },
  {
    operation: "two builds, same inputs",
    value: again.documentHash === report.documentHash ? "byte-identical document" : "DIFFERENT",
  },
];
console.log(`\nReport building (SDK), ${ACCOUNTS.toLocaleString("en-US")} accounts`);
console.table(rows);
if (again.documentHash !== report.documentHash) process.exitCode = 1;
if (process.env.BENCH_OUT) {
  mkdirSync(process.env.BENCH_OUT, { recursive: true });
  writeFileSync(join(process.env.BENCH_OUT, "report.json"), JSON.stringify(rows, null, 1));
}
