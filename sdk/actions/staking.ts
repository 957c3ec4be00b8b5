import { parseEventLogs, type Address } from "viem";

import { rewardDistributorAbi } from "../abis.js";
import { requireAddress, requireAmount, requireId } from "../validate.js";
import {
  contractsOf,
  read,
  requireAccount,
  withResult,
  write,
  type OpenAttributionContext,
  type TxResult,
  type WriteMode,
  type WriteOptions,
} from "./context.js";

/** Stakes OPEN on a model (the wallet must have approved the distributor). */
export async function stake<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, amount, ...options }: { modelId: bigint; amount: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId), requireAmount("amount", amount)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).distributor, functionName: "stake", args }, options);
}

/** Starts unstaking (stops earning now, withdrawable after the cooldown). */
export async function unstake<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, amount, ...options }: { modelId: bigint; amount: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId), requireAmount("amount", amount)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).distributor, functionName: "unstake", args }, options);
}

/** Withdraws unstaked tokens after the cooldown. */
export async function withdrawStake<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, ...options }: { modelId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).distributor, functionName: "withdrawStake", args },
    options,
  );
}

/**
 * Claims the wallet's staking rewards on a model; `result` is the amount. Rewards stream every
 * second: once mined (mode "wait") it is the amount paid (from the receipt's event); otherwise
 * the simulation's, one block earlier.
 */
export async function claimStakingRewards<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, ...options }: { modelId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId)] as const;
  const { distributor } = contractsOf(ctx.deployment);
  const sent = await write(ctx, { ...distributor, functionName: "claimStakingRewards", args }, options);
  if (!("receipt" in sent)) return sent;
  const [claimed] = parseEventLogs({
    abi: rewardDistributorAbi,
    eventName: "StakingRewardsClaimed",
    logs: (sent as TxResult<bigint>).receipt.logs,
  });
  return withResult<bigint, bigint, M>(sent, claimed.args.amount);
}

/** A staker's position and pending rewards on a model (default staker: the wallet). */
export async function stakeOf(ctx: OpenAttributionContext, modelId: bigint, staker?: Address) {
  const { distributor } = contractsOf(ctx.deployment);
  const args = [
    requireId("modelId", modelId),
    requireAddress("staker", staker ?? requireAccount(ctx).address),
  ] as const;
  const [position, pendingRewards] = await Promise.all([
    read(() => ctx.publicClient.readContract({ ...distributor, functionName: "positionOf", args })),
    read(() =>
      ctx.publicClient.readContract({ ...distributor, functionName: "pendingStakingRewards", args }),
    ),
  ]);
  return { ...position, pendingRewards };
}
