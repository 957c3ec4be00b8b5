import "dotenv/config";
import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { operatorTasks } from "./tasks/index.js";

const require = createRequire(import.meta.url);

/**
 * The compiler comes from the `solc` npm package (WASM), pinned in package.json:
 * these machines cannot download compilers, and this keeps builds reproducible.
 */
const solc = { version: "0.8.28", path: require.resolve("solc/soljson.js") };
/**
 * Optimized for calls (3,000 runs), not for deployment size. 3,000 rather than more keeps
 * ContributionRegistry under the 24,576-byte code size limit (23.8 kB; 26.2 kB at 10,000
 * runs); the gas of the hot paths differs by a few gas between the two.
 */
const compiler = {
  ...solc,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 3_000 } },
};

/**
 * AttributionRegistry (reports, challenges, attester bonds and signatures) is compiled at 200
 * runs to stay under the code size limit (22.4 kB; 25.3 kB at 3,000 runs).
 */
const sizeBound = {
  ...solc,
  settings: { evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
};
/**
 * Solidity test files that deploy the rewards system, each compiled in a job of its own (same
 * settings: Hardhat merges only files that share a config object). In one job with the others
 * they exceed the memory of the WASM compiler.
 */
const ownJob = Object.fromEntries(
  [
    "RewardsBase.sol",
    "AttributionRegistry.t.sol",
    "RewardDistributor.t.sol",
    "RewardsGas.t.sol",
    "RewardsInvariant.t.sol",
    "StakingContractCallers.t.sol",
  ].map((file) => [`test/solidity/${file}`, { ...compiler }]),
);
const profile = {
  compilers: [compiler],
  overrides: { "contracts/AttributionRegistry.sol": sizeBound, ...ownJob },
};

/**
 * Fuzz profile. CI pins the seed so a run is reproducible; `FUZZ_DEEP=1` drops the
 * pin and runs far more cases and deeper call sequences to hunt for bugs.
 */
const deepFuzz = process.env.FUZZ_DEEP === "1";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  // Operator commands: `npx hardhat oa:<command> --network <name>` (tasks/index.ts).
  tasks: operatorTasks,
  solidity: {
    // Contracts and Solidity tests are compiled in separate passes: one pass over all of them
    // exceeds the memory of the WASM compiler (solc-js).
    splitTestsCompilation: true,
    profiles: {
      default: profile,
      production: profile,
    },
  },
  test: {
    solidity: {
      fuzz: deepFuzz ? { runs: 2_048 } : { runs: 256, seed: "0x4f50454e" },
      invariant: deepFuzz
        ? { runs: 512, depth: 64, failOnRevert: false }
        : { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  // Explorer verification (`npm run verify:deployment -- --network <name>`): the Etherscan API v2
  // key comes from the keystore or the environment, and is needed only when verifying.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
  typechain: {
    outDir: "typechain-types",
  },
  networks: {
    // `hardhat` (in-process, simulated) is the default network.
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
    },
    // Any EVM chain: RPC_URL, CHAIN_ID and DEPLOYER_PRIVATE_KEY from the environment (.env).
    custom: {
      type: "http",
      chainType: "generic",
      url: configVariable("RPC_URL"),
      chainId: process.env.CHAIN_ID ? Number(process.env.CHAIN_ID) : undefined,
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    openledgerTestnet: {
      type: "http",
      chainType: "generic",
      chainId: 161201,
      url: configVariable("OPENLEDGER_TESTNET_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      chainId: 11155111,
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
