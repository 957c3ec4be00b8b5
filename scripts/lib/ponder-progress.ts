/**
 * Progress of a running Ponder indexer, from its own endpoints: `/status` (the latest block
 * indexed) and `/metrics` (events indexed, Prometheus text). Node built-ins only, so the
 * plain-Node `npm run indexer` and the benchmark scripts share it.
 */

/** How far an indexer is: its latest indexed block (null before the first) and events indexed. */
export interface IndexerProgress {
  block: bigint | null;
  events: number;
}

/** Sums a Prometheus counter over all its labels. */
function sumMetric(text: string, name: string): number {
  let total = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== "{" && rest[0] !== " ") continue;
    const value = Number(line.slice(line.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/** The indexer's progress at `api`, or null while it is not answering yet. */
export async function readProgress(api: string): Promise<IndexerProgress | null> {
  try {
    const status = (await (await fetch(`${api}/status`)).json()) as {
      protocol?: { block?: { number?: number } | null };
    };
    const metrics = await (await fetch(`${api}/metrics`)).text();
    const number = status.protocol?.block?.number;
    return {
      block: typeof number === "number" ? BigInt(number) : null,
      events: sumMetric(metrics, "ponder_indexing_completed_events"),
    };
  } catch {
    return null;
  }
}

/** The latest block number of the node at `rpcUrl`. */
export async function chainHead(rpcUrl: string): Promise<bigint> {
  return BigInt((await rpcCall(rpcUrl, "eth_blockNumber", [])) as string);
}

/** One JSON-RPC call; an RPC error is thrown with its message. */
export async function rpcCall(
  rpcUrl: string,
  method: string,
  params: unknown[],
  attempts = 5,
): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    let body: { result?: unknown; error?: { message: string } };
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        signal: AbortSignal.timeout(30_000),
      });
      if (res.status >= 500) throw new Error(`${method}: HTTP ${res.status}`);
      body = (await res.json()) as typeof body;
    } catch (error) {
      // Lost on the way (refused, reset, 5xx): a read is sent again, anything else is not.
      const read = method.startsWith("eth_get") || method === "eth_chainId" || method === "eth_blockNumber";
      if (!read || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
      continue;
    }
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  }
}

/** What catching up took: blocks and events indexed, in how many seconds (since the start, and since the indexer first answered). */
export interface CatchUp {
  blocks: bigint;
  events: number;
  seconds: number;
  /** Seconds from the start until the indexer first answered (process start, database, schema). */
  startup: number;
}

/**
 * Waits until the indexer at `api` has indexed the chain's head as it was when called, calling
 * `onProgress` about every `intervalMs`; resolves with what catching up took since `startedAt`.
 */
export async function waitForCatchUp({
  api,
  rpcUrl,
  startBlock,
  startedAt,
  timeoutMs,
  intervalMs = 1_000,
  onProgress,
}: {
  api: string;
  rpcUrl: string;
  startBlock: bigint;
  startedAt: number;
  timeoutMs: number;
  intervalMs?: number;
  onProgress?: (progress: IndexerProgress, head: bigint) => void;
}): Promise<CatchUp> {
  const head = await chainHead(rpcUrl);
  let answeredAt: number | undefined;
  while (Date.now() - startedAt < timeoutMs) {
    const progress = await readProgress(api);
    if (progress) {
      answeredAt ??= Date.now();
      onProgress?.(progress, head);
      if (progress.block !== null && progress.block >= head) {
        return {
          blocks: head - startBlock + 1n,
          events: progress.events,
          seconds: (Date.now() - startedAt) / 1000,
          startup: (answeredAt - startedAt) / 1000,
        };
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`the indexer did not reach block ${head} within ${timeoutMs / 1000} s`);
}

/** "block 1,234 of 5,678 (21 %), 3,456 events" for a progress line. */
export function describeProgress(
  { block, events }: IndexerProgress,
  startBlock: bigint,
  head: bigint,
): string {
  const total = head - startBlock + 1n;
  const done = block === null ? 0n : block - startBlock + 1n;
  const percent = total > 0n ? Number((done * 100n) / total) : 100;
  return `block ${(block ?? startBlock).toLocaleString("en-US")} of ${head.toLocaleString("en-US")} (${percent} %), ${events.toLocaleString("en-US")} events`;
}
