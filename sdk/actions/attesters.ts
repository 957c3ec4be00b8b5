import type { Address } from "viem";

import { requireAddress, requireAmount } from "../validate.js";
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

/** Bonds `amount` OPEN as an attester (approve the AttributionRegistry first). */
export async function bondAttester<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { amount, ...options }: { amount: bigint } & WriteOptions<M>,
) {
  const args = [requireAmount("amount", amount)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).attribution, functionName: "bond", args }, options);
}

/**
 * Starts unbonding `amount` of the wallet's attester bond; `result` is when it unlocks (once
 * mined, mode "wait", as the chain recorded it; otherwise as simulated).
 */
export async function requestUnbond<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { amount, ...options }: { amount: bigint } & WriteOptions<M>,
) {
  const args = [requireAmount("amount", amount)] as const;
  const { attribution } = contractsOf(ctx.deployment);
  const sent = await write(ctx, { ...attribution, functionName: "requestUnbond", args }, options);
  if (!("receipt" in sent)) return sent;
  const { unlockAt } = await attesterInfo(ctx, requireAccount(ctx).address);
  return withResult<bigint, bigint, M>(sent, unlockAt);
}

/** Withdraws the wallet's unlocked unbonding OPEN; `result` is the amount. */
export async function withdrawBond<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  options: WriteOptions<M> = {},
) {
  return write(ctx, { ...contractsOf(ctx.deployment).attribution, functionName: "withdrawBond" }, options);
}

/** An account's standing as attester: registered, active, bond, unbonding, unlock time. */
export async function attesterInfo(ctx: OpenAttributionContext, attester: Address) {
  const { attribution } = contractsOf(ctx.deployment);
  const args = [requireAddress("attester", attester)] as const;
  return read(() => ctx.publicClient.readContract({ ...attribution, functionName: "attesterInfo", args }));
}

/** Attester rules: threshold, challenge window and bond settings. */
export async function attesterRules(ctx: OpenAttributionContext) {
  const { attribution } = contractsOf(ctx.deployment);
  const [threshold, challengeWindow, bonds] = await Promise.all([
    read(() => ctx.publicClient.readContract({ ...attribution, functionName: "threshold" })),
    read(() => ctx.publicClient.readContract({ ...attribution, functionName: "challengeWindow" })),
    read(() => ctx.publicClient.readContract({ ...attribution, functionName: "bondSettings" })),
  ]);
  return { threshold, challengeWindow, ...bonds };
}
