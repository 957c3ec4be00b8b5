import type { NetworkConnection } from "hardhat/types/network";

import { deployGovernance, LOCAL_GOVERNANCE } from "../../scripts/lib/governance.js";

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

  return { governanceFixture };
}
