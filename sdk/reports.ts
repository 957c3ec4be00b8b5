import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, keccak256, toBytes, zeroHash, type Address, type Hex } from "viem";

import { InvalidDocumentError, InvalidInputError } from "./errors.js";
import { requireAddress, requireAmount, requireHash } from "./validate.js";

/** Leaf types of the weights tree: (contributionId, contributor, weight). */
export const WEIGHT_LEAF_TYPES = ["bytes32", "address", "uint256"];
/** Leaf types of the cumulative rewards tree: (modelId, account, cumulativeAmount). */
export const CUMULATIVE_LEAF_TYPES = ["uint256", "address", "uint256"];

/** One contribution's attribution weight for the epoch. */
export interface ContributionWeight {
  contributionId: Hex;
  contributor: Address;
  weight: bigint;
}

export interface BuildReportInput {
  modelId: bigint;
  epoch: bigint;
  /** Per-contribution weights for the epoch (withdrawn contributions already excluded). */
  weights: ContributionWeight[];
  /** Cumulative amounts of the previous final report, by account (empty for the first report). */
  previous: Map<Address, bigint> | Record<string, bigint>;
  /** OPEN (wei) to distribute this epoch: pool funded up to the epoch's end minus the previous total. */
  pool: bigint;
  /** How the weights were computed (engine, parameters, indexes, evidence), kept in the document. */
  attribution?: Record<string, unknown>;
}

/** The JSON document of a report; its keccak256 (`documentHash`) is what attesters check. */
export interface ReportDocument {
  version: 1;
  modelId: string;
  epoch: string;
  pool: string;
  remainderRule: string;
  totalWeight: string;
  totalCumulative: string;
  weightsRoot: Hex;
  cumulativeRoot: Hex;
  weights: { contributionId: Hex; contributor: Address; weight: string }[];
  cumulative: { account: Address; amount: string; allocated: string }[];
  /** How the weights were computed, when an engine computed them (see `attribution run`). */
  attribution?: Record<string, unknown>;
}

/** A built report: roots, totals, proofs and its JSON document. */
export interface BuiltReport {
  modelId: bigint;
  epoch: bigint;
  pool: bigint;
  totalWeight: bigint;
  totalCumulative: bigint;
  weightsRoot: Hex;
  cumulativeRoot: Hex;
  /** New cumulative amount per account. */
  cumulative: Map<Address, bigint>;
  /** Amount allocated to each account this epoch. */
  allocated: Map<Address, bigint>;
  document: ReportDocument;
  documentHash: Hex;
  /** The claim of `account`: its cumulative amount and Merkle proof. */
  proof(account: Address): { cumulativeAmount: bigint; proof: Hex[] };
  /** The report as submitted on chain, with `uri` pointing at the document. */
  toOnchain(uri: string): {
    weightsRoot: Hex;
    totalWeight: bigint;
    cumulativeRoot: Hex;
    totalCumulative: bigint;
    uri: string;
  };
}

const REMAINDER_RULE =
  "floor(pool * accountWeight / totalWeight) each; the leftover wei go one each to the accounts with the largest division remainders, ties to the lower address";

const byAddress = (a: string, b: string) =>
  a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;

/**
 * Builds a report from per-contribution weights: each account's share of `pool` in proportion
 * to the summed weight of its contributions (integer math, remainder rule in
 * `document.remainderRule`), added to its previous cumulative amount; then both Merkle trees
 * (`@openzeppelin/merkle-tree` StandardMerkleTree). The same input always gives the same
 * roots and document, whatever its order.
 */
