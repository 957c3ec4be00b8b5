import type { Address, Hex } from "viem";

import { InvalidInputError } from "../errors.js";
import type { BuiltReport } from "../reports.js";
import { requireAddress, requireAmount, requireHash, requireId } from "../validate.js";
import {
  contractsOf,
  read,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";

/** Claims for `account` (anyone may send it; the tokens go to `account`) with an explicit proof; `result` is the amount paid. */
export async function claim<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    modelId,
    account,
    cumulativeAmount,
    proof,
    ...options
  }: { modelId: bigint; account: Address; cumulativeAmount: bigint; proof: Hex[] } & WriteOptions<M>,
) {
  const args = [
    requireId("modelId", modelId),
    requireAddress("account", account),
    requireAmount("cumulativeAmount", cumulativeAmount),
    proofArg("proof", proof),
  ] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).distributor, functionName: "claim", args }, options);
}

function proofArg(field: string, proof: Hex[]): Hex[] {
  if (!Array.isArray(proof)) throw new InvalidInputError(field, "expected an array of 32-byte hashes");
  return proof.map((node, i) => requireHash(`${field}[${i}]`, node, true));
}

/** Claims for `account` from a built report, taking the amount and proof from it. */
export async function claimFromReport<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { report, account, ...options }: { report: BuiltReport; account: Address } & WriteOptions<M>,
) {
  const { cumulativeAmount, proof } = report.proof(requireAddress("account", account));
  return claim(ctx, { modelId: report.modelId, account, cumulativeAmount, proof, ...options });
}

/** Claims across models for `account` with one transfer, skipping items with nothing new; `result` is the total paid. */
export async function claimBatch<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { account, reports, ...options }: { account: Address; reports: BuiltReport[] } & WriteOptions<M>,
) {
  const who = requireAddress("account", account);
  if (!Array.isArray(reports) || reports.length === 0)
    throw new InvalidInputError("reports", "expected at least one report");
  const items = reports.map((r) => ({ modelId: r.modelId, ...r.proof(who) }));
  const args = [who, items] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).distributor, functionName: "claimBatch", args },
    options,
  );
}

/** What `account` would be paid now for its leaf in `report` (0 if nothing new). */
export async function claimable(
  ctx: OpenAttributionContext,
  { report, account }: { report: BuiltReport; account: Address },
) {
  const who = requireAddress("account", account);
  const { cumulativeAmount } = report.proof(who);
  const { distributor } = contractsOf(ctx.deployment);
  const args = [report.modelId, who, cumulativeAmount] as const;
  return read(() => ctx.publicClient.readContract({ ...distributor, functionName: "claimable", args }));
}
