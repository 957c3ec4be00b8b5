/**
 * Indexing functions: each protocol event updates the tables of ponder.schema.ts. Ponder runs
 * them in block order and undoes them on a reorg.
 */
import { ponder } from "ponder:registry";
import {
  attester,
  claim,
  contribution,
  contributionStatus,
  datanet,
  datanetVersion,
  model,
  payment,
  pool,
  report,
  reportSubmission,
  reputation,
  review,
  reviewer,
  stake,
} from "ponder:schema";

import { computeContributionId } from "../../sdk/actions/contributions.js";
import { DATANET_KINDS } from "../../sdk/actions/datanets.js";

type Db = Parameters<Parameters<typeof ponder.on<"ContributionRegistry:Contributed">>[1]>[0]["context"]["db"];
type Hex = `0x${string}`;

const eventId = (event: { block: { number: bigint }; log: { logIndex: number } }) =>
  `${event.block.number}-${event.log.logIndex}`;

/** Adds to an account's reputation counters (creating them at zero). */
async function bumpReputation(
  db: Db,
  account: Hex,
  change: Partial<{
    submitted: number;
    accepted: number;
    rejected: number;
    withdrawn: number;
    slashed: bigint;
  }>,
) {
  await db
    .insert(reputation)
    .values({ account, submitted: 0, accepted: 0, rejected: 0, withdrawn: 0, slashed: 0n })
    .onConflictDoNothing();
  await db.update(reputation, { account }).set((r) => ({
    submitted: r.submitted + (change.submitted ?? 0),
    accepted: r.accepted + (change.accepted ?? 0),
    rejected: r.rejected + (change.rejected ?? 0),
    withdrawn: r.withdrawn + (change.withdrawn ?? 0),
    slashed: r.slashed + (change.slashed ?? 0n),
  }));
}

/** Records a contribution's new status and its history entry. */
async function setStatus(
  db: Db,
  event: { block: { number: bigint; timestamp: bigint }; log: { logIndex: number } },
  id: Hex,
  status: string,
  extra: Partial<{ decidedAt: bigint; withdrawnAt: bigint }> = {},
) {
  await db.update(contribution, { id }).set({ status, ...extra });
  await db.insert(contributionStatus).values({
    id: eventId(event),
    contributionId: id,
    status,
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
  });
}

async function poolOf(db: Db, modelId: bigint) {
  await db
    .insert(pool)
    .values({ modelId, funded: 0n, claimed: 0n, royaltiesAccrued: 0n })
    .onConflictDoNothing();
}

// ------------------------------------------------------------------ datanets

/** A datanet's settings as its columns, the kind by name as the SDK gives it. */
const settingsColumns = (s: {
  kind: number;
  open: boolean;
  optimistic: boolean;
  reviewQuorum: number;
  reviewWindow: number;
  dailyLimit: number;
  bond: bigint;
  commitRevealOnly: boolean;
}) => ({
  kind: DATANET_KINDS[s.kind],
  open: s.open,
  optimistic: s.optimistic,
  reviewQuorum: s.reviewQuorum,
  reviewWindow: s.reviewWindow,
  dailyLimit: s.dailyLimit,
  bond: s.bond,
  commitRevealOnly: s.commitRevealOnly,
});

ponder.on("ContributionRegistry:DatanetCreated", async ({ event, context }) => {
  const { datanetId, owner, metadataURI, settings } = event.args;
  await context.db.insert(datanet).values({
    id: datanetId,
    owner,
    metadataUri: metadataURI,
    ...settingsColumns(settings),
    contributionCount: 0,
    acceptedCount: 0,
  });
});

ponder.on("ContributionRegistry:DatanetSettingsUpdated", async ({ event, context }) => {
  const { datanetId, settings } = event.args;
  await context.db.update(datanet, { id: datanetId }).set(settingsColumns(settings));
});

ponder.on("ContributionRegistry:DatanetMetadataUpdated", async ({ event, context }) => {
  await context.db.update(datanet, { id: event.args.datanetId }).set({ metadataUri: event.args.metadataURI });
});

ponder.on("ContributionRegistry:DatanetOwnershipTransferStarted", async ({ event, context }) => {
  await context.db.update(datanet, { id: event.args.datanetId }).set({ pendingOwner: event.args.to });
});

