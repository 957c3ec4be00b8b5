import { parseSignature, type Address } from "viem";

import { requireAddress, requireAmount, requireId } from "../validate.js";
import {
  contractsOf,
  read,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";
import { signPermit } from "./token.js";

const MAX_PAYMENT = 2n ** 96n - 1n;

/** Pays `amount` OPEN for inference on a model (the wallet must have approved the distributor). */
export async function payInference<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, amount, ...options }: { modelId: bigint; amount: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId), requireAmount("amount", amount, 1n, MAX_PAYMENT)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).distributor, functionName: "payInference", args },
    options,
  );
}

/** Pays with an ERC-2612 permit the wallet signs first (no approval transaction needed). */
export async function payInferenceWithPermit<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    modelId,
    amount,
    deadline,
    ...options
  }: { modelId: bigint; amount: bigint; deadline: bigint } & WriteOptions<M>,
) {
  // Validate before asking the wallet for a signature.
  const id = requireId("modelId", modelId);
  const value = requireAmount("amount", amount, 1n, MAX_PAYMENT);
  requireAmount("deadline", deadline);
  const { distributor } = contractsOf(ctx.deployment);
  const permit = await signPermit(ctx, { spender: distributor.address, value, deadline });
  const { v, r, s } = parseSignature(permit.signature);
  const args = [id, value, { deadline, v: Number(v), r, s }] as const;
  return write(ctx, { ...distributor, functionName: "payInferenceWithPermit", args }, options);
}

/** Splits a model's accrued royalties into its buckets (anyone). */
export async function settleRoyalties<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, ...options }: { modelId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).distributor, functionName: "settleRoyalties", args },
    options,
  );
}

/** Withdraws the wallet's accrued owner balance; `result` is the amount. */
export async function withdrawBalance<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  options: WriteOptions<M> = {},
) {
  return write(ctx, { ...contractsOf(ctx.deployment).distributor, functionName: "withdraw" }, options);
}

/** Sends the treasury its accrued balance (anyone); `result` is the amount. */
export async function withdrawTreasury<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  options: WriteOptions<M> = {},
) {
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).distributor, functionName: "withdrawTreasury" },
    options,
  );
}

/** Balance held for `owner` by the distributor, and the treasury's. */
export async function balances(ctx: OpenAttributionContext, owner: Address) {
  const { distributor } = contractsOf(ctx.deployment);
  const args = [requireAddress("owner", owner)] as const;
  const [ownerBalance, treasuryBalance] = await Promise.all([
    read(() => ctx.publicClient.readContract({ ...distributor, functionName: "balanceOf", args })),
    read(() => ctx.publicClient.readContract({ ...distributor, functionName: "treasuryBalance" })),
  ]);
  return { ownerBalance, treasuryBalance };
}

/** A model's contributor pool: funded so far and claimed so far. */
export async function pool(ctx: OpenAttributionContext, modelId: bigint) {
  const { distributor } = contractsOf(ctx.deployment);
  const args = [requireId("modelId", modelId)] as const;
  const [funded, claimed] = await Promise.all([
    read(() => ctx.publicClient.readContract({ ...distributor, functionName: "contributorPoolTotal", args })),
    read(() => ctx.publicClient.readContract({ ...distributor, functionName: "claimedTotal", args })),
  ]);
  return { funded, claimed };
}

/** Contributor pool funded to a model up to the end of `epoch`. */
export async function poolFundedUpTo(ctx: OpenAttributionContext, modelId: bigint, epoch: bigint) {
  const { distributor } = contractsOf(ctx.deployment);
  const args = [requireId("modelId", modelId), requireAmount("epoch", epoch, 0n)] as const;
  return read(() =>
    ctx.publicClient.readContract({ ...distributor, functionName: "contributorPoolFunded", args }),
  );
}
