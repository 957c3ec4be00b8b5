import type { Hex } from "viem";

import type { CorpusIndex } from "./corpus.js";
import { CorpusStats, findSpans, SCORE_FRACTION_BITS, type Span, type SpanParams } from "./spans.js";
import { detokenize, tokenize, TOKENIZER } from "./tokens.js";

/** One model output of the epoch. */
export interface ModelOutput {
  id: string;
  text: string;
  /** Fee the output earned (OPEN wei); weighs its spans when `feeWeighted`. */
  fee?: bigint;
}

export interface AttributionParams extends SpanParams {
  /** Multiply each output's span scores by its fee (outputs without a fee count as 0). */
  feeWeighted: boolean;
  /** Evidence kept in the report per contribution: its highest-scoring spans. */
  evidencePerContribution: number;
}

/** A span kept as evidence, with the output it came from and its text. */
export interface EvidenceSpan {
  outputId: string;
  text: string;
  tokens: number;
  occurrences: number;
  score: number;
}

/** What the engine computed: integer weights per contribution, and evidence. */
export interface AttributionResult {
  /** Weight per contribution id (only contributions with a kept span), ascending by id. */
  weights: Map<Hex, bigint>;
  /** Highest-scoring spans per contribution, highest first. */
  evidence: Map<Hex, EvidenceSpan[]>;
  stats: { outputs: number; outputTokens: number; spans: number };
}

/** Description of the method and parameters, recorded in the report document. */
export function engineDescriptor(params: AttributionParams) {
  return {
    method: "maximal span matching over a suffix array (SA-IS), OLMoTrace-style selection",
    tokenizer: `${TOKENIZER.package}@${TOKENIZER.version} ${TOKENIZER.encoding}`,
    scoreUnit: `2^-${SCORE_FRACTION_BITS} bits of surprisal`,
    params,
  };
}

/**
 * Attributes outputs to the contributions of `shards`: each kept span's integer score is split
 * evenly (remainder to the lowest ids) among the distinct contributions holding it, and summed
 * over outputs. Integer arithmetic and fixed orders throughout: the same inputs give the same
 * weights on any machine.
 */
export function attributeOutputs(
  outputs: readonly ModelOutput[],
  shards: readonly CorpusIndex[],
  params: AttributionParams,
): AttributionResult {
  const stats = new CorpusStats(shards);
  const weights = new Map<Hex, bigint>();
  const evidence = new Map<Hex, EvidenceSpan[]>();
  let outputTokens = 0;
  let spanCount = 0;
  for (const output of outputs) {
    const tokens = tokenize(output.text);
    outputTokens += tokens.length;
    const multiplier = params.feeWeighted ? (output.fee ?? 0n) : 1n;
    const spans = findSpans(tokens, shards, stats, params);
    spanCount += spans.length;
    for (const span of spans) {
      const share = splitScore(BigInt(span.score) * multiplier, span.contributions);
      for (const [id, amount] of share) weights.set(id, (weights.get(id) ?? 0n) + amount);
      recordEvidence(evidence, output.id, tokens, span, params.evidencePerContribution);
    }
  }
  const sorted = new Map(
    [...weights.entries()].filter(([, w]) => w > 0n).sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return { weights: sorted, evidence, stats: { outputs: outputs.length, outputTokens, spans: spanCount } };
}

/** `score` split evenly among `ids` (ascending); the remainder goes one unit each to the first ids. */
function splitScore(score: bigint, ids: readonly Hex[]): [Hex, bigint][] {
  const n = BigInt(ids.length);
  const base = score / n;
  const remainder = score % n;
  return ids.map((id, i) => [id, base + (BigInt(i) < remainder ? 1n : 0n)]);
}

function recordEvidence(
  evidence: Map<Hex, EvidenceSpan[]>,
  outputId: string,
  tokens: Uint32Array,
  span: Span,
  keep: number,
) {
  if (keep === 0) return;
  const item: EvidenceSpan = {
    outputId,
    text: detokenize(tokens.subarray(span.start, span.end)),
    tokens: span.end - span.start,
    occurrences: span.occurrences,
    score: span.score,
  };
  for (const id of span.contributions) {
    const list = evidence.get(id) ?? [];
    list.push(item);
    list.sort(
      (a, b) => b.score - a.score || (a.outputId < b.outputId ? -1 : a.outputId > b.outputId ? 1 : 0),
    );
    if (list.length > keep) list.length = keep;
    evidence.set(id, list);
  }
}

/**
 * The evidence as a report document keeps it (`attribution.evidence`): one entry per weighed
 * contribution, heaviest first (ties by id), with its spans.
 */
export function evidenceByWeight(
  weights: readonly { contributionId: Hex; weight: bigint }[],
  evidence: Map<Hex, EvidenceSpan[]>,
): { contributionId: Hex; weight: string; spans: EvidenceSpan[] }[] {
  return [...weights]
    .sort((a, b) =>
      b.weight > a.weight ? 1 : b.weight < a.weight ? -1 : a.contributionId < b.contributionId ? -1 : 1,
    )
    .map((w) => ({
      contributionId: w.contributionId,
      weight: w.weight.toString(),
      spans: evidence.get(w.contributionId) ?? [],
    }));
}
