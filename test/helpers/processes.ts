/** Child processes for tests (anvil, the Hardhat CLI), shared with the benchmark scripts. */
export * from "../../scripts/lib/processes.js";