ponder.on("ContributionRegistry:DatanetOwnershipTransferred", async ({ event, context }) => {
  await context.db
    .update(datanet, { id: event.args.datanetId })
    .set({ owner: event.args.to, pendingOwner: null });
});

ponder.on("ContributionRegistry:ReviewerSet", async ({ event, context }) => {
  const { datanetId, reviewer: account, active } = event.args;
  await context.db.insert(reviewer).values({ datanetId, account, active }).onConflictDoUpdate({ active });
});

ponder.on("ContributionRegistry:DatanetVersionCreated", async ({ event, context }) => {
  const { datanetId, version, acceptedCount, timestamp } = event.args;
  await context.db
    .insert(datanetVersion)
    .values({ datanetId, version, acceptedCount, timestamp: BigInt(timestamp) });
});

// ------------------------------------------------------------------ contributions

ponder.on("ContributionRegistry:Contributed", async ({ event, context }) => {
  const { datanetId, contributor, contentHash, uri } = event.args;
  const id = computeContributionId(datanetId, contentHash);
  const existing = await context.db.find(contribution, { id });
  await bumpReputation(context.db, contributor, { submitted: 1 });
  if (existing?.status === "pending") {
    // A reveal takes over a pending direct submission (ContributionDisplaced came first): same review.
    await context.db.update(contribution, { id }).set({ contributor, uri, withdrawnAt: null });
    return;
  }
  const fresh = {
    datanetId,
    contributor,
    contentHash,
    uri,
    status: "pending",
    approvals: 0,
    rejections: 0,
    submittedAt: event.block.timestamp,
    decidedAt: null,
    withdrawnAt: null,
  };
  await context.db
    .insert(contribution)
    .values({ id, ...fresh })
    .onConflictDoUpdate(fresh);
  if (!existing) {
    await context.db
      .update(datanet, { id: datanetId })
      .set((d) => ({ contributionCount: d.contributionCount + 1 }));
  }
  await context.db.insert(contributionStatus).values({
    id: eventId(event),
    contributionId: id,
    status: "pending",
    timestamp: event.block.timestamp,
    blockNumber: event.block.number,
  });
});

ponder.on("ContributionRegistry:ContributionDisplaced", async ({ event, context }) => {
  await bumpReputation(context.db, event.args.previousContributor, { submitted: -1 });
});

ponder.on("ContributionRegistry:Reviewed", async ({ event, context }) => {
  const { contributionId, reviewer: account, approve } = event.args;
  await context.db.insert(review).values({
    id: eventId(event),
    contributionId,
    reviewer: account,
    approve,
    timestamp: event.block.timestamp,
  });
  await context.db
    .update(contribution, { id: contributionId })
    .set((c) => (approve ? { approvals: c.approvals + 1 } : { rejections: c.rejections + 1 }));
});

ponder.on("ContributionRegistry:ContributionAccepted", async ({ event, context }) => {
  const { contributionId, datanetId } = event.args;
  await setStatus(context.db, event, contributionId, "accepted", { decidedAt: event.block.timestamp });
  const c = await context.db.find(contribution, { id: contributionId });
  await bumpReputation(context.db, c!.contributor, { accepted: 1 });
  await context.db.update(datanet, { id: datanetId }).set((d) => ({ acceptedCount: d.acceptedCount + 1 }));
});

ponder.on("ContributionRegistry:ContributionRejected", async ({ event, context }) => {
  const { contributionId, bondSlashed } = event.args;
  await setStatus(context.db, event, contributionId, "rejected", { decidedAt: event.block.timestamp });
  const c = await context.db.find(contribution, { id: contributionId });
  await bumpReputation(context.db, c!.contributor, { rejected: 1, slashed: bondSlashed });
});

ponder.on("ContributionRegistry:ContributionWithdrawn", async ({ event, context }) => {
  const { contributionId, datanetId, underReview } = event.args;
  if (underReview) {
    await context.db.update(contribution, { id: contributionId }).set({ withdrawnAt: event.block.timestamp });
    return;
  }
  await setStatus(context.db, event, contributionId, "withdrawn", { withdrawnAt: event.block.timestamp });
  const c = await context.db.find(contribution, { id: contributionId });
  await bumpReputation(context.db, c!.contributor, { accepted: -1, withdrawn: 1 });
  await context.db.update(datanet, { id: datanetId }).set((d) => ({ acceptedCount: d.acceptedCount - 1 }));
});

