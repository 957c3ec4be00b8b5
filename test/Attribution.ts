import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { keccak256, toBytes, type Hex } from "viem";

import {
  attributeOutputs,
  AttributionInputError,
  buildSuffixArray,
  ContentMismatchError,
  CorpusIndex,
  CorpusStats,
  DEFAULT_SPAN_PARAMS,
  detokenize,
  findSpans,
  IndexIntegrityError,
  loadIndex,
  loadOrBuildShard,
  log2Fixed,
  MissingContentError,
  readContents,
  readOutputs,
  shardKey,
  tokenize,
  TOKENIZER,
  type AttributionParams,
} from "../sdk/attribution/index.js";
import { buildReport } from "../sdk/reports.js";

/** A deterministic pseudo-random generator (LCG), so failures reproduce. */
function generator(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state % n;
  };
}

/** Suffix array by sorting the suffixes directly (the reference). */
function naiveSuffixArray(text: Uint32Array): number[] {
  const positions = [...text.keys()];
  return positions.sort((a, b) => {
    for (let d = 0; ; d++) {
      if (text[a + d] !== text[b + d]) return text[a + d] - text[b + d];
    }
  });
}

const doc = (id: string, text: string) => ({
  contributionId: id as Hex,
  contentHash: keccak256(toBytes(text)),
  tokens: tokenize(text),
});
const PARAMS: AttributionParams = {
  minTokens: 3,
  maxOccurrences: 16,
  densityBps: 10_000,
  feeWeighted: false,
  evidencePerContribution: 3,
};
const ID_A = `0x${"0a".repeat(32)}` as Hex;
const ID_B = `0x${"0b".repeat(32)}` as Hex;
const ID_C = `0x${"0c".repeat(32)}` as Hex;
const ID_D = `0x${"0d".repeat(32)}` as Hex;

