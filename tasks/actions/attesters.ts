import { operatorAction, type OperatorContext } from "../lib/operator.js";
import { formatDate, formatOpen, output, txNote } from "../lib/output.js";
import { ensureAllowance } from "./token.js";

/** The account's standing as attester, in words. */
async function standing(ctx: OperatorContext, account: `0x${string}`) {
  const oa = ctx.reader;
  const [info, rules] = await Promise.all([oa.attesterInfo(account), oa.attesterRules()]);
  const role = info.registered
    ? info.active
      ? "active attester"
      : "attester, not active"
    : "not an attester";
  const lines = [
    `${account}: ${role}; bonded ${formatOpen(info.bond)} (minimum ${formatOpen(rules.minBond)})` +
      (info.unbonding === 0n
        ? ""
        : `; unbonding ${formatOpen(info.unbonding)}, withdrawable from ${formatDate(info.unlockAt)}`),
  ];
  return { info, rules, lines };
}

/**
 * oa:attester:bond — bonds OPEN as an attester (approves the AttributionRegistry if needed);
 * without --amount, tops the bond up to the minimum.
 */
export const bond = operatorAction(async (args, ctx) => {
  const { address, oa } = await ctx.signer();
  const before = await standing(ctx, address);
  const amount = args.optionalOpen("amount") ?? before.rules.minBond - before.info.bond;
  if (amount <= 0n)
    return output(
      { account: address, bonded: before.info.bond, tx: null },
      `${address} already has ${formatOpen(before.info.bond)} bonded (minimum ${formatOpen(before.rules.minBond)}): nothing to do`,
    );
  const approved = await ensureAllowance(ctx, ctx.reader.addresses.attribution, amount);
  const { hash } = await oa.bondAttester({ amount });
  const after = await standing(ctx, address);
  return output(
    { account: address, amount, bonded: after.info.bond, active: after.info.active, tx: hash },
    ...approved,
    `Bonded ${formatOpen(amount)} ${txNote(hash)}`,
    ...after.lines,
  );
});

/** oa:attester:unbond — starts unbonding OPEN (still slashable until withdrawn). */
export const unbond = operatorAction(async (args, ctx) => {
  const amount = args.open("amount");
  const { address, oa } = await ctx.signer();
  const { result: unlockAt, hash } = await oa.requestUnbond({ amount });
  const after = await standing(ctx, address);
  return output(
    { account: address, amount, unlockAt, active: after.info.active, tx: hash },
    `Unbonding ${formatOpen(amount)}: withdrawable from ${formatDate(unlockAt)} with oa:attester:withdraw ${txNote(hash)}`,
    ...after.lines,
  );
});

/** oa:attester:withdraw — withdraws unbonded OPEN once unlocked. */
export const withdraw = operatorAction(async (_args, ctx) => {
  const { address, oa } = await ctx.signer();
  const { result: amount, hash } = await oa.withdrawBond();
  return output(
    { account: address, amount, tx: hash },
    `Withdrew ${formatOpen(amount)} of bond ${txNote(hash)}`,
  );
});

/** oa:attester:show — an account's standing as attester, and the attester rules. */
export const show = operatorAction(async (args, ctx) => {
  const account = args.optionalAddress("account") ?? (await ctx.signer()).address;
  const { info, rules, lines } = await standing(ctx, account);
  return output(
    { account, ...info, rules },
    ...lines,
    `  rules: threshold ${rules.threshold}, challenge window ${rules.challengeWindow} s, unbonding ${rules.unbondingDelay} s, ` +
      `slash ${rules.slashBps / 100} % (challenger gets ${rules.challengerShareBps / 100} % of it)`,
  );
});
