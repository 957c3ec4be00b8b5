/**
 * The OpenAttribution demo: the whole story on the in-process chain (`npm run demo`) or on a
 * running node (`npm run demo -- --network localhost`), printed step by step.
 */
import { network } from "hardhat";

import { runStory } from "./lib/story.js";

const connection = await network.create();
const { chainId } = await connection.ethers.provider.getNetwork();
console.log(`OpenAttribution demo on network "${connection.networkName}" (chain id ${chainId})`);
const started = Date.now();
await runStory(connection, (line) => console.log(line));
console.log(`\nDemo finished in ${((Date.now() - started) / 1000).toFixed(1)} s: every step succeeded.`);
