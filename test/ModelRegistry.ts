import { expect } from "chai";
import { network } from "hardhat";

import { fixtures } from "./helpers/fixtures.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { registryFixture } = fixtures(connection);

/** Registries plus version 1 of both datanets. */
async function modelsFixture() {
  const f = await registryFixture();
  await f.contributions.connect(f.curator).snapshotVersion(f.free);
  await f.contributions.connect(f.curator).snapshotVersion(f.bonded);
  const versions = [
    { datanetId: f.free, version: 1n },
    { datanetId: f.bonded, version: 1n },
  ];
  return { ...f, versions };
}

describe("ModelRegistry", function () {
  it("is wired to the contribution registry and owned by governance", async function () {
    const { models, contributions, gov } = await networkHelpers.loadFixture(modelsFixture);
    expect(await models.contributionRegistry()).to.equal(await contributions.getAddress());
    expect(await models.owner()).to.equal(gov.address);
    expect(await models.maxRoyaltyBps()).to.equal(5_000n);
    expect(await models.MAX_LINEAGE_DEPTH()).to.equal(8n);
  });

  it("rejects a zero registry or a royalty bound above 100 %", async function () {
    const { contributions, gov } = await networkHelpers.loadFixture(modelsFixture);
    const factory = await ethers.getContractFactory("ModelRegistry");
    await expect(factory.deploy(ethers.ZeroAddress, gov.address, 0)).to.be.revertedWithCustomError(
      factory,
      "ZeroAddress",
    );
    await expect(factory.deploy(await contributions.getAddress(), gov.address, 10_001))
      .to.be.revertedWithCustomError(factory, "InvalidMaxRoyalty")
      .withArgs(10_001n);
  });

  describe("registerModel", function () {
    it("registers a base model with its datanet versions", async function () {
      const { models, alice, versions } = await networkHelpers.loadFixture(modelsFixture);
      await expect(models.connect(alice).registerModel("ipfs://base", versions, 0, 0))
        .to.emit(models, "ModelRegistered")
        .withArgs(
          1n,
          alice.address,
          0n,
          0n,
          "ipfs://base",
          versions.map((v) => [v.datanetId, v.version]),
        );
      const model = await models.getModel(1n);
      expect([model.owner, model.parentId, model.royaltyBps, model.depth, model.active]).to.deep.equal([
        alice.address,
        0n,
        0n,
        0n,
        true,
      ]);
      const trained = await models.trainedOn(1n);
      expect(trained.map((v) => [v.datanetId, v.version])).to.deep.equal(
        versions.map((v) => [v.datanetId, v.version]),
      );
      expect(await models.modelCount()).to.equal(1n);
      expect(await models.lineage(1n)).to.deep.equal([]);
    });

    it("registers an adapter with a royalty to its parent and reads the lineage", async function () {
      const { models, alice, bob, carol, versions } = await networkHelpers.loadFixture(modelsFixture);
      await models.connect(alice).registerModel("ipfs://base", versions, 0, 0);
      await models.connect(bob).registerModel("ipfs://adapter", [], 1, 1_000);
      await models.connect(carol).registerModel("ipfs://adapter-of-adapter", versions.slice(0, 1), 2, 250);
      const model = await models.getModel(3n);
      expect([model.parentId, model.royaltyBps, model.depth]).to.deep.equal([2n, 250n, 2n]);
      expect(await models.lineage(3n)).to.deep.equal([2n, 1n]);
    });

    it("rejects unknown datanet versions", async function () {
      const { models, alice, free } = await networkHelpers.loadFixture(modelsFixture);
      await expect(models.connect(alice).registerModel("x", [{ datanetId: free, version: 2n }], 0, 0))
        .to.be.revertedWithCustomError(models, "UnknownDatanetVersion")
        .withArgs(free, 2n);
      await expect(models.connect(alice).registerModel("x", [{ datanetId: 77n, version: 1n }], 0, 0))
        .to.be.revertedWithCustomError(models, "UnknownDatanetVersion")
        .withArgs(77n, 1n);
      await expect(models.connect(alice).registerModel("x", [{ datanetId: free, version: 0n }], 0, 0))
        .to.be.revertedWithCustomError(models, "UnknownDatanetVersion")
        .withArgs(free, 0n);
      expect(await models.modelCount()).to.equal(0n);
    });

    it("rejects too many versions", async function () {
      const { models, alice, free } = await networkHelpers.loadFixture(modelsFixture);
      const many = Array.from({ length: 65 }, () => ({ datanetId: free, version: 1n }));
      await expect(models.connect(alice).registerModel("x", many, 0, 0))
        .to.be.revertedWithCustomError(models, "TooManyVersions")
        .withArgs(65n, 64n);
    });

    it("rejects a royalty without parent, above the bound, unknown or inactive parents", async function () {
      const { models, alice, bob, versions } = await networkHelpers.loadFixture(modelsFixture);
      await expect(models.connect(alice).registerModel("x", versions, 0, 1))
        .to.be.revertedWithCustomError(models, "RoyaltyWithoutParent")
        .withArgs(1n);
      await expect(models.connect(alice).registerModel("x", versions, 5, 0))
        .to.be.revertedWithCustomError(models, "UnknownModel")
        .withArgs(5n);
      await models.connect(alice).registerModel("base", versions, 0, 0);
      await expect(models.connect(bob).registerModel("x", [], 1, 5_001))
        .to.be.revertedWithCustomError(models, "RoyaltyTooHigh")
        .withArgs(5_001n, 5_000n);
      await models.connect(alice).setModelActive(1n, false);
      await expect(models.connect(bob).registerModel("x", [], 1, 0))
        .to.be.revertedWithCustomError(models, "InactiveModel")
        .withArgs(1n);
    });

    it("bounds the lineage depth", async function () {
      const { models, alice, versions } = await networkHelpers.loadFixture(modelsFixture);
      await models.connect(alice).registerModel("m1", versions, 0, 0);
      for (let parent = 1n; parent <= 8n; parent++) {
        await models.connect(alice).registerModel(`m${parent + 1n}`, [], parent, 10);
      }
      expect((await models.getModel(9n)).depth).to.equal(8n);
      expect(await models.lineage(9n)).to.deep.equal([8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n]);
      await expect(models.connect(alice).registerModel("too deep", [], 9n, 10))
        .to.be.revertedWithCustomError(models, "LineageTooDeep")
        .withArgs(9n, 8n);
    });
  });

  describe("model owner actions", function () {
    it("updates metadata and activity, owner only", async function () {
      const { models, alice, bob, versions } = await networkHelpers.loadFixture(modelsFixture);
      await models.connect(alice).registerModel("base", versions, 0, 0);
      await expect(models.connect(bob).setModelMetadata(1n, "ipfs://v2"))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, bob.address);
      await expect(models.connect(alice).setModelMetadata(1n, "ipfs://v2"))
        .to.emit(models, "ModelMetadataUpdated")
        .withArgs(1n, "ipfs://v2");
      await expect(models.connect(bob).setModelActive(1n, false))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, bob.address);
      await expect(models.connect(alice).setModelActive(1n, false))
        .to.emit(models, "ModelActiveSet")
        .withArgs(1n, false);
      expect((await models.getModel(1n)).active).to.equal(false);
      await models.connect(alice).setModelActive(1n, true);
      expect((await models.getModel(1n)).active).to.equal(true);
    });

    it("transfers ownership in two steps", async function () {
      const { models, alice, bob, carol, versions } = await networkHelpers.loadFixture(modelsFixture);
      await models.connect(alice).registerModel("base", versions, 0, 0);
      await expect(models.connect(bob).transferModelOwnership(1n, bob.address))
        .to.be.revertedWithCustomError(models, "NotModelOwner")
        .withArgs(1n, bob.address);
      await expect(models.connect(alice).transferModelOwnership(1n, bob.address))
        .to.emit(models, "ModelOwnershipTransferStarted")
        .withArgs(1n, alice.address, bob.address);
      expect(await models.pendingModelOwner(1n)).to.equal(bob.address);
      await expect(models.connect(carol).acceptModelOwnership(1n))
        .to.be.revertedWithCustomError(models, "NotPendingModelOwner")
        .withArgs(1n, carol.address);
      await expect(models.connect(bob).acceptModelOwnership(1n))
        .to.emit(models, "ModelOwnershipTransferred")
        .withArgs(1n, alice.address, bob.address);
      expect((await models.getModel(1n)).owner).to.equal(bob.address);
      expect(await models.pendingModelOwner(1n)).to.equal(ethers.ZeroAddress);
    });

    it("reverts with UnknownModel for unknown ids", async function () {
      const { models, alice } = await networkHelpers.loadFixture(modelsFixture);
      await expect(models.getModel(1n)).to.be.revertedWithCustomError(models, "UnknownModel").withArgs(1n);
      await expect(models.trainedOn(1n)).to.be.revertedWithCustomError(models, "UnknownModel");
      await expect(models.lineage(0n)).to.be.revertedWithCustomError(models, "UnknownModel");
      await expect(models.connect(alice).setModelActive(3n, false)).to.be.revertedWithCustomError(
        models,
        "UnknownModel",
      );
    });
  });

  describe("protocol settings", function () {
    it("lets only governance set the royalty bound, within 100 %", async function () {
      const { models, gov, alice } = await networkHelpers.loadFixture(modelsFixture);
      await expect(models.connect(alice).setMaxRoyaltyBps(100))
        .to.be.revertedWithCustomError(models, "OwnableUnauthorizedAccount")
        .withArgs(alice.address);
      await expect(models.connect(gov).setMaxRoyaltyBps(10_001))
        .to.be.revertedWithCustomError(models, "InvalidMaxRoyalty")
        .withArgs(10_001n);
      await expect(models.connect(gov).setMaxRoyaltyBps(100))
        .to.emit(models, "MaxRoyaltyUpdated")
        .withArgs(100n);
      expect(await models.maxRoyaltyBps()).to.equal(100n);
    });
  });
});
