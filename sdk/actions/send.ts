import {
  keccak256,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

import { TransactionNotConfirmedError, TransactionNotSentError } from "../errors.js";
import { isTransportFailure } from "../transport.js";

/**
 * A transaction signed once by a local account. Only these bytes are ever sent for it: sending
 * them again cannot run it twice (one nonce, one hash), which a new signature could.
 */
export interface SignedTransaction {
  hash: Hex;
  serialized: Hex;
}

type Public = PublicClient<Transport, Chain | undefined>;
type Wallet = WalletClient<Transport, Chain | undefined, Account | undefined>;

/**
 * Gas added to the node's estimate: a fifth more, plus a fresh storage slot. The estimate runs
 * in the context of a block that exists (or its copy), and the transaction in a later block,
 * where it can cost more: e.g. a transfer of OPEN from a delegate writes a new vote checkpoint
 * (22,100 gas for a new slot) where the estimate only updated the current timestamp's. Unused
 * gas is not charged.
 */
export const gasWithMargin = (estimate: bigint) => (estimate * 6n) / 5n + 25_000n;

/** Fills the nonce, gas and fees of a call from the wallet's local account and signs it. */
export async function signOnce(
  publicClient: Public,
  walletClient: Wallet,
  call: { to: Hex; data: Hex; gas?: bigint; nonce?: number } & Record<string, unknown>,
): Promise<SignedTransaction> {
  const account = walletClient.account!;
  const gas =
    call.gas ??
    gasWithMargin(await publicClient.estimateGas({ ...call, account, blockTag: "pending" } as never));
  const prepared = await walletClient.prepareTransactionRequest({
    ...call,
    gas,
    account,
    chain: walletClient.chain ?? null,
  } as never);
  const serialized = await walletClient.signTransaction(prepared as never);
  return { hash: keccak256(serialized), serialized };
}

/** Whether the node holds the transaction (pending or mined); unknown when it cannot be asked. */
async function isKnown(publicClient: Public, hash: Hex): Promise<boolean | undefined> {
  try {
    await publicClient.getTransaction({ hash });
    return true;
  } catch (error) {
    return error instanceof TransactionNotFoundError ? false : undefined;
  }
}

/**
 * Sends the signed bytes. A failed send is not necessarily a lost one: the request may have
 * arrived and only its answer been lost, or an earlier attempt arrived and this one was refused
 * as already known or as a used nonce. So before failing, it asks the node for the hash.
 */
export async function sendSigned(publicClient: Public, tx: SignedTransaction): Promise<void> {
  try {
    await publicClient.sendRawTransaction({ serializedTransaction: tx.serialized });
  } catch (error) {
    const known = await isKnown(publicClient, tx.hash);
    if (known) return;
    if (known === undefined || isTransportFailure(error)) throw new TransactionNotSentError(tx, error);
    throw error;
  }
}

/**
 * Waits for the receipt of `tx`. When the node has neither its receipt nor the transaction (a
 * restarted node lost its pool, or the send never arrived), the same signed bytes are sent again;
 * transport failures while polling are waited out until `timeoutMs`.
 */
export async function confirmSigned(
  publicClient: Public,
  tx: SignedTransaction,
  { timeoutMs = 180_000, pollMs = 200, rebroadcastMs = 2_000 } = {},
): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs;
  let sentAt = Date.now();
  let refusal: unknown;
  for (;;) {
    try {
      return await publicClient.getTransactionReceipt({ hash: tx.hash });
    } catch (error) {
      if (!(error instanceof TransactionReceiptNotFoundError) && !isTransportFailure(error)) throw error;
    }
    if (Date.now() > deadline) throw new TransactionNotConfirmedError(tx.hash, refusal);
    if (Date.now() - sentAt > rebroadcastMs && (await isKnown(publicClient, tx.hash)) === false) {
      // Retried at the next turn if still unknown; the node's refusal is kept for the error.
      await sendSigned(publicClient, tx).catch((error: unknown) => (refusal = error));
      sentAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
