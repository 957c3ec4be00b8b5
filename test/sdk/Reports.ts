import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { getAddress, keccak256, toBytes, zeroHash, type Address } from "viem";

import {
  buildReport,
  CONTRACT_NAMES,
  CUMULATIVE_LEAF_TYPES,
  DeploymentNotFoundError,
  InvalidAddressError,
  InvalidDocumentError,
  InvalidInputError,
  ADDRESS_BOOK,
  deploymentFor,
  loadReport,
  parseDeployment,
} from "../../sdk/index.js";
import { loadDeployment } from "../../sdk/node.js";

const account = (n: number) => getAddress(`0x${(n + 1).toString(16).padStart(40, "a")}`) as Address;
const contribution = (n: number) => keccak256(toBytes(`contribution ${n}`));

describe("SDK report builder", function () {
  const weights = [
    { contributionId: contribution(1), contributor: account(1), weight: 1n },
    { contributionId: contribution(2), contributor: account(2), weight: 1n },
    { contributionId: contribution(3), contributor: account(3), weight: 1n },
    { contributionId: contribution(4), contributor: account(1), weight: 3n },
  ];

  it("splits the pool by summed weight and gives the leftover wei by largest remainder", function () {
    const report = buildReport({ modelId: 1n, epoch: 0n, weights, previous: new Map(), pool: 100n });
    // account1 weighs 4/6 → 66.67, account2 and account3 1/6 → 16.67 each: floors 66+16+16 = 98, 2 wei left.
    // Remainders: 400 % 6 = 4 (account1), 100 % 6 = 4 (account2, account3): ties go to the lower addresses.
    expect(report.allocated.get(account(1))).to.equal(67n);
    expect(report.allocated.get(account(2))).to.equal(17n);
    expect(report.allocated.get(account(3))).to.equal(16n);
    expect(report.totalCumulative).to.equal(100n);
    expect(report.totalWeight).to.equal(6n);
  });

  it("adds the epoch's allocation to previous cumulative amounts and keeps absent accounts", function () {
    const previous = new Map([
      [account(1), 10n],
      [account(9), 5n],
    ]);
    const report = buildReport({ modelId: 1n, epoch: 1n, weights, previous, pool: 6n });
    expect(report.cumulative.get(account(1))).to.equal(14n);
    expect(report.cumulative.get(account(9))).to.equal(5n);
    expect(report.totalCumulative).to.equal(21n);
  });

  it("is deterministic whatever the input order, and proofs verify against the root", function () {
    const a = buildReport({ modelId: 7n, epoch: 3n, weights, previous: {}, pool: 1_000n });
    const b = buildReport({
      modelId: 7n,
      epoch: 3n,
      weights: [...weights].reverse(),
      previous: {},
      pool: 1_000n,
    });
    expect([a.weightsRoot, a.cumulativeRoot, a.documentHash]).to.deep.equal([
      b.weightsRoot,
      b.cumulativeRoot,
      b.documentHash,
    ]);
    const { cumulativeAmount, proof } = a.proof(account(2));
    expect(
      StandardMerkleTree.verify(
        a.cumulativeRoot,
        CUMULATIVE_LEAF_TYPES,
        [7n, account(2), cumulativeAmount],
        proof,
      ),
    ).to.equal(true);
    expect(() => a.proof(account(42))).to.throw(InvalidInputError, "has no amount");
  });

  it("distributes nothing when there is no weight", function () {
    const report = buildReport({
      modelId: 1n,
      epoch: 0n,
      weights: [],
      previous: new Map([[account(1), 3n]]),
      pool: 50n,
    });
    expect(report.totalCumulative).to.equal(3n);
    expect(report.weightsRoot).to.equal(zeroHash);
    expect(() => buildReport({ modelId: 1n, epoch: 0n, weights: [], previous: {}, pool: 50n })).to.throw(
      InvalidInputError,
      "nothing to report",
    );
  });

  it("rejects duplicate contributions and bad fields", function () {
    expect(() =>
      buildReport({ modelId: 1n, epoch: 0n, weights: [weights[0], weights[0]], previous: {}, pool: 1n }),
    ).to.throw(InvalidInputError, "weights[1].contributionId");
    expect(() =>
      buildReport({
        modelId: 1n,
        epoch: 0n,
        weights: [{ ...weights[0], contributor: "0x0" as Address }],
        previous: {},
        pool: 1n,
      }),
    ).to.throw(InvalidAddressError, "weights[0].contributor");
  });

  it("reloads a report from its JSON document and detects tampering", function () {
    const report = buildReport({
      modelId: 1n,
      epoch: 2n,
      weights,
      previous: new Map([[account(1), 10n]]),
      pool: 99n,
    });
    const reloaded = loadReport(JSON.parse(JSON.stringify(report.document)));
    expect(reloaded.cumulativeRoot).to.equal(report.cumulativeRoot);
    expect(reloaded.documentHash).to.equal(report.documentHash);
    const tampered = JSON.parse(JSON.stringify(report.document));
    tampered.cumulative[0].allocated = "0";
    tampered.cumulative[0].amount = (BigInt(tampered.cumulative[0].amount) + 1n).toString();
    expect(() => loadReport(tampered)).to.throw(InvalidDocumentError, "cumulativeRoot");
  });
});

