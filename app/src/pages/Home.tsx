import { Show, useIndexer, useWallet } from "../app.tsx";
import { formatOpen } from "../format.ts";

const QUERY = `{
  datanets(orderBy: "id", limit: 1000) { items { id kind contributionCount acceptedCount bond } }
  models(orderBy: "id", limit: 1000) { items { id parentId active } }
  pools(limit: 1000) { items { modelId funded claimed } }
}`;

/** Every datanet and model, with links; where to start for each role. */
export function HomePage() {
  const { address } = useWallet();
  const data = useIndexer<{
    datanets: {
      items: { id: string; kind: string; contributionCount: number; acceptedCount: number; bond: string }[];
    };
    models: { items: { id: string; parentId: string; active: boolean }[] };
    pools: { items: { modelId: string; funded: string; claimed: string }[] };
  }>(["home"], QUERY);
  return (
    <section>
      <h1>OpenAttribution</h1>
      <p>
        Contributions to AI models, what was decided about them, and what they earned.{" "}
        {address ? (
          <a href={`#/account/${address}`}>Your contributions and rewards</a>
        ) : (
          "Connect a wallet to see yours."
        )}
      </p>
      <Show query={data} what="datanets and models">
        {(d) => (
          <div className="columns">
            <div>
              <h2>Datanets</h2>
              <ul>
                {d.datanets.items.map((n) => (
                  <li key={n.id}>
                    <a href={`#/datanet/${n.id}`}>Datanet #{n.id}</a> ({n.kind}): {n.acceptedCount} of{" "}
                    {n.contributionCount} accepted, bond {formatOpen(n.bond)}
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h2>Models</h2>
              <ul>
                {d.models.items.map((m) => {
                  const pool = d.pools.items.find((p) => p.modelId === m.id);
                  return (
                    <li key={m.id}>
                      <a href={`#/model/${m.id}`}>Model #{m.id}</a>
                      {m.parentId !== "0" && ` (adapter of #${m.parentId})`}: pool{" "}
                      {formatOpen(pool?.funded ?? 0)}, {m.active ? "active" : "inactive"}
                    </li>
                  );
                })}
              </ul>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}
