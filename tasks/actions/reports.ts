import { writeFileSync } from "node:fs";

import type { Address, Hex } from "viem";

import {
  buildReport,
  hashReport,
  loadReport,
  OpenAttributionError,
  rewardDistributorAbi,
  type Attestation,
  type BuiltReport,
  type ReportDocument,
} from "../../sdk/index.js";
import { parseJsonFile, readOptionFile, UsageError, type TaskArgs } from "../lib/args.js";
import { modelContributions } from "../lib/eligibility.js";
import { operatorAction, type OperatorContext } from "../lib/operator.js";
import { formatDate, formatOpen, output, toJson, txNote } from "../lib/output.js";
import { existingModel } from "./models.js";

/** A report document from a file, its roots checked against its contents. */
export function reportFile(name: string, path: string): BuiltReport {
  const document = parseJsonFile<ReportDocument>(name, path, readOptionFile(name, path));
  try {
    return loadReport(document);
  } catch (error) {
    if (error instanceof OpenAttributionError || error instanceof TypeError)
      throw new UsageError(`--${name} ${path} is not a valid report: ${error.message}`);
    throw error;
  }
}

/** The model's on-chain claim root and cumulative total (what the last final report set). */
async function claimRoot(ctx: OperatorContext, modelId: bigint): Promise<{ root: Hex; total: bigint }> {
  const [root, total] = await ctx.publicClient.readContract({
    address: ctx.reader.addresses.distributor,
    abi: rewardDistributorAbi,
    functionName: "claimRoot",
    args: [modelId],
  });
  return { root, total };
}

/** The weights of `--weights`: a JSON list of {contributionId, weight}, each eligible for the epoch. */
async function eligibleWeights(args: TaskArgs, ctx: OperatorContext, modelId: bigint, epoch: bigint) {
  const path = args.text("weights");
  const entries =
    args.json<{ contributionId?: unknown; contributor?: unknown; weight?: unknown }[]>("weights");
  if (!Array.isArray(entries) || entries.length === 0)
    throw new UsageError(`--weights ${path} must be a non-empty JSON list of {"contributionId", "weight"}`);
  const { contributions } = await modelContributions(ctx, modelId, epoch);
  const known = new Map(contributions.map((c) => [c.contributionId.toLowerCase(), c]));
  return entries.map((entry, i) => {
    const where = `--weights ${path} entry ${i}`;
    const id = String(entry.contributionId).toLowerCase();
    const c = known.get(id);
    if (!c)
      throw new UsageError(
        `${where}: ${String(entry.contributionId)} is not in the datanet versions model #${modelId} was trained on`,
      );
    if (!c.eligible)
      throw new UsageError(
        `${where}: ${c.contributionId} is ${c.status}${c.withdrawnAt === 0n ? "" : ` since ${formatDate(c.withdrawnAt)}`}, ` +
          `not eligible in epoch ${epoch}: remove it`,
      );
    if (
      entry.contributor !== undefined &&
      String(entry.contributor).toLowerCase() !== c.contributor.toLowerCase()
    )
      throw new UsageError(
        `${where}: its contributor is ${c.contributor} on chain, not ${String(entry.contributor)}`,
      );
    const weight = typeof entry.weight === "number" ? String(entry.weight) : entry.weight;
    if (typeof weight !== "string" || !/^\d+$/.test(weight) || BigInt(weight) === 0n)
      throw new UsageError(
        `${where}: weight must be a positive whole number, got ${JSON.stringify(entry.weight)}`,
      );
    return { contributionId: c.contributionId, contributor: c.contributor, weight: BigInt(weight) };
  });
}

/**
 * What a new report of `epoch` continues from, checked against the chain: the epoch is closed
 * and not reported yet, `--previous` is the model's last final report (required once there is
 * one), and the pool is what was funded up to the epoch's end minus what was already reported.
 */
export async function reportBasis(args: TaskArgs, ctx: OperatorContext, modelId: bigint, epoch: bigint) {
  await existingModel(ctx, modelId);
  const end = ctx.reader.epochEnd(epoch);
  if ((await ctx.now()) < end)
    throw new UsageError(
      `--epoch ${epoch} is still open until ${formatDate(end)}: build its report after it ends`,
    );
  const reports = await ctx.reader.modelReports(modelId);
  if (reports.hasFinal && epoch <= BigInt(reports.finalEpoch))
    throw new UsageError(
      `--epoch ${epoch}: model #${modelId} already has a final report for epoch ${reports.finalEpoch}`,
    );
  let previous = new Map<Address, bigint>();
  const onchain = await claimRoot(ctx, modelId);
  if (args.has("previous")) {
    const prev = reportFile("previous", args.text("previous"));
    if (prev.modelId !== modelId || prev.cumulativeRoot !== onchain.root)
      throw new UsageError(
        `--previous ${args.text("previous")} is not model #${modelId}'s last final report (on chain: root ${onchain.root})`,
      );
    previous = prev.cumulative;
  } else if (reports.hasFinal) {
    throw new UsageError(
      `--previous is required: model #${modelId} has a final report (epoch ${reports.finalEpoch}) to continue`,
    );
  }
  const pool = (await ctx.reader.poolFundedUpTo(modelId, epoch)) - onchain.total;
  return { previous, pool };
}

