import { expect } from "chai";
import { network } from "hardhat";

import {
  ContributionStatus as Status,
  DatanetKind,
  defaultDatanetSettings,
} from "../scripts/lib/registries.js";
import { signCommitment, signContribution, signPermit } from "../scripts/lib/signatures.js";
import { ANY_BOND, datanetSettings, fixtures, TEST_BOND, TEST_URI } from "./helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { registryFixture } = fixtures(connection);
const { loadFixture, time } = networkHelpers;

const DAY = 24 * 60 * 60;
let counter = 0;
/** A fresh content hash. */
const content = () => ethers.id(`content ${counter++}`);

/** Fixture plus helpers bound to it. */
async function setup() {
  const f = await loadFixture(registryFixture);
  const { contributions } = f;
  const registry = await contributions.getAddress();
  const { chainId } = await ethers.provider.getNetwork();
  const idOf = (datanetId: bigint, contentHash: string) =>
    contributions.contributionId(datanetId, contentHash);
  /** Contributes as `who` and returns the id. */
  async function contributeAs(who: typeof f.alice, datanetId: bigint, contentHash = content()) {
    await contributions.connect(who).contribute(datanetId, contentHash, TEST_URI, ANY_BOND);
    return idOf(datanetId, contentHash);
  }
  async function sign(who: typeof f.alice, datanetId: bigint, contentHash = content(), overrides = {}) {
    const deadline = BigInt(await time.latest()) + 3600n;
    const nonce = await contributions.nonces(who.address);
    return signContribution(who, registry, chainId, {
      datanetId,
      contentHash,
      uri: TEST_URI,
      maxBond: ANY_BOND,
      nonce,
      deadline,
      ...overrides,
    });
  }
  return { ...f, registry, chainId, idOf, contributeAs, sign };
}

