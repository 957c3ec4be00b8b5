import { useQuery } from "@tanstack/react-query";
import type { Address, Hex as HexString } from "viem";

import {
  ActionStatus,
  Show,
  useAction,
  useConfig,
  useDocumentFetcher,
  useIndexer,
  useOa,
  useWallet,
} from "../app.tsx";
import { Hex } from "../components/Address.tsx";
import { Stat } from "../components/Stat.tsx";
import { describeError, formatDate, formatOpen } from "../format.ts";

interface ReputationCounters {
  submitted: number;
  accepted: number;
  rejected: number;
  withdrawn: number;
  slashed: string;
}

interface Row {
  id: HexString;
  datanetId: string;
  status: string;
  approvals: number;
  rejections: number;
  uri: string;
  submittedAt: string;
}

const QUERY = `query ($account: String!) {
  contributions(where: { contributor: $account }, orderBy: "submittedAt", orderDirection: "desc", limit: 1000) {
    items { id datanetId status approvals rejections uri submittedAt }
  }
  reputation(account: $account) { submitted accepted rejected withdrawn slashed }
  reports(where: { status: "final" }, orderBy: "epoch", orderDirection: "desc", limit: 1000) {
    items { modelId epoch uri }
  }
}`;

/** Contributions by datanet, reputation, claimable rewards per model with claim buttons, consent withdrawal. */
export function ContributorPage({ account }: { account: Address }) {
  const { address, wrongNetwork } = useWallet();
  const own = address?.toLowerCase() === account.toLowerCase();
  const data = useIndexer<{
    contributions: { items: Row[] };
    reputation: ReputationCounters | null;
    reports: { items: { modelId: string; epoch: string; uri: string }[] };
  }>(["contributor", account], QUERY, { account: account.toLowerCase() });
  return (
    <section>
      <h1>
        Contributor <Hex value={account} />
      </h1>
      <Show query={data} what="contributions">
        {(d) => {
          // The latest final report of each model pays from its cumulative tree.
          const latest = new Map<string, { modelId: string; epoch: string; uri: string }>();
          for (const r of d.reports.items) if (!latest.has(r.modelId)) latest.set(r.modelId, r);
          return (
            <>
              <Reputation value={d.reputation} />
              <Claims account={account} reports={[...latest.values()]} canSend={own && !wrongNetwork} />
              <Contributions rows={d.contributions.items} canWithdraw={own && !wrongNetwork} />
            </>
          );
        }}
      </Show>
    </section>
  );
}

function Reputation({ value }: { value: ReputationCounters | null }) {
  const r = value ?? { submitted: 0, accepted: 0, rejected: 0, withdrawn: 0, slashed: "0" };
  return (
    <dl className="stats" data-testid="reputation">
      <Stat label="submitted">{r.submitted}</Stat>
      <Stat label="accepted">{r.accepted}</Stat>
      <Stat label="rejected">{r.rejected}</Stat>
      <Stat label="withdrawn">{r.withdrawn}</Stat>
      <Stat label="bonds slashed">{formatOpen(r.slashed)}</Stat>
    </dl>
  );
}

