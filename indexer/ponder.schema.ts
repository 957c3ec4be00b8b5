/**
 * What the indexer serves (GraphQL at /graphql, SQL over HTTP at /sql): every table is rebuilt
 * from the protocol's events alone. Amounts are wei (bigint), times unix seconds.
 */
import { index, onchainTable, primaryKey } from "ponder";

export const datanet = onchainTable("datanet", (t) => ({
  id: t.bigint().primaryKey(),
  owner: t.hex().notNull(),
  pendingOwner: t.hex(),
  metadataUri: t.text().notNull(),
  /** dataset, evaluation, expertise or compute. */
  kind: t.text().notNull(),
  open: t.boolean().notNull(),
  optimistic: t.boolean().notNull(),
  reviewQuorum: t.integer().notNull(),
  reviewWindow: t.integer().notNull(),
  dailyLimit: t.integer().notNull(),
  bond: t.bigint().notNull(),
  commitRevealOnly: t.boolean().notNull(),
  contributionCount: t.integer().notNull(),
  acceptedCount: t.integer().notNull(),
}));

export const reviewer = onchainTable(
  "reviewer",
  (t) => ({ datanetId: t.bigint().notNull(), account: t.hex().notNull(), active: t.boolean().notNull() }),
  (table) => ({ pk: primaryKey({ columns: [table.datanetId, table.account] }) }),
);

export const datanetVersion = onchainTable(
  "datanet_version",
  (t) => ({
    datanetId: t.bigint().notNull(),
    version: t.integer().notNull(),
    acceptedCount: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.datanetId, table.version] }) }),
);

/** Statuses as the contract names them: pending, accepted, rejected, withdrawn. */
export const contribution = onchainTable(
  "contribution",
  (t) => ({
    id: t.hex().primaryKey(),
    datanetId: t.bigint().notNull(),
    contributor: t.hex().notNull(),
    contentHash: t.hex().notNull(),
    uri: t.text().notNull(),
    status: t.text().notNull(),
    approvals: t.integer().notNull(),
    rejections: t.integer().notNull(),
    submittedAt: t.bigint().notNull(),
    decidedAt: t.bigint(),
    withdrawnAt: t.bigint(),
  }),
  (table) => ({ contributorIndex: index().on(table.contributor), datanetIndex: index().on(table.datanetId) }),
);

/** Every status a contribution went through, in order. */
export const contributionStatus = onchainTable(
  "contribution_status",
  (t) => ({
    id: t.text().primaryKey(),
    contributionId: t.hex().notNull(),
    status: t.text().notNull(),
    timestamp: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
  }),
  (table) => ({ contributionIndex: index().on(table.contributionId) }),
);

export const review = onchainTable(
  "review",
  (t) => ({
    id: t.text().primaryKey(),
    contributionId: t.hex().notNull(),
    reviewer: t.hex().notNull(),
    approve: t.boolean().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ contributionIndex: index().on(table.contributionId) }),
);

/** Per-account counters, as the registry's `reputation` holds them. */
export const reputation = onchainTable("reputation", (t) => ({
  account: t.hex().primaryKey(),
  submitted: t.integer().notNull(),
  accepted: t.integer().notNull(),
  rejected: t.integer().notNull(),
  withdrawn: t.integer().notNull(),
  slashed: t.bigint().notNull(),
}));

export const model = onchainTable("model", (t) => ({
  id: t.bigint().primaryKey(),
  owner: t.hex().notNull(),
  pendingOwner: t.hex(),
  parentId: t.bigint().notNull(),
  royaltyBps: t.integer().notNull(),
  metadataUri: t.text().notNull(),
  active: t.boolean().notNull(),
  trainedOn: t.json().$type<{ datanetId: number; version: number }[]>().notNull(),
}));

export const payment = onchainTable(
  "payment",
  (t) => ({
    id: t.text().primaryKey(),
    modelId: t.bigint().notNull(),
    payer: t.hex().notNull(),
    epoch: t.bigint().notNull(),
    amount: t.bigint().notNull(),
    treasuryCut: t.bigint().notNull(),
    royalty: t.bigint().notNull(),
    ownerCut: t.bigint().notNull(),
    stakersCut: t.bigint().notNull(),
    contributorsCut: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

/** A model's contributor pool: funded (fees and settled royalties) and claimed. */
export const pool = onchainTable("pool", (t) => ({
  modelId: t.bigint().primaryKey(),
  funded: t.bigint().notNull(),
  claimed: t.bigint().notNull(),
  royaltiesAccrued: t.bigint().notNull(),
}));

export const stake = onchainTable(
  "stake",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    staked: t.bigint().notNull(),
    unstaking: t.bigint().notNull(),
    rewardsClaimed: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }) }),
);

/** One report per (model, epoch, hash) that became pending; status pending, final, vetoed or voided. */
export const report = onchainTable(
  "report",
  (t) => ({
    reportHash: t.hex().primaryKey(),
    modelId: t.bigint().notNull(),
    epoch: t.bigint().notNull(),
    status: t.text().notNull(),
    weightsRoot: t.hex().notNull(),
    totalWeight: t.bigint().notNull(),
    cumulativeRoot: t.hex().notNull(),
    totalCumulative: t.bigint().notNull(),
    uri: t.text().notNull(),
    supporters: t.json().$type<string[]>().notNull(),
    challengeEndsAt: t.bigint().notNull(),
    fault: t.integer(),
    challenger: t.hex(),
  }),
  (table) => ({ modelIndex: index().on(table.modelId) }),
);

export const reportSubmission = onchainTable("report_submission", (t) => ({
  id: t.text().primaryKey(),
  modelId: t.bigint().notNull(),
  epoch: t.bigint().notNull(),
  attester: t.hex().notNull(),
  reportHash: t.hex().notNull(),
  round: t.bigint().notNull(),
  support: t.bigint().notNull(),
}));

export const claim = onchainTable(
  "claim",
  (t) => ({
    modelId: t.bigint().notNull(),
    account: t.hex().notNull(),
    claimed: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.modelId, table.account] }) }),
);

export const attester = onchainTable("attester", (t) => ({
  account: t.hex().primaryKey(),
  registered: t.boolean().notNull(),
  bond: t.bigint().notNull(),
  unbonding: t.bigint().notNull(),
  unlockAt: t.bigint().notNull(),
  slashed: t.bigint().notNull(),
}));