describe("SDK deployment loader", function () {
  const record = {
    network: "testnet",
    chainId: 999,
    deployer: account(0),
    gitCommit: "abc",
    deployedAt: "2026-01-01T00:00:00.000Z",
    startBlock: 1,
    epochs: { genesis: 1, length: 60 },
    contracts: Object.fromEntries(
      CONTRACT_NAMES.map((name, i) => [
        name,
        { address: account(i + 10).toLowerCase(), txHash: "0x00", block: i + 1, args: [] },
      ]),
    ),
  };

  it("loads by network name or chain id and checksums addresses", function () {
    const dir = mkdtempSync(join(tmpdir(), "oa-deployments-"));
    writeFileSync(join(dir, "testnet.json"), JSON.stringify(record));
    expect(loadDeployment("testnet", dir).contracts.OpenToken.address).to.equal(account(10));
    expect(loadDeployment(999, dir).network).to.equal("testnet");
    expect(() => loadDeployment("mainnet", dir)).to.throw(DeploymentNotFoundError, "testnet.json");
    expect(() => loadDeployment(1, join(dir, "missing"))).to.throw(
      DeploymentNotFoundError,
      "no deployments directory",
    );
  });

  it("finds a shipped deployment by chain id in the address book (here a fixture book)", function () {
    const book = { 161201: { ...record, network: "openledgerTestnet", chainId: 161201 } };
    const found = deploymentFor(161201, book);
    expect([found.network, found.contracts.OpenToken.address]).to.deep.equal([
      "openledgerTestnet",
      account(10),
    ]);
    expect(() => deploymentFor(1, book)).to.throw(DeploymentNotFoundError, "(chains: 161201)");
    expect(() => deploymentFor(1, { 1: { ...record, startBlock: "x" } })).to.throw(
      InvalidDocumentError,
      "address book, chain 1: startBlock",
    );
    // The shipped book holds exactly the committed records of real networks: none yet.
    expect(ADDRESS_BOOK).to.deep.equal({});
    expect(() => deploymentFor(11155111)).to.throw(DeploymentNotFoundError, "(chains: none yet)");
  });

  it("rejects malformed records naming the field", function () {
    expect(() => parseDeployment({ ...record, chainId: "x" })).to.throw(InvalidDocumentError, "chainId");
    const broken = { ...record, contracts: { ...record.contracts, ModelRegistry: { address: "0x1" } } };
    expect(() => parseDeployment(broken)).to.throw(InvalidDocumentError, "contracts.ModelRegistry.address");
    expect(() => parseDeployment(null)).to.throw(InvalidDocumentError, "must be an object");
  });
});
