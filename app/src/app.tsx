import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createOpenAttributionClient,
  loadReport,
  type BuiltReport,
  type ReportDocument,
} from "openattribution";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { Address, Chain, PublicClient, Transport, WalletClient, Account } from "viem";
import { useAccount, useChainId, usePublicClient, useWalletClient } from "wagmi";

import type { AppConfig } from "./config.ts";
import { describeError } from "./format.ts";

export const ConfigContext = createContext<AppConfig | null>(null);

export function useConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error("useConfig outside ConfigContext");
  return config;
}

/** The SDK client on wagmi's clients: reads always, transactions once a wallet is connected. */
export function useOa() {
  const { deployment } = useConfig();
  const publicClient = usePublicClient();
  const { data: walletClient } = useWalletClient();
  return useMemo(
    () =>
      createOpenAttributionClient({
        publicClient: publicClient as unknown as PublicClient<Transport, Chain | undefined>,
        walletClient: walletClient as unknown as
          WalletClient<Transport, Chain | undefined, Account> | undefined,
        deployment,
      }),
    [publicClient, walletClient, deployment],
  );
}

/** The connected account, and whether its wallet is on the deployment's chain. */
export function useWallet() {
  const { address, isConnected, chainId } = useAccount();
  const appChain = useChainId();
  const { deployment } = useConfig();
  const wrongNetwork = isConnected && chainId !== undefined && chainId !== deployment.chainId;
  return { address: address as Address | undefined, isConnected, chainId, wrongNetwork, appChain };
}

/** A GraphQL query to the indexer, refetched every few seconds (it follows the chain live). */
export function useIndexer<T>(key: unknown[], query: string, variables: Record<string, unknown> = {}) {
  const { indexerUrl } = useConfig();
  return useQuery({
    queryKey: ["indexer", ...key],
    refetchInterval: 3_000,
    queryFn: async () => {
      const res = await fetch(`${indexerUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
      });
      if (!res.ok) throw new Error(`the indexer answered HTTP ${res.status}`);
      const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(`the indexer refused the query: ${body.errors[0].message}`);
      return body.data as T;
    },
  });
}

/** Fetches a report's JSON document from where the deployment publishes them, and loads it (roots checked). */
export function useDocumentFetcher() {
  const { documentsUrl } = useConfig();
  const queryClient = useQueryClient();
  return (uri: string) =>
    queryClient.fetchQuery({
      queryKey: ["document", uri],
      staleTime: Infinity,
      queryFn: async (): Promise<{ document: ReportDocument; report: BuiltReport }> => {
        const name = uri.replace(/^ipfs:\/\//, "");
        const res = await fetch(`${documentsUrl}${name}.json`);
        const isJson = res.headers.get("content-type")?.includes("json") ?? false;
        if (!res.ok || !isJson) throw new Error(`report document ${uri} is not published at ${documentsUrl}`);
        const document = (await res.json()) as ReportDocument;
        return { document, report: loadReport(document) };
      },
    });
}

/** A report's document as a query (for pages that show it). */
export function useReportDocument(uri: string | undefined) {
  const fetchDocument = useDocumentFetcher();
  return useQuery({
    queryKey: ["document-view", uri],
    enabled: uri !== undefined,
    staleTime: Infinity,
    queryFn: () => fetchDocument(uri!),
  });
}

/**
 * The chain's "now" in milliseconds, ticking every second: the latest block's time plus the time
 * since it was read (a local chain may run ahead of the wall clock; challenge windows follow the
 * chain). Undefined until the first block is read.
 */
export function useChainNow(): number | undefined {
  const publicClient = usePublicClient();
  const block = useQuery({
    queryKey: ["latest-block-time"],
    refetchInterval: 5_000,
    queryFn: async () => ({
      timestamp: Number((await publicClient!.getBlock()).timestamp),
      readAt: Date.now(),
    }),
  });
  const [tick, setTick] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setTick(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return block.data ? block.data.timestamp * 1000 + (tick - block.data.readAt) : undefined;
}

/** Runs a transaction from a button: busy state, the error in words, a refresh of what it changed. */
export function useAction() {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  async function run(label: string, action: () => Promise<unknown>, success: string) {
    setBusy(label);
    setError(null);
    setDone(null);
    try {
      await action();
      setDone(success);
      await queryClient.invalidateQueries();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, done, run };
}

/** What a button's transaction is doing: waiting, failed (in words) or done. */
export function ActionStatus({ action }: { action: ReturnType<typeof useAction> }) {
  return (
    <>
      {action.busy && (
        <p className="muted" role="status">
          Waiting for the transaction…
        </p>
      )}
      {action.error && <ErrorBox>{action.error}</ErrorBox>}
      {action.done && (
        <p className="ok" role="status">
          {action.done}
        </p>
      )}
    </>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ children }: { children: ReactNode }) {
  return (
    <p className="error" role="alert">
      {children}
    </p>
  );
}

/** Loading, error or content of a query. */
export function Show<T>({
  query,
  what,
  children,
}: {
  query: { data?: T; error: unknown; isPending: boolean };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.error)
    return (
      <ErrorBox>
        Could not load {what}: {describeError(query.error)}
      </ErrorBox>
    );
  if (query.isPending || query.data === undefined) return <Loading what={what} />;
  return <>{children(query.data)}</>;
}
