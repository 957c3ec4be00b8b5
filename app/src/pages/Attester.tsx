import { useQuery } from "@tanstack/react-query";
import type { ReportFaultFound } from "openattribution";
import { useState } from "react";
import type { Hex as HexString } from "viem";

import {
  ActionStatus,
  ErrorBox,
  Show,
  useAction,
  useChainNow,
  useDocumentFetcher,
  useIndexer,
  useOa,
  useWallet,
} from "../app.tsx";
import { Hex } from "../components/Address.tsx";
import { countdown, describeError, formatDate, formatOpen } from "../format.ts";

interface PendingRow {
  reportHash: HexString;
  modelId: string;
  epoch: string;
  uri: string;
  supporters: HexString[];
  challengeEndsAt: string;
}

const QUERY = `{
  reports(where: { status: "pending" }, orderBy: "challengeEndsAt", limit: 1000) {
    items { reportHash modelId epoch uri supporters challengeEndsAt }
  }
  attesters(limit: 1000) { items { account registered bond unbonding slashed } }
}`;

/** Pending reports, who supports them, and checking one against the chain (and challenging it). */
export function AttesterPage() {
  const data = useIndexer<{
    reports: { items: PendingRow[] };
    attesters: {
      items: { account: HexString; registered: boolean; bond: string; unbonding: string; slashed: string }[];
    };
  }>(["attester"], QUERY);
  return (
    <section>
      <h1>Attesters</h1>
      <Show query={data} what="pending reports">
        {(d) => (
          <>
            <h2>Pending reports</h2>
            {d.reports.items.length === 0 ? (
              <p className="muted">No report is pending.</p>
            ) : (
              d.reports.items.map((r) => <PendingReport key={r.reportHash} row={r} />)
            )}
            <h2>Attesters</h2>
            <div className="scroll">
              <table>
                <thead>
                  <tr>
                    <th>attester</th>
                    <th>registered</th>
                    <th>bond</th>
                    <th>unbonding</th>
                    <th>slashed</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attesters.items.map((a) => (
                    <tr key={a.account}>
                      <td>
                        <Hex value={a.account} />
                      </td>
                      <td>{a.registered ? "yes" : "no"}</td>
                      <td>{formatOpen(a.bond)}</td>
                      <td>{formatOpen(a.unbonding)}</td>
                      <td>{formatOpen(a.slashed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Show>
    </section>
  );
}

function PendingReport({ row }: { row: PendingRow }) {
  const oa = useOa();
  const fetchDocument = useDocumentFetcher();
  const action = useAction();
  const { isConnected, wrongNetwork } = useWallet();
  const [check, setCheck] = useState(false);
  const now = useChainNow();
  const verdict = useQuery({
    queryKey: ["verify", row.reportHash],
    enabled: check,
    queryFn: async () => {
      const { document } = await fetchDocument(row.uri);
      return oa.findReportFaults({ modelId: BigInt(row.modelId), document });
    },
  });
  const challenge = (found: ReportFaultFound) =>
    action.run(
      "challenge",
      async () => oa.challengeReport({ pending: verdict.data!.pending, found }),
      `Challenged with ${found.fault}: the report is void.`,
    );
  return (
    <article className="card" data-report={row.reportHash}>
      <p>
        <a href={`#/model/${row.modelId}`}>Model #{row.modelId}</a>, epoch {row.epoch}:{" "}
        <Hex value={row.reportHash} />
      </p>
      <p>
        Supported by{" "}
        {row.supporters.map((s) => (
          <Hex key={s} value={s} />
        ))}
        ; challenge window ends in {countdown(row.challengeEndsAt, now)} ({formatDate(row.challengeEndsAt)}).
      </p>
      <button type="button" onClick={() => setCheck(true)} disabled={check && verdict.isFetching}>
        Verify against the chain
      </button>
      {verdict.isFetching && (
        <p className="muted" role="status">
          Checking every leaf…
        </p>
      )}
      {verdict.error && <ErrorBox>{describeError(verdict.error)}</ErrorBox>}
      {verdict.data && verdict.data.faults.length === 0 && (
        <p className="ok" data-testid="verdict">
          No provable fault: every leaf holds on chain.
        </p>
      )}
      {verdict.data && verdict.data.faults.length > 0 && (
        <ul className="faults" data-testid="verdict">
          {verdict.data.faults.map((f, i) => (
            <li key={i}>
              {f.fault}:{" "}
              {f.kind === "weight"
                ? `weight ${f.evidence.weight} for ${f.evidence.contributionId}`
                : `${formatOpen(f.evidence.cumulativeAmount)} for ${f.evidence.account}`}
              {isConnected && !wrongNetwork && (
                <button type="button" disabled={action.busy !== null} onClick={() => challenge(f)}>
                  Challenge
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ActionStatus action={action} />
    </article>
  );
}