describe("ContributionRegistry", function () {
  describe("deployment", function () {
    it("stores token, owner, treasury and bounds", async function () {
      const { contributions, token, gov, treasury } = await setup();
      expect(await contributions.bondToken()).to.equal(await token.getAddress());
      expect(await contributions.owner()).to.equal(gov.address);
      expect(await contributions.treasury()).to.equal(treasury.address);
      expect(await contributions.maxBond()).to.equal(ethers.parseEther("1000000"));
      expect(await contributions.maxReviewWindow()).to.equal(30n * BigInt(DAY));
    });

    it("rejects a zero token or treasury", async function () {
      const { gov, treasury, token } = await setup();
      const factory = await ethers.getContractFactory("ContributionRegistry");
      await expect(
        factory.deploy(ethers.ZeroAddress, gov.address, treasury.address, 1n, 1),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
      await expect(
        factory.deploy(await token.getAddress(), gov.address, ethers.ZeroAddress, 1n, 1),
      ).to.be.revertedWithCustomError(factory, "ZeroAddress");
    });
  });

  describe("datanets", function () {
    it("creates a datanet with sequential ids and emits everything", async function () {
      const { contributions, alice } = await setup();
      const settings = { ...defaultDatanetSettings, kind: DatanetKind.Compute, dailyLimit: 3 };
      await expect(contributions.connect(alice).createDatanet("ipfs://meta", settings))
        .to.emit(contributions, "DatanetCreated")
        .withArgs(3n, alice.address, "ipfs://meta", Object.values(settings));
      expect(await contributions.datanetCount()).to.equal(3n);
      const [owner, pending, stored, acceptedCount, versionCount, uri] = await contributions.getDatanet(3n);
      expect(owner).to.equal(alice.address);
      expect(pending).to.equal(ethers.ZeroAddress);
      expect(stored.kind).to.equal(BigInt(DatanetKind.Compute));
      expect(stored.dailyLimit).to.equal(3n);
      expect([acceptedCount, versionCount, uri]).to.deep.equal([0n, 0n, "ipfs://meta"]);
    });

    it("validates settings: quorum, window and bond bounds", async function () {
      const { contributions, alice } = await setup();
      await expect(
        contributions.connect(alice).createDatanet("x", { ...defaultDatanetSettings, reviewQuorum: 0 }),
      )
        .to.be.revertedWithCustomError(contributions, "InvalidReviewQuorum")
        .withArgs(0n);
      const tooLong = 30 * DAY + 1;
      await expect(
        contributions.connect(alice).createDatanet("x", { ...defaultDatanetSettings, reviewWindow: tooLong }),
      )
        .to.be.revertedWithCustomError(contributions, "ReviewWindowTooLong")
        .withArgs(tooLong, 30 * DAY);
      const tooHigh = ethers.parseEther("1000000") + 1n;
      await expect(
        contributions.connect(alice).createDatanet("x", { ...defaultDatanetSettings, bond: tooHigh }),
      )
        .to.be.revertedWithCustomError(contributions, "BondTooHigh")
        .withArgs(tooHigh, ethers.parseEther("1000000"));
      expect(await contributions.datanetCount()).to.equal(2n);
    });

    it("lets only the owner update settings and metadata", async function () {
      const { contributions, curator, alice, free } = await setup();
      const closed = { ...defaultDatanetSettings, open: false };
      await expect(contributions.connect(alice).updateDatanetSettings(free, closed))
        .to.be.revertedWithCustomError(contributions, "NotDatanetOwner")
        .withArgs(free, alice.address);
      await expect(contributions.connect(curator).updateDatanetSettings(free, closed))
        .to.emit(contributions, "DatanetSettingsUpdated")
        .withArgs(free, Object.values(closed), 0n); // the review rules did not change
      expect((await contributions.getDatanet(free))[2].open).to.equal(false);

      await expect(contributions.connect(alice).setDatanetMetadata(free, "ipfs://new"))
        .to.be.revertedWithCustomError(contributions, "NotDatanetOwner")
        .withArgs(free, alice.address);
      await expect(contributions.connect(curator).setDatanetMetadata(free, "ipfs://new"))
        .to.emit(contributions, "DatanetMetadataUpdated")
        .withArgs(free, "ipfs://new");
      expect((await contributions.getDatanet(free))[5]).to.equal("ipfs://new");
    });

    it("validates updated settings too", async function () {
      const { contributions, curator, free } = await setup();
      await expect(
        contributions
          .connect(curator)
          .updateDatanetSettings(free, { ...defaultDatanetSettings, reviewQuorum: 0 }),
      ).to.be.revertedWithCustomError(contributions, "InvalidReviewQuorum");
    });

    it("reverts with UnknownDatanet for owner actions and reads on unknown ids", async function () {
      const { contributions, curator } = await setup();
      await expect(contributions.connect(curator).setReviewer(99n, curator.address, true))
        .to.be.revertedWithCustomError(contributions, "UnknownDatanet")
        .withArgs(99n);
      await expect(contributions.getDatanet(0n)).to.be.revertedWithCustomError(
        contributions,
        "UnknownDatanet",
      );
      await expect(contributions.connect(curator).snapshotVersion(99n)).to.be.revertedWithCustomError(
        contributions,
        "UnknownDatanet",
      );
    });

    it("manages reviewers: owner only, no zero address", async function () {
      const { contributions, curator, alice, carol, free } = await setup();
      await expect(contributions.connect(alice).setReviewer(free, carol.address, true))
        .to.be.revertedWithCustomError(contributions, "NotDatanetOwner")
        .withArgs(free, alice.address);
      await expect(
        contributions.connect(curator).setReviewer(free, ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(contributions, "ZeroAddress");
      await expect(contributions.connect(curator).setReviewer(free, carol.address, true))
        .to.emit(contributions, "ReviewerSet")
        .withArgs(free, carol.address, true);
      expect(await contributions.isReviewer(free, carol.address)).to.equal(true);
      await contributions.connect(curator).setReviewer(free, carol.address, false);
      expect(await contributions.isReviewer(free, carol.address)).to.equal(false);
    });

    it("transfers ownership in two steps", async function () {
      const { contributions, curator, alice, bob, free } = await setup();
      await expect(contributions.connect(alice).transferDatanetOwnership(free, alice.address))
        .to.be.revertedWithCustomError(contributions, "NotDatanetOwner")
        .withArgs(free, alice.address);
      await expect(contributions.connect(curator).transferDatanetOwnership(free, alice.address))
        .to.emit(contributions, "DatanetOwnershipTransferStarted")
        .withArgs(free, curator.address, alice.address);
      expect((await contributions.getDatanet(free))[1]).to.equal(alice.address);
      await expect(contributions.connect(bob).acceptDatanetOwnership(free))
        .to.be.revertedWithCustomError(contributions, "NotPendingDatanetOwner")
        .withArgs(free, bob.address);
      await expect(contributions.connect(alice).acceptDatanetOwnership(free))
        .to.emit(contributions, "DatanetOwnershipTransferred")
        .withArgs(free, curator.address, alice.address);
      const [owner, pending] = await contributions.getDatanet(free);
      expect([owner, pending]).to.deep.equal([alice.address, ethers.ZeroAddress]);
      await expect(contributions.connect(alice).acceptDatanetOwnership(free)).to.be.revertedWithCustomError(
        contributions,
        "NotPendingDatanetOwner",
      );
    });

    it("snapshots versions with the accepted count and timestamp", async function () {
      const { contributions, curator, alice, r1, r2, free, contributeAs } = await setup();
      const id = await contributeAs(alice, free);
      await contributeAs(alice, free); // stays pending: not in the version
      await contributions.connect(r1).review(id, true);
      await contributions.connect(r2).review(id, true);
      await expect(contributions.connect(alice).snapshotVersion(free))
        .to.be.revertedWithCustomError(contributions, "NotDatanetOwner")
        .withArgs(free, alice.address);
      const tx = contributions.connect(curator).snapshotVersion(free);
      await expect(tx)
        .to.emit(contributions, "DatanetVersionCreated")
        .withArgs(free, 1n, 1n, (await time.latest()) + 1);
      const version = await contributions.getVersion(free, 1);
      expect(version.acceptedCount).to.equal(1n);
      expect(await contributions.versionExists(free, 1)).to.equal(true);
      expect(await contributions.versionExists(free, 2)).to.equal(false);
      expect(await contributions.versionExists(free, 0)).to.equal(false);
      await expect(contributions.getVersion(free, 2))
        .to.be.revertedWithCustomError(contributions, "UnknownVersion")
        .withArgs(free, 2n);
    });
  });

  describe("contribute", function () {
    it("records a pending contribution and emits everything an indexer needs", async function () {
      const { contributions, alice, free, idOf } = await setup();
      const hash = content();
      const id = await idOf(free, hash);
      expect(id).to.equal(
        ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint256", "bytes32"], [free, hash])),
      );
      await expect(contributions.connect(alice).contribute(free, hash, TEST_URI, ANY_BOND))
        .to.emit(contributions, "Contributed")
        .withArgs(free, alice.address, hash, TEST_URI);
      const c = await contributions.getContribution(id);
      expect(c.contributor).to.equal(alice.address);
      expect(c.datanetId).to.equal(free);
      expect(c.status).to.equal(Status.Pending);
      expect(c.submittedAt).to.equal(BigInt(await time.latest()));
      expect((await contributions.reputation(alice.address)).submitted).to.equal(1n);
    });

    it("escrows the bond with transferFrom", async function () {
      const { contributions, token, alice, bonded, registry, idOf } = await setup();
      const hash = content();
      const tx = contributions.connect(alice).contribute(bonded, hash, TEST_URI, ANY_BOND);
      await expect(tx).to.emit(contributions, "Contributed").withArgs(bonded, alice.address, hash, TEST_URI);
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, registry], [-TEST_BOND, TEST_BOND]);
      expect((await contributions.getContribution(await idOf(bonded, hash))).bond).to.equal(TEST_BOND);
    });

    it("rejects the same content twice in one datanet but allows it in another", async function () {
      const { contributions, alice, bob, free, bonded } = await setup();
      const hash = content();
      await contributions.connect(alice).contribute(free, hash, TEST_URI, ANY_BOND);
      await expect(contributions.connect(bob).contribute(free, hash, "ipfs://other", ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "DuplicateContent")
        .withArgs(free, hash);
      await contributions.connect(alice).contribute(bonded, hash, TEST_URI, ANY_BOND);
      expect((await contributions.reputation(bob.address)).submitted).to.equal(0n);
    });

    it("rejects a zero content hash, unknown and closed datanets", async function () {
      const { contributions, curator, alice, free } = await setup();
      await expect(
        contributions.connect(alice).contribute(free, ethers.ZeroHash, TEST_URI, ANY_BOND),
      ).to.be.revertedWithCustomError(contributions, "ZeroContentHash");
      await expect(contributions.connect(alice).contribute(42n, content(), TEST_URI, ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "UnknownDatanet")
        .withArgs(42n);
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...defaultDatanetSettings, open: false });
      await expect(contributions.connect(alice).contribute(free, content(), TEST_URI, ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "DatanetClosed")
        .withArgs(free);
    });

    it("fails without allowance for the bond and records nothing", async function () {
      const { contributions, token, carol, bonded, idOf } = await setup();
      const hash = content();
      await expect(
        contributions.connect(carol).contribute(bonded, hash, TEST_URI, ANY_BOND),
      ).to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance");
      expect((await contributions.getContribution(await idOf(bonded, hash))).status).to.equal(Status.None);
    });

    it("enforces the per-account daily limit and resets it the next day", async function () {
      const { contributions, curator, alice, bob, free } = await setup();
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...defaultDatanetSettings, dailyLimit: 2 });
      await time.increaseTo(Math.ceil((await time.latest()) / DAY) * DAY + 60); // start of a UTC day
      await contributions.connect(alice).contribute(free, content(), TEST_URI, ANY_BOND);
      await contributions.connect(alice).contribute(free, content(), TEST_URI, ANY_BOND);
      await expect(contributions.connect(alice).contribute(free, content(), TEST_URI, ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "DailyLimitReached")
        .withArgs(free, alice.address, 2n);
      await contributions.connect(bob).contribute(free, content(), TEST_URI, ANY_BOND); // limit is per account
      await time.increase(DAY);
      await contributions.connect(alice).contribute(free, content(), TEST_URI, ANY_BOND);
      expect((await contributions.reputation(alice.address)).submitted).to.equal(3n);
    });

    it("keeps the escrowed bond of earlier contributions when the bond changes", async function () {
      const { contributions, token, curator, alice, r1, r2, bonded, contributeAs } = await setup();
      const early = await contributeAs(alice, bonded);
      const newBond = TEST_BOND * 3n;
      await contributions
        .connect(curator)
        .updateDatanetSettings(bonded, { ...defaultDatanetSettings, bond: newBond });
      const late = await contributeAs(alice, bonded);
      expect((await contributions.getContribution(early)).bond).to.equal(TEST_BOND);
      expect((await contributions.getContribution(late)).bond).to.equal(newBond);
      await contributions.connect(r1).review(early, true);
      await expect(contributions.connect(r2).review(early, true)).to.changeTokenBalance(
        ethers,
        token,
        alice,
        TEST_BOND,
      );
    });
  });

  describe("contributeBatch", function () {
    it("records every item, escrows all bonds in one transfer and counts them", async function () {
      const { contributions, token, alice, bonded, registry, idOf } = await setup();
      const hashes = [content(), content(), content()];
      const tx = contributions.connect(alice).contributeBatch(
        bonded,
        hashes,
        hashes.map((_, i) => `ipfs://${i}`),
        ANY_BOND,
      );
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [alice, registry],
        [-3n * TEST_BOND, 3n * TEST_BOND],
      );
      for (const [i, hash] of hashes.entries()) {
        await expect(tx)
          .to.emit(contributions, "Contributed")
          .withArgs(bonded, alice.address, hash, `ipfs://${i}`);
      }
      expect((await contributions.reputation(alice.address)).submitted).to.equal(3n);
    });

    it("returns the ids in order", async function () {
      const { contributions, alice, free, idOf } = await setup();
      const hashes = [content(), content()];
      const ids = await contributions
        .connect(alice)
        .contributeBatch.staticCall(free, hashes, ["a", "b"], ANY_BOND);
      expect(ids).to.deep.equal([await idOf(free, hashes[0]), await idOf(free, hashes[1])]);
    });

    it("is all-or-nothing and names the failing index", async function () {
      const { contributions, alice, free, idOf } = await setup();
      const existing = content();
      await contributions.connect(alice).contribute(free, existing, TEST_URI, ANY_BOND);
      const first = content();
      await expect(
        contributions.connect(alice).contributeBatch(free, [first, existing], ["a", "b"], ANY_BOND),
      )
        .to.be.revertedWithCustomError(contributions, "BatchItemInvalid")
        .withArgs(1n, existing, contributions.interface.getError("DuplicateContent")!.selector);
      const repeated = content();
      await expect(
        contributions.connect(alice).contributeBatch(free, [repeated, repeated], ["a", "b"], ANY_BOND),
      )
        .to.be.revertedWithCustomError(contributions, "BatchItemInvalid")
        .withArgs(1n, repeated, contributions.interface.getError("DuplicateContent")!.selector);
      await expect(
        contributions
          .connect(alice)
          .contributeBatch(free, [content(), ethers.ZeroHash], ["a", "b"], ANY_BOND),
      )
        .to.be.revertedWithCustomError(contributions, "BatchItemInvalid")
        .withArgs(1n, ethers.ZeroHash, contributions.interface.getError("ZeroContentHash")!.selector);
      expect((await contributions.getContribution(await idOf(free, first))).status).to.equal(Status.None);
      expect((await contributions.reputation(alice.address)).submitted).to.equal(1n);
    });

    it("rejects mismatched lengths, empty and oversized batches", async function () {
      const { contributions, alice, free } = await setup();
      await expect(contributions.connect(alice).contributeBatch(free, [content()], [], ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "LengthMismatch")
        .withArgs(1n, 0n);
      await expect(contributions.connect(alice).contributeBatch(free, [], [], ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "InvalidBatchSize")
        .withArgs(0n, 256n);
      const many = Array.from({ length: 257 }, content);
      await expect(
        contributions.connect(alice).contributeBatch(
          free,
          many,
          many.map(() => "u"),
          ANY_BOND,
        ),
      )
        .to.be.revertedWithCustomError(contributions, "InvalidBatchSize")
        .withArgs(257n, 256n);
    });

    it("checks the datanet and the daily limit for the whole batch", async function () {
      const { contributions, curator, alice, free } = await setup();
      await expect(contributions.connect(alice).contributeBatch(7n, [content()], ["a"], ANY_BOND))
        .to.be.revertedWithCustomError(contributions, "UnknownDatanet")
        .withArgs(7n);
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...defaultDatanetSettings, dailyLimit: 2 });
      await expect(
        contributions
          .connect(alice)
          .contributeBatch(free, [content(), content(), content()], ["a", "b", "c"], ANY_BOND),
      )
        .to.be.revertedWithCustomError(contributions, "DailyLimitReached")
        .withArgs(free, alice.address, 2n);
    });
  });

  describe("gasless contributions", function () {
    it("records a contribution signed by the contributor and relayed by anyone", async function () {
      const { contributions, alice, relayer, free, idOf, sign } = await setup();
      const request = await sign(alice, free);
      await expect(contributions.connect(relayer).contributeWithSig(request))
        .to.emit(contributions, "Contributed")
        .withArgs(free, alice.address, request.contentHash, TEST_URI);
      expect(await contributions.nonces(alice.address)).to.equal(1n);
      expect(
        (await contributions.getContribution(await idOf(free, request.contentHash))).contributor,
      ).to.equal(alice.address);
    });

    it("pulls the bond from the contributor, not the relayer", async function () {
      const { contributions, token, alice, relayer, bonded, registry, sign } = await setup();
      const request = await sign(alice, bonded);
      await expect(contributions.connect(relayer).contributeWithSig(request)).to.changeTokenBalances(
        ethers,
        token,
        [alice, relayer, registry],
        [-TEST_BOND, 0n, TEST_BOND],
      );
    });

    it("rejects a replayed signature", async function () {
      const { contributions, alice, relayer, free, sign } = await setup();
      const request = await sign(alice, free);
      await contributions.connect(relayer).contributeWithSig(request);
      await expect(contributions.connect(relayer).contributeWithSig(request))
        .to.be.revertedWithCustomError(contributions, "InvalidSignature")
        .withArgs(alice.address);
    });

    it("rejects a signature after its deadline", async function () {
      const { contributions, alice, relayer, free, sign } = await setup();
      const deadline = BigInt(await time.latest()) + 10n;
      const request = await sign(alice, free, content(), { deadline });
      await time.increase(11);
      await expect(contributions.connect(relayer).contributeWithSig(request))
        .to.be.revertedWithCustomError(contributions, "SignatureExpired")
        .withArgs(deadline, BigInt(await time.latest()) + 1n);
    });

    it("rejects a signature for another nonce, chain, contract, datanet, URI or signer", async function () {
      const { contributions, alice, bob, relayer, free, bonded, registry, chainId, sign } = await setup();
      const deadline = BigInt(await time.latest()) + 3600n;
      const base = {
        datanetId: free,
        contentHash: content(),
        uri: TEST_URI,
        maxBond: ANY_BOND,
        nonce: 0n,
        deadline,
      };
      const wrong = [
        await signContribution(alice, registry, chainId, { ...base, nonce: 1n }),
        await signContribution(alice, registry, chainId + 1n, base),
        await signContribution(alice, bob.address, chainId, base), // another verifying contract
      ];
      for (const request of wrong) {
        await expect(contributions.connect(relayer).contributeWithSig(request))
          .to.be.revertedWithCustomError(contributions, "InvalidSignature")
          .withArgs(alice.address);
      }
      const good = await sign(alice, free);
      await expect(
        contributions.connect(relayer).contributeWithSig({ ...good, datanetId: bonded }),
      ).to.be.revertedWithCustomError(contributions, "InvalidSignature");
      await expect(
        contributions.connect(relayer).contributeWithSig({ ...good, uri: "ipfs://tampered" }),
      ).to.be.revertedWithCustomError(contributions, "InvalidSignature");
      const byBob = await sign(bob, free);
      await expect(contributions.connect(relayer).contributeWithSig({ ...byBob, contributor: alice.address }))
        .to.be.revertedWithCustomError(contributions, "InvalidSignature")
        .withArgs(alice.address);
      expect(await contributions.nonces(alice.address)).to.equal(0n);
    });

    it("checks the datanet and content like a direct contribution", async function () {
      const { contributions, alice, relayer, free, sign } = await setup();
      await expect(contributions.connect(relayer).contributeWithSig(await sign(alice, 9n)))
        .to.be.revertedWithCustomError(contributions, "UnknownDatanet")
        .withArgs(9n);
      await expect(
        contributions.connect(relayer).contributeWithSig(await sign(alice, free, ethers.ZeroHash)),
      ).to.be.revertedWithCustomError(contributions, "ZeroContentHash");
      const hash = content();
      await contributions.connect(alice).contribute(free, hash, TEST_URI, ANY_BOND);
      await expect(contributions.connect(relayer).contributeWithSig(await sign(alice, free, hash)))
        .to.be.revertedWithCustomError(contributions, "DuplicateContent")
        .withArgs(free, hash);
    });

    it("takes the bond through an ERC-2612 permit in the same call", async function () {
      const { contributions, token, carol, holder, relayer, bonded, registry, chainId, sign } = await setup();
      await token.connect(holder).transfer(carol.address, TEST_BOND);
      const request = await sign(carol, bonded);
      const permit = await signPermit(
        carol,
        { name: await token.name(), address: await token.getAddress() },
        chainId,
        {
          spender: registry,
          value: TEST_BOND,
          nonce: await token.nonces(carol.address),
          deadline: request.deadline,
        },
      );
      await expect(
        contributions.connect(relayer).contributeWithSigAndPermit(request, permit),
      ).to.changeTokenBalances(ethers, token, [carol, registry], [-TEST_BOND, TEST_BOND]);
    });

    it("still succeeds when the permit was front-run, and fails without allowance", async function () {
      const { contributions, token, carol, holder, relayer, bonded, registry, chainId, sign } = await setup();
      await token.connect(holder).transfer(carol.address, TEST_BOND);
      const tokenInfo = { name: await token.name(), address: await token.getAddress() };
      const request = await sign(carol, bonded);
      const permit = await signPermit(carol, tokenInfo, chainId, {
        spender: registry,
        value: TEST_BOND,
        nonce: 0n,
        deadline: request.deadline,
      });
      await token.permit(
        carol.address,
        registry,
        permit.value,
        permit.deadline,
        permit.v,
        permit.r,
        permit.s,
      );
      await contributions.connect(relayer).contributeWithSigAndPermit(request, permit);

      const second = await sign(carol, bonded);
      await expect(contributions.connect(relayer).contributeWithSigAndPermit(second, permit))
        .to.be.revertedWithCustomError(contributions, "InsufficientAllowance")
        .withArgs(0n, TEST_BOND);
    });
  });

  describe("review", function () {
    it("accepts at the quorum of approvals and refunds the bond", async function () {
      const { contributions, token, alice, r1, r2, bonded, contributeAs } = await setup();
      const id = await contributeAs(alice, bonded);
      await expect(contributions.connect(r1).review(id, true))
        .to.emit(contributions, "Reviewed")
        .withArgs(id, r1.address, true);
      expect((await contributions.getContribution(id)).approvals).to.equal(1n);
      const tx = contributions.connect(r2).review(id, true);
      await expect(tx).to.emit(contributions, "ContributionAccepted").withArgs(id, bonded, TEST_BOND);
      await expect(tx).to.changeTokenBalance(ethers, token, alice, TEST_BOND);
      const c = await contributions.getContribution(id);
      expect(c.status).to.equal(Status.Accepted);
      expect(c.decidedAt).to.equal(BigInt(await time.latest()));
      expect((await contributions.getDatanet(bonded))[3]).to.equal(1n);
      expect((await contributions.reputation(alice.address)).accepted).to.equal(1n);
    });

    it("rejects at the quorum of rejections and slashes the bond to the treasury", async function () {
      const { contributions, token, alice, r1, r2, treasury, bonded, contributeAs } = await setup();
      const id = await contributeAs(alice, bonded);
      await contributions.connect(r1).review(id, false);
      const tx = contributions.connect(r2).review(id, false);
      await expect(tx).to.emit(contributions, "ContributionRejected").withArgs(id, bonded, TEST_BOND);
      await expect(tx).to.changeTokenBalance(ethers, token, treasury, TEST_BOND);
      expect((await contributions.getContribution(id)).status).to.equal(Status.Rejected);
      const rep = await contributions.reputation(alice.address);
      expect([rep.rejected, rep.slashed]).to.deep.equal([1n, TEST_BOND]);
    });

    it("allows each reviewer one vote and only reviewers to vote", async function () {
      const { contributions, alice, carol, r1, free, contributeAs } = await setup();
      const id = await contributeAs(alice, free);
      await expect(contributions.connect(carol).review(id, true))
        .to.be.revertedWithCustomError(contributions, "NotReviewer")
        .withArgs(free, carol.address);
      await contributions.connect(r1).review(id, false);
      expect(await contributions.hasReviewed(id, r1.address)).to.equal(true);
      await expect(contributions.connect(r1).review(id, true))
        .to.be.revertedWithCustomError(contributions, "AlreadyReviewed")
        .withArgs(id, r1.address);
    });

    it("forbids reviewing one's own contribution", async function () {
      const { contributions, r1, free, contributeAs } = await setup();
      const id = await contributeAs(r1, free); // the free datanet needs no tokens
      await expect(contributions.connect(r1).review(id, true))
        .to.be.revertedWithCustomError(contributions, "SelfReview")
        .withArgs(id);
    });

    it("rejects votes on unknown or decided contributions", async function () {
      const { contributions, alice, r1, r2, r3, free, contributeAs } = await setup();
      await expect(contributions.connect(r1).review(ethers.ZeroHash, true))
        .to.be.revertedWithCustomError(contributions, "UnknownContribution")
        .withArgs(ethers.ZeroHash);
      const id = await contributeAs(alice, free);
      await contributions.connect(r1).review(id, true);
      await contributions.connect(r2).review(id, true);
      await expect(contributions.connect(r3).review(id, false))
        .to.be.revertedWithCustomError(contributions, "InvalidStatus")
        .withArgs(id, Status.Accepted);
    });
  });

  describe("finalize (optimistic acceptance)", function () {
    it("accepts after the window with no rejection, for anyone", async function () {
      const { contributions, token, alice, carol, bonded, contributeAs } = await setup();
      const id = await contributeAs(alice, bonded);
      const windowEnd = (await contributions.getContribution(id)).submittedAt + BigInt(DAY);
      await expect(contributions.connect(carol).finalize(id))
        .to.be.revertedWithCustomError(contributions, "NotFinalizable")
        .withArgs(id, windowEnd);
      await time.increaseTo(windowEnd);
      const tx = contributions.connect(carol).finalize(id);
      await expect(tx).to.emit(contributions, "ContributionAccepted").withArgs(id, bonded, TEST_BOND);
      await expect(tx).to.changeTokenBalance(ethers, token, alice, TEST_BOND);
      await expect(contributions.finalize(id))
        .to.be.revertedWithCustomError(contributions, "InvalidStatus")
        .withArgs(id, Status.Accepted);
    });

    it("refuses after a rejection or on a non-optimistic datanet", async function () {
      const { contributions, curator, alice, r1, free, contributeAs } = await setup();
      const rejectedOnce = await contributeAs(alice, free);
      await contributions.connect(r1).review(rejectedOnce, false);
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...defaultDatanetSettings, optimistic: false });
      const quiet = await contributeAs(alice, free);
      await time.increase(2 * DAY);
      await expect(contributions.finalize(rejectedOnce)).to.be.revertedWithCustomError(
        contributions,
        "NotFinalizable",
      );
      await expect(contributions.finalize(quiet)).to.be.revertedWithCustomError(
        contributions,
        "NotFinalizable",
      );
      await expect(contributions.finalize(ethers.id("nothing"))).to.be.revertedWithCustomError(
        contributions,
        "UnknownContribution",
      );
    });
  });

  describe("withdraw", function () {
    it("withdraws consent for a pending contribution but keeps its bond until the review ends", async function () {
      const { contributions, token, alice, r1, r2, bonded, registry, contributeAs } = await setup();
      const id = await contributeAs(alice, bonded);
      const tx = contributions.connect(alice).withdraw(id);
      await expect(tx).to.emit(contributions, "ContributionWithdrawn").withArgs(id, bonded, true);
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, registry], [0n, 0n]);
      let c = await contributions.getContribution(id);
      expect(c.status).to.equal(Status.Pending);
      expect(c.withdrawnAt).to.equal(BigInt(await time.latest()));
      await expect(contributions.connect(alice).withdraw(id))
        .to.be.revertedWithCustomError(contributions, "AlreadyWithdrawn")
        .withArgs(id);
      // The review goes on; an approval quorum releases the bond and the status becomes Withdrawn.
      await contributions.connect(r1).review(id, true);
      const release = contributions.connect(r2).review(id, true);
      await expect(release).to.emit(contributions, "WithdrawnBondReleased").withArgs(id, bonded, TEST_BOND);
      await expect(release).to.changeTokenBalance(ethers, token, alice, TEST_BOND);
      c = await contributions.getContribution(id);
      expect(c.status).to.equal(Status.Withdrawn);
      expect(c.decidedAt).to.equal(0n); // never accepted
      expect((await contributions.getDatanet(bonded))[3]).to.equal(0n);
      const rep = await contributions.reputation(alice.address);
      expect([rep.accepted, rep.withdrawn]).to.deep.equal([0n, 1n]);
    });

    it("releases a withdrawn pending contribution's bond once its window ends without a rejection quorum", async function () {
      const { contributions, token, curator, alice, r1, bonded, contributeAs } = await setup();
      // Not optimistic: only a withdrawn contribution can be finalized after the window.
      const settings = { ...(await datanetSettings(contributions, bonded)), optimistic: false };
      await contributions.connect(curator).updateDatanetSettings(bonded, settings);
      const id = await contributeAs(alice, bonded);
      await contributions.connect(r1).review(id, false); // one rejection, quorum is 2
      await contributions.connect(alice).withdraw(id);
      const windowEndsAt = (await contributions.getContribution(id)).submittedAt + 86_400n;
      await expect(contributions.finalize(id))
        .to.be.revertedWithCustomError(contributions, "NotFinalizable")
        .withArgs(id, windowEndsAt);
      await time.increaseTo(windowEndsAt);
      await expect(contributions.finalize(id)).to.changeTokenBalance(ethers, token, alice, TEST_BOND);
      expect((await contributions.getContribution(id)).status).to.equal(Status.Withdrawn);
      // A contribution whose consent stands is not finalizable under non-optimistic rules.
      const other = await contributeAs(alice, bonded);
      await time.increase(86_400);
      await expect(contributions.finalize(other)).to.be.revertedWithCustomError(
        contributions,
        "NotFinalizable",
      );
    });

    it("withdraws an accepted contribution without refund and updates the counts", async function () {
      const { contributions, token, alice, r1, r2, bonded, contributeAs } = await setup();
      const id = await contributeAs(alice, bonded);
      await contributions.connect(r1).review(id, true);
      await contributions.connect(r2).review(id, true);
      const tx = contributions.connect(alice).withdraw(id);
      await expect(tx).to.emit(contributions, "ContributionWithdrawn").withArgs(id, bonded, false);
      await expect(tx).to.changeTokenBalance(ethers, token, alice, 0n);
      expect((await contributions.getDatanet(bonded))[3]).to.equal(0n);
      const rep = await contributions.reputation(alice.address);
      expect([rep.submitted, rep.accepted, rep.withdrawn]).to.deep.equal([1n, 0n, 1n]);
    });

    it("only the contributor withdraws, only pending or accepted, only known ids", async function () {
      const { contributions, alice, bob, r1, r2, free, contributeAs } = await setup();
      const id = await contributeAs(alice, free);
      await expect(contributions.connect(bob).withdraw(id))
        .to.be.revertedWithCustomError(contributions, "NotContributor")
        .withArgs(id, bob.address);
      await contributions.connect(r1).review(id, false);
      await contributions.connect(r2).review(id, false);
      await expect(contributions.connect(alice).withdraw(id))
        .to.be.revertedWithCustomError(contributions, "InvalidStatus")
        .withArgs(id, Status.Rejected);
      await expect(contributions.connect(alice).withdraw(ethers.ZeroHash))
        .to.be.revertedWithCustomError(contributions, "UnknownContribution")
        .withArgs(ethers.ZeroHash);
      const other = await contributeAs(alice, free);
      await contributions.connect(r1).review(other, true);
      await contributions.connect(r2).review(other, true);
      await contributions.connect(alice).withdraw(other);
      await expect(contributions.connect(alice).withdraw(other))
        .to.be.revertedWithCustomError(contributions, "InvalidStatus")
        .withArgs(other, Status.Withdrawn);
    });
  });

  describe("protocol settings (owner = governance)", function () {
    it("lets only the owner set the treasury, never to zero", async function () {
      const { contributions, gov, alice } = await setup();
      await expect(contributions.connect(alice).setTreasury(alice.address))
        .to.be.revertedWithCustomError(contributions, "OwnableUnauthorizedAccount")
        .withArgs(alice.address);
      await expect(contributions.connect(gov).setTreasury(ethers.ZeroAddress)).to.be.revertedWithCustomError(
        contributions,
        "ZeroAddress",
      );
      await expect(contributions.connect(gov).setTreasury(alice.address))
        .to.emit(contributions, "TreasuryUpdated")
        .withArgs(alice.address);
      expect(await contributions.treasury()).to.equal(alice.address);
    });

    it("lets only the owner set the bounds", async function () {
      const { contributions, gov, alice } = await setup();
      await expect(contributions.connect(alice).setBounds(1n, 1))
        .to.be.revertedWithCustomError(contributions, "OwnableUnauthorizedAccount")
        .withArgs(alice.address);
      await expect(contributions.connect(gov).setBounds(5n, 60))
        .to.emit(contributions, "BoundsUpdated")
        .withArgs(5n, 60);
      expect([await contributions.maxBond(), await contributions.maxReviewWindow()]).to.deep.equal([5n, 60n]);
    });

    it("transfers protocol ownership in two steps", async function () {
      const { contributions, gov, alice } = await setup();
      await contributions.connect(gov).transferOwnership(alice.address);
      expect(await contributions.owner()).to.equal(gov.address);
      await contributions.connect(alice).acceptOwnership();
      expect(await contributions.owner()).to.equal(alice.address);
    });
  });

  it("exposes its EIP-712 domain", async function () {
    const { contributions, registry, chainId } = await setup();
    expect(await contributions.DOMAIN_SEPARATOR()).to.equal(
      ethers.TypedDataEncoder.hashDomain({
        name: "OpenAttribution ContributionRegistry",
        version: "1",
        chainId,
        verifyingContract: registry,
      }),
    );
  });

  describe("what mutation testing found untested", function () {
    it("refuses ownership to callers whose address is below or above the pending owner's", async function () {
      const { contributions, curator, free } = await setup();
      const signers = (await ethers.getSigners()).slice(0, 20);
      signers.sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1));
      const [below, pending, above] = [signers[5], signers[10], signers[15]];
      await contributions.connect(curator).transferDatanetOwnership(free, pending.address);
      for (const caller of [below, above]) {
        await expect(contributions.connect(caller).acceptDatanetOwnership(free))
          .to.be.revertedWithCustomError(contributions, "NotPendingDatanetOwner")
          .withArgs(free, caller.address);
      }
      await contributions.connect(pending).acceptDatanetOwnership(free);
      expect((await contributions.getDatanet(free))[0]).to.equal(pending.address);
    });

    it("counts signed (relayed) contributions toward the daily limit like direct ones", async function () {
      const { contributions, curator, alice, relayer, free, sign } = await setup();
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...defaultDatanetSettings, dailyLimit: 2 });
      await time.increaseTo(Math.ceil((await time.latest()) / DAY) * DAY + 60); // start of a UTC day
      await contributions.connect(relayer).contributeWithSig(await sign(alice, free));
      await contributions.connect(relayer).contributeWithSig(await sign(alice, free));
      await expect(contributions.connect(relayer).contributeWithSig(await sign(alice, free)))
        .to.be.revertedWithCustomError(contributions, "DailyLimitReached")
        .withArgs(free, alice.address, 2n);
    });

    it("moves no token when a contribution without a bond is accepted or rejected", async function () {
      const { contributions, token, alice, r1, r2, free, contributeAs } = await setup();
      const accepted = await contributeAs(alice, free);
      await contributions.connect(r1).review(accepted, true);
      await expect(contributions.connect(r2).review(accepted, true)).not.to.emit(token, "Transfer");
      const rejected = await contributeAs(alice, free);
      await contributions.connect(r1).review(rejected, false);
      await expect(contributions.connect(r2).review(rejected, false)).not.to.emit(token, "Transfer");
    });

    it("records when an accepted contribution was withdrawn", async function () {
      const { contributions, alice, r1, r2, free, contributeAs } = await setup();
      const id = await contributeAs(alice, free);
      await contributions.connect(r1).review(id, true);
      await contributions.connect(r2).review(id, true);
      await contributions.connect(alice).withdraw(id);
      const c = await contributions.getContribution(id);
      expect([c.status, c.withdrawnAt]).to.deep.equal([Status.Withdrawn, BigInt(await time.latest())]);
    });

    it("records when a rejected contribution was decided", async function () {
      const { contributions, alice, r1, r2, free, contributeAs } = await setup();
      const id = await contributeAs(alice, free);
      await contributions.connect(r1).review(id, false);
      await contributions.connect(r2).review(id, false);
      const c = await contributions.getContribution(id);
      expect([c.status, c.decidedAt]).to.deep.equal([Status.Rejected, BigInt(await time.latest())]);
    });

    it("finalizes at exactly the end of the review window, not a second before", async function () {
      const { contributions, alice, free, contributeAs } = await setup();
      const id = await contributeAs(alice, free);
      const windowEnd = (await contributions.getContribution(id)).submittedAt + BigInt(DAY);
      await time.setNextBlockTimestamp(windowEnd - 1n);
      await expect(contributions.finalize(id))
        .to.be.revertedWithCustomError(contributions, "NotFinalizable")
        .withArgs(id, windowEnd);
      await time.setNextBlockTimestamp(windowEnd);
      await expect(contributions.finalize(id)).to.emit(contributions, "ContributionAccepted");
    });

    it("takes a batch of exactly MAX_BATCH_SIZE items", async function () {
      const { contributions, alice, free } = await setup();
      expect(await contributions.MAX_BATCH_SIZE()).to.equal(256n);
      const many = Array.from({ length: 256 }, content);
      await contributions.connect(alice).contributeBatch(
        free,
        many,
        many.map(() => "u"),
        0n,
      );
      expect((await contributions.reputation(alice.address)).submitted).to.equal(256n);
    });
  });

  describe("commit-reveal", function () {
    /** reveal(contributor, datanetId, contentHashes, uris, maxBond, salt) */
    type RevealArgs = [string, bigint, string[], string[], bigint, string];
    async function committed(
      f: Awaited<ReturnType<typeof setup>>,
      datanetId: bigint,
      n = 1,
      maxBond = ANY_BOND,
    ) {
      const hashes = Array.from({ length: n }, content);
      const uris = hashes.map((_, i) => `ipfs://${i}`);
      const salt = ethers.id(`salt ${counter++}`);
      const commitment = await f.contributions.hashCommitment(datanetId, hashes, uris, maxBond, salt);
      const tx = f.contributions.connect(f.alice).commit(commitment);
      await expect(tx).to.emit(f.contributions, "Committed").withArgs(f.alice.address, commitment);
      return {
        hashes,
        uris,
        salt,
        commitment,
        args: [f.alice.address, datanetId, hashes, uris, maxBond, salt] as RevealArgs,
      };
    }

    it("reveals a committed batch for the committer, counting it, escrowing all bonds at once", async function () {
      const f = await setup();
      const { contributions, token, alice, relayer, bonded, registry } = f;
      const c = await committed(f, bonded, 3);
      const madeAt = BigInt(await time.latest());
      expect(await contributions.committedAt(alice.address, c.commitment)).to.equal(madeAt);
      await expect(contributions.connect(alice).commit(c.commitment))
        .to.be.revertedWithCustomError(contributions, "CommitmentExists")
        .withArgs(alice.address, c.commitment);
      await time.increase(60);
      const tx = contributions.connect(relayer).reveal(...c.args);
      await expect(tx).to.changeTokenBalances(
        ethers,
        token,
        [alice, registry],
        [-3n * TEST_BOND, 3n * TEST_BOND],
      );
      for (const [i, hash] of c.hashes.entries()) {
        await expect(tx)
          .to.emit(contributions, "Contributed")
          .withArgs(bonded, alice.address, hash, c.uris[i]);
      }
      expect(await contributions.committedAt(alice.address, c.commitment)).to.equal(0n);
      expect((await contributions.reputation(alice.address)).submitted).to.equal(3n);
      await expect(contributions.reveal(...c.args))
        .to.be.revertedWithCustomError(contributions, "UnknownCommitment")
        .withArgs(alice.address, c.commitment);
    });

    it("refuses a reveal with any field changed, or for another contributor", async function () {
      const f = await setup();
      const { contributions, alice, bob, free, bonded } = f;
      const c = await committed(f, free);
      await time.increase(60);
      const [, datanetId, hashes, uris, maxBond, salt] = c.args;
      const variants = [
        [bob.address, datanetId, hashes, uris, maxBond, salt],
        [alice.address, bonded, hashes, uris, maxBond, salt],
        [alice.address, datanetId, [content()], uris, maxBond, salt],
        [alice.address, datanetId, hashes, ["ipfs://other"], maxBond, salt],
        [alice.address, datanetId, hashes, uris, maxBond - 1n, salt],
        [alice.address, datanetId, hashes, uris, maxBond, ethers.id("other salt")],
      ] as RevealArgs[];
      for (const v of variants) {
        await expect(contributions.reveal(...v)).to.be.revertedWithCustomError(
          contributions,
          "UnknownCommitment",
        );
      }
      await contributions.reveal(...c.args);
    });

    it("refuses a reveal after the commitment's lifetime", async function () {
      const f = await setup();
      const c = await committed(f, f.free);
      const madeAt = BigInt(await time.latest());
      await time.setNextBlockTimestamp(madeAt + BigInt(DAY) + 1n);
      await expect(f.contributions.reveal(...c.args))
        .to.be.revertedWithCustomError(f.contributions, "CommitmentExpired")
        .withArgs(madeAt + BigInt(DAY));
    });

    it("checks the datanet, the batch and the daily limit at reveal", async function () {
      const f = await setup();
      const { contributions, curator, alice, free } = f;
      const empty = await (async () => {
        const salt = ethers.id("empty");
        const commitment = await contributions.hashCommitment(free, [], [], ANY_BOND, salt);
        await contributions.connect(alice).commit(commitment);
        return [alice.address, free, [], [], ANY_BOND, salt] as RevealArgs;
      })();
      const three = await committed(f, free, 3);
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...(await datanetSettings(contributions, free)), dailyLimit: 2 });
      await time.increase(60);
      await expect(contributions.reveal(...empty))
        .to.be.revertedWithCustomError(contributions, "InvalidBatchSize")
        .withArgs(0n, 256n);
      await expect(contributions.reveal(...three.args))
        .to.be.revertedWithCustomError(contributions, "DailyLimitReached")
        .withArgs(free, alice.address, 2n);
      await contributions
        .connect(curator)
        .updateDatanetSettings(free, { ...(await datanetSettings(contributions, free)), open: false });
      await expect(contributions.reveal(...three.args))
        .to.be.revertedWithCustomError(contributions, "DatanetClosed")
        .withArgs(free);
    });

    it("never displaces a contribution revealed from a commitment: the first reveal wins", async function () {
      const f = await setup();
      const { contributions, alice, bob, free } = f;
      const hash = content();
      const uris = ["ipfs://a"];
      const aliceArgs: RevealArgs = [alice.address, free, [hash], uris, ANY_BOND, ethers.id("a")];
      await contributions
        .connect(alice)
        .commit(await contributions.hashCommitment(free, [hash], uris, ANY_BOND, ethers.id("a")));
      await contributions
        .connect(bob)
        .commit(await contributions.hashCommitment(free, [hash], uris, ANY_BOND, ethers.id("b")));
      await time.increase(60);
      await contributions.reveal(bob.address, free, [hash], uris, ANY_BOND, ethers.id("b")); // bob reveals first
      await expect(contributions.reveal(...aliceArgs))
        .to.be.revertedWithCustomError(contributions, "BatchItemInvalid")
        .withArgs(0n, hash, contributions.interface.getError("DuplicateContent")!.selector);
      expect(
        (await contributions.getContribution(await contributions.contributionId(free, hash))).contributor,
      ).to.equal(bob.address);
    });

    it("displaces a copy whose submitter withdrew it, under the copy's rules and up to the bond limit", async function () {
      const f = await setup();
      const { contributions, token, curator, alice, bob, r1, bonded } = f;
      const low = await committed(f, bonded, 1, TEST_BOND);
      const high = await committed(f, bonded, 1, 2n * TEST_BOND);
      await time.increase(60);
      // bob copies both items (bond 10), votes against one, then withdraws his copy of the other.
      const [lowHash, highHash] = [low.hashes[0], high.hashes[0]];
      await contributions.connect(bob).contribute(bonded, lowHash, TEST_URI, ANY_BOND);
      await contributions.connect(bob).contribute(bonded, highHash, TEST_URI, ANY_BOND);
      const [lowId, highId] = [
        await contributions.contributionId(bonded, lowHash),
        await contributions.contributionId(bonded, highHash),
      ];
      await contributions.connect(r1).review(highId, false);
      await contributions.connect(bob).withdraw(highId);
      // The bond rises to 15; the copies stay under their rules (bond 10).
      const settings = await datanetSettings(contributions, bonded);
      await contributions
        .connect(curator)
        .updateDatanetSettings(bonded, { ...settings, bond: (3n * TEST_BOND) / 2n });
      await expect(contributions.reveal(...low.args))
        .to.be.revertedWithCustomError(contributions, "BondAboveMax")
        .withArgs((3n * TEST_BOND) / 2n, TEST_BOND); // the reveal itself is checked at today's bond
      await contributions.connect(curator).updateDatanetSettings(bonded, settings);
      const tx = contributions.reveal(...high.args);
      await expect(tx)
        .to.emit(contributions, "ContributionDisplaced")
        .withArgs(highId, bob.address, alice.address, TEST_BOND);
      await expect(tx).to.changeTokenBalances(ethers, token, [alice, bob], [-TEST_BOND, TEST_BOND]);
      const c = await contributions.getContribution(highId);
      expect([c.contributor, c.status, c.rejections, c.withdrawnAt, c.viaCommitment]).to.deep.equal([
        alice.address,
        Status.Pending,
        1n, // the review goes on
        0n, // bob's withdrawal was bob's
        true,
      ]);
      await contributions.reveal(...low.args);
      expect((await contributions.getContribution(lowId)).contributor).to.equal(alice.address);
      expect((await contributions.reputation(bob.address)).submitted).to.equal(0n);
    });

    it("does not displace a copy whose bond, under its own rules, is above the reveal's limit", async function () {
      const f = await setup();
      const { contributions, curator, bob, bonded } = f;
      const c = await committed(f, bonded, 1, TEST_BOND);
      const settings = await datanetSettings(contributions, bonded);
      await contributions
        .connect(curator)
        .updateDatanetSettings(bonded, { ...settings, bond: 2n * TEST_BOND });
      await contributions.connect(bob).contribute(bonded, c.hashes[0], TEST_URI, ANY_BOND); // bond 20
      await contributions.connect(curator).updateDatanetSettings(bonded, settings); // back to 10
      await time.increase(60);
      await expect(contributions.reveal(...c.args))
        .to.be.revertedWithCustomError(contributions, "BatchItemInvalid")
        .withArgs(0n, c.hashes[0], contributions.interface.getError("BondAboveMax")!.selector);
    });

    it("signs commitments for relaying: expired and foreign signatures are refused", async function () {
      const f = await setup();
      const { contributions, alice, bob, relayer, registry, chainId } = f;
      const commitment = ethers.id("a commitment");
      const sign = (signer: typeof alice, deadline: bigint) =>
        signCommitment(signer, registry, chainId, {
          commitment,
          nonce: 0n,
          deadline,
          contributor: alice.address,
        });
      const now = BigInt(await time.latest());
      const expired = await sign(alice, now);
      await time.setNextBlockTimestamp(now + 1n);
      await expect(contributions.connect(relayer).commitWithSig(alice.address, commitment, now, expired))
        .to.be.revertedWithCustomError(contributions, "SignatureExpired")
        .withArgs(now, now + 1n);
      await expect(
        contributions
          .connect(relayer)
          .commitWithSig(alice.address, commitment, now + 60n, await sign(bob, now + 60n)),
      )
        .to.be.revertedWithCustomError(contributions, "InvalidSignature")
        .withArgs(alice.address);
      await contributions
        .connect(relayer)
        .commitWithSig(alice.address, commitment, now + 60n, await sign(alice, now + 60n));
      expect(await contributions.nonces(alice.address)).to.equal(1n);
      expect(await contributions.committedAt(alice.address, commitment)).to.equal(
        BigInt(await time.latest()),
      );
    });

    it("reads the rules of each index, and refuses unknown datanets and indexes", async function () {
      const { contributions, free } = await setup();
      expect(await contributions.getRules(free, 0)).to.deep.equal([0n, 2n, BigInt(DAY), true]);
      await expect(contributions.getRules(99, 0))
        .to.be.revertedWithCustomError(contributions, "UnknownDatanet")
        .withArgs(99n);
      await expect(contributions.getRules(free, 1))
        .to.be.revertedWithCustomError(contributions, "UnknownRules")
        .withArgs(free, 1n);
    });
  });
});
