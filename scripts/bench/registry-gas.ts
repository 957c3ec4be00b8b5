/**
 * Gas benchmark of ContributionRegistry and ModelRegistry: deploys on the in-process
 * chain, runs each operation and prints gas used per transaction next to its target.
 * Usage: npm run bench:registry
 */
import { network } from "hardhat";

import { deployRegistries, defaultDatanetSettings } from "../lib/registries.js";
import { deployGovernance, LOCAL_GOVERNANCE } from "../lib/governance.js";
import { signContribution } from "../lib/signatures.js";
import { printGasTable, saveRows, type GasRow } from "./table.js";

const { ethers } = await network.create();
const [deployer, holder, alice, bob, relayer, reviewer1, reviewer2, reviewer3] = await ethers.getSigners();

const { token, timelock } = await deployGovernance(ethers, {
  ...LOCAL_GOVERNANCE,
  tokenRecipient: holder.address,
});
const { contributions, models } = await deployRegistries(ethers, {
  token: await token.getAddress(),
  protocolOwner: await timelock.getAddress(),
  treasury: await timelock.getAddress(),
});
const registryAddress = await contributions.getAddress();
const BOND = ethers.parseEther("10");
const ANY_BOND = 2n ** 96n - 1n;
const URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

for (const who of [alice, bob]) {
  await token.connect(holder).transfer(who.address, ethers.parseEther("1000000"));
  await token.connect(who).approve(registryAddress, ethers.MaxUint256);
}

async function createDatanet(bond: bigint, open = true): Promise<bigint> {
  const settings = { ...defaultDatanetSettings, bond, open };
  const id = await contributions.createDatanet.staticCall("ipfs://datanet", settings);
  await contributions.createDatanet("ipfs://datanet", settings);
  for (const r of [reviewer1, reviewer2, reviewer3]) await contributions.setReviewer(id, r.address, true);
  return id;
}

let nonce = 0;
const hash = () => ethers.id(`content-${nonce++}`);
const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
  (await (await tx).wait())!.gasUsed;

const rows: GasRow[] = [];
const free = await createDatanet(0n);
const bonded = await createDatanet(BOND);

// First contribution of an account writes its reputation slot for the first time.
rows.push({
  operation: "contribute, no bond (account's first)",
  gas: await gasOf(contributions.connect(alice).contribute(free, hash(), URI, ANY_BOND)),
});
rows.push({
  operation: "contribute, no bond",
  gas: await gasOf(contributions.connect(alice).contribute(free, hash(), URI, 0n)),
  target: 57_000n,
});
rows.push({
  operation: "contribute, with bond (registry's first escrow)",
  gas: await gasOf(contributions.connect(bob).contribute(bonded, hash(), URI, ANY_BOND)),
});
rows.push({
  operation: "contribute, with bond",
  gas: await gasOf(contributions.connect(alice).contribute(bonded, hash(), URI, BOND)),
  target: 90_000n,
});

const batch = Array.from({ length: 100 }, hash);
const batchGas = await gasOf(
  contributions.connect(alice).contributeBatch(
    free,
    batch,
    batch.map(() => URI),
    ANY_BOND,
  ),
);
rows.push({ operation: "contributeBatch ×100 (whole tx)", gas: batchGas });
rows.push({ operation: "contributeBatch ×100, per contribution", gas: batchGas / 100n, target: 30_000n });

