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
 * The text of an index, appended document by document (in index order) into one preallocated
 * array, so that a large corpus is held once; `index()` sorts its suffixes.
 */
export class CorpusText {
  private readonly text: Uint32Array;
  private readonly starts: number[] = [];
  private readonly documents: IndexedDocument[] = [];
  private length = 0;
  private alphabet = TOKEN_OFFSET;

  /** `capacity`: tokens plus one separator per document plus one. */
  constructor(capacity: number) {
    this.text = new Uint32Array(capacity);
  }

  append({ contributionId, contentHash, tokens }: IndexedDocument & { tokens: ArrayLike<number> }): void {
    if (this.length + tokens.length + 2 > this.text.length)
      throw new RangeError(`the corpus text is full (${this.text.length} slots)`);
    this.starts.push(this.length);
    this.documents.push({ contributionId, contentHash });
    for (let j = 0; j < tokens.length; j++) {
      const value = tokens[j] + TOKEN_OFFSET;
      this.text[this.length++] = value;
      if (value >= this.alphabet) this.alphabet = value + 1;
    }
    this.text[this.length++] = SEPARATOR;
  }

  /** Tokens appended so far (without separators). */
  get tokenCount(): number {
    return this.length - this.documents.length;
  }

  /** Ends the text with the sentinel and builds its suffix array. */
  index(): CorpusIndex {
    const text = this.text.subarray(0, this.length + 1);
    text[this.length] = 0;
    return new CorpusIndex(
      text,
      buildSuffixArray(text, this.alphabet),
      Uint32Array.from(this.starts),
      this.documents,
    );
  }
}

/**
 * A suffix array over the tokens of a set of documents (one shard: the eligible contributions
 * of a datanet version), with what span matching needs: longest matches, occurrence counts,
 * the documents holding an occurrence, and token frequencies. About 8 bytes per token.
 */
export class CorpusIndex {
  /** Corpus frequency of each token id (index = id). */
  readonly tokenCounts: Uint32Array;
  /** Suffixes starting with token id `t` are `suffixes[firstTokenStart[t] .. firstTokenStart[t + 1])`. */
  private readonly firstTokenStart: Uint32Array;

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
    // The suffix array is sorted by first value: the sentinel, the separators, then each token's bucket.
    this.firstTokenStart = new Uint32Array(this.tokenCounts.length + 1);
    let start = 1 + documentStarts.length;
    for (let t = 0; t < this.tokenCounts.length; t++) {
      this.firstTokenStart[t] = start;
      start += this.tokenCounts[t];
    }
    this.firstTokenStart[this.tokenCounts.length] = start;
  }

  /** Builds the index of `documents` (in the given order) from their token ids. */
  static build(documents: readonly (IndexedDocument & { tokens: Uint32Array })[]): CorpusIndex {
    const text = new CorpusText(documents.reduce((sum, d) => sum + d.tokens.length + 1, 1));
    for (const d of documents) text.append(d);
    return text.index();
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
    if (start >= limit) return { length: 0, lo: 0, hi: suffixes.length };
    // The first token's range comes from the bucket table, not a search over the whole array.
    const first = query[start];
    if (first >= this.tokenCounts.length || this.tokenCounts[first] === 0)
      return { length: 0, lo: 0, hi: suffixes.length };
    let lo = this.firstTokenStart[first];
    let hi = this.firstTokenStart[first + 1];
    let length = 1;
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
