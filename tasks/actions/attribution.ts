import type { Address, Hex } from "viem";

import { attributionRegistryAbi, type ReportDocument } from "../../sdk/index.js";
import { UsageError } from "../lib/args.js";
import { engineParams, runEngine } from "../lib/attribution.js";
import { operatorAction, type OperatorContext } from "../lib/operator.js";
import { formatOpen, output, printOutput, txNote } from "../lib/output.js";
import { challengePending, rawDocument, reportBasis, reportFile, writeReport } from "./reports.js";

/**
 * attribution run — computes a closed epoch's weights with the engine and writes the report;
 * `--submit --uri …` also attests it (attesters).
 */
export const run = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  const epoch = args.epoch("epoch");
  args.text("out");
  if (args.flag("submit")) args.text("uri");
  const basis = await reportBasis(args, ctx, modelId, epoch);
  const { report, result, shards } = await runEngine(args, ctx, modelId, epoch, basis, engineParams(args));
  const out = writeReport(args, report);
  const lines = [
    `Attributed ${result.stats.outputs} output(s) (${result.stats.outputTokens} tokens) of model #${modelId} epoch ${epoch}: ` +
      `${result.stats.spans} span(s) kept, ${result.weights.size} contribution(s) weighted`,
    ...shards.map(
      (s) =>
        `  index of datanet #${s.datanetId} v${s.version}: ${s.documents} contribution(s), ${s.tokens} tokens, ` +
        `${s.built ? "built" : "reused"} (${s.indexHash.slice(0, 16)}…)`,
    ),
  ];
  const evidence = (report.document.attribution?.evidence ?? []) as {
    contributionId: Hex;
    weight: string;
    spans: { outputId: string; text: string }[];
  }[];
  for (const e of evidence.slice(0, 3)) {
    lines.push(`  ${e.contributionId.slice(0, 18)}… weight ${e.weight}`);
    for (const span of e.spans.slice(0, 2))
      lines.push(`    "${span.text.trim().replace(/\s+/g, " ")}" (output ${span.outputId})`);
  }
  lines.push(`Report: pool ${formatOpen(report.pool)}, cumulative root ${report.cumulativeRoot} → ${out}`);
  let submitted: { reportHash: Hex; tx: Hex } | undefined;
  if (args.flag("submit")) {
    const { oa } = await ctx.signer();
    const { result: reportHash, hash } = await oa.submitReport({
      modelId,
      epoch,
      report: report.toOnchain(args.text("uri")),
    });
    submitted = { reportHash, tx: hash };
    lines.push(`Attested it as ${reportHash} ${txNote(hash)}`);
  }
  return output(
    {
      modelId,
      epoch,
      file: out,
      weightsRoot: report.weightsRoot,
      cumulativeRoot: report.cumulativeRoot,
      totalWeight: report.totalWeight,
      totalCumulative: report.totalCumulative,
      shards,
      submitted,
    },
    ...lines,
  );
});

/** The report the chain holds for a model's epoch (the last one that became pending), and its state. */
async function reportOnChain(ctx: OperatorContext, modelId: bigint, epoch: bigint) {
  const logs = await ctx.publicClient.getContractEvents({
    address: ctx.reader.addresses.attribution,
    abi: attributionRegistryAbi,
    fromBlock: BigInt(ctx.deployment.startBlock),
  });
  const ofEpoch = logs.filter((log) => {
    const args = log.args as { modelId?: bigint; epoch?: bigint };
    return args.modelId === modelId && args.epoch === epoch;
  });
  const last = ofEpoch.filter((log) => log.eventName === "ReportPending").at(-1);
  if (last?.eventName !== "ReportPending")
    throw new UsageError(`model #${modelId} has no report for epoch ${epoch} on chain (none became pending)`);
  const { reportHash, report } = last.args;
  const after = ofEpoch.filter((log) => log.blockNumber >= last.blockNumber).map((log) => log.eventName);
  const state = after.includes("ReportFinalized")
    ? "final"
    : after.includes("ReportVetoed")
      ? "vetoed"
      : after.includes("ReportVoided")
        ? "voided"
        : "pending";
  return { reportHash: reportHash!, state, ...report! };
}

