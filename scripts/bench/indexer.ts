/**
 * Catch-up speed of the Ponder indexer (`npm run indexer`), from an empty database:
 *   npm run bench:indexer
 * 1. the demo chain: anvil, the demo story, then the indexer from the deployment's first block;
 * 2. a chain with at least 10,000 events: the same plus BENCH_EVENTS (default 10,240) contributions.
 * Each starts its own anvil (so its own database schema) and prints blocks and events per second.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { waitForCatchUp, type CatchUp } from "../lib/ponder-progress.ts";
import { runHardhat, startAnvil } from "../lib/processes.ts";

async function measure(label: string, addEvents: boolean): Promise<CatchUp & { label: string }> {
  const anvil = await startAnvil(["--gas-limit", "60000000"]);
  const dir = mkdtempSync(join(tmpdir(), "oa-bench-indexer-"));
  const env = { LOCALHOST_RPC_URL: anvil.url, DEPLOYMENTS_DIR: dir };
  try {
    await runHardhat(["run", "--no-compile", "scripts/demo.ts", "--network", "localhost"], env);
    if (addEvents)
      await runHardhat(
        ["run", "--no-compile", "scripts/bench/indexer-events.ts", "--network", "localhost"],
        env,
      );
    const { startBlock } = JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")) as {
      startBlock: number;
    };
    const port = 43_000 + Math.floor(Math.random() * 1_000);
    const { DATABASE_URL: _postgres, ...inherited } = process.env; // the embedded PGlite, as a newcomer runs it
    const startedAt = Date.now();
    const indexer = spawn(process.execPath, ["scripts/indexer.ts", "--port", String(port)], {
      env: { ...inherited, ...env, PONDER_LOG_LEVEL: "warn" },
      stdio: "ignore",
    });
    try {
      const result = await waitForCatchUp({
        api: `http://127.0.0.1:${port}`,
        rpcUrl: anvil.url,
        startBlock: BigInt(startBlock),
        startedAt,
        timeoutMs: 600_000,
        intervalMs: 250,
      });
      return { label, ...result };
    } finally {
      indexer.kill("SIGTERM");
    }
  } finally {
    anvil.stop();
  }
}

// BENCH_INDEXER=large measures only the chain of at least 10,000 events (for `npm run bench`).
const rows = [
  ...(process.env.BENCH_INDEXER === "large" ? [] : [await measure("demo chain", false)]),
  await measure("demo + 10,240 contributions", true),
];
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(
  "\nPonder indexer catch-up from an empty database (PGlite, anvil on loopback, process start included)",
);
console.table(
  rows.map((r) => {
    const indexing = r.seconds - r.startup;
    return {
      chain: r.label,
      blocks: Number(r.blocks),
      events: r.events,
      "total (s)": r.seconds.toFixed(1),
      "startup (s)": r.startup.toFixed(1),
      "indexing (s)": indexing.toFixed(1),
      "blocks/s": fmt(Number(r.blocks) / indexing),
      "events/s": fmt(r.events / indexing),
    };
  }),
);
console.log(
  "startup: until the indexer first answers; indexing: from then until it reached the chain's head",
);
if (process.env.BENCH_OUT) {
  mkdirSync(process.env.BENCH_OUT, { recursive: true });
  writeFileSync(
    join(process.env.BENCH_OUT, "indexer.json"),
    JSON.stringify(
      rows.map((r) => ({
        operation: `Ponder indexer catch-up, ${r.label}: ${r.events.toLocaleString("en-US")} events from an empty database`,
        value: `${(r.seconds - r.startup).toFixed(1)} s indexing (${Math.round(r.events / (r.seconds - r.startup)).toLocaleString("en-US")} events/s) + ${r.startup.toFixed(1)} s startup`,
      })),
      null,
      1,
    ),
  );
}
