/**
 * The fault proxy (./fault-proxy.ts) in a process of its own, driven over IPC.
 *
 * The load test's own process does CPU-heavy work (building attribution reports takes seconds);
 * a proxy sharing its event loop stops answering meanwhile, and every client, the indexer
 * included, sees a node that hangs for that long: a fault nobody chose to inject. In its own
 * process the proxy injects only the faults it is configured for. Node built-ins only.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

import { startFaultProxy, type FaultCounts, type FaultProxy, type FaultRates } from "./fault-proxy.ts";

interface Options {
  target: string;
  port: number;
  rates: FaultRates;
  seed?: number;
}
type Command = { id: number; method: "setEnabled" | "setOpen" | "drain" | "counts" | "close"; arg?: unknown };

/** The proxy's controls; each call returns once the proxy process has applied it. */
export interface FaultProxyProcess {
  url: string;
  setEnabled(enabled: boolean): Promise<void>;
  setOpen(open: boolean): Promise<void>;
  drain(timeoutMs?: number): Promise<void>;
  counts(): Promise<FaultCounts>;
  /** Closes the proxy and ends its process. */
  close(): Promise<void>;
}

export async function startFaultProxyProcess(options: Options): Promise<FaultProxyProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--serve", JSON.stringify(options)], {
    execArgv: [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, (result: unknown) => void>();
  let failure: Error | undefined;
  child.on("message", (message: { id: number; result?: unknown }) => {
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  });
  child.on("exit", (code) => {
    failure = new Error(`the fault proxy's process exited (code ${code})`);
    for (const reject of pending.values()) reject(failure);
    pending.clear();
  });
  let nextId = 0;
  const call = <T>(method: Command["method"], arg?: unknown) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = ++nextId;
      pending.set(id, (result) => (result instanceof Error ? reject(result) : resolve(result as T)));
      child.send({ id, method, arg } satisfies Command);
    });
  await call("counts"); // answers once the proxy listens
  return {
    url: `http://127.0.0.1:${options.port}`,
    setEnabled: (enabled) => call("setEnabled", enabled),
    setOpen: (open) => call("setOpen", open),
    drain: (timeoutMs) => call("drain", timeoutMs),
    counts: () => call("counts"),
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await call("close").catch(() => undefined);
      await exited;
    },
  };
}

/** The child: starts the proxy, then applies the parent's commands in the order they come. */
async function serve(options: Options) {
  const proxy: FaultProxy = await startFaultProxy(options);
  let queue = Promise.resolve();
  process.on("message", (command: Command) => {
    queue = queue.then(async () => {
      let result: unknown;
      if (command.method === "setEnabled") proxy.setEnabled(command.arg as boolean);
      else if (command.method === "setOpen") proxy.setOpen(command.arg as boolean);
      else if (command.method === "drain") await proxy.drain(command.arg as number | undefined);
      else if (command.method === "counts") result = { ...proxy.counts };
      else if (command.method === "close") await proxy.close();
      process.send!({ id: command.id, result });
      if (command.method === "close") process.disconnect();
    });
  });
  process.on("disconnect", () => void proxy.close().finally(() => process.exit(0)));
}

if (process.argv[2] === "--serve" && process.send) await serve(JSON.parse(process.argv[3]) as Options);
