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
export function buildSuffixArray(text: Uint32Array | Int32Array, alphabetSize: number): Int32Array {
  const n = text.length;
  if (n === 0 || text[n - 1] !== 0) throw new RangeError("the text must end with the sentinel 0");
  const sa = new Int32Array(n);
  sais(text, sa, n, alphabetSize);
  return sa;
}

function sais(text: ArrayLike<number>, sa: Int32Array, n: number, k: number): void {
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
  const isLms = (i: number) => i > 0 && types[i] === S_TYPE && types[i - 1] === L_TYPE;

  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c >= k) throw new RangeError(`text value ${c} at ${i} is outside the alphabet of ${k}`);
    counts[c]++;
  }
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
  const induce = () => {
    bucketStarts();
    for (let i = 0; i < n; i++) {
      const j = sa[i] - 1;
      if (j >= 0 && types[j] === L_TYPE) sa[buckets[text[j]]++] = j;
    }
    bucketEnds();
    for (let i = n - 1; i >= 0; i--) {
      const j = sa[i] - 1;
      if (j >= 0 && types[j] === S_TYPE) sa[--buckets[text[j]]] = j;
    }
  };

  // 1. Sort the LMS substrings: LMS positions at their buckets' ends, then induce.
  sa.fill(-1);
  bucketEnds();
  for (let i = 1; i < n; i++) if (isLms(i)) sa[--buckets[text[i]]] = i;
  induce();

  // 2. Gather the sorted LMS positions at the front and name the LMS substrings.
  let lmsCount = 0;
  for (let i = 0; i < n; i++) if (isLms(sa[i])) sa[lmsCount++] = sa[i];
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
      if (d > 0 && (isLms(position + d) || isLms(previous + d))) break;
    }
    if (differs) {
      names++;
      previous = position;
    }
    // LMS positions are at least two apart, so position >> 1 is a unique free slot.
    sa[lmsCount + (position >> 1)] = names - 1;
  }
  const reduced = new Int32Array(lmsCount);
  for (let i = lmsCount, j = 0; i < n; i++) if (sa[i] >= 0) reduced[j++] = sa[i];

  // 3. Sort the reduced problem: directly when the names are unique, else recursively.
  const reducedSa = new Int32Array(lmsCount);
  if (names < lmsCount) sais(reduced, reducedSa, lmsCount, names);
  else for (let i = 0; i < lmsCount; i++) reducedSa[reduced[i]] = i;

  // 4. Place the LMS suffixes in their final order at their buckets' ends, then induce.
  for (let i = 1, j = 0; i < n; i++) if (isLms(i)) reduced[j++] = i; // reduced now maps back to positions
  sa.fill(-1);
  bucketEnds();
  for (let i = lmsCount - 1; i >= 0; i--) {
    const position = reduced[reducedSa[i]];
    sa[--buckets[text[position]]] = position;
  }
  induce();
}
