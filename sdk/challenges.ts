import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, keccak256, toBytes, zeroHash, type Address, type Hex } from "viem";

import type { ContributionStatusName } from "./actions/contributions.js";
import { InvalidDocumentError } from "./errors.js";
import { CUMULATIVE_LEAF_TYPES, WEIGHT_LEAF_TYPES, type ReportDocument } from "./reports.js";

/**
 * Accountable attesters, off chain: the EIP-712 attestation attesters sign, the report hash,
 * and the rules a challenge proves on chain (IAttributionRegistry), mirrored exactly so that a
 * report built from the chain is never faulty and a faulty one is found before it is sent.
 */

/** EIP-712 domain name of AttributionRegistry (version "1"). */
export const ATTRIBUTION_DOMAIN_NAME = "OpenAttribution AttributionRegistry";

/** EIP-712 types of what an attester signs to support a report. */
export const ATTEST_REPORT_TYPES = {
  AttestReport: [
    { name: "modelId", type: "uint256" },
    { name: "epoch", type: "uint256" },
    { name: "round", type: "uint256" },
    { name: "reportHash", type: "bytes32" },
  ],
} as const;

/** What a challenge proves (IAttributionRegistry.Fault). */
export const ReportFault = {
  None: 0,
  WeightAboveTotal: 1,
  IneligibleContribution: 2,
  WrongContributor: 3,
  AmountAboveTotal: 4,
  AmountBelowClaimed: 5,
  AmountBelowPrevious: 6,
} as const;
export type ReportFaultName = keyof typeof ReportFault;
export const REPORT_FAULT_NAMES = Object.keys(ReportFault) as ReportFaultName[];

/** A report as submitted on chain (IAttributionRegistry.Report). */
export interface ReportFields {
  weightsRoot: Hex;
  totalWeight: bigint;
  cumulativeRoot: Hex;
  totalCumulative: bigint;
  uri: string;
}

/** One attester's signature of a report (IAttributionRegistry.Attestation). */
export interface Attestation {
  attester: Address;
  signature: Hex;
}

/** `hashReport` of AttributionRegistry: what attesters agree on. */
export function hashReport(modelId: bigint, epoch: bigint, report: ReportFields): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "uint256" },
        { type: "uint256" },
        { type: "bytes32" },
        { type: "uint256" },
        { type: "bytes32" },
        { type: "uint256" },
        { type: "bytes32" },
      ],
      [
        modelId,
        epoch,
        report.weightsRoot,
        report.totalWeight,
        report.cumulativeRoot,
        report.totalCumulative,
        keccak256(toBytes(report.uri)),
      ],
    ),
  );
}

/** `keccak256(abi.encode(supporters))`, as AttributionRegistry keeps it for a pending report. */
export function hashSupporters(supporters: readonly Address[]): Hex {
  return keccak256(encodeAbiParameters([{ type: "address[]" }], [supporters]));
}

/** Attestations in the order the contract requires: by attester address, ascending. */
export function sortAttestations(attestations: readonly Attestation[]): Attestation[] {
  return [...attestations].sort((a, b) => {
    const [x, y] = [BigInt(a.attester), BigInt(b.attester)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** What eligibility reads of a contribution (IContributionRegistry.Contribution). */
export interface ContributionFacts {
  contributor: Address;
  datanetId: bigint;
  status: ContributionStatusName;
  decidedAt: bigint;
  withdrawnAt: bigint;
  previousWithdrawnAt: bigint;
}

/**
 * What a weights leaf proves, proof aside: AttributionRegistry.weightLeafFault. `snapshots` are
 * the timestamps of the model's versions of the contribution's datanet; `contribution` is null
 * when unknown.
 */
export function weightLeafFault(
  leaf: { contributor: Address; weight: bigint },
  totalWeight: bigint,
  contribution: ContributionFacts | null,
  epochStart: bigint,
  snapshots: readonly bigint[],
): number {
  if (leaf.weight > totalWeight) return ReportFault.WeightAboveTotal;
  if (!contribution || contribution.status === "none") {
    return leaf.weight === 0n ? ReportFault.None : ReportFault.IneligibleContribution;
  }
  const c = contribution;
  if (c.previousWithdrawnAt >= epochStart) return ReportFault.None;
  if (c.contributor.toLowerCase() !== leaf.contributor.toLowerCase()) return ReportFault.WrongContributor;
  if (leaf.weight === 0n) return ReportFault.None;
  const accepted = c.status === "accepted" || (c.status === "withdrawn" && c.decidedAt !== 0n);
  if (!accepted || (c.withdrawnAt !== 0n && c.withdrawnAt < epochStart))
    return ReportFault.IneligibleContribution;
  const inVersion = snapshots.some((t) => c.decidedAt <= t && (c.withdrawnAt === 0n || c.withdrawnAt >= t));
  return inVersion ? ReportFault.None : ReportFault.IneligibleContribution;
}

/**
 * Whether a contribution may be weighed for the epoch starting at `epochStart`: exactly when a
 * non-zero weight for it, naming its contributor, proves nothing on chain.
 */
export function isEligible(
  contribution: ContributionFacts,
  epochStart: bigint,
  snapshots: readonly bigint[],
): boolean {
  const leaf = { contributor: contribution.contributor, weight: 1n };
  return weightLeafFault(leaf, 1n, contribution, epochStart, snapshots) === ReportFault.None;
}

/** What a rewards leaf proves, proofs aside: AttributionRegistry.rewardLeafFault. */
export function rewardLeafFault(
  cumulativeAmount: bigint,
  totalCumulative: bigint,
  claimed: bigint,
  previousAmount: bigint,
): number {
  if (cumulativeAmount > totalCumulative) return ReportFault.AmountAboveTotal;
  if (cumulativeAmount < claimed) return ReportFault.AmountBelowClaimed;
  if (cumulativeAmount < previousAmount) return ReportFault.AmountBelowPrevious;
  return ReportFault.None;
}

/**
 * The two trees of a report document exactly as its leaves are (no check that they add up:
 * a wrong report's document may not), with proofs by leaf.
 */
export function documentTrees(document: ReportDocument) {
  const modelId = BigInt(document.modelId);
  const weights = document.weights.map((w) => [w.contributionId, w.contributor, BigInt(w.weight)]);
  const cumulative = document.cumulative.map((c) => [modelId, c.account, BigInt(c.amount)]);
  if (cumulative.length === 0) throw new InvalidDocumentError("the report document has no rewards leaves");
  const weightsTree = weights.length === 0 ? null : StandardMerkleTree.of(weights, WEIGHT_LEAF_TYPES);
  const cumulativeTree = StandardMerkleTree.of(cumulative, CUMULATIVE_LEAF_TYPES);
  return {
    weightsRoot: (weightsTree?.root ?? zeroHash) as Hex,
    cumulativeRoot: cumulativeTree.root as Hex,
    weightProof: (i: number) => weightsTree!.getProof(weights[i]) as Hex[],
    cumulativeProof: (i: number) => cumulativeTree.getProof(cumulative[i]) as Hex[],
  };
}
