/**
 * Suffix array construction by induced sorting (SA-IS: Nong, Zhang and Chan, "Two Efficient
 * Algorithms for Linear Time Suffix Array Construction", 2011), over typed arrays.
 *
 * Linear time; memory: the text, the suffix array (4 bytes per position), one byte per position
 * of types, the buckets, and the reduced problem (at most half the size) on recursion.
 */

const L_TYPE = 0;
const S_TYPE = 1;

/**
 * The suffix array of `text`, whose last value must be 0 (the sentinel) and every other value in
 * `[1, alphabetSize)`. `sa[k]` is the start of the k-th smallest suffix; `sa[0]` is the sentinel's.
 */
export function buildSuffixArray(text: Uint32Array, alphabetSize: number): Int32Array {
  const n = text.length;
  if (n === 0 || text[n - 1] !== 0) throw new RangeError("the text must end with the sentinel 0");
  // Token ids are sparse (o200k has 200,000 of them; a corpus uses fewer): ranking the values
  // used, order kept, shrinks the buckets the induction jumps between. `text` is ranked in
  // place and restored before returning.
  const counts = new Uint32Array(alphabetSize);
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c >= alphabetSize)
      throw new RangeError(`text value ${c} at ${i} is outside the alphabet of ${alphabetSize}`);
    counts[c]++;
  }
  const rank = new Uint32Array(alphabetSize);
  const valueOf: number[] = [];
  for (let c = 0; c < alphabetSize; c++) {
    if (counts[c] === 0) continue;
    rank[c] = valueOf.length;
    valueOf.push(c);
  }
  const sa = new Int32Array(n);
  for (let i = 0; i < n; i++) text[i] = rank[text[i]];
  try {
    sais(text, sa, n, valueOf.length);
  } finally {
    for (let i = 0; i < n; i++) text[i] = valueOf[text[i]];
  }
  return sa;
}

// One concrete array type for the text at every level of the recursion keeps the element
// accesses monomorphic, which matters at 10^8 positions.
function sais(text: Uint32Array, sa: Int32Array, n: number, k: number): void {
  if (n === 1) {
    sa[0] = 0;
    return;
  }
  // Types: S if smaller than the next suffix, L if larger; the sentinel is S.
  const types = new Uint8Array(n);
  types[n - 1] = S_TYPE;
  for (let i = n - 2; i >= 0; i--) {
    const a = text[i];
    const b = text[i + 1];
    types[i] = a < b || (a === b && types[i + 1] === S_TYPE) ? S_TYPE : L_TYPE;
  }

  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[text[i]]++;
  const buckets = new Int32Array(k);
  const bucketEnds = () => {
    let sum = 0;
    for (let c = 0; c < k; c++) buckets[c] = sum += counts[c];
  };
  const bucketStarts = () => {
    let sum = 0;
    for (let c = 0; c < k; c++) {
      buckets[c] = sum;
      sum += counts[c];
    }
  };
  // Where each bucket's S-type suffixes begin (they follow its L-type ones): the induction tells
  // a suffix's type from its slot and the characters next to it, never from the 1-byte-per-position
  // types, whose random lookups cost the most at 10^8 positions.
  const sStart = new Int32Array(k);
  for (let i = 0; i < n; i++) if (types[i] === S_TYPE) sStart[text[i]]++;
  for (let c = 0, end = 0; c < k; c++) {
    end += counts[c];
    sStart[c] = end - sStart[c];
  }
  const induce = () => {
    // L pass: every filled slot holds an LMS seed or an L-type suffix p; then p - 1 is L-type
    // exactly when its character is not smaller than p's.
    bucketStarts();
    for (let i = 0; i < n; i++) {
      const p = sa[i];
      if (p > 0) {
        const c = text[p - 1];
        if (c >= text[p]) sa[buckets[c]++] = p - 1;
      }
    }
    // S pass: p is S-type exactly when its slot is in its bucket's S part; p - 1 is S-type when
    // its character is smaller, or equal and p is S-type.
    bucketEnds();
    for (let i = n - 1; i >= 0; i--) {
      const p = sa[i];
      if (p > 0) {
        const c = text[p - 1];
        const d = text[p];
        if (c < d || (c === d && i >= sStart[d])) sa[--buckets[c]] = p - 1;
      }
    }
  };

  // 1. Sort the LMS substrings: LMS positions at their buckets' ends, then induce.
  sa.fill(-1);
  bucketEnds();
  for (let i = 1; i < n; i++) if (types[i] === S_TYPE && types[i - 1] === L_TYPE) sa[--buckets[text[i]]] = i;
  induce();

  // 2. Gather the sorted LMS positions at the front and name the LMS substrings.
  let lmsCount = 0;
  for (let i = 0; i < n; i++) {
    const p = sa[i];
    if (p > 0 && types[p] === S_TYPE && types[p - 1] === L_TYPE) sa[lmsCount++] = p;
  }
  sa.fill(-1, lmsCount);
  let names = 0;
  let previous = -1;
  for (let i = 0; i < lmsCount; i++) {
    const position = sa[i];
    let differs = false;
    for (let d = 0; ; d++) {
      if (
        previous === -1 ||
        text[position + d] !== text[previous + d] ||
        types[position + d] !== types[previous + d]
      ) {
        differs = true;
        break;
      }
      if (
        d > 0 &&
        ((types[position + d] === S_TYPE && types[position + d - 1] === L_TYPE) ||
          (types[previous + d] === S_TYPE && types[previous + d - 1] === L_TYPE))
      )
        break;
    }
    if (differs) {
      names++;
      previous = position;
    }
    // LMS positions are at least two apart, so position >> 1 is a unique free slot.
    sa[lmsCount + (position >> 1)] = names - 1;
  }
  const reduced = new Uint32Array(lmsCount);
  for (let i = lmsCount, j = 0; i < n; i++) if (sa[i] >= 0) reduced[j++] = sa[i];

  // 3. Sort the reduced problem: directly when the names are unique, else recursively.
  const reducedSa = new Int32Array(lmsCount);
  if (names < lmsCount) sais(reduced, reducedSa, lmsCount, names);
  else for (let i = 0; i < lmsCount; i++) reducedSa[reduced[i]] = i;

  // 4. Place the LMS suffixes in their final order at their buckets' ends, then induce.
  // `reduced` now maps the reduced problem's positions back to the text's.
  for (let i = 1, j = 0; i < n; i++) if (types[i] === S_TYPE && types[i - 1] === L_TYPE) reduced[j++] = i;
  sa.fill(-1);
  bucketEnds();
  for (let i = lmsCount - 1; i >= 0; i--) {
    const position = reduced[reducedSa[i]];
    sa[--buckets[text[position]]] = position;
  }
  induce();
}