ponder.on("ContributionRegistry:WithdrawnBondReleased", async ({ event, context }) => {
  const { contributionId } = event.args;
  await setStatus(context.db, event, contributionId, "withdrawn");
  const c = await context.db.find(contribution, { id: contributionId });
  await bumpReputation(context.db, c!.contributor, { withdrawn: 1 });
});

// ------------------------------------------------------------------ models

ponder.on("ModelRegistry:ModelRegistered", async ({ event, context }) => {
  const { modelId, owner, parentId, royaltyBps, metadataURI, trainedOn } = event.args;
  await context.db.insert(model).values({
    id: modelId,
    owner,
    parentId,
    royaltyBps,
    metadataUri: metadataURI,
    active: true,
    trainedOn: trainedOn.map((v) => ({ datanetId: v.datanetId, version: v.version })),
  });
  await poolOf(context.db, modelId);
});

ponder.on("ModelRegistry:ModelMetadataUpdated", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ metadataUri: event.args.metadataURI });
});

ponder.on("ModelRegistry:ModelActiveSet", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ active: event.args.active });
});

ponder.on("ModelRegistry:ModelOwnershipTransferStarted", async ({ event, context }) => {
  await context.db.update(model, { id: event.args.modelId }).set({ pendingOwner: event.args.to });
});

ponder.on("ModelRegistry:ModelOwnershipTransferred", async ({ event, context }) => {
  await context.db
    .update(model, { id: event.args.modelId })
    .set({ owner: event.args.to, pendingOwner: null });
});

// ------------------------------------------------------------------ payments, pools, claims, stakes

ponder.on("RewardDistributor:InferencePaid", async ({ event, context }) => {
  const a = event.args;
  await context.db.insert(payment).values({
    id: eventId(event),
    modelId: a.modelId,
    payer: a.payer,
    epoch: a.epoch,
    amount: a.amount,
    treasuryCut: a.treasuryCut,
    royalty: a.royalty,
    ownerCut: a.ownerCut,
    stakersCut: a.stakersCut,
    contributorsCut: a.contributorsCut,
    timestamp: event.block.timestamp,
  });
  await poolOf(context.db, a.modelId);
  await context.db
    .update(pool, { modelId: a.modelId })
    .set((p) => ({ funded: p.funded + a.contributorsCut }));
});

ponder.on("RewardDistributor:RoyaltyAccrued", async ({ event, context }) => {
  await poolOf(context.db, event.args.modelId);
  await context.db
    .update(pool, { modelId: event.args.modelId })
    .set((p) => ({ royaltiesAccrued: p.royaltiesAccrued + event.args.amount }));
});

ponder.on("RewardDistributor:RoyaltiesSettled", async ({ event, context }) => {
  const { modelId, contributorsCut } = event.args;
  await context.db
    .update(pool, { modelId })
    .set((p) => ({ royaltiesAccrued: 0n, funded: p.funded + contributorsCut }));
});

ponder.on("RewardDistributor:Claimed", async ({ event, context }) => {
  const { modelId, account, amount, cumulativeAmount } = event.args;
  await context.db
    .insert(claim)
    .values({ modelId, account, claimed: cumulativeAmount })
    .onConflictDoUpdate({ claimed: cumulativeAmount });
  await context.db.update(pool, { modelId }).set((p) => ({ claimed: p.claimed + amount }));
});

const stakeKey = (modelId: bigint, account: Hex) => ({ modelId, account });

async function stakeOf(db: Db, modelId: bigint, account: Hex) {
  await db
    .insert(stake)
    .values({ ...stakeKey(modelId, account), staked: 0n, unstaking: 0n, rewardsClaimed: 0n })
    .onConflictDoNothing();
}

ponder.on("RewardDistributor:Staked", async ({ event, context }) => {
  const { modelId, account, amount } = event.args;
  await stakeOf(context.db, modelId, account);
  await context.db.update(stake, stakeKey(modelId, account)).set((s) => ({ staked: s.staked + amount }));
});

ponder.on("RewardDistributor:UnstakeStarted", async ({ event, context }) => {
  const { modelId, account, amount } = event.args;
  await context.db
    .update(stake, stakeKey(modelId, account))
    .set((s) => ({ staked: s.staked - amount, unstaking: s.unstaking + amount }));
});

