/**
 * A JSON-RPC proxy on loopback that injects network faults between clients and a node, for the
 * load test: each request is, by chance and independently,
 * - dropped before it reaches the node (the client's connection is reset; nothing happened),
 * - dropped after the node answered (the node acted; the client never learns it),
 * - delayed (50 to 500 ms),
 * - duplicated (sent to the node twice; the client gets the first answer),
 * or forwarded untouched. While the node is down, clients get HTTP 502. Choices come from a
 * seeded generator, so a run's sequence of fates is repeatable for the same request order.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface FaultRates {
  dropRequest: number;
  dropResponse: number;
  delay: number;
  duplicate: number;
}

export interface FaultCounts {
  forwarded: number;
  droppedRequests: number;
  droppedResponses: number;
  delayed: number;
  duplicated: number;
  nodeDown: number;
}

/** mulberry32: a small deterministic generator of numbers in [0, 1). */
function generator(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  /** Stops or resumes injecting faults (the end-of-run checks read through a clean link). */
  setEnabled(enabled: boolean): void;
  /** While closed, every request is refused with HTTP 503, as while the node restarts. */
  setOpen(open: boolean): void;
  /** Resolves once no request is on its way to the node (at most `timeoutMs`). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(options: {
  target: string;
  port: number;
  rates: FaultRates;
  seed?: number;
}): Promise<FaultProxy> {
  const { target, rates } = options;
  const random = generator(options.seed ?? 1);
  const counts: FaultCounts = {
    forwarded: 0,
    droppedRequests: 0,
    droppedResponses: 0,
    delayed: 0,
    duplicated: 0,
    nodeDown: 0,
  };
  let enabled = true;
  let open = true;
  let inFlight = 0;

  /** Sends `body` to the node and reads its whole answer (counted while on its way). */
  const forward = async (body: string) => {
    inFlight++;
    try {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(60_000),
      });
      return { status: res.status, text: await res.text() };
    } finally {
      inFlight--;
    }
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (!open) {
      counts.nodeDown++;
      res.writeHead(503, { "content-type": "text/plain" }).end("node restarting");
      return;
    }
    const roll = enabled ? random() : 1;
    let edge = rates.dropRequest;
    if (roll < edge) {
      counts.droppedRequests++;
      res.socket?.destroy();
      return;
    }
    const dropResponse = roll < (edge += rates.dropResponse);
    const delay = !dropResponse && roll < (edge += rates.delay);
    const duplicate = !dropResponse && !delay && roll < (edge += rates.duplicate);
    if (delay) {
      counts.delayed++;
      await new Promise((r) => setTimeout(r, 50 + Math.floor(random() * 450)));
      if (!open) {
        counts.nodeDown++;
        res.writeHead(503, { "content-type": "text/plain" }).end("node restarting");
        return;
      }
    }
    let answer: { status: number; text: string };
    try {
      answer = await forward(body);
      if (duplicate) {
        counts.duplicated++;
        await forward(body).catch(() => undefined);
      }
    } catch {
      counts.nodeDown++;
      res.writeHead(502, { "content-type": "text/plain" }).end("node unreachable");
      return;
    }
    if (dropResponse) {
      counts.droppedResponses++;
      res.socket?.destroy();
      return;
    }
    counts.forwarded++;
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${options.port}`,
    counts,
    setEnabled: (value) => (enabled = value),
    setOpen: (value) => (open = value),
    drain: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
