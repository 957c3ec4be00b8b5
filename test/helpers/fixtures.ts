import type { NetworkConnection } from "hardhat/types/network";

import { deployGovernance, LOCAL_GOVERNANCE } from "../../scripts/lib/governance.js";
import { defaultDatanetSettings, deployRegistries } from "../../scripts/lib/registries.js";

/** 10 OPEN, the bond of the bonded test datanet. */
export const TEST_BOND = 10n * 10n ** 18n;
export const TEST_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";

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

  return { governanceFixture, registryFixture };
}