export function buildReport(input: BuildReportInput): BuiltReport {
  const pool = requireAmount("pool", input.pool, 0n);
  const seen = new Set<string>();
  const weights = input.weights
    .map((w, i) => {
      const id = requireHash(`weights[${i}].contributionId`, w.contributionId);
      if (seen.has(id)) throw new InvalidInputError(`weights[${i}].contributionId`, `${id} appears twice`);
      seen.add(id);
      return {
        contributionId: id,
        contributor: requireAddress(`weights[${i}].contributor`, w.contributor),
        weight: requireAmount(`weights[${i}].weight`, w.weight, 0n),
      };
    })
    .sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));

  const perAccount = new Map<Address, bigint>();
  for (const w of weights) perAccount.set(w.contributor, (perAccount.get(w.contributor) ?? 0n) + w.weight);
  const totalWeight = weights.reduce((sum, w) => sum + w.weight, 0n);

  const allocated = new Map<Address, bigint>();
  if (totalWeight > 0n) {
    const shares = [...perAccount.entries()].map(([account, weight]) => ({
      account,
      share: (pool * weight) / totalWeight,
      remainder: (pool * weight) % totalWeight,
    }));
    let leftover = pool - shares.reduce((sum, s) => sum + s.share, 0n);
    shares.sort((a, b) =>
      a.remainder === b.remainder ? byAddress(a.account, b.account) : a.remainder > b.remainder ? -1 : 1,
    );
    for (const s of shares) {
      const extra = leftover > 0n && s.remainder > 0n ? 1n : 0n;
      leftover -= extra;
      allocated.set(s.account, s.share + extra);
    }
  }

  const previous = input.previous instanceof Map ? input.previous : new Map(Object.entries(input.previous));
  const cumulative = new Map<Address, bigint>();
  for (const [account, amount] of previous) cumulative.set(getAddress(account), amount);
  for (const [account, amount] of allocated)
    cumulative.set(account, (cumulative.get(account) ?? 0n) + amount);
  const accounts = [...cumulative.keys()].sort(byAddress);
  const totalCumulative = accounts.reduce((sum, a) => sum + cumulative.get(a)!, 0n);

  if (accounts.length === 0) {
    throw new InvalidInputError(
      "weights",
      "no weighted contribution and no previous amount: there is nothing to report",
    );
  }
  // An epoch without weighted contributions commits to the zero weights root.
  const weightsRoot =
    weights.length === 0
      ? zeroHash
      : (StandardMerkleTree.of(
          weights.map((w) => [w.contributionId, w.contributor, w.weight]),
          WEIGHT_LEAF_TYPES,
        ).root as Hex);
  const cumulativeTree = StandardMerkleTree.of(
    accounts.map((a) => [input.modelId, a, cumulative.get(a)!]),
    CUMULATIVE_LEAF_TYPES,
  );
  const document: ReportDocument = {
    version: 1,
    modelId: input.modelId.toString(),
    epoch: input.epoch.toString(),
    pool: pool.toString(),
    remainderRule: REMAINDER_RULE,
    totalWeight: totalWeight.toString(),
    totalCumulative: totalCumulative.toString(),
    weightsRoot,
    cumulativeRoot: cumulativeTree.root as Hex,
    weights: weights.map((w) => ({ ...w, weight: w.weight.toString() })),
    cumulative: accounts.map((a) => ({
      account: a,
      amount: cumulative.get(a)!.toString(),
      allocated: (allocated.get(a) ?? 0n).toString(),
    })),
    ...(input.attribution === undefined ? {} : { attribution: input.attribution }),
  };
  const treeIndex = new Map<string, number>();
  for (const [i, value] of cumulativeTree.entries()) treeIndex.set((value[1] as string).toLowerCase(), i);
  return {
    modelId: input.modelId,
    epoch: input.epoch,
    pool,
    totalWeight,
    totalCumulative,
    weightsRoot: document.weightsRoot,
    cumulativeRoot: document.cumulativeRoot,
    cumulative,
    allocated,
    document,
    documentHash: keccak256(toBytes(JSON.stringify(document))),
    proof(account: Address) {
      const checked = requireAddress("account", account);
      const index = treeIndex.get(checked.toLowerCase());
      if (index === undefined)
        throw new InvalidInputError("account", `${account} has no amount in this report`);
      return { cumulativeAmount: cumulative.get(checked)!, proof: cumulativeTree.getProof(index) as Hex[] };
    },
    toOnchain(uri: string) {
      return {
        weightsRoot: document.weightsRoot,
        totalWeight,
        cumulativeRoot: document.cumulativeRoot,
        totalCumulative,
        uri,
      };
    },
  };
}

/**
 * Rebuilds a report from its JSON document (as fetched from its URI) and checks that the
 * roots and totals it states are the ones its contents give.
 * @throws InvalidDocumentError when they differ.
 */
export function loadReport(document: ReportDocument): BuiltReport {
  if (document.version !== 1)
    throw new InvalidDocumentError(`unsupported report version ${String(document.version)}`);
  const previous = new Map<Address, bigint>(
    document.cumulative.map((c) => [c.account, BigInt(c.amount) - BigInt(c.allocated)]),
  );
  const rebuilt = buildReport({
    modelId: BigInt(document.modelId),
    epoch: BigInt(document.epoch),
    pool: BigInt(document.pool),
    previous,
    weights: document.weights.map((w) => ({ ...w, weight: BigInt(w.weight) })),
    attribution: document.attribution,
  });
  for (const field of ["weightsRoot", "cumulativeRoot", "totalCumulative", "totalWeight"] as const) {
    if (rebuilt.document[field] !== document[field]) {
      throw new InvalidDocumentError(
        `report ${field} is ${document[field]} but its contents give ${rebuilt.document[field]}`,
      );
    }
  }
  return rebuilt;
}
