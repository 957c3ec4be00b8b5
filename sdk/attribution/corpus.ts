import type { Hex } from "viem";

import { buildSuffixArray } from "./sais.js";

/** In the index's text, token id `t` is stored as `t + TOKEN_OFFSET`; 1 separates documents, 0 ends the text. */
const TOKEN_OFFSET = 2;
const SEPARATOR = 1;

/** One contribution's content in an index. */
export interface IndexedDocument {
  contributionId: Hex;
  contentHash: Hex;
}

/** Where a query's prefix occurs: the suffix array range `[lo, hi)` of its `length` tokens. */
export interface Match {
  length: number;
  lo: number;
  hi: number;
}

/**
 * A suffix array over the tokens of a set of documents (one shard: the eligible contributions
 * of a datanet version), with what span matching needs: longest matches, occurrence counts,
 * the documents holding an occurrence, and token frequencies. About 8 bytes per token.
 */
export class CorpusIndex {
  /** Corpus frequency of each token id (index = id). */
  readonly tokenCounts: Uint32Array;

  constructor(
    /** Tokens (offset by 2), separators and the final 0. */
    readonly text: Uint32Array,
    /** Suffix array of `text`. */
    readonly suffixes: Int32Array,
    /** Start of each document in `text`, ascending. */
    readonly documentStarts: Uint32Array,
    readonly documents: readonly IndexedDocument[],
  ) {
    let maxId = 0;
    for (let i = 0; i < text.length; i++) if (text[i] > maxId) maxId = text[i];
    this.tokenCounts = new Uint32Array(Math.max(0, maxId - TOKEN_OFFSET + 1));
    for (let i = 0; i < text.length; i++)
      if (text[i] >= TOKEN_OFFSET) this.tokenCounts[text[i] - TOKEN_OFFSET]++;
  }

  /** Builds the index of `documents` (in the given order) from their token ids. */
  static build(documents: readonly (IndexedDocument & { tokens: Uint32Array })[]): CorpusIndex {
    let length = 1;
    for (const d of documents) length += d.tokens.length + 1;
    const text = new Uint32Array(length);
    const starts = new Uint32Array(documents.length);
    let at = 0;
    let alphabet = TOKEN_OFFSET;
    documents.forEach((d, i) => {
      starts[i] = at;
      for (let j = 0; j < d.tokens.length; j++) {
        const value = d.tokens[j] + TOKEN_OFFSET;
        text[at++] = value;
        if (value >= alphabet) alphabet = value + 1;
      }
      text[at++] = SEPARATOR;
    });
    text[at] = 0;
    const suffixes = buildSuffixArray(text, alphabet);
    return new CorpusIndex(
      text,
      suffixes,
      starts,
      documents.map(({ contributionId, contentHash }) => ({ contributionId, contentHash })),
    );
  }

  /** Number of content tokens (without separators). */
  get tokenCount(): number {
    return this.text.length - 1 - this.documents.length;
  }

  /**
   * The longest prefix of `query[start..limit)` that occurs in the corpus, and where: each
   * token narrows the suffix range by two binary searches (a single suffix is followed directly).
   */
  longestMatch(query: ArrayLike<number>, start: number, limit: number): Match {
    const { text, suffixes } = this;
    let lo = 0;
    let hi = suffixes.length;
    let length = 0;
    while (start + length < limit) {
      const c = query[start + length] + TOKEN_OFFSET;
      if (hi - lo === 1) {
        // One candidate left: compare it directly.
        const p = suffixes[lo];
        while (start + length < limit && text[p + length] === query[start + length] + TOKEN_OFFSET) length++;
        break;
      }
      // First suffix in [lo, hi) whose token at `length` is >= c, then > c.
      let a = lo;
      let b = hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (text[suffixes[mid] + length] < c) a = mid + 1;
        else b = mid;
      }
      let e = a;
      b = hi;
      while (e < b) {
        const mid = (e + b) >>> 1;
        if (text[suffixes[mid] + length] <= c) e = mid + 1;
        else b = mid;
      }
      if (a === e) break;
      lo = a;
      hi = e;
      length++;
    }
    return { length, lo, hi };
  }

  /** The document holding text position `position`. */
  documentAt(position: number): number {
    const starts = this.documentStarts;
    let a = 0;
    let b = starts.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >>> 1;
      if (starts[mid] <= position) a = mid;
      else b = mid - 1;
    }
    return a;
  }

  /** The distinct documents (indexes, ascending) holding the occurrences in `[lo, hi)`. */
  documentsIn(lo: number, hi: number): number[] {
    const found = new Set<number>();
    for (let k = lo; k < hi; k++) found.add(this.documentAt(this.suffixes[k]));
    return [...found].sort((x, y) => x - y);
  }

  /** Corpus frequency of a token id. */
  countOf(tokenId: number): number {
    return tokenId < this.tokenCounts.length ? this.tokenCounts[tokenId] : 0;
  }
}
