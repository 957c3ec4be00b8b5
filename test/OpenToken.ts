import { expect } from "chai";
import { network } from "hardhat";

import { LOCAL_GOVERNANCE } from "../scripts/lib/governance.js";
import { signPermit } from "../scripts/lib/signatures.js";
import { fixtures } from "./helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { governanceFixture } = fixtures(connection);

/** Signs a permit of `ownerAddress` (default: the signer) for `spender` on the test token. */
async function permitFor(
  token: Awaited<ReturnType<typeof governanceFixture>>["token"],
  signer: Awaited<ReturnType<typeof governanceFixture>>["holder"],
  spender: string,
  value: bigint,
  nonce: bigint,
  deadline: bigint,
  ownerAddress?: string,
) {
  const { chainId } = await ethers.provider.getNetwork();
  const tokenInfo = { name: await token.name(), address: await token.getAddress() };
  return signPermit(signer, tokenInfo, chainId, { spender, value, nonce, deadline, owner: ownerAddress });
}

describe("OpenToken", function () {
  describe("construction", function () {
    it("mints the whole fixed supply once to the recipient", async function () {
      const { token, holder } = await networkHelpers.loadFixture(governanceFixture);
      expect(await token.name()).to.equal(LOCAL_GOVERNANCE.tokenName);
      expect(await token.symbol()).to.equal(LOCAL_GOVERNANCE.tokenSymbol);
      expect(await token.decimals()).to.equal(18n);
      expect(await token.totalSupply()).to.equal(LOCAL_GOVERNANCE.totalSupply);
      expect(await token.balanceOf(holder.address)).to.equal(LOCAL_GOVERNANCE.totalSupply);
    });

    it("has no mint function and no owner", async function () {
      const { token } = await networkHelpers.loadFixture(governanceFixture);
      const names = token.interface.fragments
        .filter((f) => f.type === "function")
        .map((f) => (f as unknown as { name: string }).name);
      expect(names).to.not.include("mint");
      expect(names).to.not.include("owner");
    });

    it("reverts with ZeroRecipient for the zero address", async function () {
      const factory = await ethers.getContractFactory("OpenToken");
      await expect(
        factory.deploy("OpenLedger", "OPEN", 1n, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(factory, "ZeroRecipient");
    });

    it("reverts with ZeroSupply for a zero supply", async function () {
      const [signer] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("OpenToken");
      await expect(factory.deploy("OpenLedger", "OPEN", 0n, signer.address)).to.be.revertedWithCustomError(
        factory,
        "ZeroSupply",
      );
    });
  });

  describe("permit", function () {
    it("sets the allowance from a valid signature and bumps the nonce", async function () {
      const { token, holder, alice } = await networkHelpers.loadFixture(governanceFixture);
      const value = ethers.parseEther("5");
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await permitFor(token, holder, alice.address, value, 0n, deadline);
      await expect(token.permit(holder.address, alice.address, value, deadline, sig.v, sig.r, sig.s))
        .to.emit(token, "Approval")
        .withArgs(holder.address, alice.address, value);
      expect(await token.allowance(holder.address, alice.address)).to.equal(value);
      expect(await token.nonces(holder.address)).to.equal(1n);
    });

    it("rejects an expired signature with ERC2612ExpiredSignature", async function () {
      const { token, holder, alice } = await networkHelpers.loadFixture(governanceFixture);
      const deadline = BigInt(await networkHelpers.time.latest()) - 1n;
      const sig = await permitFor(token, holder, alice.address, 1n, 0n, deadline);
      await expect(token.permit(holder.address, alice.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612ExpiredSignature")
        .withArgs(deadline);
      expect(await token.allowance(holder.address, alice.address)).to.equal(0n);
    });

    it("rejects a replayed signature", async function () {
      const { token, holder, alice } = await networkHelpers.loadFixture(governanceFixture);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await permitFor(token, holder, alice.address, 7n, 0n, deadline);
      await token.permit(holder.address, alice.address, 7n, deadline, sig.v, sig.r, sig.s);
      await token.connect(alice).transferFrom(holder.address, alice.address, 7n);
      await expect(
        token.permit(holder.address, alice.address, 7n, deadline, sig.v, sig.r, sig.s),
      ).to.be.revertedWithCustomError(token, "ERC2612InvalidSigner");
      expect(await token.allowance(holder.address, alice.address)).to.equal(0n);
    });

    it("rejects a signature by someone other than the owner", async function () {
      const { token, holder, alice, bob } = await networkHelpers.loadFixture(governanceFixture);
      const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
      const sig = await permitFor(token, bob, alice.address, 1n, 0n, deadline, holder.address);
      await expect(token.permit(holder.address, alice.address, 1n, deadline, sig.v, sig.r, sig.s))
        .to.be.revertedWithCustomError(token, "ERC2612InvalidSigner")
        .withArgs(bob.address, holder.address);
    });
  });

  describe("votes", function () {
    it("uses a timestamp clock", async function () {
      const { token } = await networkHelpers.loadFixture(governanceFixture);
      expect(await token.CLOCK_MODE()).to.equal("mode=timestamp");
      expect(await token.clock()).to.equal(BigInt(await networkHelpers.time.latest()));
    });

    it("counts votes only after delegation and checkpoints them by timestamp", async function () {
      const { token, holder, alice } = await networkHelpers.loadFixture(governanceFixture);
      expect(await token.getVotes(holder.address)).to.equal(0n);
      await expect(token.connect(holder).delegate(holder.address))
        .to.emit(token, "DelegateChanged")
        .withArgs(holder.address, ethers.ZeroAddress, holder.address);
      const delegatedAt = await networkHelpers.time.latest();
      expect(await token.getVotes(holder.address)).to.equal(LOCAL_GOVERNANCE.totalSupply);

      const moved = ethers.parseEther("1000");
      await token.connect(holder).transfer(alice.address, moved);
      const transferredAt = await networkHelpers.time.latest();
      await networkHelpers.mine();
      expect(await token.getPastVotes(holder.address, delegatedAt)).to.equal(LOCAL_GOVERNANCE.totalSupply);
      expect(await token.getPastVotes(holder.address, transferredAt)).to.equal(
        LOCAL_GOVERNANCE.totalSupply - moved,
      );
      expect(await token.numCheckpoints(holder.address)).to.equal(2n);
      expect(await token.getPastTotalSupply(transferredAt)).to.equal(LOCAL_GOVERNANCE.totalSupply);
    });

    it("moves votes to a delegate and rejects lookups of the future", async function () {
      const { token, holder, alice } = await networkHelpers.loadFixture(governanceFixture);
      await token.connect(holder).delegate(alice.address);
      expect(await token.delegates(holder.address)).to.equal(alice.address);
      expect(await token.getVotes(alice.address)).to.equal(LOCAL_GOVERNANCE.totalSupply);
      const now = BigInt(await networkHelpers.time.latest());
      await expect(token.getPastVotes(alice.address, now + 10n)).to.be.revertedWithCustomError(
        token,
        "ERC5805FutureLookup",
      );
    });
  });

  describe("burn", function () {
    it("burns from the caller and lowers the supply", async function () {
      const { token, holder } = await networkHelpers.loadFixture(governanceFixture);
      const amount = ethers.parseEther("10");
      await expect(token.connect(holder).burn(amount))
        .to.emit(token, "Transfer")
        .withArgs(holder.address, ethers.ZeroAddress, amount);
      expect(await token.totalSupply()).to.equal(LOCAL_GOVERNANCE.totalSupply - amount);
    });

    it("burns from another account only within the allowance", async function () {
      const { token, holder, alice } = await networkHelpers.loadFixture(governanceFixture);
      await token.connect(holder).approve(alice.address, 5n);
      await expect(token.connect(alice).burnFrom(holder.address, 6n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
        .withArgs(alice.address, 5n, 6n);
      await token.connect(alice).burnFrom(holder.address, 5n);
      expect(await token.totalSupply()).to.equal(LOCAL_GOVERNANCE.totalSupply - 5n);
    });

    it("rejects burning more than the balance", async function () {
      const { token, alice } = await networkHelpers.loadFixture(governanceFixture);
      await expect(token.connect(alice).burn(1n))
        .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
        .withArgs(alice.address, 0n, 1n);
    });
  });
});
