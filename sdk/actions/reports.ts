import type { Address, Hex } from "viem";

import {
  ATTEST_REPORT_TYPES,
  ATTRIBUTION_DOMAIN_NAME,
  documentTrees,
  hashReport,
  REPORT_FAULT_NAMES,
  ReportFault,
  rewardLeafFault,
  sortAttestations,
  weightLeafFault,
  type Attestation,
  type ReportFaultName,
} from "../challenges.js";
import { InvalidDocumentError, InvalidInputError } from "../errors.js";
import { CONTRIBUTION_STATUSES } from "./contributions.js";
import type { ReportDocument } from "../reports.js";
import { requireAddress, requireAmount, requireHash, requireId, requireText } from "../validate.js";
import {
  contractsOf,
  read,
  requireAccount,
  withResult,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";
import { trainedOn } from "./models.js";

/** A report as submitted on chain (see IAttributionRegistry.Report). */
export interface OnchainReport {
  weightsRoot: Hex;
  totalWeight: bigint;
  cumulativeRoot: Hex;
  totalCumulative: bigint;
  uri: string;
}

/** A model's pending report as its `ReportPending` event gives it. */
export interface PendingReport {
  modelId: bigint;
  epoch: bigint;
  reportHash: Hex;
  challengeEndsAt: bigint;
  supporters: Address[];
  report: OnchainReport;
}

/** A fault found in a pending report, with the evidence a challenge sends. */
export type ReportFaultFound =
  | {
      fault: ReportFaultName;
      kind: "weight";
      evidence: { contributionId: Hex; contributor: Address; weight: bigint; proof: Hex[] };
    }
  | {
      fault: ReportFaultName;
      kind: "reward";
      evidence: {
        account: Address;
        cumulativeAmount: bigint;
        proof: Hex[];
        previousAmount: bigint;
        previousProof: Hex[];
      };
    };

/** Parameters naming a model's report of one epoch. */
export interface ReportParameters {
  modelId: bigint;
  epoch: bigint;
  report: OnchainReport;
}

/** A report's fields checked against what the AttributionRegistry stores. */
function checkReport(report: OnchainReport): OnchainReport {
  return {
    weightsRoot: requireHash("report.weightsRoot", report.weightsRoot, true),
    totalWeight: requireAmount("report.totalWeight", report.totalWeight, 0n, 2n ** 128n - 1n),
    cumulativeRoot: requireHash("report.cumulativeRoot", report.cumulativeRoot),
    totalCumulative: requireAmount("report.totalCumulative", report.totalCumulative, 0n, 2n ** 96n - 1n),
    uri: requireText("report.uri", report.uri),
  };
}

function reportArgs({ modelId, epoch, report }: ReportParameters) {
  return [requireId("modelId", modelId), requireAmount("epoch", epoch, 0n), checkReport(report)] as const;
}

/** The epoch containing `timestamp` (unix seconds), computed locally. */
export function epochAt(ctx: Pick<OpenAttributionContext, "deployment">, timestamp: bigint | number): bigint {
  const t = BigInt(timestamp);
  const genesis = BigInt(ctx.deployment.epochs.genesis);
  if (t < genesis) throw new InvalidInputError("timestamp", `is before the first epoch (${genesis})`);
  return (t - genesis) / BigInt(ctx.deployment.epochs.length);
}

/** First second after `epoch`. */
export function epochEnd(ctx: Pick<OpenAttributionContext, "deployment">, epoch: bigint): bigint {
  return BigInt(ctx.deployment.epochs.genesis) + (epoch + 1n) * BigInt(ctx.deployment.epochs.length);
}

/** Submits the wallet's attestation of a report (attester); `result` is the report hash. */
export async function submitReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, epoch, report, ...options }: ReportParameters & WriteOptions<M>,
) {
  const args = reportArgs({ modelId, epoch, report });
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).attribution, functionName: "submitReport", args },
    options,
  );
}

/** Replaces the wallet's own submission of `previousReportHash` in the current round (attester); `result` is the new hash. */
export async function replaceReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    modelId,
    epoch,
    previousReportHash,
    report,
    ...options
  }: ReportParameters & {
    previousReportHash: Hex;
  } & WriteOptions<M>,
) {
  const [id, e, checked] = reportArgs({ modelId, epoch, report });
  const args = [id, e, requireHash("previousReportHash", previousReportHash), checked] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).attribution, functionName: "replaceReport", args },
    options,
  );
}

/** Makes a report pending whose support already meets a lowered threshold (anyone). */
export async function promoteReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, epoch, report, ...options }: ReportParameters & WriteOptions<M>,
) {
  const args = reportArgs({ modelId, epoch, report });
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).attribution, functionName: "promoteReport", args },
    options,
  );
}

/** Finalizes a model's pending report after its challenge window (anyone). */
export async function finalizeReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, ...options }: { modelId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).attribution, functionName: "finalizeReport", args },
    options,
  );
}

