import { UsageError } from "../lib/args.js";
import { DEVELOPMENT_CHAIN_IDS, operatorAction } from "../lib/operator.js";
import { formatDate, formatOpen, output } from "../lib/output.js";

/** oa:status — the deployment, the current epoch and every model's pool and reports. */
export const status = operatorAction(async (_args, ctx) => {
  const { deployment, reader } = ctx;
  const now = await ctx.now();
  const epoch = reader.epochAt(now);
  const { datanets, models } = await reader.counts();
  const rows = [];
  for (let id = 1n; id <= models; id++) {
    const model = await reader.getModel(id);
    const pool = await reader.pool(id);
    const reports = await reader.modelReports(id);
    rows.push({
      modelId: id,
      owner: model.owner,
      parentId: model.parentId,
      active: model.active,
      poolFunded: pool.funded,
      poolClaimed: pool.claimed,
      finalEpoch: reports.hasFinal ? reports.finalEpoch : null,
      pendingEpoch: reports.hasPending ? reports.pendingEpoch : null,
    });
  }
  const treasury = (await reader.balances(reader.addresses.timelock)).treasuryBalance;
  return output(
    {
      network: ctx.networkName,
      chainId: ctx.chainId,
      gitCommit: deployment.gitCommit,
      contracts: Object.fromEntries(Object.entries(deployment.contracts).map(([n, c]) => [n, c.address])),
      time: now,
      epoch,
      epochEnds: reader.epochEnd(epoch),
      datanets,
      models: rows,
      treasuryBalance: treasury,
    },
    `Deployment on ${ctx.networkName} (chain ${ctx.chainId}, commit ${deployment.gitCommit.slice(0, 10)})`,
    ...Object.entries(deployment.contracts).map(([name, c]) => `  ${name.padEnd(22)} ${c.address}`),
    `Chain time ${formatDate(now)}: epoch ${epoch}, ends ${formatDate(reader.epochEnd(epoch))}`,
    `${datanets} datanet(s), ${models} model(s); treasury balance in the distributor ${formatOpen(treasury)}`,
    ...rows.map(
      (r) =>
        `  model #${r.modelId}${r.active ? "" : " (inactive)"}: pool funded ${formatOpen(r.poolFunded)}, ` +
        `claimed ${formatOpen(r.poolClaimed)}, final report ${r.finalEpoch === null ? "none" : `epoch ${r.finalEpoch}`}` +
        `${r.pendingEpoch === null ? "" : `, pending report epoch ${r.pendingEpoch}`}`,
    ),
  );
});

/** oa:time — moves a development chain's clock forward (`--advance`, `--to` or `--to-epoch`) and mines a block. */
export const time = operatorAction(
  async (args, ctx) => {
    if (!DEVELOPMENT_CHAIN_IDS.includes(ctx.chainId))
      throw new UsageError(
        `oa:time only moves development chains (chain ${DEVELOPMENT_CHAIN_IDS.join(" or ")}); ` +
          `--network ${ctx.networkName} is chain ${ctx.chainId}`,
      );
    const given = ["advance", "to"].filter((name) => args.has(name));
    if (given.length !== 1) throw new UsageError("give exactly one of --advance (e.g. 1d) or --to (a date)");
    const before = await ctx.now();
    const seconds = args.has("advance") ? BigInt(args.duration("advance")) : args.date("to") - before;
    if (seconds <= 0n)
      throw new UsageError(
        `--to must be after the chain's time (${formatDate(before)}); the clock only moves forward`,
      );
    await ctx.provider.request({ method: "evm_increaseTime", params: [Number(seconds)] });
    await ctx.provider.request({ method: "evm_mine", params: [] });
    const after = await ctx.now();
    return output(
      { before, after },
      `Chain time ${formatDate(before)} → ${formatDate(after)} (+${after - before} s)`,
    );
  },
  { deployment: false },
);
