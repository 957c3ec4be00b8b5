import { writeFileSync } from "node:fs";

import { keccak256, type Address, type Hex } from "viem";

import type { ContributionCommitment, ContributionItem, SignedContribution } from "../../sdk/index.js";
import { readOptionFile, UsageError, type TaskArgs } from "../lib/args.js";
import { operatorAction, type OperatorContext } from "../lib/operator.js";
import { formatDate, formatOpen, output, toJson, txNote } from "../lib/output.js";
import { existingDatanet } from "./datanets.js";
import { ensureAllowance } from "./token.js";

/** The items of `--file a,b --uri u1,u2`: each file's keccak256 with its URI. */
function itemsFrom(args: TaskArgs): { files: string[]; items: ContributionItem[] } {
  const files = args.list("file");
  const uris = args.list("uri");
  if (uris.length !== files.length)
    throw new UsageError(
      `--uri has ${uris.length} entries but --file has ${files.length}: give one URI per file`,
    );
  return {
    files,
    items: files.map((f, i) => ({ contentHash: keccak256(readOptionFile("file", f)), uri: uris[i] })),
  };
}

/** The datanet of `--datanet`, its bond approved for `count` items from the signer. */
async function prepareBond(ctx: OperatorContext, args: TaskArgs, count: number) {
  const datanetId = args.id("datanet");
  const { settings } = await existingDatanet(ctx, datanetId);
  const maxBond = args.optionalOpen("maxBond", 0n) ?? settings.bond;
  if (settings.bond > maxBond)
    throw new UsageError(
      `datanet #${datanetId} asks a bond of ${formatOpen(settings.bond)}, more than --max-bond ${formatOpen(maxBond)}`,
    );
  const approved = await ensureAllowance(
    ctx,
    ctx.reader.addresses.contributions,
    settings.bond * BigInt(count),
  );
  return { datanetId, settings, maxBond, approved };
}