/** Commits alice to `hashes` on `datanetId`, waits the reveal delay and reveals: gas of each step. */
async function commitAndReveal(datanetId: bigint, hashes: string[], maxBond: bigint) {
  const uris = hashes.map(() => URI);
  const salt = ethers.id(`salt-${nonce++}`);
  const commitment = await contributions.hashCommitment(datanetId, hashes, uris, maxBond, salt);
  const commitGas = await gasOf(contributions.connect(alice).commit(commitment));
  await ethers.provider.send("evm_increaseTime", [Number(await contributions.MIN_REVEAL_DELAY())]);
  const revealGas = await gasOf(
    contributions.connect(alice).reveal(alice.address, datanetId, hashes, uris, maxBond, salt),
  );
  return { commitGas, revealGas };
}
const one = await commitAndReveal(free, [hash()], 0n);
rows.push({ operation: "commit (one contribution)", gas: one.commitGas });
rows.push({ operation: "reveal (one contribution)", gas: one.revealGas });
rows.push({
  operation: "commit + reveal of one contribution",
  gas: one.commitGas + one.revealGas,
  target: 110_000n,
});
const oneBonded = await commitAndReveal(bonded, [hash()], BOND);
rows.push({ operation: "commit + reveal of one, with bond", gas: oneBonded.commitGas + oneBonded.revealGas });
const hundred = await commitAndReveal(free, Array.from({ length: 100 }, hash), 0n);
rows.push({ operation: "commit + reveal ×100 (whole)", gas: hundred.commitGas + hundred.revealGas });
rows.push({
  operation: "commit + reveal ×100, per contribution",
  gas: (hundred.commitGas + hundred.revealGas) / 100n,
  target: 32_000n,
});

const { chainId } = await ethers.provider.getNetwork();
async function signed(datanetId: bigint) {
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
  const nonce = await contributions.nonces(bob.address);
  return signContribution(bob, registryAddress, chainId, {
    datanetId,
    contentHash: hash(),
    uri: URI,
    maxBond: ANY_BOND,
    nonce,
    deadline,
  });
}
await contributions.connect(bob).contribute(free, hash(), URI, ANY_BOND); // bob's reputation slot exists
rows.push({
  operation: "contributeWithSig, no bond (relayed)",
  gas: await gasOf(contributions.connect(relayer).contributeWithSig(await signed(free))),
  target: 70_000n,
});
rows.push({
  operation: "contributeWithSig, with bond",
  gas: await gasOf(contributions.connect(relayer).contributeWithSig(await signed(bonded))),
});

const reviewed = hash();
await contributions.connect(alice).contribute(bonded, reviewed, URI, ANY_BOND);
const reviewedId = await contributions.contributionId(bonded, reviewed);
rows.push({
  operation: "review (vote, not deciding)",
  gas: await gasOf(contributions.connect(reviewer1).review(reviewedId, true)),
  target: 60_000n,
});
rows.push({
  operation: "review (deciding vote, refunds bond)",
  gas: await gasOf(contributions.connect(reviewer2).review(reviewedId, true)),
});

await contributions.snapshotVersion(free);
await contributions.snapshotVersion(bonded);
const freeB = await createDatanet(0n);
await contributions.snapshotVersion(freeB);
const versions = [
  { datanetId: free, version: 1 },
  { datanetId: bonded, version: 1 },
  { datanetId: freeB, version: 1 },
];
await models.connect(alice).registerModel("ipfs://warmup", versions, 0, 0);
rows.push({
  operation: "registerModel, 3 datanet versions",
  gas: await gasOf(models.connect(alice).registerModel("ipfs://base-model", versions, 0, 0)),
  target: 150_000n,
});
rows.push({
  operation: "registerModel, adapter on a parent",
  gas: await gasOf(models.connect(bob).registerModel("ipfs://adapter", versions.slice(0, 1), 2, 500)),
});

// Scaling: contributeBatch per contribution, from 1 to MAX_BATCH_SIZE items.
const scalingRows: GasRow[] = [];
for (const size of [1, 4, 16, 64, 256]) {
  const items = Array.from({ length: size }, hash);
  const gas = await gasOf(
    contributions.connect(alice).contributeBatch(
      free,
      items,
      items.map(() => URI),
      ANY_BOND,
    ),
  );
  scalingRows.push({ operation: `contributeBatch ×${size}, per contribution`, gas: gas / BigInt(size) });
}

printGasTable("ContributionRegistry / ModelRegistry gas (per transaction)", rows);
printGasTable("Scaling: contributions per batch", scalingRows);
saveRows("registry", [...rows, ...scalingRows]);
void deployer;