/** Writes a built report's document to `--out`. */
export function writeReport(args: TaskArgs, report: BuiltReport): string {
  const out = args.text("out");
  writeFileSync(out, `${toJson(report.document)}\n`);
  return out;
}

/**
 * oa:report:build — builds the report of a closed epoch from weights over eligible
 * contributions, continuing the model's last final report (`--previous`), and writes it to `--out`.
 */
export const build = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  const epoch = args.epoch("epoch");
  args.text("out");
  const { previous, pool } = await reportBasis(args, ctx, modelId, epoch);
  const weights = await eligibleWeights(args, ctx, modelId, epoch);
  const report = buildReport({ modelId, epoch, weights, previous, pool });
  const out = writeReport(args, report);
  return output(
    {
      modelId,
      epoch,
      pool,
      weightsRoot: report.weightsRoot,
      cumulativeRoot: report.cumulativeRoot,
      documentHash: report.documentHash,
      file: out,
    },
    `Built the report of model #${modelId} for epoch ${epoch}: ${weights.length} contribution(s), pool ${formatOpen(pool)}`,
    `  cumulative root ${report.cumulativeRoot}, document hash ${report.documentHash} → ${out}`,
  );
});

/** An attestation written by oa:report:sign. */
interface AttestationFile {
  modelId: string;
  epoch: string;
  reportHash: Hex;
  attester: Address;
  signature: Hex;
}

/** The attestations of `--signatures`, each checked to sign this report. */
function attestationFiles(args: TaskArgs, modelId: bigint, epoch: bigint, reportHash: Hex): Attestation[] {
  return args.list("signatures").map((path) => {
    const a = parseJsonFile<AttestationFile>("signatures", path, readOptionFile("signatures", path));
    if (typeof a.attester !== "string" || typeof a.signature !== "string")
      throw new UsageError(`--signatures ${path} is not an attestation written by oa:report:sign`);
    if (a.modelId !== modelId.toString() || a.epoch !== epoch.toString() || a.reportHash !== reportHash)
      throw new UsageError(
        `--signatures ${path} signs report ${a.reportHash} of model #${a.modelId} epoch ${a.epoch}, not ${reportHash}`,
      );
    return { attester: a.attester, signature: a.signature };
  });
}

/** oa:report:sign — an attester signs a built report off chain (EIP-712) for anyone to submit with others'. */
export const sign = operatorAction(async (args, ctx) => {
  const report = reportFile("report", args.text("report"));
  const out = args.text("out");
  const onchain = report.toOnchain(args.text("uri"));
  const { oa } = await ctx.signer();
  const attestation = await oa.signReport({ modelId: report.modelId, epoch: report.epoch, report: onchain });
  const reportHash = hashReport(report.modelId, report.epoch, onchain);
  const file = {
    modelId: report.modelId.toString(),
    epoch: report.epoch.toString(),
    reportHash,
    ...attestation,
  };
  writeFileSync(out, `${toJson(file)}\n`);
  return output(
    file,
    `${attestation.attester} signed report ${reportHash} of model #${report.modelId} epoch ${report.epoch} → ${out}`,
    `  submit it with the others': oa:report:submit --report … --uri ${onchain.uri} --signatures ${out},…`,
  );
});

/**
 * oa:report:submit — an attester's attestation of a built report (`--uri`: where the document is
 * published); with `--signatures`, anyone submits the report with attesters' signatures in one
 * transaction.
 */
export const submit = operatorAction(async (args, ctx) => {
  const report = reportFile("report", args.text("report"));
  const onchain = report.toOnchain(args.text("uri"));
  const { oa } = await ctx.signer();
  const signed = args.has("signatures");
  const { result: reportHash, hash } = signed
    ? await oa.submitAttestedReport({
        modelId: report.modelId,
        epoch: report.epoch,
        report: onchain,
        attestations: attestationFiles(
          args,
          report.modelId,
          report.epoch,
          hashReport(report.modelId, report.epoch, onchain),
        ),
      })
    : await oa.submitReport({ modelId: report.modelId, epoch: report.epoch, report: onchain });
  const state = await ctx.reader.modelReports(report.modelId);
  const pending = state.hasPending && BigInt(state.pendingEpoch) === report.epoch;
  return output(
    {
      modelId: report.modelId,
      epoch: report.epoch,
      reportHash,
      pending,
      challengeEndsAt: pending ? state.challengeEndsAt : null,
      tx: hash,
    },
    `${signed ? "Submitted signed" : "Attested"} report ${reportHash} of model #${report.modelId} epoch ${report.epoch}` +
      (pending
        ? `: pending, challenge window ends ${formatDate(state.challengeEndsAt)}`
        : ": waiting for more attesters") +
      ` ${txNote(hash)}`,
  );
});

