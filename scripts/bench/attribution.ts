/**
 * Attribution engine benchmark: `npm run bench:attribution` (the full run: a 100 M-token
 * corpus, 10,000 outputs of about 500 tokens) or `npm run bench:attribution:small` (CI: the
 * same measurements on 2 M tokens and 500 outputs). Prints one table: each figure next to its
 * target. The corpus and outputs are generated from fixed seeds, so every run sees the same
 * bytes; timing figures depend on the machine.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

import { keccak256, toHex, type Hex } from "viem";

import {
  attributeOutputs,
  CorpusIndex,
  CorpusText,
  DEFAULT_SPAN_PARAMS,
  spanLimits,
  startsWord,
  tokenize,
  type AttributionParams,
  type ModelOutput,
} from "../../sdk/attribution/index.js";
import { buildReport } from "../../sdk/reports.js";
import { documentText, outputText } from "./corpus-generator.ts";

const SMALL = process.env.BENCH_SCALE === "small";
const CORPUS_TOKENS = Number(process.env.BENCH_TOKENS ?? (SMALL ? 2_000_000 : 100_000_000));
const OUTPUTS = Number(process.env.BENCH_OUTPUTS ?? (SMALL ? 500 : 10_000));
const OUTPUT_TOKENS = 500;
const PARAMS: AttributionParams = { ...DEFAULT_SPAN_PARAMS, feeWeighted: false, evidencePerContribution: 2 };

const idOf = (i: number): Hex => keccak256(toHex(`document ${i}`));
const seconds = (from: number) => (performance.now() - from) / 1000;
const peakMemoryGb = () => process.resourceUsage().maxRSS / 1024 / 1024;
const format = (n: number, digits = 1) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

// ---------------------------------------------------------------- corpus: tokenize + index
// Documents are generated and tokenized by one worker per core, in batches, and appended in order.
const started = performance.now();
const corpus = new CorpusText(Math.ceil(CORPUS_TOKENS * 1.02) + 100_000);
let documents = 0;
let textBytes = 0;
await new Promise<void>((resolve, reject) => {
  const BATCH = 32;
  const workers = Array.from(
    { length: availableParallelism() },
    () => new Worker(new URL("./tokenize-worker.ts", import.meta.url)),
  );
  const arrived = new Map<number, { bytes: number; tokens: Uint32Array }[]>();
  let nextBatch = 0;
  let inFlight = 0;
  const dispatch = (worker: Worker) => {
    if (corpus.tokenCount >= CORPUS_TOKENS) return;
    worker.postMessage({ from: nextBatch * BATCH, to: (nextBatch + 1) * BATCH });
    nextBatch++;
    inFlight++;
  };
  for (const worker of workers) {
    worker.on("error", reject);
    worker.on(
      "message",
      ({ from, documents: batch }: { from: number; documents: { bytes: number; tokens: Uint32Array }[] }) => {
        inFlight--;
        arrived.set(from, batch);
        // Append every batch that is next in order.
        for (
          let ready = arrived.get(documents);
          ready !== undefined && corpus.tokenCount < CORPUS_TOKENS;
          ready = arrived.get(documents)
        ) {
          arrived.delete(documents);
          for (const { bytes, tokens } of ready) {
            if (corpus.tokenCount >= CORPUS_TOKENS) break;
            const id = idOf(documents);
            corpus.append({ contributionId: id, contentHash: id, tokens });
            textBytes += bytes;
            documents++;
          }
        }
        dispatch(worker);
        if (inFlight === 0 && corpus.tokenCount >= CORPUS_TOKENS) {
          for (const w of workers) void w.terminate();
          resolve();
        }
      },
    );
    dispatch(worker);
    dispatch(worker);
  }
});
const tokenized = seconds(started);
const tokens = corpus.tokenCount;
const indexStarted = performance.now();
const index = corpus.index();
const indexing = seconds(indexStarted);
const corpusSeconds = seconds(started);
const bytesPerToken =
  (index.text.byteLength + index.suffixes.byteLength + index.documentStarts.byteLength) / tokens;
const corpusMemory = peakMemoryGb();

// ---------------------------------------------------------------- outputs
const sample = tokenize(outputText(0, documents, 400)).length / 400;
const wordsPerOutput = Math.round(OUTPUT_TOKENS / sample);
const outputs: ModelOutput[] = [];
for (let j = 0; j < OUTPUTS; j++)
  outputs.push({ id: `o${j}`, text: outputText(j, documents, wordsPerOutput) });
const attributionStarted = performance.now();
const result = attributeOutputs(outputs, [index], PARAMS);
const attribution = seconds(attributionStarted);

// ---------------------------------------------------------------- naive baseline, on a slice
// Longest match at each word start by scanning every contribution of a 1 M-token slice.
const SLICE_TOKENS = 1_000_000;
const slice = new CorpusText(SLICE_TOKENS + 100_000);
for (let i = 0; slice.tokenCount < SLICE_TOKENS; i++)
  slice.append({ contributionId: idOf(i), contentHash: idOf(i), tokens: tokenize(documentText(i)) });
const sliceIndex = slice.index();
const sliceOutputs = outputs.slice(0, 2).map((o) => tokenize(o.text));
function naiveLongest(output: Uint32Array, start: number, limit: number): number {
  const text = sliceIndex.text;
  let best = 0;
  for (let p = 0; p < text.length; p++) {
    let k = 0;
    while (start + k < limit && text[p + k] === output[start + k] + 2) k++;
    if (k > best) best = k;
  }
  return best;
}
let naiveChecksum = 0;
let indexedChecksum = 0;
const naiveStarted = performance.now();
for (const output of sliceOutputs) {
  const limit = spanLimits(output);
  for (let i = 0; i < output.length; i++)
    if (startsWord(output, i)) naiveChecksum += naiveLongest(output, i, limit[i]);
}
const naive = seconds(naiveStarted);
const indexedStarted = performance.now();
for (let repeat = 0; repeat < 20; repeat++)
  for (const output of sliceOutputs) {
    const limit = spanLimits(output);
    for (let i = 0; i < output.length; i++)
      if (startsWord(output, i)) indexedChecksum += sliceIndex.longestMatch(output, i, limit[i]).length;
  }
const indexed = seconds(indexedStarted) / 20;
if (indexedChecksum !== naiveChecksum * 20)
  throw new Error("the index and the naive scan disagree on the longest matches");

// ---------------------------------------------------------------- determinism
const reportOf = () => {
  const run = attributeOutputs(outputs.slice(0, Math.min(200, OUTPUTS)), [index], PARAMS);
  const weights = [...run.weights].map(([contributionId, weight]) => ({
    contributionId,
    contributor: `0x${contributionId.slice(26)}` as Hex,
    weight,
  }));
  const evidence = Object.fromEntries(run.evidence);
  const report = buildReport({
    modelId: 1n,
    epoch: 0n,
    weights,
    previous: new Map(),
    pool: 10n ** 24n,
    attribution: { evidence },
  });
  return `${JSON.stringify(report.document)}|${report.weightsRoot}|${report.cumulativeRoot}`;
};
const identical = reportOf() === reportOf();

// ---------------------------------------------------------------- table
const scale = (CORPUS_TOKENS / 100_000_000).toString();
const rows = [
  {
    what: "suffix-array construction",
    measured: `${format(tokens / indexing / 1e6, 2)} M tokens/s (${format(indexing)} s)`,
    target: ">= 1.5 M tokens/s",
    met: tokens / indexing >= 1.5e6,
  },
  {
    what: "resident index size",
    measured: `${format(bytesPerToken, 2)} bytes/token`,
    target: "<= 10 bytes/token",
    met: bytesPerToken <= 10,
  },
  {
    what: `${format(tokens / 1e6)} M-token corpus (${format(textBytes / 1e6)} MB of text, ${format(documents, 0)} documents): tokenize + index`,
    measured: `${format(corpusSeconds)} s (tokenize ${format(tokenized)} s), peak ${format(corpusMemory, 2)} GB`,
    target: SMALL ? `(full run: <= 300 s, <= 3 GB at 100 M tokens)` : "<= 300 s, peak <= 3 GB",
    met: corpusSeconds <= 300 * Number(scale) + 1 && corpusMemory <= 3,
  },
  {
    what: `attribute ${format(OUTPUTS, 0)} outputs of ~${OUTPUT_TOKENS} tokens (${format(result.stats.outputTokens / OUTPUTS, 0)} on average)`,
    measured: `${format(attribution)} s, ${format(result.stats.spans, 0)} spans, ${format(result.weights.size, 0)} contributions weighted`,
    target: SMALL ? "(full run: <= 60 s for 10,000)" : "<= 60 s",
    met: attribution <= (60 * OUTPUTS) / 10_000 + 1,
  },
  {
    what: "index vs naive scan of every contribution (1 M-token slice, 2 outputs)",
    measured: `${format(naive / indexed, 0)}× faster (${format(naive, 2)} s vs ${format(indexed * 1000, 2)} ms)`,
    target: ">= 1,000×",
    met: naive / indexed >= 1_000,
  },
  {
    what: "two runs, same inputs",
    measured: identical ? "byte-identical document and roots" : "DIFFERENT",
    target: "byte-identical",
    met: identical,
  },
];
console.log(
  `\nAttribution engine benchmark (${SMALL ? "small: CI scale" : "full"}; ${format(tokens, 0)} corpus tokens)`,
);
console.table(rows.map((r) => ({ ...r, met: r.met ? "yes" : "NO" })));
if (!identical) process.exitCode = 1;