ponder.on("RewardDistributor:StakeWithdrawn", async ({ event, context }) => {
  const { modelId, account, amount } = event.args;
  await context.db
    .update(stake, stakeKey(modelId, account))
    .set((s) => ({ unstaking: s.unstaking - amount }));
});

ponder.on("RewardDistributor:StakingRewardsClaimed", async ({ event, context }) => {
  const { modelId, account, amount } = event.args;
  await stakeOf(context.db, modelId, account);
  await context.db
    .update(stake, stakeKey(modelId, account))
    .set((s) => ({ rewardsClaimed: s.rewardsClaimed + amount }));
});

// ------------------------------------------------------------------ reports and attesters

ponder.on("AttributionRegistry:ReportSubmitted", async ({ event, context }) => {
  const a = event.args;
  await context.db.insert(reportSubmission).values({
    id: eventId(event),
    modelId: a.modelId,
    epoch: a.epoch,
    attester: a.attester,
    reportHash: a.reportHash,
    round: a.round,
    support: a.support,
  });
});

ponder.on("AttributionRegistry:ReportPending", async ({ event, context }) => {
  const { modelId, epoch, reportHash, challengeEndsAt, supporters, report: r } = event.args;
  await context.db.insert(report).values({
    reportHash,
    modelId,
    epoch,
    status: "pending",
    weightsRoot: r.weightsRoot,
    totalWeight: r.totalWeight,
    cumulativeRoot: r.cumulativeRoot,
    totalCumulative: r.totalCumulative,
    uri: r.uri,
    supporters: [...supporters],
    challengeEndsAt,
  });
});

/** The model's report that is pending now (the latest one inserted as pending). */
async function pendingOf(db: Db, modelId: bigint, epoch: bigint) {
  const rows = await db.sql.query.report.findMany({
    where: (r, { and, eq }) => and(eq(r.modelId, modelId), eq(r.epoch, epoch), eq(r.status, "pending")),
  });
  return rows[0];
}

ponder.on("AttributionRegistry:ReportVetoed", async ({ event, context }) => {
  const pending = await pendingOf(context.db, event.args.modelId, event.args.epoch);
  if (pending) await context.db.update(report, { reportHash: pending.reportHash }).set({ status: "vetoed" });
});

ponder.on("AttributionRegistry:ReportVoided", async ({ event, context }) => {
  const { reportHash, fault, challenger } = event.args;
  await context.db.update(report, { reportHash }).set({ status: "voided", fault, challenger });
});

ponder.on("AttributionRegistry:ReportFinalized", async ({ event, context }) => {
  const pending = await pendingOf(context.db, event.args.modelId, event.args.epoch);
  if (pending) await context.db.update(report, { reportHash: pending.reportHash }).set({ status: "final" });
});

async function attesterOf(db: Db, account: Hex) {
  await db
    .insert(attester)
    .values({ account, registered: false, bond: 0n, unbonding: 0n, unlockAt: 0n, slashed: 0n })
    .onConflictDoNothing();
}

ponder.on("AttributionRegistry:AttesterSet", async ({ event, context }) => {
  await attesterOf(context.db, event.args.attester);
  await context.db
    .update(attester, { account: event.args.attester })
    .set({ registered: event.args.registered });
});

ponder.on("AttributionRegistry:Bonded", async ({ event, context }) => {
  await attesterOf(context.db, event.args.attester);
  await context.db.update(attester, { account: event.args.attester }).set({ bond: event.args.bond });
});

ponder.on("AttributionRegistry:UnbondRequested", async ({ event, context }) => {
  const { attester: account, amount, unbonding, unlockAt } = event.args;
  await context.db.update(attester, { account }).set((a) => ({ bond: a.bond - amount, unbonding, unlockAt }));
});

ponder.on("AttributionRegistry:BondWithdrawn", async ({ event, context }) => {
  await context.db.update(attester, { account: event.args.attester }).set({ unbonding: 0n });
});

ponder.on("AttributionRegistry:AttesterSlashed", async ({ event, context }) => {
  const { attester: account, amount, bondLeft, unbondingLeft } = event.args;
  await context.db
    .update(attester, { account })
    .set((a) => ({ bond: bondLeft, unbonding: unbondingLeft, slashed: a.slashed + amount }));
});