describe("attribution engine", function () {
  describe("suffix arrays (SA-IS)", function () {
    it("equals a naive sort of the suffixes on random texts", function () {
      const random = generator(7);
      for (let trial = 0; trial < 2_000; trial++) {
        const n = 1 + random(80);
        const alphabet = 2 + random(trial % 3 === 0 ? 3 : 300); // small alphabets repeat, which exercises the recursion
        const text = new Uint32Array(n);
        for (let i = 0; i < n - 1; i++) text[i] = 1 + random(alphabet - 1);
        expect([...buildSuffixArray(text, alphabet)], `text ${text.join(",")}`).to.deep.equal(
          naiveSuffixArray(text),
        );
      }
    });

    it("sorts periodic and constant texts, and refuses a text without the sentinel", function () {
      for (const values of [
        [1, 1, 1, 1, 1, 1, 1, 0],
        [2, 1, 2, 1, 2, 1, 2, 1, 0],
        [3, 2, 1, 3, 2, 1, 3, 2, 1, 0],
        [0],
      ]) {
        const text = Uint32Array.from(values);
        expect([...buildSuffixArray(text, 4)]).to.deep.equal(naiveSuffixArray(text));
      }
      expect(() => buildSuffixArray(Uint32Array.from([1, 2]), 3)).to.throw(RangeError, "sentinel");
      expect(() => buildSuffixArray(Uint32Array.from([5, 0]), 3)).to.throw(
        RangeError,
        "outside the alphabet",
      );
    });
  });

  describe("integer scoring", function () {
    it("computes floor(log2(x) * 2^16) with integers only", function () {
      expect(log2Fixed(1)).to.equal(0);
      expect(log2Fixed(2)).to.equal(65_536);
      expect(log2Fixed(8)).to.equal(3 * 65_536);
      expect(log2Fixed(3)).to.equal(103_872); // log2(3) = 1.58496250… → 103,872.19…
      expect(log2Fixed(14)).to.equal(249_518); // 3.80735492… → 249,518.8…
      expect(log2Fixed(2 ** 40)).to.equal(40 * 65_536);
      for (let x = 1; x < 5_000; x += 37)
        expect(Math.abs(log2Fixed(x) - Math.log2(x) * 65_536)).to.be.lessThan(1.001);
      expect(() => log2Fixed(0)).to.throw(RangeError);
    });
  });

  describe("spans and weights (known answers)", function () {
    const corpus = () =>
      CorpusIndex.build([doc(ID_A, "The cat sat on the mat.\n"), doc(ID_B, "A dog ran in the park.\n")]);
    const output = tokenize("Yesterday the cat sat on the mat while a dog ran in the park");

    it("finds the maximal rare spans, stopping where the corpus differs", function () {
      const index = corpus();
      expect(index.tokenCount).to.equal(14);
      const spans = findSpans(output, [index], new CorpusStats([index]), PARAMS);
      // " the" alone occurs twice and is inside no longer match (the corpus has "The cat", another
      // token); " a" never occurs (the corpus has "A"). Each kept span holds 4 tokens seen once
      // and " the" seen twice out of 14: 4·log2(14/1) + log2(14/2) = 4·249,518 + 183,982.
      expect(
        spans.map((s) => [
          detokenize(output.subarray(s.start, s.end)),
          s.occurrences,
          s.contributions,
          s.score,
        ]),
      ).to.deep.equal([
        [" cat sat on the mat", 1, [ID_A], 1_182_054],
        [" dog ran in the park", 1, [ID_B], 1_182_054],
      ]);
    });

    it("splits a span's score among the contributions holding it, remainder to the lowest id", function () {
      const index = CorpusIndex.build([
        doc(ID_A, "The cat sat on the mat.\n"),
        doc(ID_B, "A dog ran in the park.\n"),
        doc(ID_C, "My cat sat on the mat.\n"),
        doc(ID_D, "Her cat sat on the mat.\n"),
      ]);
      const result = attributeOutputs(
        [{ id: "o1", text: "Yesterday the cat sat on the mat" }],
        [index],
        PARAMS,
      );
      // 28 tokens: cat, sat, on, mat three times each, " the" four times.
      const score = 4 * (log2Fixed(28) - log2Fixed(3)) + (log2Fixed(28) - log2Fixed(4));
      expect(score).to.equal(1_028_710); // 4 · (315,054 − 103,872) + (315,054 − 131,072)
      expect([...result.weights]).to.deep.equal([
        [ID_A, 342_904n], // 1,028,710 = 3 · 342,903 + 1: the odd unit goes to the lowest id
        [ID_C, 342_903n],
        [ID_D, 342_903n],
      ]);
      expect(result.evidence.get(ID_C)![0]).to.include({
        outputId: "o1",
        text: " cat sat on the mat",
        occurrences: 3,
      });
    });

    it("drops short, frequent and non-maximal spans, and keeps only the rarest share", function () {
      const index = corpus();
      const stats = new CorpusStats([index]);
      expect(findSpans(output, [index], stats, { ...PARAMS, minTokens: 6 })).to.deep.equal([]);
      const twice = CorpusIndex.build([
        doc(ID_A, "The cat sat on the mat.\n"),
        doc(ID_B, "My cat sat on the mat.\n"),
      ]);
      expect(
        findSpans(output, [twice], new CorpusStats([twice]), { ...PARAMS, maxOccurrences: 1 }),
      ).to.deep.equal([]);
      // 14 output tokens at 1 %: one span, the rarest (equal scores: the earlier one).
      const kept = findSpans(output, [index], stats, { ...PARAMS, densityBps: 100 });
      expect(kept.map((s) => s.start)).to.deep.equal([2]);
      // A sentence end is a delimiter: no span runs past it.
      const cut = findSpans(tokenize("the cat sat on the mat.\nA dog ran"), [index], stats, PARAMS);
      expect(
        cut.map((s) => detokenize(tokenize("the cat sat on the mat.\nA dog ran").subarray(s.start, s.end))),
      ).to.deep.equal([" cat sat on the mat.\n", "A dog ran"]);
    });

    it("adds up across shards as one index over both would", function () {
      const whole = CorpusIndex.build([
        doc(ID_A, "The cat sat on the mat.\n"),
        doc(ID_B, "A dog ran in the park.\n"),
        doc(ID_C, "My cat sat on the mat.\n"),
      ]);
      const shards = [
        CorpusIndex.build([doc(ID_A, "The cat sat on the mat.\n"), doc(ID_B, "A dog ran in the park.\n")]),
        CorpusIndex.build([doc(ID_C, "My cat sat on the mat.\n")]),
      ];
      const outputs = [{ id: "o1", text: "Yesterday the cat sat on the mat while a dog ran in the park" }];
      expect([...attributeOutputs(outputs, shards, PARAMS).weights]).to.deep.equal([
        ...attributeOutputs(outputs, [whole], PARAMS).weights,
      ]);
    });

    it("weighs outputs by their fees when asked", function () {
      const index = corpus();
      const outputs = [
        { id: "cheap", text: "the cat sat on the mat", fee: 1n },
        { id: "dear", text: "a dog ran in the park", fee: 3n },
      ];
      const result = attributeOutputs(outputs, [index], { ...PARAMS, feeWeighted: true });
      expect(result.weights.get(ID_B)).to.equal(3n * result.weights.get(ID_A)!);
    });
  });

  describe("determinism", function () {
    it("gives byte-identical reports from two runs, and from a stored and reloaded index", function () {
      const dir = mkdtempSync(join(tmpdir(), "oa-index-"));
      const contents = new Map<Hex, Uint8Array>();
      const documents = ["alice", "bob", "carol"]
        .map((n) => {
          const bytes = readFileSync(join("demo", "corpus", `${n}.txt`));
          const contentHash = keccak256(bytes);
          contents.set(contentHash, bytes);
          return { contributionId: contentHash, contentHash };
        })
        .sort((a, b) => (a.contributionId < b.contributionId ? -1 : 1));
      const source = { datanetId: 1n, version: 1, documents, contents };
      const outputs = readOutputs(join("demo", "outputs-base.jsonl"));
      const params = { ...DEFAULT_SPAN_PARAMS, feeWeighted: true, evidencePerContribution: 2 };
      const documentOf = (index: CorpusIndex) => {
        const result = attributeOutputs(outputs, [index], params);
        const weights = [...result.weights].map(([contributionId, weight]) => ({
          contributionId,
          contributor: `0x${"11".repeat(20)}` as Hex,
          weight,
        }));
        return JSON.stringify(
          buildReport({
            modelId: 1n,
            epoch: 0n,
            weights,
            previous: new Map(),
            pool: 10n ** 21n,
            attribution: { evidence: Object.fromEntries(result.evidence) },
          }).document,
        );
      };
      const first = loadOrBuildShard(dir, source);
      const second = loadOrBuildShard(dir, source);
      expect([first.built, second.built]).to.deep.equal([true, false]);
      expect(second.manifest.indexHash).to.equal(first.manifest.indexHash);
      expect(second.manifest.tokenizer).to.deep.equal(TOKENIZER);
      expect(documentOf(second.index)).to.equal(documentOf(first.index));
      expect(
        documentOf(
          CorpusIndex.build(
            documents.map((d) => ({
              ...d,
              tokens: tokenize(Buffer.from(contents.get(d.contentHash)!).toString("utf8")),
            })),
          ),
        ),
      ).to.equal(documentOf(first.index));
    });

    it("refuses a damaged stored index, and pins the tokenizer version it records", function () {
      const dir = mkdtempSync(join(tmpdir(), "oa-index-"));
      const bytes = Buffer.from("The cat sat on the mat.\n");
      const contentHash = keccak256(bytes);
      const documents = [{ contributionId: ID_A, contentHash }];
      const { manifest } = loadOrBuildShard(dir, {
        datanetId: 1n,
        version: 1,
        documents,
        contents: new Map([[contentHash, bytes]]),
      });
      const folder = join(dir, shardKey(documents));
      const sa = join(folder, "suffixes.bin");
      const damaged = readFileSync(sa);
      damaged[0] ^= 1;
      writeFileSync(sa, damaged);
      expect(() => loadIndex(folder)).to.throw(IndexIntegrityError, "suffixes.bin is damaged");
      expect(manifest.tokenCount).to.equal(7);
      const installed = createRequire(import.meta.url)("gpt-tokenizer/package.json") as { version: string };
      expect(TOKENIZER.version).to.equal(installed.version);
    });
  });

  describe("inputs", function () {
    it("reads content named or listed by hash, and refuses a file that does not hash to it", function () {
      const dir = mkdtempSync(join(tmpdir(), "oa-content-"));
      const named = Buffer.from("named by its hash");
      const listed = Buffer.from("listed in contents.json");
      writeFileSync(join(dir, `${keccak256(named)}.txt`), named);
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "sub", "listed.md"), listed);
      writeFileSync(join(dir, "contents.json"), JSON.stringify({ [keccak256(listed)]: "sub/listed.md" }));
      const wanted = [
        { contributionId: ID_A, contentHash: keccak256(named) },
        { contributionId: ID_B, contentHash: keccak256(listed) },
      ];
      const contents = readContents(dir, wanted);
      expect(Buffer.from(contents.get(keccak256(listed))!).toString()).to.equal("listed in contents.json");

      writeFileSync(join(dir, "sub", "listed.md"), "edited after it was contributed");
      expect(() => readContents(dir, wanted)).to.throw(
        ContentMismatchError,
        `${join(dir, "sub", "listed.md")} hashes to ${keccak256(toBytes("edited after it was contributed"))}, not to the content hash ${keccak256(listed)} contribution ${ID_B} has on chain`,
      );
      expect(() =>
        readContents(dir, [{ contributionId: ID_C, contentHash: keccak256(toBytes("absent")) }]),
      ).to.throw(MissingContentError, `no content for contribution ${ID_C}`);
    });

    it("names the line of a malformed output", function () {
      const dir = mkdtempSync(join(tmpdir(), "oa-outputs-"));
      const cases: [string, string][] = [
        ['{"id":"a","output":"x"}\n{"id":"b"}\n', 'outputs.jsonl:2: "output" must be a string'],
        ['{"id":"a","output":"x"}\n\n{oops\n', "outputs.jsonl:3: not valid JSON"],
        [
          '{"id":"a","output":"x","fee":"-1"}\n',
          'outputs.jsonl:1: "fee" must be a whole number of wei, got "-1"',
        ],
        ['{"id":"a","output":"x"}\n{"id":"a","output":"y"}\n', 'outputs.jsonl:2: id "a" appears twice'],
        ['["a"]\n', "outputs.jsonl:1: expected an object"],
      ];
      for (const [text, message] of cases) {
        writeFileSync(join(dir, "outputs.jsonl"), text);
        expect(() => readOutputs(join(dir, "outputs.jsonl"))).to.throw(AttributionInputError, message);
      }
      writeFileSync(
        join(dir, "outputs.jsonl"),
        '{"id":"a","output":"x","fee":12}\n\n{"id":"b","output":"y"}\n',
      );
      expect(readOutputs(join(dir, "outputs.jsonl"))).to.deep.equal([
        { id: "a", text: "x", fee: 12n },
        { id: "b", text: "y", fee: undefined },
      ]);
    });
  });
});
