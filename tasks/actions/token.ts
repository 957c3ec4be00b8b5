import type { Address } from "viem";

import { openTokenAbi, type OpenAttributionClient } from "../../sdk/index.js";
import { UsageError, type TaskArgs } from "../lib/args.js";
import { operatorAction, type OperatorContext } from "../lib/operator.js";
import { formatOpen, output, txNote } from "../lib/output.js";

/** Spenders by the name an operator gives them. */
const SPENDERS = ["contributions", "distributor"] as const;

function spenderOf(args: TaskArgs, oa: OpenAttributionClient): Address {
  const name = args.text("spender");
  if (name === "contributions") return oa.addresses.contributions;
  if (name === "distributor") return oa.addresses.distributor;
  if (name.startsWith("0x")) return args.address("spender");
  throw new UsageError(`--spender must be one of ${SPENDERS.join(", ")}, an address, got "${name}"`);
}

/** The OPEN `owner` allows `spender` to pull. */
export async function allowance(ctx: OperatorContext, owner: Address, spender: Address): Promise<bigint> {
  return ctx.publicClient.readContract({
    address: ctx.reader.addresses.token,
    abi: openTokenAbi,
    functionName: "allowance",
    args: [owner, spender],
  });
}

/** Approves `spender` for `amount` if its allowance is lower (the bond, a payment, a stake). */
export async function ensureAllowance(
  ctx: OperatorContext,
  spender: Address,
  amount: bigint,
): Promise<string[]> {
  const { address, oa } = await ctx.signer();
  if (amount === 0n || (await allowance(ctx, address, spender)) >= amount) return [];
  const { hash } = await oa.approve({ spender, amount });
  return [`Approved ${formatOpen(amount)} for ${spender} ${txNote(hash)}`];
}

/** oa:balance — an account's OPEN, votes, allowances and balance held by the distributor. */
export const balance = operatorAction(async (args, ctx) => {
  const account = args.optionalAddress("account") ?? (await ctx.signer()).address;
  const { reader } = ctx;
  const token = { address: reader.addresses.token, abi: openTokenAbi } as const;
  const tokens = await ctx.publicClient.readContract({
    ...token,
    functionName: "balanceOf",
    args: [account],
  });
  const votes = await ctx.publicClient.readContract({ ...token, functionName: "getVotes", args: [account] });
  const delegate = await ctx.publicClient.readContract({
    ...token,
    functionName: "delegates",
    args: [account],
  });
  const { ownerBalance } = await reader.balances(account);
  const allowances = {
    contributions: await allowance(ctx, account, reader.addresses.contributions),
    distributor: await allowance(ctx, account, reader.addresses.distributor),
  };
  return output(
    { account, balance: tokens, votes, delegate, distributorBalance: ownerBalance, allowances },
    `${account}: ${formatOpen(tokens)}, ${formatOpen(votes)} of votes (delegated to ${delegate})`,
    `  held for it by the distributor (withdraw with oa:withdraw-balance): ${formatOpen(ownerBalance)}`,
    `  allowances: contributions ${formatOpen(allowances.contributions)}, distributor ${formatOpen(allowances.distributor)}`,
  );
});

/** oa:approve — lets a protocol contract pull OPEN from the account (bonds, payments, stakes). */
export const approve = operatorAction(async (args, ctx) => {
  const { address, oa } = await ctx.signer();
  const spender = spenderOf(args, oa);
  const amount = args.open("amount", 0n);
  const { hash } = await oa.approve({ spender, amount });
  return output(
    { owner: address, spender, amount, tx: hash },
    `Approved ${formatOpen(amount)} for ${spender} ${txNote(hash)}`,
  );
});

/** oa:transfer — sends OPEN to an account (funding a contributor, a staker, a payer). */
export const transfer = operatorAction(async (args, ctx) => {
  const { address, oa } = await ctx.signer();
  const to = args.address("to");
  const amount = args.open("amount");
  const held = await oa.tokenBalance(address);
  if (held < amount)
    throw new UsageError(
      `--amount ${formatOpen(amount)} is more than ${address} holds (${formatOpen(held)})`,
    );
  const { hash } = await oa.transfer({ to, amount });
  return output(
    { from: address, to, amount, tx: hash },
    `Sent ${formatOpen(amount)} to ${to} ${txNote(hash)}`,
  );
});
