import {
  encodeAbiParameters,
  keccak256,
  parseAbiParameters,
  parseSignature,
  toBytes,
  toHex,
  type Address,
  type Hex,
} from "viem";

import { InvalidInputError } from "../errors.js";
import { requireAddress, requireAmount, requireHash, requireId, requireText } from "../validate.js";
import {
  contractsOf,
  read,
  requireAccount,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";
import type { SignedPermit } from "./token.js";

/** Contribution statuses as the contract numbers them (IContributionRegistry.Status). */
export const ContributionStatus = { None: 0, Pending: 1, Accepted: 2, Rejected: 3, Withdrawn: 4 } as const;
/** Contribution status names, indexed by the contract's value. */
export const CONTRIBUTION_STATUSES = ["none", "pending", "accepted", "rejected", "withdrawn"] as const;
/** A contribution status by name. */
export type ContributionStatusName = (typeof CONTRIBUTION_STATUSES)[number];

/** One item of a batch, a commitment or a reveal. */
export interface ContributionItem {
  contentHash: Hex;
  uri: string;
}

/** What a contributor committed to (keep it to reveal; see `commitContributions`). */
export interface ContributionCommitment {
  contributor: Address;
  datanetId: bigint;
  items: ContributionItem[];
  maxBond: bigint;
  salt: Hex;
  commitment: Hex;
}

/** A commitment with its contributor's signature, for anyone to relay with `relayCommitment`. */
export interface SignedCommitment {
  commitment: ContributionCommitment;
  deadline: bigint;
  signature: Hex;
}

/** A contribution signed for relaying (see IContributionRegistry.SignedContribution). */
export interface SignedContribution {
  contributor: Address;
  datanetId: bigint;
  contentHash: Hex;
  uri: string;
  /** The largest bond the contributor accepts (signed). */
  maxBond: bigint;
  deadline: bigint;
  signature: Hex;
}

/** EIP-712 domain name of the ContributionRegistry. */
export const CONTRIBUTION_DOMAIN_NAME = "OpenAttribution ContributionRegistry";

/** EIP-712 types of a gasless contribution (IContributionRegistry.SignedContribution). */
export const CONTRIBUTE_TYPES = {
  Contribute: [
    { name: "contributor", type: "address" },
    { name: "datanetId", type: "uint256" },
    { name: "contentHash", type: "bytes32" },
    { name: "uriHash", type: "bytes32" },
    { name: "maxBond", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** EIP-712 types of a commitment signed for relaying (IContributionRegistry.commitWithSig). */
export const COMMIT_TYPES = {
  Commit: [
    { name: "contributor", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The id of a contribution of `contentHash` to `datanetId`: keccak256(abi.encode(datanetId, contentHash)). */
export function computeContributionId(datanetId: bigint, contentHash: Hex): Hex {
  return keccak256(`0x${datanetId.toString(16).padStart(64, "0")}${contentHash.slice(2)}`);
}

/**
 * What a contributor commits to for commit-reveal (IContributionRegistry.hashCommitment):
 * keccak256(abi.encode(datanetId, contentHashes, uris, maxBond, salt)).
 */
export function hashCommitment(
  datanetId: bigint,
  contentHashes: readonly Hex[],
  uris: readonly string[],
  maxBond: bigint,
  salt: Hex,
): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("uint256, bytes32[], string[], uint96, bytes32"), [
      datanetId,
      contentHashes,
      uris,
      maxBond,
      salt,
    ]),
  );
}

/** Validates 1 to 256 items and splits them into the contract's two arrays. */
function splitItems(items: ContributionItem[]): { hashes: Hex[]; uris: string[] } {
  if (!Array.isArray(items) || items.length === 0 || items.length > 256)
    throw new InvalidInputError("items", "expected 1 to 256 items");
  return {
    hashes: items.map((it, i) => requireHash(`items[${i}].contentHash`, it.contentHash)),
    uris: items.map((it, i) => requireText(`items[${i}].uri`, it.uri)),
  };
}

function contributionDomain(ctx: OpenAttributionContext) {
  return {
    name: CONTRIBUTION_DOMAIN_NAME,
    version: "1",
    chainId: ctx.deployment.chainId,
    verifyingContract: contractsOf(ctx.deployment).contributions.address,
  } as const;
}

/** `maxBond` validated, or the datanet's current bond when not given. */
async function bondLimit(ctx: OpenAttributionContext, datanetId: bigint, maxBond: bigint | undefined) {
  if (maxBond !== undefined) return requireAmount("maxBond", maxBond, 0n, 2n ** 96n - 1n);
  const { contributions } = contractsOf(ctx.deployment);
  const [, , settings] = await read(() =>
    ctx.publicClient.readContract({ ...contributions, functionName: "getDatanet", args: [datanetId] }),
  );
  return settings.bond;
}

async function nonceOf(ctx: OpenAttributionContext, account: Address) {
  const { contributions } = contractsOf(ctx.deployment);
  return read(() =>
    ctx.publicClient.readContract({ ...contributions, functionName: "nonces", args: [account] }),
  );
}

/** What a commitment needs: the items, a bond limit (default: the datanet's bond now) and a salt (default: random). */
export interface CommitmentParameters {
  datanetId: bigint;
  items: ContributionItem[];
  maxBond?: bigint;
  salt?: Hex;
}

/** Validates a commitment's fields and hashes it. */
async function prepareCommitment(
  ctx: OpenAttributionContext,
  contributor: Address,
  { datanetId, items, maxBond, salt }: CommitmentParameters,
): Promise<ContributionCommitment> {
  const id = requireId("datanetId", datanetId);
  const { hashes, uris } = splitItems(items);
  const limit = await bondLimit(ctx, id, maxBond);
  const chosenSalt =
    salt === undefined
      ? toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)))
      : requireHash("salt", salt, true);
  return {
    contributor,
    datanetId: id,
    items: hashes.map((contentHash, i) => ({ contentHash, uri: uris[i] })),
    maxBond: limit,
    salt: chosenSalt,
    commitment: hashCommitment(id, hashes, uris, limit, chosenSalt),
  };
}

/**
 * Contributes content (bond escrowed from the wallet, which must have approved it); `result`
 * is the id. `maxBond` is the largest bond accepted (default: the datanet's bond now, so a
 * bond raised before the transaction is mined makes it revert instead of charging more).
 * Visible in the mempool before it is mined: on a public mempool prefer commit-reveal.
 */
export async function contribute<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    datanetId,
    contentHash,
    uri,
    maxBond,
    ...options
  }: { datanetId: bigint; contentHash: Hex; uri: string; maxBond?: bigint } & WriteOptions<M>,
) {
  const id = requireId("datanetId", datanetId);
  const hash = requireHash("contentHash", contentHash);
  const args = [id, hash, requireText("uri", uri), await bondLimit(ctx, id, maxBond)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).contributions, functionName: "contribute", args },
    options,
  );
}