/** oa:report:finalize — finalizes a model's pending report after its challenge window (anyone). */
export const finalize = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const { oa } = await ctx.signer();
  const { hash } = await oa.finalizeReport({ modelId });
  const { total } = await claimRoot(ctx, modelId);
  return output(
    { modelId, totalCumulative: total, tx: hash },
    `Finalized the pending report of model #${modelId}: ${formatOpen(total)} claimable in total ${txNote(hash)}`,
  );
});

/** oa:report:veto — the guardian vetoes a model's pending report. */
export const veto = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const { oa } = await ctx.signer();
  const { hash } = await oa.veto({ modelId });
  return output({ modelId, tx: hash }, `Vetoed the pending report of model #${modelId} ${txNote(hash)}`);
});

/** oa:report:show — a model's final and pending reports and its claim root. */
export const show = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const r = await ctx.reader.modelReports(modelId);
  const { root, total } = await claimRoot(ctx, modelId);
  return output(
    { modelId, ...r, claimRoot: root, totalCumulative: total },
    `Model #${modelId}: final report ${r.hasFinal ? `epoch ${r.finalEpoch}, claim root ${root}, ${formatOpen(total)} cumulative` : "none"}`,
    `  pending: ${r.hasPending ? `epoch ${r.pendingEpoch}, challenge window ends ${formatDate(r.challengeEndsAt)}` : "none"} (round ${r.round})`,
  );
});

/** A report document from a file as it is: a wrong report's document need not add up. */
export function rawDocument(name: string, path: string): ReportDocument {
  const document = parseJsonFile<ReportDocument>(name, path, readOptionFile(name, path));
  if (
    !Array.isArray(document.weights) ||
    !Array.isArray(document.cumulative) ||
    document.modelId === undefined
  )
    throw new UsageError(`--${name} ${path} is not a report document (weights, cumulative, modelId)`);
  return document;
}

/**
 * Looks for provable faults in a model's pending report, from its posted document; sends the
 * first as a challenge unless `dryRun`. Shared by oa:report:challenge and attribution verify.
 */
export async function challengePending(
  ctx: OperatorContext,
  modelId: bigint,
  document: ReportDocument,
  previous: ReportDocument | undefined,
  dryRun: boolean,
) {
  const { oa } = await ctx.signer();
  const { pending, faults } = await oa.findReportFaults({ modelId, document, previous });
  const describe = (f: (typeof faults)[number]) =>
    f.kind === "weight"
      ? `${f.fault}: weight ${f.evidence.weight} for ${f.evidence.contributionId} (contributor ${f.evidence.contributor})`
      : `${f.fault}: ${f.evidence.account} gets ${formatOpen(f.evidence.cumulativeAmount)} cumulative`;
  const lines = faults.map((f) => `  ${describe(f)}`);
  if (faults.length === 0 || dryRun) return { pending, faults, tx: null, lines };
  const { hash, result } = await oa.challengeReport({ pending, found: faults[0] });
  lines.push(
    `Challenged with ${result}: report ${pending.reportHash} is void, its supporters slashed ${txNote(hash)}`,
  );
  return { pending, faults, tx: hash, lines };
}

/** oa:report:challenge — finds what is provably wrong in a model's pending report and voids it. */
export const challenge = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const document = rawDocument("report", args.text("report"));
  const previous = args.has("previous") ? rawDocument("previous", args.text("previous")) : undefined;
  const { pending, faults, tx, lines } = await challengePending(
    ctx,
    modelId,
    document,
    previous,
    args.flag("dryRun"),
  );
  const found = faults.map((f) => ({ fault: f.fault, kind: f.kind, ...f.evidence }));
  return output(
    { modelId, epoch: pending.epoch, reportHash: pending.reportHash, faults: found, tx },
    faults.length === 0
      ? `No provable fault in the pending report ${pending.reportHash} of model #${modelId}: every leaf checks out on chain`
      : `${faults.length} provable fault(s) in the pending report ${pending.reportHash} of model #${modelId}:`,
    ...lines,
  );
});

/** oa:claim — claims an account's rewards from one report, or from several models' reports in one transfer. */
export const claim = operatorAction(async (args, ctx) => {
  const reports = args.list("report").map((path) => reportFile("report", path));
  const { address, oa } = await ctx.signer();
  const account = args.optionalAddress("account") ?? address;
  for (const report of reports)
    if (!report.cumulative.has(account))
      throw new UsageError(
        `--account ${account} has nothing in the report of model #${report.modelId} epoch ${report.epoch}`,
      );
  const { result: paid, hash } =
    reports.length === 1
      ? await oa.claimFromReport({ report: reports[0], account })
      : await oa.claimBatch({ account, reports });
  return output({ account, paid, tx: hash }, `Paid ${formatOpen(paid)} to ${account} ${txNote(hash)}`);
});
