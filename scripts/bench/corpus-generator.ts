/**
 * The benchmark's generated corpus and outputs: made-up words with Zipf frequencies, documents
 * of sentences, outputs quoting passages of documents. Fixed seeds: the same bytes on every run.
 * Plain TypeScript that Node runs directly (the tokenizing workers load it without a loader).
 */

/** Words per generated document. */
export const DOCUMENT_WORDS = 1_500;

/** xorshift32: a fixed sequence per seed. */
export function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4_294_967_296;
  };
}

/** A vocabulary of 40,000 made-up words, drawn with Zipf frequencies (rank r with weight 1/r). */
const SYLLABLES = "ka lo mi ne ru ta vo shi pa der ent ion al or is an el ur mo te sa vi qu bra no".split(
  " ",
);
const vocabulary: string[] = [];
{
  const next = random(42);
  const seen = new Set<string>();
  while (vocabulary.length < 40_000) {
    let word = "";
    const syllables = 1 + Math.floor(next() * 4);
    for (let s = 0; s < syllables; s++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      vocabulary.push(word);
    }
  }
}
const cumulative = new Float64Array(vocabulary.length);
for (let r = 0, sum = 0; r < vocabulary.length; r++) cumulative[r] = sum += 1 / (r + 1);
export function word(next: () => number): string {
  const target = next() * cumulative[cumulative.length - 1];
  let a = 0;
  let b = cumulative.length - 1;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (cumulative[mid] < target) a = mid + 1;
    else b = mid;
  }
  return vocabulary[a];
}

/** Document `i` of the corpus: sentences of 6 to 20 words, a line break every few sentences. */
export function documentText(i: number): string {
  const next = random(1_000_003 * (i + 1));
  const parts: string[] = [];
  let words = 0;
  while (words < DOCUMENT_WORDS) {
    const length = 6 + Math.floor(next() * 15);
    const sentence: string[] = [];
    for (let w = 0; w < length; w++) sentence.push(word(next));
    words += length;
    parts.push(`${sentence.join(" ")}.${next() < 0.2 ? "\n" : " "}`);
  }
  return parts.join("");
}

/** Output `j`: new sentences mixed with passages of 12 to 40 words quoted from random documents. */
export function outputText(j: number, documents: number, wordsPerOutput: number): string {
  const next = random(7_777_777 + j);
  const parts: string[] = [];
  let words = 0;
  while (words < wordsPerOutput) {
    if (next() < 0.5) {
      const source = documentText(Math.floor(next() * documents)).split(" ");
      const length = 12 + Math.floor(next() * 29);
      const from = Math.floor(next() * (source.length - length));
      parts.push(source.slice(from, from + length).join(" "));
      words += length;
    } else {
      const length = 8 + Math.floor(next() * 12);
      const sentence: string[] = [];
      for (let w = 0; w < length; w++) sentence.push(word(next));
      parts.push(`${sentence.join(" ")}.`);
      words += length;
    }
  }
  return parts.join(" ");
}
