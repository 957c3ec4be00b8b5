/**
 * OpenAttribution SDK: typed viem client, ABIs, deployment records, report builder,
 * event indexer and decoded errors.
 */
export * from "./abis.js";
export { ADDRESS_BOOK } from "./addresses.generated.js";
export * from "./challenges.js";
export * from "./client.js";
export * from "./deployments.js";
export * from "./errors.js";
export * from "./indexer.js";
export * from "./reports.js";
export * from "./validate.js";
