import type { NetworkConnection } from "hardhat/types/network";

import type { ContributionRegistry } from "../../typechain-types/index.js";

import { deployGovernance, LOCAL_GOVERNANCE } from "../../scripts/lib/governance.js";
import { defaultDatanetSettings, deployRegistries } from "../../scripts/lib/registries.js";
import { DEFAULT_SPLITS, deployRewards } from "../../scripts/lib/rewards.js";

/** 10 OPEN, the bond of the bonded test datanet. */
export const TEST_BOND = 10n * 10n ** 18n;
/** Attester bond rules of the rewards fixture: 1,000 OPEN minimum, 2-hour unbonding, half of a
 * supporter's bond slashed, a fifth of it to the challenger. */
export const TEST_ATTESTER_BONDS = {
  minBond: 1_000n * 10n ** 18n,
  unbondingDelay: 7_200,
  slashBps: 5_000,
  challengerShareBps: 2_000,
};

/** Epoch length and challenge window of the rewards fixture (seconds). */
export const REWARDS_EPOCH = 24 * 60 * 60;
export const REWARDS_CHALLENGE_WINDOW = 60 * 60;
/** A bond limit that accepts any bond (2^96 − 1 wei), for tests that are not about the limit. */
export const ANY_BOND = 2n ** 96n - 1n;
export const TEST_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

/** A datanet's current settings as a plain object, ready to change and send back. */
export async function datanetSettings(contributions: ContributionRegistry, datanetId: bigint) {
  const s = (await contributions.getDatanet(datanetId))[2];
  return {
    kind: Number(s.kind),
    open: s.open,
    optimistic: s.optimistic,
    reviewQuorum: Number(s.reviewQuorum),
    reviewWindow: Number(s.reviewWindow),
    dailyLimit: Number(s.dailyLimit),
    bond: s.bond,
    commitRevealOnly: s.commitRevealOnly,
  };
}

/** Named fixtures shared by the TypeScript tests (use with `networkHelpers.loadFixture`). */
export function fixtures(connection: NetworkConnection) {
  const { ethers } = connection;

  /** Token and governance with local (short) delays; `holder` has the supply. */
  async function governanceFixture() {
    const [deployer, holder, alice, bob, carol] = await ethers.getSigners();
    const deployment = await deployGovernance(ethers, {
      ...LOCAL_GOVERNANCE,
      tokenRecipient: holder.address,
    });
    return { ...deployment, deployer, holder, alice, bob, carol };
  }

  /**
   * Registries whose protocol owner is the signer `gov` (so owner-only calls can be made
   * directly), with two datanets owned by `curator`: `free` (no bond, quorum 2, optimistic,
   * 1-day window) and `bonded` (bond TEST_BOND, otherwise the same). Reviewers r1, r2, r3
   * review both. alice and bob hold OPEN and approved the registry.
   */
  async function registryFixture() {
    const base = await governanceFixture();
    const signers = await ethers.getSigners();
    const [gov, treasury, curator, r1, r2, r3, relayer] = signers.slice(5);
    const { contributions, models } = await deployRegistries(ethers, {
      token: await base.token.getAddress(),
      protocolOwner: gov.address,
      treasury: treasury.address,
    });
    const registryAddress = await contributions.getAddress();
    for (const who of [base.alice, base.bob]) {
      await base.token.connect(base.holder).transfer(who.address, 1_000_000n * 10n ** 18n);
      await base.token.connect(who).approve(registryAddress, ethers.MaxUint256);
    }
    await contributions.connect(curator).createDatanet("ipfs://free", defaultDatanetSettings);
    await contributions
      .connect(curator)
      .createDatanet("ipfs://bonded", { ...defaultDatanetSettings, bond: TEST_BOND });
    const free = 1n;
    const bonded = 2n;
    for (const id of [free, bonded]) {
      for (const r of [r1, r2, r3]) await contributions.connect(curator).setReviewer(id, r.address, true);
    }
    return { ...base, contributions, models, gov, treasury, curator, r1, r2, r3, relayer, free, bonded };
  }

  /**
   * Everything: registries plus RewardDistributor and AttributionRegistry (owner `gov`,
   * attesters a1..a3 with threshold 2, challenge window 1 hour, 1-day epochs starting now,
   * 1-day cooldown, DEFAULT_SPLITS). Models: 1 = base owned by alice, 2 = adapter of 1 owned
   * by bob paying 10 % royalty. payer, staker and staker2 hold OPEN and approved the distributor.
   */
  async function rewardsFixture() {
    const base = await registryFixture();
    const signers = await ethers.getSigners();
    const [a1, a2, a3, guardian, payer, staker, staker2] = signers.slice(12);
    const { contributions, models, curator, alice, bob, gov, treasury, token, holder } = base;
    await contributions.connect(curator).snapshotVersion(base.free);
    const trainedOn = [{ datanetId: base.free, version: 1n }];
    await models.connect(alice).registerModel("ipfs://base", trainedOn, 0, 0);
    await models.connect(bob).registerModel("ipfs://adapter", trainedOn, 1, 1_000);
    const block = await ethers.provider.getBlock("latest");
    const genesis = BigInt(block!.timestamp);
    const { distributor, attribution } = await deployRewards(ethers, {
      token: await token.getAddress(),
      models: await models.getAddress(),
      owner: gov.address,
      treasury: treasury.address,
      guardian: guardian.address,
      attesters: [a1.address, a2.address, a3.address],
      threshold: 2,
      challengeWindow: REWARDS_CHALLENGE_WINDOW,
      attesterBonds: TEST_ATTESTER_BONDS,
      genesis,
      epochLength: REWARDS_EPOCH,
      cooldown: REWARDS_EPOCH,
    });
    // Attesters hold 10 minimum bonds and bond one: active from the start.
    const attributionAddress = await attribution.getAddress();
    for (const a of [a1, a2, a3]) {
      await token.connect(holder).transfer(a.address, TEST_ATTESTER_BONDS.minBond * 10n);
      await token.connect(a).approve(attributionAddress, ethers.MaxUint256);
      await attribution.connect(a).bond(TEST_ATTESTER_BONDS.minBond);
    }
    const distributorAddress = await distributor.getAddress();
    for (const who of [payer, staker, staker2]) {
      await token.connect(holder).transfer(who.address, 10_000_000n * 10n ** 18n);
      await token.connect(who).approve(distributorAddress, ethers.MaxUint256);
    }
    return {
      ...base,
      distributor,
      attribution,
      a1,
      a2,
      a3,
      guardian,
      payer,
      staker,
      staker2,
      genesis,
      splits: DEFAULT_SPLITS,
    };
  }

  return { governanceFixture, registryFixture, rewardsFixture };
}
