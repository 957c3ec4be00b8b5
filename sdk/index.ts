/**
 * OpenAttribution SDK: typed viem client, ABIs, deployment records, report builder,
 * challenge rules, a small event reader and decoded errors. Runs in browsers and Node; the
 * standalone actions are in `openattribution/actions`, file-system helpers in
 * `openattribution/node`.
 */
export * from "./abis.js";
export type * from "./actions/index.js";
export { contractsOf } from "./actions/context.js";
export {
  COMMIT_TYPES,
  computeContributionId,
  CONTRIBUTE_TYPES,
  CONTRIBUTION_DOMAIN_NAME,
  CONTRIBUTION_STATUSES,
  ContributionStatus,
  hashCommitment,
} from "./actions/contributions.js";
export { DATANET_KINDS, DatanetKind } from "./actions/datanets.js";
export { PROPOSAL_STATES, VOTE_CHOICES } from "./actions/governance.js";
export { PERMIT_TYPES } from "./actions/token.js";
export { ADDRESS_BOOK } from "./addresses.generated.js";
export { openLedgerTestnet, withRpcUrl } from "./chains.js";
export * from "./challenges.js";
export * from "./client.js";
export * from "./deployments.js";
export * from "./errors.js";
export * from "./log-reader.js";
export * from "./reports.js";
export * from "./transport.js";
export * from "./validate.js";
