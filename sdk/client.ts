import type { Hex } from "viem";

import * as attesters from "./actions/attesters.js";
import * as claims from "./actions/claims.js";
import { contractsOf, type OpenAttributionContext } from "./actions/context.js";
import * as contributions from "./actions/contributions.js";
import * as datanets from "./actions/datanets.js";
import * as governance from "./actions/governance.js";
import * as models from "./actions/models.js";
import * as payments from "./actions/payments.js";
import * as reports from "./actions/reports.js";
import * as staking from "./actions/staking.js";
import * as token from "./actions/token.js";
import { requireHash, requireId } from "./validate.js";

/** What `createOpenAttributionClient` takes: viem clients and the deployment to act on. */
export type OpenAttributionClientConfig = OpenAttributionContext;

/**
 * A typed client for every user-facing action of an OpenAttribution deployment: the standalone
 * actions of `openattribution/actions` with the clients and deployment bound. Inputs are
 * validated before anything is sent (named `InvalidInputError` subclasses); every transaction
 * is simulated first, and contract reverts are thrown as named `ContractRevertError`
 * subclasses carrying the custom error's arguments. Transaction actions accept per-call
 * overrides (`gas`, `nonce`, fees) and `mode: "hash" | "prepare"`.
 * @example
 * const oa = createOpenAttributionClient({ publicClient, walletClient, deployment: deploymentFor(161201) });
 * const { result: id } = await oa.contribute({ datanetId: 1n, contentHash: keccak256(file), uri: "ipfs://…" });
 */
export function createOpenAttributionClient(ctx: OpenAttributionClientConfig) {
  const { deployment } = ctx;
  const bind =
    <A extends unknown[], R>(action: (context: OpenAttributionContext, ...args: A) => R) =>
    (...args: A): R =>
      action(ctx, ...args);
  const c = contractsOf(deployment);
  return {
    deployment,
    addresses: {
      token: c.token.address,
      timelock: deployment.contracts.OpenTimelock.address,
      governor: c.governor.address,
      contributions: c.contributions.address,
      models: c.models.address,
      distributor: c.distributor.address,
      attribution: c.attribution.address,
    },

    // token
    approve: bind(token.approve),
    transfer: bind(token.transfer),
    delegate: bind(token.delegate),
    tokenBalance: bind(token.tokenBalance),
    signPermit: bind(token.signPermit),

    // datanets
    counts: bind(datanets.counts),
    createDatanet: bind(datanets.createDatanet),
    updateDatanetSettings: bind(datanets.updateDatanetSettings),
    setReviewer: bind(datanets.setReviewer),
    transferDatanetOwnership: bind(datanets.transferDatanetOwnership),
    acceptDatanetOwnership: bind(datanets.acceptDatanetOwnership),
    snapshotVersion: bind(datanets.snapshotVersion),
    getDatanet: bind(datanets.getDatanet),

    // contributions
    /** The id a contribution of `contentHash` to `datanetId` has. */
    contributionId: (datanetId: bigint, contentHash: Hex): Hex =>
      contributions.computeContributionId(
        requireId("datanetId", datanetId),
        requireHash("contentHash", contentHash),
      ),
    contribute: bind(contributions.contribute),
    contributeBatch: bind(contributions.contributeBatch),
    commitContributions: bind(contributions.commitContributions),
    signCommitment: bind(contributions.signCommitment),
    relayCommitment: bind(contributions.relayCommitment),
    revealContributions: bind(contributions.revealContributions),
    signContribution: bind(contributions.signContribution),
    relayContribution: bind(contributions.relayContribution),
    relayContributionWithPermit: bind(contributions.relayContributionWithPermit),
    review: bind(contributions.review),
    finalizeContribution: bind(contributions.finalizeContribution),
    withdrawContribution: bind(contributions.withdrawContribution),
    getContribution: bind(contributions.getContribution),
    reputation: bind(contributions.reputation),

    // models
    registerModel: bind(models.registerModel),
    setModelActive: bind(models.setModelActive),
    getModel: bind(models.getModel),
    lineage: bind(models.lineage),
    trainedOn: bind(models.trainedOn),

    // payments
    payInference: bind(payments.payInference),
    payInferenceWithPermit: bind(payments.payInferenceWithPermit),
    settleRoyalties: bind(payments.settleRoyalties),
    withdrawBalance: bind(payments.withdrawBalance),
    withdrawTreasury: bind(payments.withdrawTreasury),
    balances: bind(payments.balances),
    pool: bind(payments.pool),
    poolFundedUpTo: bind(payments.poolFundedUpTo),

    // staking
    stake: bind(staking.stake),
    unstake: bind(staking.unstake),
    withdrawStake: bind(staking.withdrawStake),
    claimStakingRewards: bind(staking.claimStakingRewards),
    stakeOf: bind(staking.stakeOf),

    // reports
    epochAt: bind(reports.epochAt),
    epochEnd: bind(reports.epochEnd),
    submitReport: bind(reports.submitReport),
    replaceReport: bind(reports.replaceReport),
    promoteReport: bind(reports.promoteReport),
    finalizeReport: bind(reports.finalizeReport),
    veto: bind(reports.veto),
    modelReports: bind(reports.modelReports),
    signReport: bind(reports.signReport),
    submitAttestedReport: bind(reports.submitAttestedReport),
    pendingReport: bind(reports.pendingReport),
    findReportFaults: bind(reports.findReportFaults),
    challengeReport: bind(reports.challengeReport),

    // attesters
    bondAttester: bind(attesters.bondAttester),
    requestUnbond: bind(attesters.requestUnbond),
    withdrawBond: bind(attesters.withdrawBond),
    attesterInfo: bind(attesters.attesterInfo),
    attesterRules: bind(attesters.attesterRules),

    // claims
    claim: bind(claims.claim),
    claimFromReport: bind(claims.claimFromReport),
    claimBatch: bind(claims.claimBatch),
    claimable: bind(claims.claimable),

    // governance
    propose: bind(governance.propose),
    castVote: bind(governance.castVote),
    queueProposal: bind(governance.queueProposal),
    executeProposal: bind(governance.executeProposal),
    proposal: bind(governance.proposal),
  };
}

/** The client returned by `createOpenAttributionClient`. */
export type OpenAttributionClient = ReturnType<typeof createOpenAttributionClient>;
