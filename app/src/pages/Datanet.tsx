import type { Hex as HexString } from "viem";

import { ActionStatus, ErrorBox, Show, useAction, useIndexer, useOa, useWallet } from "../app.tsx";
import { Hex } from "../components/Address.tsx";
import { Stat } from "../components/Stat.tsx";
import { formatDate, formatOpen } from "../format.ts";

interface DatanetData {
  datanet: {
    id: string;
    owner: HexString;
    kind: string;
    open: boolean;
    optimistic: boolean;
    reviewQuorum: number;
    reviewWindow: number;
    dailyLimit: number;
    bond: string;
    commitRevealOnly: boolean;
    contributionCount: number;
    acceptedCount: number;
    metadataUri: string;
  } | null;
  reviewers: { items: { account: HexString }[] };
  contributions: {
    items: {
      id: HexString;
      contributor: HexString;
      status: string;
      approvals: number;
      rejections: number;
      submittedAt: string;
    }[];
  };
  datanetVersions: { items: { version: number; acceptedCount: string; timestamp: string }[] };
  reviews: { items: { contributionId: HexString; reviewer: HexString }[] };
}

const QUERY = `query ($id: BigInt!) {
  datanet(id: $id) { id owner kind open optimistic reviewQuorum reviewWindow dailyLimit bond commitRevealOnly contributionCount acceptedCount metadataUri }
  reviewers(where: { datanetId: $id, active: true }, limit: 1000) { items { account } }
  contributions(where: { datanetId: $id }, orderBy: "submittedAt", orderDirection: "desc", limit: 1000) {
    items { id contributor status approvals rejections submittedAt }
  }
  datanetVersions(where: { datanetId: $id }, orderBy: "version", limit: 1000) { items { version acceptedCount timestamp } }
  reviews(limit: 1000) { items { contributionId reviewer } }
}`;

/** A datanet: settings, reviewers, contributions, versions; for its reviewers, the queue to decide. */
export function DatanetPage({ id }: { id: string }) {
  const data = useIndexer<DatanetData>(["datanet", id], QUERY, { id });
  return (
    <section>
      <h1>Datanet #{id}</h1>
      <Show query={data} what="the datanet">
        {(d) =>
          d.datanet === null ? (
            <ErrorBox>UnknownDatanet: there is no datanet #{id} in this deployment.</ErrorBox>
          ) : (
            <>
              <Settings d={d.datanet} />
              <ReviewQueue data={d} />
              <h2>Reviewers</h2>
              <ul className="inline">
                {d.reviewers.items.map((r) => (
                  <li key={r.account}>
                    <Hex value={r.account} href={`#/account/${r.account}`} />
                  </li>
                ))}
              </ul>
              <h2>Contributions</h2>
              <div className="scroll">
                <table data-testid="datanet-contributions">
                  <thead>
                    <tr>
                      <th>contribution</th>
                      <th>contributor</th>
                      <th>status</th>
                      <th>for / against</th>
                      <th>submitted</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.contributions.items.map((c) => (
                      <tr key={c.id} data-id={c.id}>
                        <td>
                          <Hex value={c.id} />
                        </td>
                        <td>
                          <Hex value={c.contributor} href={`#/account/${c.contributor}`} />
                        </td>
                        <td className={`status ${c.status}`}>{c.status}</td>
                        <td>
                          {c.approvals} / {c.rejections}
                        </td>
                        <td>{formatDate(c.submittedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <h2>Versions</h2>
              <ul>
                {d.datanetVersions.items.map((v) => (
                  <li key={v.version}>
                    version {v.version}: {v.acceptedCount} accepted contributions, {formatDate(v.timestamp)}
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Show>
    </section>
  );
}

function Settings({ d }: { d: NonNullable<DatanetData["datanet"]> }) {
  return (
    <dl className="stats">
      <Stat label="kind">{d.kind}</Stat>
      <Stat label="owner">
        <Hex value={d.owner} href={`#/account/${d.owner}`} />
      </Stat>
      <Stat label="entry">
        {d.open ? "open to anyone" : "closed"}
        {d.commitRevealOnly ? ", commit-reveal only" : ""}
      </Stat>
      <Stat label="review">
        {d.optimistic ? "optimistic" : "by quorum"}, quorum {d.reviewQuorum}, window{" "}
        {Math.round(d.reviewWindow / 3600)} h
      </Stat>
      <Stat label="bond">{formatOpen(d.bond)}</Stat>
      <Stat label="daily limit">{d.dailyLimit === 0 ? "none" : d.dailyLimit}</Stat>
      <Stat label="contributions">
        {d.contributionCount} ({d.acceptedCount} accepted)
      </Stat>
    </dl>
  );
}

/** Pending contributions the connected reviewer has not voted on, with approve and reject buttons. */
function ReviewQueue({ data }: { data: DatanetData }) {
  const oa = useOa();
  const action = useAction();
  const { address, wrongNetwork } = useWallet();
  const me = address?.toLowerCase();
  if (!me || !data.reviewers.items.some((r) => r.account.toLowerCase() === me)) return null;
  const voted = new Set(
    data.reviews.items.filter((r) => r.reviewer.toLowerCase() === me).map((r) => r.contributionId),
  );
  const queue = data.contributions.items.filter(
    (c) => c.status === "pending" && !voted.has(c.id) && c.contributor.toLowerCase() !== me,
  );
  return (
    <>
      <h2>Your review queue ({queue.length})</h2>
      <ActionStatus action={action} />
      {queue.length === 0 ? (
        <p className="muted">Nothing waits for your vote.</p>
      ) : (
        <ul className="queue" data-testid="review-queue">
          {queue.map((c) => (
            <li key={c.id} data-id={c.id}>
              <Hex value={c.id} /> by <Hex value={c.contributor} /> ({c.approvals} for, {c.rejections}{" "}
              against)
              {!wrongNetwork && (
                <span className="buttons">
                  <button
                    type="button"
                    disabled={action.busy !== null}
                    onClick={() =>
                      action.run(
                        `approve-${c.id}`,
                        () => oa.review({ contributionId: c.id, approve: true }),
                        "Approved.",
                      )
                    }
                  >
                    Approve
                  </button>
                  <button
                    type="button"
                    disabled={action.busy !== null}
                    onClick={() =>
                      action.run(
                        `reject-${c.id}`,
                        () => oa.review({ contributionId: c.id, approve: false }),
                        "Rejected.",
                      )
                    }
                  >
                    Reject
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
