import type { Address } from "viem";

import { InvalidInputError } from "../errors.js";
import { requireAddress, requireAmount, requireId, requireInteger, requireText } from "../validate.js";
import {
  contractsOf,
  read,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";

/** Datanet kinds as the contract numbers them (IContributionRegistry.DatanetKind). */
export const DatanetKind = { Dataset: 0, Evaluation: 1, Expertise: 2, Compute: 3 } as const;
/** Datanet kind names, indexed by the contract's value. */
export const DATANET_KINDS = ["dataset", "evaluation", "expertise", "compute"] as const;
/** A datanet kind by name. */
export type DatanetKindName = (typeof DATANET_KINDS)[number];

/** Settings of a datanet (see IContributionRegistry.DatanetSettings). */
export interface DatanetSettings {
  kind: DatanetKindName;
  open: boolean;
  optimistic: boolean;
  reviewQuorum: number;
  /** Seconds. */
  reviewWindow: number;
  /** Per account per UTC day; 0 = none. */
  dailyLimit: number;
  /** OPEN wei per contribution. */
  bond: bigint;
  /** Whether contributions must go through commit-reveal (default false). */
  commitRevealOnly?: boolean;
}

/** Settings checked and converted to the contract's struct. */
function settingsArg(s: DatanetSettings) {
  if (!DATANET_KINDS.includes(s.kind))
    throw new InvalidInputError("settings.kind", `expected one of ${DATANET_KINDS.join(", ")}`);
  requireInteger("settings.reviewQuorum", s.reviewQuorum, 1, 255);
  requireInteger("settings.reviewWindow", s.reviewWindow, 0, 2 ** 32 - 1);
  requireInteger("settings.dailyLimit", s.dailyLimit, 0, 2 ** 32 - 1);
  requireAmount("settings.bond", s.bond, 0n, 2n ** 96n - 1n);
  if (typeof s.open !== "boolean" || typeof s.optimistic !== "boolean")
    throw new InvalidInputError("settings", "open and optimistic must be booleans");
  const commitRevealOnly = s.commitRevealOnly ?? false;
  if (typeof commitRevealOnly !== "boolean")
    throw new InvalidInputError("settings.commitRevealOnly", "expected a boolean");
  return { ...s, kind: DATANET_KINDS.indexOf(s.kind), commitRevealOnly };
}

/** Creates a datanet owned by the wallet; `result` is its id. */
export async function createDatanet<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { metadataURI, settings, ...options }: { metadataURI: string; settings: DatanetSettings } & WriteOptions<M>,
) {
  const args = [requireText("metadataURI", metadataURI), settingsArg(settings)] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).contributions, functionName: "createDatanet", args },
    options,
  );
}

/** Replaces a datanet's settings (datanet owner). */
export async function updateDatanetSettings<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { datanetId, settings, ...options }: { datanetId: bigint; settings: DatanetSettings } & WriteOptions<M>,
) {
  const args = [requireId("datanetId", datanetId), settingsArg(settings)] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "updateDatanetSettings", args }, options);
}

/** Adds or removes a reviewer (datanet owner). */
export async function setReviewer<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    datanetId,
    reviewer,
    active,
    ...options
  }: { datanetId: bigint; reviewer: Address; active: boolean } & WriteOptions<M>,
) {
  const args = [requireId("datanetId", datanetId), requireAddress("reviewer", reviewer), active] as const;
  return write(
    ctx,
    { ...contractsOf(ctx.deployment).contributions, functionName: "setReviewer", args },
    options,
  );
}

/** Starts a two-step datanet ownership transfer (datanet owner). */
export async function transferDatanetOwnership<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { datanetId, newOwner, ...options }: { datanetId: bigint; newOwner: Address } & WriteOptions<M>,
) {
  const args = [requireId("datanetId", datanetId), requireAddress("newOwner", newOwner)] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "transferDatanetOwnership", args }, options);
}

/** Accepts a datanet ownership transfer (pending owner). */
export async function acceptDatanetOwnership<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { datanetId, ...options }: { datanetId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("datanetId", datanetId)] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "acceptDatanetOwnership", args }, options);
}

/** Snapshots a datanet version (datanet owner); `result` is the version number. */
export async function snapshotVersion<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { datanetId, ...options }: { datanetId: bigint } & WriteOptions<M>,
) {
  const args = [requireId("datanetId", datanetId)] as const;
  const { contributions } = contractsOf(ctx.deployment);
  return write(ctx, { ...contributions, functionName: "snapshotVersion", args }, options);
}

/** A datanet's owner, pending owner, settings (kind by name), counters and metadata URI. */
export async function getDatanet(ctx: OpenAttributionContext, datanetId: bigint) {
  const { contributions } = contractsOf(ctx.deployment);
  const args = [requireId("datanetId", datanetId)] as const;
  const [owner, pendingOwner, settings, acceptedCount, versionCount, metadataURI] = await read(() =>
    ctx.publicClient.readContract({ ...contributions, functionName: "getDatanet", args }),
  );
  return {
    owner,
    pendingOwner,
    settings: { ...settings, kind: DATANET_KINDS[settings.kind] },
    acceptedCount,
    versionCount,
    metadataURI,
  };
}

/** Number of datanets and of models created so far (ids are 1..count). */
export async function counts(ctx: OpenAttributionContext) {
  const { contributions, models } = contractsOf(ctx.deployment);
  const [datanets, modelCount] = await Promise.all([
    read(() => ctx.publicClient.readContract({ ...contributions, functionName: "datanetCount" })),
    read(() => ctx.publicClient.readContract({ ...models, functionName: "modelCount" })),
  ]);
  return { datanets, models: modelCount };
}