/** Contributes 1 to 256 items in one transaction, all or nothing; `result` is the ids. */
export async function contributeBatch<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    datanetId,
    items,
    maxBond,
    ...options
  }: { datanetId: bigint; items: ContributionItem[]; maxBond?: bigint } & WriteOptions<M>,
) {
  const id = requireId("datanetId", datanetId);
  const { hashes, uris } = splitItems(items);
  const args = [id, hashes, uris, await bondLimit(ctx, id, maxBond)] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "contributeBatch", args }, options);
}

/**
 * Commits the wallet to contributions it reveals later (front-running protection). Keep the
 * returned `commitment`: `revealContributions` needs it, at least `MIN_REVEAL_DELAY` (1 minute)
 * and at most `COMMITMENT_LIFETIME` (1 day) later.
 */
export async function commitContributions<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { datanetId, items, maxBond, salt, ...options }: CommitmentParameters & WriteOptions<M>,
) {
  const contributor = options.mode === "prepare" && options.from ? options.from : requireAccount(ctx).address;
  const commitment = await prepareCommitment(ctx, requireAddress("from", contributor), {
    datanetId,
    items,
    maxBond,
    salt,
  });
  const args = [commitment.commitment] as const;
  const sent = await write(
    ctx,
    { ...contractsOf(ctx.deployment).contributions, functionName: "commit", args },
    options,
  );
  return { ...sent, commitment };
}

/**
 * Signs a commitment with the wallet (gasless commit-reveal): a relayer sends it with
 * `relayCommitment` and later `revealContributions`; it never sees the content before the reveal.
 */
export async function signCommitment(
  ctx: OpenAttributionContext,
  { deadline, ...parameters }: CommitmentParameters & { deadline: bigint },
): Promise<SignedCommitment> {
  const signer = requireAccount(ctx);
  const commitment = await prepareCommitment(ctx, signer.address, parameters);
  const signature = await ctx.walletClient!.signTypedData({
    account: signer,
    domain: contributionDomain(ctx),
    types: COMMIT_TYPES,
    primaryType: "Commit",
    message: {
      contributor: signer.address,
      commitment: commitment.commitment,
      nonce: await nonceOf(ctx, signer.address),
      deadline: requireAmount("deadline", deadline),
    },
  });
  return { commitment, deadline, signature };
}

/** Sends a signed commitment for its contributor (the wallet pays the gas). */
export async function relayCommitment<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { commitment, deadline, signature, ...options }: SignedCommitment & WriteOptions<M>,
) {
  const args = [
    requireAddress("contributor", commitment.contributor),
    requireHash("commitment", commitment.commitment),
    requireAmount("deadline", deadline),
    signature,
  ] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "commitWithSig", args }, options);
}

