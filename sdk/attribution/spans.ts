import type { Hex } from "viem";

import type { CorpusIndex } from "./corpus.js";
import { isDelimiter, startsWord } from "./tokens.js";

/** How spans are selected; recorded in every report so that an auditor recomputes with the same. */
export interface SpanParams {
  /** Shortest span kept, in tokens. */
  minTokens: number;
  /** Spans occurring more often than this in the corpus are too common to attribute. */
  maxOccurrences: number;
  /** Span density: at most this share of an output's token count (basis points) is kept as spans, rarest first. */
  densityBps: number;
}

export const DEFAULT_SPAN_PARAMS: SpanParams = { minTokens: 6, maxOccurrences: 16, densityBps: 500 };

/** Fractional bits of the fixed-point surprisal scores. */
export const SCORE_FRACTION_BITS = 16;

/**
 * floor(log2(x) · 2^16) for an integer x ≥ 1, computed with integers only (bit by bit, by
 * repeated squaring), so that every machine gets the same value.
 */
export function log2Fixed(x: number): number {
  if (!Number.isSafeInteger(x) || x < 1) throw new RangeError(`log2Fixed needs an integer >= 1, got ${x}`);
  let value = BigInt(x);
  let integer = 0;
  while (value >= 2n) {
    value >>= 1n;
    integer++;
  }
  // y = x / 2^integer in [1, 2), as a fixed-point number with 62 fractional bits.
  const PRECISION = 62n;
  let y = (BigInt(x) << PRECISION) >> BigInt(integer);
  let fraction = 0;
  for (let bit = SCORE_FRACTION_BITS - 1; bit >= 0; bit--) {
    y = (y * y) >> PRECISION;
    if (y >= 2n << PRECISION) {
      y >>= 1n;
      fraction |= 1 << bit;
    }
  }
  return integer * 2 ** SCORE_FRACTION_BITS + fraction;
}

/** A span of an output found in the corpus and kept as evidence. */
export interface Span {
  /** Token positions in the output: `[start, end)`. */
  start: number;
  end: number;
  /** Occurrences in the corpus (all shards). */
  occurrences: number;
  /** Contributions holding an occurrence, ascending. */
  contributions: Hex[];
  /** Rarity: the span's summed token surprisal −log2(count / total), fixed point (2^-16). */
  score: number;
}

/** Token statistics of all shards together, for surprisal. */
export class CorpusStats {
  private readonly logTotal: number;
  private readonly cache = new Map<number, number>();

  constructor(private readonly shards: readonly CorpusIndex[]) {
    const total = shards.reduce((sum, s) => sum + s.tokenCount, 0);
    this.logTotal = log2Fixed(Math.max(1, total));
  }

  /** −log2(p(token)) in fixed point; a token in a matched span always occurs at least once. */
  surprisal(tokenId: number): number {
    let s = this.cache.get(tokenId);
    if (s === undefined) {
      const count = this.shards.reduce((sum, shard) => sum + shard.countOf(tokenId), 0);
      s = this.logTotal - log2Fixed(Math.max(1, count));
      this.cache.set(tokenId, s);
    }
    return s;
  }
}

/** `limit[i]`: a span starting at token i may not run past the first delimiter at or after i. */
export function spanLimits(output: Uint32Array): Uint32Array {
  const limit = new Uint32Array(output.length);
  for (let i = output.length - 1, next = output.length; i >= 0; i--) {
    if (isDelimiter(output[i])) next = i + 1;
    limit[i] = next;
  }
  return limit;
}

/**
 * The spans of an output to attribute (OLMoTrace-style): from each position that starts a word,
 * the longest prefix of the rest (up to the next delimiter) that occurs in the corpus, across
 * all shards; only maximal spans, at least `minTokens` long, occurring at most `maxOccurrences`
 * times; the rarest `densityBps` share of the output's length (at least one), rarest first.
 */
export function findSpans(
  output: Uint32Array,
  shards: readonly CorpusIndex[],
  stats: CorpusStats,
  params: SpanParams,
): Span[] {
  const m = output.length;
  const limit = spanLimits(output);
  const candidates: Span[] = [];
  let previousEnd = -1;
  for (let i = 0; i < m; i++) {
    if (!startsWord(output, i)) continue;
    let best = 0;
    let matches: { shard: CorpusIndex; lo: number; hi: number }[] = [];
    for (const shard of shards) {
      const match = shard.longestMatch(output, i, limit[i]);
      if (match.length > best) {
        best = match.length;
        matches = [{ shard, lo: match.lo, hi: match.hi }];
      } else if (match.length === best && best > 0) matches.push({ shard, lo: match.lo, hi: match.hi });
    }
    const end = i + best;
    if (end <= previousEnd) continue; // inside the span that started at an earlier word
    previousEnd = end;
    if (best < params.minTokens) continue;
    const occurrences = matches.reduce((sum, x) => sum + (x.hi - x.lo), 0);
    if (occurrences > params.maxOccurrences) continue;
    const contributions = new Set<Hex>();
    for (const { shard, lo, hi } of matches)
      for (const d of shard.documentsIn(lo, hi)) contributions.add(shard.documents[d].contributionId);
    let score = 0;
    for (let j = i; j < end; j++) score += stats.surprisal(output[j]);
    candidates.push({ start: i, end, occurrences, contributions: [...contributions].sort(), score });
  }
  const keep = Math.max(1, Math.ceil((m * params.densityBps) / 10_000));
  return candidates.sort((a, b) => b.score - a.score || a.start - b.start).slice(0, keep);
}
