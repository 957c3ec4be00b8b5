import { useQuery } from "@tanstack/react-query";
import type { Hex as HexString } from "viem";

import { ErrorBox, Show, useChainNow, useIndexer, useOa, useReportDocument, useWallet } from "../app.tsx";
import { Hex } from "../components/Address.tsx";
import { Stat } from "../components/Stat.tsx";
import { countdown, formatDate, formatOpen } from "../format.ts";

interface ModelData {
  model: {
    id: string;
    owner: HexString;
    parentId: string;
    royaltyBps: number;
    active: boolean;
    metadataUri: string;
    trainedOn: { datanetId: number; version: number }[];
  } | null;
  models: { items: { id: string; parentId: string; royaltyBps: number }[] };
  payments: { items: { epoch: string; amount: string; contributorsCut: string }[] };
  pool: { funded: string; claimed: string; royaltiesAccrued: string } | null;
  stakes: { items: { account: HexString; staked: string }[] };
  reports: {
    items: {
      reportHash: HexString;
      epoch: string;
      status: string;
      uri: string;
      supporters: string[];
      challengeEndsAt: string;
      fault: number | null;
    }[];
  };
}

const QUERY = `query ($id: BigInt!) {
  model(id: $id) { id owner parentId royaltyBps active metadataUri trainedOn }
  models(limit: 1000) { items { id parentId royaltyBps } }
  payments(where: { modelId: $id }, limit: 1000) { items { epoch amount contributorsCut } }
  pool(modelId: $id) { funded claimed royaltiesAccrued }
  stakes(where: { modelId: $id }, limit: 1000) { items { account staked } }
  reports(where: { modelId: $id }, orderBy: "epoch", orderDirection: "desc", limit: 1000) {
    items { reportHash epoch status uri supporters challengeEndsAt fault }
  }
}`;

/** A model: lineage with royalties, fees over time, pool and staking, reports, top contributions. */
export function ModelPage({ id }: { id: string }) {
  const data = useIndexer<ModelData>(["model", id], QUERY, { id });
  return (
    <section>
      <h1>Model #{id}</h1>
      <Show query={data} what="the model">
        {(d) =>
          d.model === null ? (
            <ErrorBox>UnknownModel: there is no model #{id} in this deployment.</ErrorBox>
          ) : (
            <>
              <dl className="stats">
                <Stat label="owner">
                  <Hex value={d.model.owner} href={`#/account/${d.model.owner}`} />
                </Stat>
                <Stat label="state">{d.model.active ? "active" : "inactive"}</Stat>
                <Stat label="trained on">
                  {d.model.trainedOn.map((v) => (
                    <a key={`${v.datanetId}-${v.version}`} href={`#/datanet/${v.datanetId}`}>
                      datanet #{v.datanetId} v{v.version}{" "}
                    </a>
                  ))}
                </Stat>
                <Stat label="contributor pool">
                  <span data-testid="pool">
                    {formatOpen(d.pool?.funded ?? 0)} funded, {formatOpen(d.pool?.claimed ?? 0)} claimed
                  </span>
                </Stat>
              </dl>
              <Lineage id={id} models={d.models.items} />
              <Fees payments={d.payments.items} />
              <Staking id={id} stakes={d.stakes.items} />
              <Reports reports={d.reports.items} />
              <TopContributions uri={d.reports.items.find((r) => r.status === "final")?.uri} />
            </>
          )
        }
      </Show>
    </section>
  );
}

function Lineage({
  id,
  models,
}: {
  id: string;
  models: { id: string; parentId: string; royaltyBps: number }[];
}) {
  const byId = new Map(models.map((m) => [m.id, m]));
  const chain: { id: string; royaltyBps: number }[] = [];
  for (let m = byId.get(id); m && m.parentId !== "0"; m = byId.get(m.parentId))
    chain.push({ id: m.parentId, royaltyBps: m.royaltyBps });
  if (chain.length === 0) return <p className="muted">A base model: no parent, no royalties.</p>;
  return (
    <>
      <h2>Lineage</h2>
      <ol className="lineage">
        {chain.map((p, i) => (
          <li key={p.id}>
            <a href={`#/model/${p.id}`}>model #{p.id}</a> receives {(p.royaltyBps / 100).toFixed(2)} % of{" "}
            {i === 0 ? "this model's" : "its child's"} fees
          </li>
        ))}
      </ol>
    </>
  );
}