function Claims({
  account,
  reports,
  canSend,
}: {
  account: Address;
  reports: { modelId: string; epoch: string; uri: string }[];
  canSend: boolean;
}) {
  const oa = useOa();
  const action = useAction();
  const fetchDocument = useDocumentFetcher();
  // Each model's published document, and what the account can claim from it now (chain read).
  const amounts = useQuery({
    queryKey: ["claimable", account, reports.map((r) => r.uri).join()],
    refetchInterval: 3_000,
    queryFn: () =>
      Promise.all(
        reports.map(async (r) => {
          try {
            const { report } = await fetchDocument(r.uri);
            const amount = report.cumulative.has(account) ? await oa.claimable({ report, account }) : 0n;
            return { ...r, report, amount, error: undefined };
          } catch (error) {
            return { ...r, report: undefined, amount: undefined, error: describeError(error) };
          }
        }),
      ),
  });
  const rows =
    amounts.data ?? reports.map((r) => ({ ...r, report: undefined, amount: undefined, error: undefined }));
  const claimableReports = rows.filter((r) => (r.amount ?? 0n) > 0n && r.report).map((r) => r.report!);
  return (
    <>
      <h2>Rewards</h2>
      {reports.length === 0 ? (
        <p className="muted">No final report yet.</p>
      ) : (
        <div className="scroll">
          <table data-testid="claims">
            <thead>
              <tr>
                <th>model</th>
                <th>epoch</th>
                <th>claimable now</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.modelId} data-model={r.modelId}>
                  <td>
                    <a href={`#/model/${r.modelId}`}>#{r.modelId}</a>
                  </td>
                  <td>{r.epoch}</td>
                  <td className="amount" data-wei={r.amount?.toString() ?? ""}>
                    {r.error ? (
                      <span className="error">{r.error}</span>
                    ) : r.amount === undefined ? (
                      "…"
                    ) : (
                      formatOpen(r.amount)
                    )}
                  </td>
                  <td>
                    {canSend && (r.amount ?? 0n) > 0n && (
                      <button
                        type="button"
                        disabled={action.busy !== null}
                        onClick={() =>
                          action.run(
                            `claim-${r.modelId}`,
                            () => oa.claimFromReport({ report: r.report!, account }),
                            `Claimed ${formatOpen(r.amount!)} from model #${r.modelId}.`,
                          )
                        }
                      >
                        Claim
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canSend && claimableReports.length > 1 && (
        <button
          type="button"
          disabled={action.busy !== null}
          onClick={() =>
            action.run(
              "claim-all",
              () => oa.claimBatch({ account, reports: claimableReports }),
              "Claimed from every model in one transaction.",
            )
          }
        >
          Claim all ({claimableReports.length} models, one transaction)
        </button>
      )}
      <ActionStatus action={action} />
    </>
  );
}

function Contributions({ rows, canWithdraw }: { rows: Row[]; canWithdraw: boolean }) {
  const oa = useOa();
  const action = useAction();
  const { deployment } = useConfig();
  const bonds = useQuery({
    queryKey: ["bonds", deployment.chainId, rows.map((r) => r.id).join()],
    queryFn: async () =>
      Object.fromEntries(
        await Promise.all(rows.map(async (r) => [r.id, (await oa.getContribution(r.id)).bond] as const)),
      ),
  });
  const byDatanet = new Map<string, Row[]>();
  for (const r of rows) byDatanet.set(r.datanetId, [...(byDatanet.get(r.datanetId) ?? []), r]);
  if (rows.length === 0) return <p className="muted">No contributions yet.</p>;
  return (
    <>
      <h2>Contributions</h2>
      <ActionStatus action={action} />
      {[...byDatanet].map(([datanetId, list]) => (
        <div key={datanetId}>
          <h3>
            <a href={`#/datanet/${datanetId}`}>Datanet #{datanetId}</a>
          </h3>
          <div className="scroll">
            <table data-testid={`contributions-${datanetId}`}>
              <thead>
                <tr>
                  <th>contribution</th>
                  <th>status</th>
                  <th>votes for / against</th>
                  <th>bond</th>
                  <th>submitted</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id} data-id={c.id}>
                    <td>
                      <Hex value={c.id} />
                    </td>
                    <td className={`status ${c.status}`}>{c.status}</td>
                    <td>
                      {c.approvals} / {c.rejections}
                    </td>
                    <td>{bonds.data ? formatOpen(bonds.data[c.id] ?? 0n) : "…"}</td>
                    <td>{formatDate(c.submittedAt)}</td>
                    <td>
                      {canWithdraw && (c.status === "pending" || c.status === "accepted") && (
                        <button
                          type="button"
                          disabled={action.busy !== null}
                          onClick={() =>
                            action.run(
                              `withdraw-${c.id}`,
                              () => oa.withdrawContribution({ contributionId: c.id }),
                              "Consent withdrawn.",
                            )
                          }
                        >
                          Withdraw consent
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </>
  );
}