/** Writes a JSON file given by `--out`, refusing to overwrite one. */
function writeOut(args: TaskArgs, value: unknown): string {
  const path = args.text("out");
  try {
    writeFileSync(path, `${toJson(value)}\n`, { flag: "wx" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "EEXIST"
        ? `--out ${path} exists already: pick another file`
        : `--out ${path} cannot be written (${code})`,
    );
  }
  return path;
}

/** Reads a JSON file written by another operator command for the same deployment. */
function readOwnFile<T extends { chainId: number; registry: Address }>(
  args: TaskArgs,
  name: string,
  ctx: OperatorContext,
): T {
  const doc = args.json<T>(name);
  if (
    typeof doc !== "object" ||
    doc === null ||
    doc.chainId !== ctx.chainId ||
    doc.registry !== ctx.reader.addresses.contributions
  )
    throw new UsageError(
      `--${name} ${args.text(name)} was not written for this deployment (chain ${ctx.chainId}, registry ${ctx.reader.addresses.contributions})`,
    );
  return doc;
}

/** oa:contribute — contributes one file, or several in one batch; the bond is approved if needed. */
export const contribute = operatorAction(async (args, ctx) => {
  const { files, items } = itemsFrom(args);
  const { datanetId, settings, maxBond, approved } = await prepareBond(ctx, args, items.length);
  if (settings.commitRevealOnly)
    throw new UsageError(
      `datanet #${datanetId} takes contributions by commit-reveal only: use oa:commit, then oa:reveal`,
    );
  const { oa } = await ctx.signer();
  const { result, hash } =
    items.length === 1
      ? await oa.contribute({ datanetId, ...items[0], maxBond })
      : await oa.contributeBatch({ datanetId, items, maxBond });
  const ids = typeof result === "string" ? [result] : [...result];
  const contributions = ids.map((id, i) => ({ contributionId: id, file: files[i], ...items[i] }));
  return output(
    { datanetId, bond: settings.bond, contributions, tx: hash },
    ...approved,
    `Contributed ${ids.length} item(s) to datanet #${datanetId} (bond ${formatOpen(settings.bond)} each) ${txNote(hash)}`,
    ...contributions.map(
      (c) => `  ${c.file}: contribution ${c.contributionId} (content hash ${c.contentHash})`,
    ),
  );
});

interface CommitmentFile extends Omit<ContributionCommitment, "datanetId" | "maxBond"> {
  chainId: number;
  registry: Address;
  datanetId: string;
  maxBond: string;
  committedAt: string;
}

/** oa:commit — commits to files without showing them; `--out` keeps what oa:reveal needs (secret until then). */
export const commit = operatorAction(async (args, ctx) => {
  const { items } = itemsFrom(args);
  args.text("out");
  const { datanetId, maxBond, approved } = await prepareBond(ctx, args, items.length);
  const { oa } = await ctx.signer();
  const { commitment, hash } = await oa.commitContributions({ datanetId, items, maxBond });
  const now = await ctx.now();
  const file: CommitmentFile = {
    chainId: ctx.chainId,
    registry: ctx.reader.addresses.contributions,
    ...commitment,
    datanetId: String(commitment.datanetId),
    maxBond: String(commitment.maxBond),
    committedAt: String(now),
  };
  const path = writeOut(args, file);
  return output(
    {
      commitment: commitment.commitment,
      file: path,
      revealFrom: now + 60n,
      revealBefore: now + 86_400n,
      tx: hash,
    },
    ...approved,
    `Committed ${items.length} item(s) to datanet #${datanetId} as ${commitment.commitment} ${txNote(hash)}`,
    `  kept in ${path} (keep it private until the reveal); reveal between ${formatDate(now + 60n)} and ${formatDate(now + 86_400n)} with oa:reveal`,
  );
});

/** oa:reveal — reveals a commitment written by oa:commit (anyone may send it). */
export const reveal = operatorAction(async (args, ctx) => {
  const file = readOwnFile<CommitmentFile>(args, "commitment", ctx);
  const { chainId: _chain, registry: _registry, committedAt: _at, ...commitment } = file; // checked by readOwnFile
  const { oa } = await ctx.signer();
  const { result: ids, hash } = await oa.revealContributions({
    ...commitment,
    datanetId: BigInt(file.datanetId),
    maxBond: BigInt(file.maxBond),
  });
  return output(
    { contributionIds: ids, tx: hash },
    `Revealed ${ids.length} contribution(s) of ${file.contributor} ${txNote(hash)}`,
    ...ids.map((id) => `  contribution ${id}`),
  );
});

interface SignedFile extends Omit<SignedContribution, "datanetId" | "maxBond" | "deadline"> {
  chainId: number;
  registry: Address;
  datanetId: string;
  maxBond: string;
  deadline: string;
}

/** oa:sign-contribution — signs a gasless contribution for a relayer; the bond is approved now. */
export const signContribution = operatorAction(async (args, ctx) => {
  const { items } = itemsFrom(args);
  if (items.length !== 1) throw new UsageError("--file: a signed contribution holds one file");
  args.text("out");
  const { datanetId, maxBond, approved } = await prepareBond(ctx, args, 1);
  const deadline = (await ctx.now()) + BigInt(args.has("valid") ? args.duration("valid") : 86_400);
  const { oa } = await ctx.signer();
  const signed = await oa.signContribution({ datanetId, ...items[0], maxBond, deadline });
  const file: SignedFile = {
    chainId: ctx.chainId,
    registry: ctx.reader.addresses.contributions,
    ...signed,
    datanetId: String(signed.datanetId),
    maxBond: String(signed.maxBond),
    deadline: String(signed.deadline),
  };
  const path = writeOut(args, file);
  return output(
    { file: path, deadline },
    ...approved,
    `Signed a contribution to datanet #${datanetId} valid until ${formatDate(deadline)}: give ${path} to a relayer (oa:relay-contribution)`,
  );
});

/** oa:relay-contribution — sends a contribution signed by someone else (the relayer pays the gas). */
export const relayContribution = operatorAction(async (args, ctx) => {
  const file = readOwnFile<SignedFile>(args, "signed", ctx);
  const { chainId: _chain, registry: _registry, ...signed } = file; // checked by readOwnFile
  const { oa } = await ctx.signer();
  const { result: id, hash } = await oa.relayContribution({
    ...signed,
    datanetId: BigInt(file.datanetId),
    maxBond: BigInt(file.maxBond),
    deadline: BigInt(file.deadline),
  });
  return output(
    { contributionId: id, contributor: file.contributor, tx: hash },
    `Relayed contribution ${id} of ${file.contributor} ${txNote(hash)}`,
  );
});

/** A contribution that exists, or a UsageError naming `--id`. */
async function existingContribution(ctx: OperatorContext, id: Hex) {
  const c = await ctx.reader.getContribution(id);
  if (c.status === "none") throw new UsageError(`--id ${id} is not a contribution of this deployment`);
  return c;
}

/** oa:review — a reviewer's vote: --approve or --reject. */
export const review = operatorAction(async (args, ctx) => {
  if (args.flag("approve") === args.flag("reject"))
    throw new UsageError("give exactly one of --approve or --reject");
  const id = args.hash("id");
  await existingContribution(ctx, id);
  const { oa } = await ctx.signer();
  const { hash } = await oa.review({ contributionId: id, approve: args.flag("approve") });
  const after = await ctx.reader.getContribution(id);
  return output(
    { contributionId: id, approve: args.flag("approve"), status: after.status, tx: hash },
    `${args.flag("approve") ? "Approved" : "Rejected"} ${id}: now ${after.status} ` +
      `(${after.approvals} for, ${after.rejections} against) ${txNote(hash)}`,
  );
});

/** oa:contribution:finalize — accepts an optimistic contribution after its window, or settles a withdrawn one. */
export const finalize = operatorAction(async (args, ctx) => {
  const id = args.hash("id");
  await existingContribution(ctx, id);
  const { oa } = await ctx.signer();
  const { hash } = await oa.finalizeContribution({ contributionId: id });
  const after = await ctx.reader.getContribution(id);
  return output(
    { contributionId: id, status: after.status, tx: hash },
    `Finalized ${id}: now ${after.status} ${txNote(hash)}`,
  );
});

/** oa:contribution:withdraw — withdraws consent for one's own contribution. */
export const withdraw = operatorAction(async (args, ctx) => {
  const id = args.hash("id");
  await existingContribution(ctx, id);
  const { oa } = await ctx.signer();
  const { hash } = await oa.withdrawContribution({ contributionId: id });
  const after = await ctx.reader.getContribution(id);
  return output(
    { contributionId: id, status: after.status, tx: hash },
    `Withdrew ${id}: now ${after.status}${after.status === "pending" ? " until its review ends (its bond stays at stake)" : ""} ${txNote(hash)}`,
  );
});

/** oa:contribution:show */
export const show = operatorAction(async (args, ctx) => {
  const id = args.hash("id");
  const c = await existingContribution(ctx, id);
  return output(
    { contributionId: id, ...c, status: c.status },
    `Contribution ${id} to datanet #${c.datanetId}: ${c.status}`,
    `  contributor ${c.contributor}, bond ${formatOpen(c.bond)}, ${c.approvals} for / ${c.rejections} against`,
    `  submitted ${formatDate(c.submittedAt)}${c.viaCommitment ? " (by commit-reveal)" : ""}, decided ${formatDate(c.decidedAt)}, withdrawn ${formatDate(c.withdrawnAt)}`,
  );
});
