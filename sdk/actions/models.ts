import { requireAmount, requireId, requireInteger, requireText } from "../validate.js";
import {
  contractsOf,
  read,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";

/** A datanet version a model was trained on. */
export interface TrainedOn {
  datanetId: number;
  version: number;
}

/** Registers a model, or an adapter of `parentId` paying it `royaltyBps` of its fees; `result` is its id. */
export async function registerModel<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    metadataURI,
    trainedOn,
    parentId = 0n,
    royaltyBps = 0,
    ...options
  }: {
    metadataURI: string;
    trainedOn: TrainedOn[];
    parentId?: bigint;
    royaltyBps?: number;
  } & WriteOptions<M>,
) {
  const versions = trainedOn.map((v, i) => ({
    datanetId: requireInteger(`trainedOn[${i}].datanetId`, v.datanetId, 1, 2 ** 32 - 1),
    version: requireInteger(`trainedOn[${i}].version`, v.version, 1, 2 ** 32 - 1),
  }));
  const args = [
    requireText("metadataURI", metadataURI),
    versions,
    requireAmount("parentId", parentId, 0n, 2n ** 32n - 1n),
    requireInteger("royaltyBps", royaltyBps, 0, 10_000),
  ] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).models, functionName: "registerModel", args }, options);
}

/** Activates or deactivates a model (model owner). */
export async function setModelActive<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { modelId, active, ...options }: { modelId: bigint; active: boolean } & WriteOptions<M>,
) {
  const args = [requireId("modelId", modelId), active] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).models, functionName: "setModelActive", args }, options);
}

/** A model: owner, parent, royalty, active flag, metadata. */
export async function getModel(ctx: OpenAttributionContext, modelId: bigint) {
  const { models } = contractsOf(ctx.deployment);
  const args = [requireId("modelId", modelId)] as const;
  return read(() => ctx.publicClient.readContract({ ...models, functionName: "getModel", args }));
}

/** A model's ancestors, parent first. */
export async function lineage(ctx: OpenAttributionContext, modelId: bigint) {
  const { models } = contractsOf(ctx.deployment);
  const args = [requireId("modelId", modelId)] as const;
  return read(() => ctx.publicClient.readContract({ ...models, functionName: "lineage", args }));
}

/** The datanet versions a model was trained on. */
export async function trainedOn(ctx: OpenAttributionContext, modelId: bigint) {
  const { models } = contractsOf(ctx.deployment);
  const args = [requireId("modelId", modelId)] as const;
  return read(() => ctx.publicClient.readContract({ ...models, functionName: "trainedOn", args }));
}
