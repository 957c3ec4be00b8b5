import { contributionRegistryAbi, DATANET_KINDS, type DatanetSettings } from "../../sdk/index.js";
import type { TaskArgs } from "../lib/args.js";
import { operatorAction, requireCreated, type OperatorContext } from "../lib/operator.js";
import { formatDate, formatOpen, output, txNote } from "../lib/output.js";

const DAY = 86_400;

/** The settings the options give, each option not given keeping its value in `base`. */
function settingsFrom(args: TaskArgs, base: Required<DatanetSettings>): Required<DatanetSettings> {
  return {
    kind: args.has("kind") ? args.choice("kind", DATANET_KINDS) : base.kind,
    open: args.bool("open", base.open),
    optimistic: args.bool("optimistic", base.optimistic),
    reviewQuorum: args.optionalInteger("quorum", 1, 255) ?? base.reviewQuorum,
    reviewWindow: args.has("window") ? args.duration("window") : base.reviewWindow,
    dailyLimit: args.optionalInteger("dailyLimit", 0, 2 ** 32 - 1) ?? base.dailyLimit,
    bond: args.has("bond") ? args.open("bond", 0n) : base.bond,
    commitRevealOnly: args.bool("commitRevealOnly", base.commitRevealOnly),
  };
}

const describeSettings = (s: Required<DatanetSettings>) =>
  `${s.kind}, ${s.open ? "open to anyone" : "closed"}, ${s.optimistic ? "optimistic" : "reviewed"} ` +
  `(quorum ${s.reviewQuorum}, window ${s.reviewWindow} s), bond ${formatOpen(s.bond)}, ` +
  `daily limit ${s.dailyLimit === 0 ? "none" : s.dailyLimit}${s.commitRevealOnly ? ", commit-reveal only" : ""}`;

/** A datanet that exists, or a UsageError naming `--datanet`. */
export async function existingDatanet(ctx: OperatorContext, datanetId: bigint) {
  requireCreated("datanet", datanetId, (await ctx.reader.counts()).datanets);
  return ctx.reader.getDatanet(datanetId);
}

/** oa:datanet:create */
export const create = operatorAction(async (args, ctx) => {
  const { oa } = await ctx.signer();
  const settings = settingsFrom(args, {
    kind: "dataset",
    open: true,
    optimistic: false,
    reviewQuorum: 1,
    reviewWindow: DAY,
    dailyLimit: 0,
    bond: 0n,
    commitRevealOnly: false,
  });
  const { result: datanetId, hash } = await oa.createDatanet({ metadataURI: args.text("uri"), settings });
  return output(
    { datanetId, settings, tx: hash },
    `Created datanet #${datanetId}: ${describeSettings(settings)} ${txNote(hash)}`,
  );
});

/** oa:datanet:update — changes the settings given; the others keep their values. */
export const update = operatorAction(async (args, ctx) => {
  const datanetId = args.id("datanet");
  const current = await existingDatanet(ctx, datanetId);
  const settings = settingsFrom(args, current.settings);
  const { oa } = await ctx.signer();
  const { hash } = await oa.updateDatanetSettings({ datanetId, settings });
  return output(
    { datanetId, settings, tx: hash },
    `Datanet #${datanetId} is now ${describeSettings(settings)} ${txNote(hash)}`,
  );
});

/** oa:datanet:reviewer — adds a reviewer, or removes one with --remove. */
export const reviewer = operatorAction(async (args, ctx) => {
  const datanetId = args.id("datanet");
  const account = args.address("reviewer");
  await existingDatanet(ctx, datanetId);
  const active = !args.flag("remove");
  const { oa } = await ctx.signer();
  const { hash } = await oa.setReviewer({ datanetId, reviewer: account, active });
  return output(
    { datanetId, reviewer: account, active, tx: hash },
    `${active ? "Added" : "Removed"} reviewer ${account} ${active ? "to" : "from"} datanet #${datanetId} ${txNote(hash)}`,
  );
});

/** oa:datanet:snapshot — freezes the accepted set as a new version models can be registered on. */
export const snapshot = operatorAction(async (args, ctx) => {
  const datanetId = args.id("datanet");
  await existingDatanet(ctx, datanetId);
  const { oa } = await ctx.signer();
  const { result: version, hash } = await oa.snapshotVersion({ datanetId });
  return output(
    { datanetId, version, tx: hash },
    `Snapshotted datanet #${datanetId} as version ${version} ${txNote(hash)}`,
  );
});

/** oa:datanet:show */
export const show = operatorAction(async (args, ctx) => {
  const datanetId = args.id("datanet");
  const d = await existingDatanet(ctx, datanetId);
  const versions = [];
  for (let v = 1; v <= d.versionCount; v++) {
    const version = await ctx.publicClient.readContract({
      address: ctx.reader.addresses.contributions,
      abi: contributionRegistryAbi,
      functionName: "getVersion",
      args: [datanetId, v],
    });
    versions.push({ version: v, acceptedCount: version.acceptedCount, at: version.timestamp });
  }
  return output(
    { datanetId, ...d, versions },
    `Datanet #${datanetId} (${d.metadataURI}), owner ${d.owner}`,
    `  ${describeSettings(d.settings)}`,
    `  ${d.acceptedCount} accepted now; ${versions.length} version(s)`,
    ...versions.map(
      (v) => `  version ${v.version}: ${v.acceptedCount} accepted, snapshotted ${formatDate(v.at)}`,
    ),
  );
});
