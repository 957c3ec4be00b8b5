import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import type { Address, Hex } from "viem";

import {
  attributeOutputs,
  DEFAULT_SPAN_PARAMS,
  engineDescriptor,
  evidenceByWeight,
  loadOrBuildShard,
  readContents,
  readOutputs,
  type AttributionParams,
  type AttributionResult,
} from "../../sdk/attribution/index.js";
import { buildReport, type BuiltReport } from "../../sdk/index.js";
import type { TaskArgs } from "./args.js";
import { modelContributions } from "./eligibility.js";
import type { OperatorContext } from "./operator.js";

/** Where stored indexes go unless `--index-dir` says otherwise (Hardhat's ignored cache folder). */
export const DEFAULT_INDEX_DIR = "cache/attribution-index";

/** The engine's parameters: the defaults, or the options given. */
export function engineParams(args: TaskArgs, recorded?: Partial<AttributionParams>): AttributionParams {
  const base: AttributionParams = {
    ...DEFAULT_SPAN_PARAMS,
    feeWeighted: false,
    evidencePerContribution: 3,
    ...recorded,
  };
  return {
    minTokens: args.optionalInteger("minTokens", 1, 10_000) ?? base.minTokens,
    maxOccurrences: args.optionalInteger("maxOccurrences", 1, 1_000_000) ?? base.maxOccurrences,
    densityBps: args.optionalInteger("densityBps", 1, 10_000) ?? base.densityBps,
    feeWeighted: args.flag("feeWeighted") || base.feeWeighted,
    evidencePerContribution: base.evidencePerContribution,
  };
}

export interface EngineReport {
  report: BuiltReport;
  result: AttributionResult;
  /** The shards used, as recorded in the report. */
  shards: {
    datanetId: string;
    version: number;
    indexHash: string;
    documents: number;
    tokens: number;
    built: boolean;
  }[];
}

/**
 * Runs the engine for a model's epoch: the contributions eligible on chain, their content from
 * `--content` (each checked against its content hash), one index per datanet version (stored in
 * `--index-dir` and reused while the eligible set is unchanged), the outputs of `--outputs`,
 * then the report through the report builder, with the method, indexes and evidence in it.
 */
export async function runEngine(
  args: TaskArgs,
  ctx: OperatorContext,
  modelId: bigint,
  epoch: bigint,
  basis: { previous: Map<Address, bigint>; pool: bigint },
  params: AttributionParams,
): Promise<EngineReport> {
  const contentDir = args.text("content");
  const outputsPath = args.text("outputs");
  const outputs = readOutputs(outputsPath);
  const { trainedOn, contributions } = await modelContributions(ctx, modelId, epoch);
  const eligible = contributions.filter((c) => c.eligible);
  const contents = readContents(contentDir, eligible);

  // One shard per datanet version; a contribution in several of the model's versions is indexed once.
  const assigned = new Set<Hex>();
  const sources = [...trainedOn]
    .sort((a, b) => a.datanetId - b.datanetId || a.version - b.version)
    .map(({ datanetId, version }) => {
      const documents = eligible
        .filter(
          (c) =>
            Number(c.datanetId) === datanetId &&
            c.versions.includes(version) &&
            !assigned.has(c.contributionId),
        )
        .map(({ contributionId, contentHash }) => ({ contributionId, contentHash }));
      for (const d of documents) assigned.add(d.contributionId);
      return { datanetId: BigInt(datanetId), version, documents, contents };
    })
    .filter((s) => s.documents.length > 0);
  const indexDir = args.optionalText("indexDir") ?? DEFAULT_INDEX_DIR;
  const loaded = sources.map((source) => loadOrBuildShard(indexDir, source));

  const result = attributeOutputs(
    outputs,
    loaded.map((l) => l.index),
    params,
  );
  const contributorOf = new Map(eligible.map((c) => [c.contributionId, c.contributor]));
  const weights = [...result.weights].map(([contributionId, weight]) => ({
    contributionId,
    contributor: contributorOf.get(contributionId)!,
    weight,
  }));
  const shards = loaded.map(({ manifest, built }) => ({
    datanetId: manifest.datanetId,
    version: manifest.version,
    indexHash: manifest.indexHash,
    documents: manifest.documents.length,
    tokens: manifest.tokenCount,
    built,
  }));
  const evidence = evidenceByWeight(weights, result.evidence);
  const attribution = {
    engine: engineDescriptor(params),
    shards: shards.map(({ built: _built, ...shard }) => shard),
    outputs: {
      count: result.stats.outputs,
      tokens: result.stats.outputTokens,
      sha256: createHash("sha256").update(readFileSync(outputsPath)).digest("hex"),
    },
    spans: result.stats.spans,
    evidence,
  };
  const report = buildReport({
    modelId,
    epoch,
    weights,
    previous: basis.previous,
    pool: basis.pool,
    attribution,
  });
  return { report, result, shards };
}
