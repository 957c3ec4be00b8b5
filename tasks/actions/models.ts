import { writeFileSync } from "node:fs";

import { UsageError } from "../lib/args.js";
import { modelContributions } from "../lib/eligibility.js";
import { operatorAction, requireCreated, type OperatorContext } from "../lib/operator.js";
import { formatDate, formatOpen, output, toJson, txNote } from "../lib/output.js";
import { ensureAllowance } from "./token.js";

/** A model that exists, or a UsageError naming `--model`. */
export async function existingModel(ctx: OperatorContext, modelId: bigint) {
  requireCreated("model", modelId, (await ctx.reader.counts()).models);
  return ctx.reader.getModel(modelId);
}

/** oa:model:register — registers a model trained on datanet versions (`--versions 1:2,3:1`). */
export const register = operatorAction(async (args, ctx) => {
  const trainedOn = args.list("versions").map((pair) => {
    const match = /^(\d+):(\d+)$/.exec(pair);
    if (!match) throw new UsageError(`--versions entries look like DATANET:VERSION (1:2), got "${pair}"`);
    return { datanetId: Number(match[1]), version: Number(match[2]) };
  });
  const parentId = args.has("parent") ? args.id("parent") : 0n;
  if (parentId !== 0n) await existingModel(ctx, parentId);
  const royaltyBps = args.optionalInteger("royaltyBps", 0, 10_000) ?? 0;
  const { oa } = await ctx.signer();
  const { result: modelId, hash } = await oa.registerModel({
    metadataURI: args.text("uri"),
    trainedOn,
    parentId,
    royaltyBps,
  });
  return output(
    { modelId, trainedOn, parentId, royaltyBps, tx: hash },
    `Registered model #${modelId} trained on ${trainedOn.map((v) => `datanet #${v.datanetId} v${v.version}`).join(", ")}` +
      `${parentId === 0n ? "" : ` (adapter of #${parentId}, royalty ${royaltyBps / 100} %)`} ${txNote(hash)}`,
  );
});

/** oa:model:active — activates or deactivates a model (`--active false`). */
export const active = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const on = args.bool("active", true);
  const { oa } = await ctx.signer();
  const { hash } = await oa.setModelActive({ modelId, active: on });
  return output(
    { modelId, active: on, tx: hash },
    `Model #${modelId} is now ${on ? "active" : "inactive"} ${txNote(hash)}`,
  );
});

/** oa:model:show — a model, its pool, its reports and the datanet versions it was trained on. */
export const show = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  const model = await existingModel(ctx, modelId);
  const { reader } = ctx;
  const trainedOn = await reader.trainedOn(modelId);
  const pool = await reader.pool(modelId);
  const reports = await reader.modelReports(modelId);
  return output(
    { modelId, ...model, trainedOn, pool, reports },
    `Model #${modelId}${model.active ? "" : " (inactive)"}, owner ${model.owner}` +
      `${model.parentId === 0 ? "" : `, adapter of #${model.parentId} (royalty ${model.royaltyBps / 100} %)`}`,
    `  trained on ${trainedOn.map((v) => `datanet #${v.datanetId} v${v.version}`).join(", ")}`,
    `  contributor pool: funded ${formatOpen(pool.funded)}, claimed ${formatOpen(pool.claimed)}`,
    `  final report: ${reports.hasFinal ? `epoch ${reports.finalEpoch} (${formatOpen(reports.totalCumulative)} cumulative)` : "none"}` +
      `${reports.hasPending ? `; pending: epoch ${reports.pendingEpoch}, challenge ends ${formatDate(reports.challengeEndsAt)}` : ""}`,
  );
});

/**
 * oa:model:contributions — the accepted contributions of the datanet versions a model was
 * trained on, marked eligible for `--epoch` (default: the current one); `--out` exports them.
 */
export const contributions = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  const epoch = args.has("epoch") ? args.epoch("epoch") : ctx.reader.epochAt(await ctx.now());
  const { trainedOn, contributions: list } = await modelContributions(ctx, modelId, epoch);
  const document = { chainId: ctx.chainId, modelId, epoch, trainedOn, contributions: list };
  const out = args.optionalText("out");
  if (out !== undefined) writeFileSync(out, `${toJson(document)}\n`);
  const eligible = list.filter((c) => c.eligible).length;
  return output(
    document,
    `Model #${modelId}, epoch ${epoch}: ${list.length} contribution(s) in its datanet versions, ${eligible} eligible`,
    ...list.map(
      (c) =>
        `  ${c.eligible ? "eligible  " : "ineligible"} ${c.contributionId} datanet #${c.datanetId} v${c.versions.join(",v")} ` +
        `${c.status}${c.withdrawnAt === 0n ? "" : ` (withdrawn ${formatDate(c.withdrawnAt)})`} by ${c.contributor} ${c.uri}`,
    ),
    ...(out === undefined ? [] : [`Wrote ${out}`]),
  );
});

/** oa:pay — pays OPEN for inference on a model (approves the distributor if needed). */
export const pay = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const amount = args.open("amount");
  const approved = await ensureAllowance(ctx, ctx.reader.addresses.distributor, amount);
  const { oa } = await ctx.signer();
  const { hash } = await oa.payInference({ modelId, amount });
  const pool = await ctx.reader.pool(modelId);
  return output(
    { modelId, amount, poolFunded: pool.funded, tx: hash },
    ...approved,
    `Paid ${formatOpen(amount)} for inference on model #${modelId}; its contributor pool is now ${formatOpen(pool.funded)} ${txNote(hash)}`,
  );
});

/** oa:settle-royalties — splits an adapter's accrued royalties into its parent's buckets (anyone). */
export const settleRoyalties = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const { oa } = await ctx.signer();
  const { hash } = await oa.settleRoyalties({ modelId });
  return output({ modelId, tx: hash }, `Settled the royalties of model #${modelId} ${txNote(hash)}`);
});

/** oa:withdraw-balance — withdraws the account's owner balance, or with --treasury the treasury's. */
export const withdrawBalance = operatorAction(async (args, ctx) => {
  const { address, oa } = await ctx.signer();
  const treasury = args.flag("treasury");
  const { result: amount, hash } = treasury ? await oa.withdrawTreasury() : await oa.withdrawBalance();
  return output(
    { account: treasury ? "treasury" : address, amount, tx: hash },
    `Withdrew ${formatOpen(amount)} to ${treasury ? "the treasury" : address} ${txNote(hash)}`,
  );
});
