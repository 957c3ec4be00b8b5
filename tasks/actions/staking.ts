import { operatorAction } from "../lib/operator.js";
import { formatDate, formatOpen, output, txNote } from "../lib/output.js";
import { existingModel } from "./models.js";
import { ensureAllowance } from "./token.js";

/** oa:stake — stakes OPEN on a model (approves the distributor if needed). */
export const stake = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const amount = args.open("amount");
  const approved = await ensureAllowance(ctx, ctx.reader.addresses.distributor, amount);
  const { address, oa } = await ctx.signer();
  const { hash } = await oa.stake({ modelId, amount });
  const position = await ctx.reader.stakeOf(modelId, address);
  return output(
    { modelId, amount, staked: position.staked, tx: hash },
    ...approved,
    `Staked ${formatOpen(amount)} on model #${modelId}; ${address} now stakes ${formatOpen(position.staked)} ${txNote(hash)}`,
  );
});

/** oa:unstake — starts unstaking: stops earning now, withdrawable after the cooldown. */
export const unstake = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const amount = args.open("amount");
  const { address, oa } = await ctx.signer();
  const { hash } = await oa.unstake({ modelId, amount });
  const position = await ctx.reader.stakeOf(modelId, address);
  return output(
    { modelId, amount, unstaking: position.unstaking, unlockAt: position.unlockAt, tx: hash },
    `Unstaking ${formatOpen(amount)} from model #${modelId}: withdrawable from ${formatDate(position.unlockAt)} with oa:stake:withdraw ${txNote(hash)}`,
  );
});

/** oa:stake:withdraw — withdraws the unstaked OPEN whose cooldown has passed. */
export const withdraw = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const { address, oa } = await ctx.signer();
  const before = await oa.tokenBalance(address);
  const { hash } = await oa.withdrawStake({ modelId });
  const received = (await oa.tokenBalance(address)) - before;
  return output(
    { modelId, amount: received, tx: hash },
    `Withdrew ${formatOpen(received)} of stake from model #${modelId} ${txNote(hash)}`,
  );
});

/** oa:stake:claim — claims the account's staking rewards on a model. */
export const claim = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const { oa } = await ctx.signer();
  const { result: amount, hash } = await oa.claimStakingRewards({ modelId });
  return output(
    { modelId, amount, tx: hash },
    `Claimed ${formatOpen(amount)} of staking rewards on model #${modelId} ${txNote(hash)}`,
  );
});

/** oa:stake:show — an account's stake, unstaking tranche and pending rewards on a model. */
export const show = operatorAction(async (args, ctx) => {
  const modelId = args.id("model");
  await existingModel(ctx, modelId);
  const account = args.optionalAddress("account") ?? (await ctx.signer()).address;
  const p = await ctx.reader.stakeOf(modelId, account);
  return output(
    { modelId, account, ...p },
    `${account} on model #${modelId}: staked ${formatOpen(p.staked)}, unstaking ${formatOpen(p.unstaking)}` +
      `${p.unstaking === 0n ? "" : ` (withdrawable from ${formatDate(p.unlockAt)})`}, rewards pending ${formatOpen(p.pendingRewards)}`,
  );
});
