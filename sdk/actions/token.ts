import type { Address, Hex } from "viem";

import { requireAddress, requireAmount } from "../validate.js";
import {
  contractsOf,
  read,
  requireAccount,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";

/** EIP-712 types of an ERC-2612 permit. */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** An ERC-2612 permit signed by its owner. */
export interface SignedPermit {
  value: bigint;
  deadline: bigint;
  signature: Hex;
}

/** Approves `spender` (default: the ContributionRegistry) to pull `amount` OPEN from the wallet. */
export async function approve<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { spender, amount, ...options }: { spender?: Address; amount: bigint } & WriteOptions<M>,
) {
  const { token, contributions } = contractsOf(ctx.deployment);
  const args = [
    requireAddress("spender", spender ?? contributions.address),
    requireAmount("amount", amount, 0n),
  ] as const;
  return write(ctx, { ...token, functionName: "approve", args }, options);
}

/** Sends `amount` OPEN from the wallet to `to`. */
export async function transfer<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { to, amount, ...options }: { to: Address; amount: bigint } & WriteOptions<M>,
) {
  const args = [requireAddress("to", to), requireAmount("amount", amount)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).token, functionName: "transfer", args }, options);
}

/** Delegates the wallet's votes to `delegatee` (itself to vote with its own OPEN). */
export async function delegate<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { delegatee, ...options }: { delegatee: Address } & WriteOptions<M>,
) {
  const args = [requireAddress("delegatee", delegatee)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).token, functionName: "delegate", args }, options);
}

/** OPEN balance of `owner`. */
export async function tokenBalance(ctx: OpenAttributionContext, owner: Address) {
  const { token } = contractsOf(ctx.deployment);
  const args = [requireAddress("owner", owner)] as const;
  return read(() => ctx.publicClient.readContract({ ...token, functionName: "balanceOf", args }));
}

/** Signs an ERC-2612 permit of the wallet's OPEN for `spender` (nothing is sent). */
export async function signPermit(
  ctx: OpenAttributionContext,
  { spender, value, deadline }: { spender: Address; value: bigint; deadline: bigint },
): Promise<SignedPermit> {
  const owner = requireAccount(ctx);
  const { token } = contractsOf(ctx.deployment);
  const message = {
    owner: owner.address,
    spender: requireAddress("spender", spender),
    value: requireAmount("value", value, 0n),
    nonce: await read(() =>
      ctx.publicClient.readContract({ ...token, functionName: "nonces", args: [owner.address] }),
    ),
    deadline: requireAmount("deadline", deadline),
  };
  const name = await read(() => ctx.publicClient.readContract({ ...token, functionName: "name" }));
  const signature = await ctx.walletClient!.signTypedData({
    account: owner,
    domain: { name, version: "1", chainId: ctx.deployment.chainId, verifyingContract: token.address },
    types: PERMIT_TYPES,
    primaryType: "Permit",
    message,
  });
  return { value, deadline, signature };
}
