import {
  createTransport,
  http,
  HttpRequestError,
  SocketClosedError,
  TimeoutError,
  type EIP1193RequestFn,
  type HttpTransportConfig,
  type Transport,
} from "viem";

import { InvalidInputError } from "./errors.js";

/**
 * JSON-RPC methods that are not retried, because a second arrival could act twice: the node
 * signs and sends (`eth_sendTransaction`), signs, or changes a test node's state. Everything else
 * the SDK calls is a read, or `eth_sendRawTransaction`, which carries bytes signed once: the node
 * runs a signed transaction at most once, however often it receives it.
 */
const NOT_RETRIED = new Set([
  "eth_sendTransaction",
  "eth_sign",
  "eth_signTransaction",
  "eth_signTypedData",
  "eth_signTypedData_v4",
  "personal_sign",
  "eth_newFilter",
  "eth_newBlockFilter",
  "eth_subscribe",
]);

/** Whether `method` may be sent again after a failure that leaves unknown whether it arrived. */
export function isRetrySafe(method: string): boolean {
  if (NOT_RETRIED.has(method)) return false;
  return method.startsWith("eth_") || method === "net_version" || method === "web3_clientVersion";
}

/**
 * Whether `error` says the request or its answer was lost on the way (the node may or may not
 * have received it), rather than that the node answered with an error.
 */
export function isTransportFailure(error: unknown): boolean {
  if (error instanceof TimeoutError || error instanceof SocketClosedError) return true;
  if (error instanceof HttpRequestError)
    return error.status === undefined || error.status >= 500 || error.status === 408 || error.status === 429;
  return false;
}

export interface RetryingHttpConfig {
  /** Attempts after the first, per request (default 10). */
  retries?: number;
  /** First wait before a retry, doubled each time up to `maxDelayMs` (default 100). */
  baseDelayMs?: number;
  /** Longest wait between two attempts (default 2,000). */
  maxDelayMs?: number;
  /** Time allowed for one attempt (default 10,000). */
  timeoutMs?: number;
  /** Called before each retry, e.g. to count them. */
  onRetry?: (method: string, attempt: number, error: unknown) => void;
  /** Passed to viem's `http` transport (headers, fetch options); its own retries stay off. */
  http?: Omit<HttpTransportConfig, "retryCount" | "timeout">;
}

/**
 * An HTTP transport for unreliable links: a request whose answer was lost (connection refused
 * or reset, timeout, HTTP 5xx/408/429) is sent again with exponential backoff and jitter, but
 * only when sending it twice is harmless (`isRetrySafe`); an answer from the node, an error
 * included, is returned as is. Pair it with a local account: the SDK then signs each
 * transaction once and only ever resends those bytes (see `write` in actions/context.ts).
 */
export function retryingHttp(url: string, config: RetryingHttpConfig = {}): Transport {
  const { retries = 10, baseDelayMs = 100, maxDelayMs = 2_000, timeoutMs = 10_000, onRetry } = config;
  for (const [field, value] of Object.entries({ retries, baseDelayMs, maxDelayMs, timeoutMs }))
    if (!Number.isInteger(value) || value < 0)
      throw new InvalidInputError(field, "expected a whole number ≥ 0");
  return (params) => {
    const inner = http(url, { ...config.http, retryCount: 0, timeout: timeoutMs })(params);
    const request: EIP1193RequestFn = async (args) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await inner.request(args);
        } catch (error) {
          if (attempt >= retries || !isRetrySafe(args.method) || !isTransportFailure(error)) throw error;
          onRetry?.(args.method, attempt + 1, error);
          const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
          await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
        }
      }
    };
    return createTransport(
      { key: "retryingHttp", name: "Retrying HTTP JSON-RPC", type: "http", request, retryCount: 0 },
      { url },
    );
  };
}