/** Reveals a commitment (anyone may send it; the contributions are the committer's); `result` is the ids. */
export async function revealContributions<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    contributor,
    datanetId,
    items,
    maxBond,
    salt,
    commitment,
    ...options
  }: ContributionCommitment & WriteOptions<M>,
) {
  void commitment; // the contract recomputes it from the fields
  const { hashes, uris } = splitItems(items);
  const args = [
    requireAddress("contributor", contributor),
    requireId("datanetId", datanetId),
    hashes,
    uris,
    requireAmount("maxBond", maxBond, 0n, 2n ** 96n - 1n),
    requireHash("salt", salt, true),
  ] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).contributions, functionName: "reveal", args }, options);
}

/** Signs a gasless contribution with the wallet (EIP-712) for anyone to relay. */
export async function signContribution(
  ctx: OpenAttributionContext,
  {
    datanetId,
    contentHash,
    uri,
    deadline,
    maxBond,
  }: { datanetId: bigint; contentHash: Hex; uri: string; deadline: bigint; maxBond?: bigint },
): Promise<SignedContribution> {
  const signer = requireAccount(ctx);
  const id = requireId("datanetId", datanetId);
  const message = {
    contributor: signer.address,
    datanetId: id,
    contentHash: requireHash("contentHash", contentHash),
    uriHash: keccak256(toBytes(requireText("uri", uri))),
    maxBond: await bondLimit(ctx, id, maxBond),
    nonce: await nonceOf(ctx, signer.address),
    deadline: requireAmount("deadline", deadline),
  };
  const signature = await ctx.walletClient!.signTypedData({
    account: signer,
    domain: contributionDomain(ctx),
    types: CONTRIBUTE_TYPES,
    primaryType: "Contribute",
    message,
  });
  return {
    contributor: signer.address,
    datanetId: id,
    contentHash,
    uri,
    maxBond: message.maxBond,
    deadline,
    signature,
  };
}

function signedArg(signed: SignedContribution) {
  return {
    contributor: requireAddress("contributor", signed.contributor),
    datanetId: requireId("datanetId", signed.datanetId),
    contentHash: requireHash("contentHash", signed.contentHash),
    uri: requireText("uri", signed.uri),
    maxBond: requireAmount("maxBond", signed.maxBond, 0n, 2n ** 96n - 1n),
    deadline: requireAmount("deadline", signed.deadline),
    signature: signed.signature,
  };
}

/** Relays a signed contribution (the wallet pays the gas; the bond comes from the contributor); `result` is the id. */
export async function relayContribution<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    contributor,
    datanetId,
    contentHash,
    uri,
    maxBond,
    deadline,
    signature,
    ...options
  }: SignedContribution & WriteOptions<M>,
) {
  const args = [
    signedArg({ contributor, datanetId, contentHash, uri, maxBond, deadline, signature }),
  ] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "contributeWithSig", args }, options);
}

/** Relays a signed contribution together with the contributor's ERC-2612 permit for the bond; `result` is the id. */
export async function relayContributionWithPermit<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    contribution,
    permit,
    ...options
  }: { contribution: SignedContribution; permit: SignedPermit } & WriteOptions<M>,
) {
  const { v, r, s } = parseSignature(permit.signature);
  const permitArg = { value: permit.value, deadline: permit.deadline, v: Number(v), r, s };
  const args = [signedArg(contribution), permitArg] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "contributeWithSigAndPermit", args }, options);
}

/** Approves (`true`) or rejects a pending contribution (reviewer). */
export async function review<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { contributionId, approve, ...options }: { contributionId: Hex; approve: boolean } & WriteOptions<M>,
) {
  const args = [requireHash("contributionId", contributionId), approve] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).contributions, functionName: "review", args }, options);
}

/** Accepts a contribution whose optimistic review window passed without rejection (anyone). */
export async function finalizeContribution<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { contributionId, ...options }: { contributionId: Hex } & WriteOptions<M>,
) {
  const args = [requireHash("contributionId", contributionId)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).contributions, functionName: "finalize", args },
    options,
  );
}

/** Withdraws consent for the wallet's own contribution. */
export async function withdrawContribution<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { contributionId, ...options }: { contributionId: Hex } & WriteOptions<M>,
) {
  const args = [requireHash("contributionId", contributionId)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).contributions, functionName: "withdraw", args },
    options,
  );
}

/** A stored contribution, its status by name. */
export async function getContribution(ctx: OpenAttributionContext, contributionId: Hex) {
  const { contributions } = contractsOf(ctx.deployment);
  const args = [requireHash("contributionId", contributionId)] as const;
  const record = await read(() =>
    ctx.publicClient.readContract({ ...contributions, functionName: "getContribution", args }),
  );
  return { ...record, status: CONTRIBUTION_STATUSES[record.status] };
}

/** An account's reputation counters. */
export async function reputation(ctx: OpenAttributionContext, account: Address) {
  const { contributions } = contractsOf(ctx.deployment);
  const args = [requireAddress("account", account)] as const;
  return read(() => ctx.publicClient.readContract({ ...contributions, functionName: "reputation", args }));
}