/** Vetoes a model's pending report (guardian). */
export async function veto<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, ...options }: { modelId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).attribution, functionName: "veto", args }, options);
}

/** A model's report state (latest final, pending, round). */
export async function modelReports(ctx: OpenAttributionContext, modelId: bigint) {
  const { attribution } = contractsOf(ctx.deployment);
  const args = [requireId("modelId", modelId)] as const;
  return read(() => ctx.publicClient.readContract({ ...attribution, functionName: "modelReports", args }));
}

/** Signs the wallet's support of `report` for the model's current round (attester, off chain; nothing is sent). */
export async function signReport(
  ctx: OpenAttributionContext,
  parameters: ReportParameters,
): Promise<Attestation> {
  const from = requireAccount(ctx);
  const [modelId, epoch, report] = reportArgs(parameters);
  const { round } = await modelReports(ctx, modelId);
  const signature = await ctx.walletClient!.signTypedData({
    account: from,
    domain: {
      name: ATTRIBUTION_DOMAIN_NAME,
      version: "1",
      chainId: ctx.deployment.chainId,
      verifyingContract: contractsOf(ctx.deployment).attribution.address,
    },
    types: ATTEST_REPORT_TYPES,
    primaryType: "AttestReport",
    message: { modelId, epoch, round: BigInt(round), reportHash: hashReport(modelId, epoch, report) },
  });
  return { attester: from.address, signature };
}

/** Makes `report` pending in one transaction with attesters' signatures (anyone; they are sorted here); `result` is the report hash. */
export async function submitAttestedReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    modelId,
    epoch,
    report,
    attestations,
    ...options
  }: ReportParameters & {
    attestations: Attestation[];
  } & WriteOptions<M>,
) {
  if (!Array.isArray(attestations) || attestations.length === 0)
    throw new InvalidInputError("attestations", "must hold at least one signature");
  const sorted = sortAttestations(
    attestations.map((a, i) => ({
      attester: requireAddress(`attestations[${i}].attester`, a.attester),
      signature: a.signature,
    })),
  );
  const args = [...reportArgs({ modelId, epoch, report }), sorted] as const;
  const { attribution } = contractsOf(ctx.deployment);
  return write(ctx, { ...attribution, functionName: "submitAttestedReport", args }, options);
}

/** The model's pending report with its supporters (from its `ReportPending` event), or null. */
export async function pendingReport(
  ctx: OpenAttributionContext,
  modelId: bigint,
): Promise<PendingReport | null> {
  const id = requireId("modelId", modelId);
  const state = await modelReports(ctx, id);
  if (!state.hasPending) return null;
  const { attribution } = contractsOf(ctx.deployment);
  const stored = await read(() =>
    ctx.publicClient.readContract({ ...attribution, functionName: "pendingReport", args: [id] }),
  );
  const logs = await read(() =>
    ctx.publicClient.getContractEvents({
      ...attribution,
      eventName: "ReportPending",
      args: { modelId: id, epoch: BigInt(state.pendingEpoch) },
      fromBlock: BigInt(ctx.deployment.startBlock),
    }),
  );
  const log = logs.filter((l) => l.args.reportHash === stored.reportHash).at(-1);
  if (!log)
    throw new InvalidInputError("modelId", `no ReportPending event found for model ${id}'s pending report`);
  const a = log.args as Required<typeof log.args>;
  return {
    modelId: id,
    epoch: a.epoch,
    reportHash: a.reportHash,
    challengeEndsAt: a.challengeEndsAt,
    supporters: [...a.supporters],
    report: { ...a.report },
  };
}

/** Snapshot times of the datanet versions a model was trained on, by datanet. */
async function snapshotTimes(ctx: OpenAttributionContext, modelId: bigint) {
  const { contributions } = contractsOf(ctx.deployment);
  const snapshots = new Map<bigint, bigint[]>();
  for (const v of await trainedOn(ctx, modelId)) {
    const { timestamp } = await read(() =>
      ctx.publicClient.readContract({
        ...contributions,
        functionName: "getVersion",
        args: [BigInt(v.datanetId), v.version],
      }),
    );
    const list = snapshots.get(BigInt(v.datanetId)) ?? [];
    list.push(BigInt(timestamp));
    snapshots.set(BigInt(v.datanetId), list);
  }
  return snapshots;
}