/** Fees paid per epoch, as bars (the contributors' cut darker). */
function Fees({ payments }: { payments: ModelData["payments"]["items"] }) {
  const byEpoch = new Map<string, { amount: bigint; contributors: bigint }>();
  for (const p of payments) {
    const e = byEpoch.get(p.epoch) ?? { amount: 0n, contributors: 0n };
    byEpoch.set(p.epoch, {
      amount: e.amount + BigInt(p.amount),
      contributors: e.contributors + BigInt(p.contributorsCut),
    });
  }
  const rows = [...byEpoch].sort((a, b) => Number(BigInt(a[0]) - BigInt(b[0])));
  if (rows.length === 0) return <p className="muted">No inference fees paid yet.</p>;
  const max = rows.reduce((m, [, v]) => (v.amount > m ? v.amount : m), 1n);
  const width = 48;
  const height = 120;
  return (
    <>
      <h2>Fees paid per epoch</h2>
      <svg
        className="chart"
        width={rows.length * width + 10}
        height={height + 30}
        viewBox={`0 0 ${rows.length * width + 10} ${height + 30}`}
        role="img"
        aria-label="fees per epoch"
      >
        {rows.map(([epoch, v], i) => {
          const h = Number((v.amount * BigInt(height)) / max);
          const c = Number((v.contributors * BigInt(height)) / max);
          return (
            <g key={epoch} transform={`translate(${i * width + 10},0)`}>
              <title>{`epoch ${epoch}: ${formatOpen(v.amount)} (${formatOpen(v.contributors)} to contributors)`}</title>
              <rect x={0} y={height - h} width={width - 12} height={h} className="bar" />
              <rect x={0} y={height - c} width={width - 12} height={c} className="bar contributors" />
              <text x={(width - 12) / 2} y={height + 16} textAnchor="middle">
                {epoch}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="muted">
        epoch → fees paid; the darker part went to the contributor pool. Total{" "}
        {formatOpen(rows.reduce((s, [, v]) => s + v.amount, 0n))}.
      </p>
    </>
  );
}

function Staking({ id, stakes }: { id: string; stakes: ModelData["stakes"]["items"] }) {
  const oa = useOa();
  const { address } = useWallet();
  const total = stakes.reduce((s, x) => s + BigInt(x.staked), 0n);
  const mine = useQuery({
    queryKey: ["stake", id, address],
    enabled: address !== undefined,
    queryFn: () => oa.stakeOf(BigInt(id), address!),
  });
  return (
    <>
      <h2>Staking</h2>
      <p>
        {formatOpen(total)} staked by {stakes.filter((s) => BigInt(s.staked) > 0n).length} account(s)
        {mine.data &&
          `; yours: ${formatOpen(mine.data.staked)}, ${formatOpen(mine.data.pendingRewards)} rewards pending`}
      </p>
    </>
  );
}

function Reports({ reports }: { reports: ModelData["reports"]["items"] }) {
  const now = useChainNow();
  if (reports.length === 0) return <p className="muted">No report yet.</p>;
  return (
    <>
      <h2>Reports</h2>
      <div className="scroll">
        <table data-testid="reports">
          <thead>
            <tr>
              <th>epoch</th>
              <th>status</th>
              <th>supporters</th>
              <th>challenge window</th>
              <th>report</th>
            </tr>
          </thead>
          <tbody>
            {reports.map((r) => (
              <tr key={r.reportHash}>
                <td>{r.epoch}</td>
                <td className={`status ${r.status}`}>{r.status}</td>
                <td>{r.supporters.length}</td>
                <td>
                  {r.status === "pending"
                    ? `ends in ${countdown(r.challengeEndsAt, now)} (${formatDate(r.challengeEndsAt)})`
                    : `ended ${formatDate(r.challengeEndsAt)}`}
                </td>
                <td>
                  <Hex value={r.reportHash} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** The latest final report's heaviest contributions, with the engine's evidence when the document has it. */
function TopContributions({ uri }: { uri: string | undefined }) {
  const doc = useReportDocument(uri);
  if (!uri) return null;
  return (
    <>
      <h2>Top contributions (latest final report)</h2>
      <Show query={doc} what="the report document">
        {({ document }) => {
          const total = BigInt(document.totalWeight);
          const top = [...document.weights]
            .sort((a, b) => (BigInt(b.weight) > BigInt(a.weight) ? 1 : -1))
            .slice(0, 10);
          const evidence = evidenceOf(document.attribution);
          return (
            <ol className="top">
              {top.map((w) => (
                <li key={w.contributionId}>
                  <Hex value={w.contributionId} /> by{" "}
                  <Hex value={w.contributor} href={`#/account/${w.contributor}`} />:{" "}
                  {total > 0n ? ((Number(BigInt(w.weight)) * 100) / Number(total)).toFixed(1) : "0"} %
                  {(evidence.get(w.contributionId.toLowerCase()) ?? []).map((span, i) => (
                    <blockquote key={i}>“{span}”</blockquote>
                  ))}
                </li>
              ))}
            </ol>
          );
        }}
      </Show>
    </>
  );
}

/** Evidence spans by contribution id, from the engine's `attribution.evidence` when the document has it. */
function evidenceOf(attribution: unknown): Map<string, string[]> {
  const spans = new Map<string, string[]>();
  const list = (attribution as { evidence?: unknown } | undefined)?.evidence;
  if (!Array.isArray(list)) return spans;
  for (const e of list as { contributionId?: string; spans?: { text?: string }[] }[]) {
    if (typeof e.contributionId !== "string" || !Array.isArray(e.spans)) continue;
    const texts = e.spans.map((span) => span.text).filter((t): t is string => typeof t === "string");
    spans.set(e.contributionId.toLowerCase(), texts);
  }
  return spans;
}
