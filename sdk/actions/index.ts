/**
 * Standalone actions, one domain per module, each taking an `OpenAttributionContext` (viem
 * clients + deployment) and typed parameters, like viem's own actions. Transaction actions are
 * simulated first and accept per-call overrides (`gas`, fees, `nonce`) and a `mode`: wait for
 * the receipt (default), return the hash, or prepare the transaction without sending it.
 * `createOpenAttributionClient` composes them with the context bound.
 */
export * from "./attesters.js";
export * from "./claims.js";
export * from "./context.js";
export * from "./contributions.js";
export * from "./datanets.js";
export * from "./governance.js";
export * from "./models.js";
export * from "./payments.js";
export * from "./reports.js";
export * from "./staking.js";
export * from "./token.js";
export * from "./send.js";