/** Every weight leaf of `document` that a challenge would prove wrong, with its evidence. */
async function weightFaults(
  ctx: OpenAttributionContext,
  pending: PendingReport,
  document: ReportDocument,
  trees: ReturnType<typeof documentTrees>,
): Promise<ReportFaultFound[]> {
  const { contributions } = contractsOf(ctx.deployment);
  const { genesis, length } = ctx.deployment.epochs;
  const epochStart = BigInt(genesis) + pending.epoch * BigInt(length);
  const snapshots = await snapshotTimes(ctx, pending.modelId);
  const faults: ReportFaultFound[] = [];
  for (const [i, w] of document.weights.entries()) {
    const record = await read(() =>
      ctx.publicClient.readContract({
        ...contributions,
        functionName: "getContribution",
        args: [w.contributionId],
      }),
    );
    const weight = BigInt(w.weight);
    const fault = weightLeafFault(
      { contributor: w.contributor, weight },
      pending.report.totalWeight,
      { ...record, status: CONTRIBUTION_STATUSES[record.status] },
      epochStart,
      snapshots.get(record.datanetId) ?? [],
    );
    if (fault === ReportFault.None) continue;
    faults.push({
      fault: REPORT_FAULT_NAMES[fault],
      kind: "weight",
      evidence: {
        contributionId: w.contributionId,
        contributor: w.contributor,
        weight,
        proof: trees.weightProof(i),
      },
    });
  }
  return faults;
}

/** Every reward leaf of `document` that a challenge would prove wrong, against `previous` (the latest final report's document). */
async function rewardFaults(
  ctx: OpenAttributionContext,
  pending: PendingReport,
  document: ReportDocument,
  trees: ReturnType<typeof documentTrees>,
  previous: ReportDocument | undefined,
): Promise<ReportFaultFound[]> {
  const { distributor } = contractsOf(ctx.deployment);
  let previousTrees: ReturnType<typeof documentTrees> | undefined;
  if (previous) {
    previousTrees = documentTrees(previous);
    const [root] = await read(() =>
      ctx.publicClient.readContract({ ...distributor, functionName: "claimRoot", args: [pending.modelId] }),
    );
    if (previousTrees.cumulativeRoot !== root)
      throw new InvalidDocumentError("the previous document is not the model's latest final report");
  }
  const faults: ReportFaultFound[] = [];
  for (const [i, c] of document.cumulative.entries()) {
    const claimed = await read(() =>
      ctx.publicClient.readContract({
        ...distributor,
        functionName: "claimed",
        args: [pending.modelId, c.account],
      }),
    );
    const p =
      previous?.cumulative.findIndex((x) => x.account.toLowerCase() === c.account.toLowerCase()) ?? -1;
    const previousAmount = p === -1 ? 0n : BigInt(previous!.cumulative[p].amount);
    const amount = BigInt(c.amount);
    const fault = rewardLeafFault(amount, pending.report.totalCumulative, claimed, previousAmount);
    if (fault === ReportFault.None) continue;
    const usePrevious = fault === ReportFault.AmountBelowPrevious;
    faults.push({
      fault: REPORT_FAULT_NAMES[fault],
      kind: "reward",
      evidence: {
        account: c.account,
        cumulativeAmount: amount,
        proof: trees.cumulativeProof(i),
        previousAmount: usePrevious ? previousAmount : 0n,
        previousProof: usePrevious ? previousTrees!.cumulativeProof(p) : [],
      },
    });
  }
  return faults;
}

/**
 * Checks every leaf of the model's pending report against the chain, from the report's JSON
 * document (whose roots must be the pending report's): the faults a challenge would prove,
 * with their evidence. `previous` is the document of the model's latest final report (its
 * root is checked), to compare each account with its previous amount.
 */
export async function findReportFaults(
  ctx: OpenAttributionContext,
  { modelId, document, previous }: { modelId: bigint; document: ReportDocument; previous?: ReportDocument },
): Promise<{ pending: PendingReport; faults: ReportFaultFound[] }> {
  const pending = await pendingReport(ctx, modelId);
  if (!pending) throw new InvalidInputError("modelId", `model ${modelId} has no pending report to challenge`);
  const trees = documentTrees(document);
  if (
    BigInt(document.modelId) !== pending.modelId ||
    trees.weightsRoot !== pending.report.weightsRoot ||
    trees.cumulativeRoot !== pending.report.cumulativeRoot
  ) {
    throw new InvalidDocumentError(
      `the document is not model ${modelId}'s pending report (its roots or model differ from the chain's)`,
    );
  }
  const faults = [
    ...(await weightFaults(ctx, pending, document, trees)),
    ...(await rewardFaults(ctx, pending, document, trees, previous)),
  ];
  return { pending, faults };
}

/** Voids the model's pending report with a fault found by `findReportFaults` (anyone); `result` is the fault proven. */
export async function challengeReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { pending, found, ...options }: { pending: PendingReport; found: ReportFaultFound } & WriteOptions<M>,
) {
  const { attribution } = contractsOf(ctx.deployment);
  const base = [pending.modelId, pending.report, pending.supporters] as const;
  const sent =
    found.kind === "weight"
      ? await write(
          ctx,
          { ...attribution, functionName: "challengeWeight", args: [...base, found.evidence] },
          options,
        )
      : await write(
          ctx,
          { ...attribution, functionName: "challengeReward", args: [...base, found.evidence] },
          options,
        );
  return withResult<number, ReportFaultName, M>(sent, REPORT_FAULT_NAMES[Number(sent.result)]);
}