/**
 * attribution verify — recomputes a model's epoch from its inputs (content, outputs, the previous
 * final report) and compares it, field by field, with the report on chain; any difference exits
 * with code 1. With `--report`, the posted document's engine parameters are used and its weights
 * are compared too.
 */
export const verify = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  const epoch = args.epoch("epoch");
  // As posted: a wrong report's document need not add up, and its leaves are what a challenge proves.
  const posted = args.has("report") ? rawDocument("report", args.text("report")) : undefined;
  const recorded = (posted?.attribution?.engine as { params?: object } | undefined)?.params;
  const params = engineParams(args, recorded);
  let previous = new Map<Address, bigint>();
  let previousTotal = 0n;
  if (args.has("previous")) {
    const prev = reportFile("previous", args.text("previous"));
    previous = prev.cumulative;
    previousTotal = prev.totalCumulative;
  }
  const pool = (await ctx.reader.poolFundedUpTo(modelId, epoch)) - previousTotal;
  const onchain = await reportOnChain(ctx, modelId, epoch);
  const { report } = await runEngine(args, ctx, modelId, epoch, { previous, pool }, params);

  const fields: [string, string, string][] = [
    ["weightsRoot", report.weightsRoot, onchain.weightsRoot],
    ["totalWeight", report.totalWeight.toString(), onchain.totalWeight.toString()],
    ["cumulativeRoot", report.cumulativeRoot, onchain.cumulativeRoot],
    ["totalCumulative", report.totalCumulative.toString(), onchain.totalCumulative.toString()],
  ];
  const mismatched = fields.filter(([, mine, theirs]) => mine !== theirs).map(([name]) => name);
  const weightDiffs: string[] = [];
  if (posted) {
    const mine = new Map(report.document.weights.map((w) => [w.contributionId, w.weight]));
    const theirs = new Map(posted.weights.map((w) => [w.contributionId, w.weight]));
    for (const id of new Set([...mine.keys(), ...theirs.keys()]))
      if (mine.get(id) !== theirs.get(id))
        weightDiffs.push(`${id}: recomputed ${mine.get(id) ?? "none"}, posted ${theirs.get(id) ?? "none"}`);
  }
  const text = [
    `Report ${onchain.reportHash} of model #${modelId} epoch ${epoch} (${onchain.state} on chain, ${onchain.uri}):`,
    ...fields.map(
      ([name, mine, theirs]) =>
        `  ${mine === theirs ? "match   " : "MISMATCH"} ${name.padEnd(16)} recomputed ${mine}${mine === theirs ? "" : `, on chain ${theirs}`}`,
    ),
    ...weightDiffs.map((d) => `  MISMATCH weight of ${d}`),
  ];
  const json = {
    modelId,
    epoch,
    reportHash: onchain.reportHash,
    state: onchain.state,
    fields: fields.map(([name, recomputed, chain]) => ({
      name,
      recomputed,
      onchain: chain,
      match: recomputed === chain,
    })),
    weightDiffs,
  };
  if (mismatched.length === 0 && weightDiffs.length === 0)
    return output(json, ...text, "The report on chain is what its inputs give.");
  if (args.flag("challenge")) {
    if (!posted)
      throw new UsageError("--challenge needs --report: the posted document holds the leaves to prove");
    if (onchain.state !== "pending")
      throw new UsageError(
        `--challenge: the report is ${onchain.state}, only a pending report can be challenged`,
      );
    const previousDocument = args.has("previous")
      ? reportFile("previous", args.text("previous")).document
      : undefined;
    const found = await challengePending(ctx, modelId, posted, previousDocument, false);
    text.push(
      found.faults.length === 0
        ? "No provable fault: the difference is not one a challenge can prove (ask the guardian to veto)"
        : `${found.faults.length} provable fault(s):`,
      ...found.lines,
    );
    Object.assign(json, { challenge: { faults: found.faults.map((f) => f.fault), tx: found.tx } });
    if (found.tx) return output(json, ...text);
  }
  printOutput(output(json, ...text), args.flag("json"));
  throw new UsageError(
    `the report on chain differs from its recomputation in ${[...mismatched, ...(weightDiffs.length ? [`${weightDiffs.length} weight(s)`] : [])].join(", ")}`,
  );
});
