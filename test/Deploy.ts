import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { parseDeployment } from "../sdk/deployments.js";
import {
  deploySystem,
  DeploymentMismatchError,
  InvalidRoleError,
  verifyDeployment,
} from "../scripts/lib/deploy.js";
import { InvalidDeployParamsError, loadDeployParams, validateDeployParams } from "../scripts/lib/params.js";
import { verifyOnExplorer, type VerifyRequest } from "../scripts/lib/verify.js";
import { expectRejection } from "./helpers/assertions.js";
import { runHardhat, runHardhatFailing, startAnvil } from "./helpers/processes.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

const defaults = () =>
  JSON.parse(readFileSync("deployments/params/default.json", "utf8")) as Record<string, never>;

/** The sepolia template with its placeholders filled in by distinct addresses. */
function filledTemplate() {
  const text = readFileSync("deployments/params/sepolia.json", "utf8");
  let n = 0;
  const filled = text.replace(/0x0{40}/g, () => ethers.zeroPadValue(ethers.toBeHex(0xa0 + ++n), 20));
  return JSON.parse(filled);
}

describe("deploy", function () {
  describe("parameters", function () {
    it("loads and validates the committed defaults and per-network files", function () {
      const params = loadDeployParams("default");
      expect(params.rewards.attesters).to.deep.equal(["account:10", "account:11", "account:12"]);
      expect(params.token.totalSupply).to.equal(ethers.parseEther("1000000000"));
      const sepolia = JSON.parse(readFileSync("deployments/params/sepolia.json", "utf8"));
      expect(sepolia.governance.votingPeriod).to.equal(14 * 86_400);
      expect(() => loadDeployParams("sepolia")).to.throw(InvalidDeployParamsError, "rewards.attesters[0]");
    });

    it("refuses unknown keys, naming the file, the key and the closest known key", function () {
      const dir = mkdtempSync(join(tmpdir(), "params-"));
      const sepolia = JSON.parse(readFileSync("deployments/params/sepolia.json", "utf8"));
      const cases: [string, (p: Record<string, Record<string, unknown>>) => void, string][] = [
        [
          "governance.timelockdelay",
          (p) => {
            p.governance.timelockdelay = p.governance.timelockDelay;
            delete p.governance.timelockDelay;
          },
          "governance.timelockDelay",
        ],
        ["rewards.treshold", (p) => (p.rewards.treshold = 2), "rewards.threshold"],
        [
          "rewards.splits.stakerBps",
          (p) => (p.rewards.splits = { stakerBps: 1 }),
          "rewards.splits.stakersBps",
        ],
        ["tokens", (p) => (p.tokens = p.token), "token"],
      ];
      for (const [key, mutate, closest] of cases) {
        const raw = structuredClone(sepolia);
        mutate(raw);
        writeFileSync(join(dir, "sepolia.json"), JSON.stringify(raw));
        expect(() => loadDeployParams("sepolia", dir), key).to.throw(
          InvalidDeployParamsError,
          `${join(dir, "sepolia.json")}: ${key} is not a known setting (did you mean "${closest}"?)`,
        );
      }
    });

    it("gives a real network nothing from the development defaults", function () {
      const dir = mkdtempSync(join(tmpdir(), "params-"));
      writeFileSync(join(dir, "default.json"), readFileSync("deployments/params/default.json"));
      const sepolia = filledTemplate();
      writeFileSync(join(dir, "sepolia.json"), JSON.stringify(sepolia));
      expect(loadDeployParams("sepolia", dir).governance.timelockDelay).to.equal(86_400); // complete: valid
      delete sepolia.governance.timelockDelay;
      writeFileSync(join(dir, "sepolia.json"), JSON.stringify(sepolia));
      expect(() => loadDeployParams("sepolia", dir)).to.throw(
        InvalidDeployParamsError,
        "governance.timelockDelay is missing: every field must be set",
      );
      expect(() => loadDeployParams("mainnet", dir)).to.throw(
        InvalidDeployParamsError,
        "mainnet.json: (file) is missing: real networks need their own parameters file",
      );
      // A development network still takes default.json as its base.
      writeFileSync(join(dir, "localhost.json"), JSON.stringify({ governance: { timelockDelay: 5 } }));
      expect(loadDeployParams("localhost", dir).governance.timelockDelay).to.equal(5);
      expect(loadDeployParams("localhost", dir).governance.votingPeriod).to.equal(300);
    });

    it("takes a production template whose allocations let governance start", function () {
      const dir = mkdtempSync(join(tmpdir(), "params-"));
      writeFileSync(join(dir, "sepolia.json"), JSON.stringify(filledTemplate()));
      const params = loadDeployParams("sepolia", dir);
      const total = params.token.allocations.reduce((sum, a) => sum + a.amount, 0n);
      expect(total).to.equal(params.token.totalSupply);
      expect(params.token.allocations[0]).to.deep.include({ to: "timelock" });
    });

    it("refuses allocations that do not sum to the supply or that freeze governance", function () {
      const wrongSum = filledTemplate();
      wrongSum.token.allocations[1].amount = "199999999";
      expect(() => validateDeployParams(wrongSum, "t.json")).to.throw(
        InvalidDeployParamsError,
        "t.json: token.allocations sum to 999999999.0 OPEN but token.totalSupply is 1000000000.0 OPEN",
      );
      // The old production settings: the whole supply to the timelock, which cannot vote.
      const frozen = filledTemplate();
      frozen.token.allocations = [{ to: "timelock", amount: "1000000000", label: "everything" }];
      expect(() => validateDeployParams(frozen, "t.json")).to.throw(
        InvalidDeployParamsError,
        "t.json: token.allocations give 0.0 OPEN to holders other than the timelock and vesting wallets, but governance needs 250000000.0 OPEN of votes",
      );
      // OPEN in vesting wallets does not vote either.
      const allVesting = filledTemplate();
      for (const a of allVesting.token.allocations.slice(1)) a.vesting = { start: 0, duration: 1 };
      expect(() => validateDeployParams(allVesting, "t.json")).to.throw(
        InvalidDeployParamsError,
        "t.json: token.allocations give 0.0 OPEN to holders other than the timelock and vesting wallets",
      );
      const vestToTimelock = filledTemplate();
      vestToTimelock.token.allocations[0].vesting = { start: 0, duration: 1 };
      expect(() => validateDeployParams(vestToTimelock, "t.json")).to.throw(
        InvalidDeployParamsError,
        "t.json: token.allocations[0].vesting cannot vest to the timelock",
      );
      const justBelow = filledTemplate();
      justBelow.token.allocations = [
        { to: "timelock", amount: "750000001", label: "treasury" },
        { to: justBelow.rewards.guardian, amount: "249999999", label: "voters" },
      ];
      expect(() => validateDeployParams(justBelow, "t.json")).to.throw(
        InvalidDeployParamsError,
        "no proposal",
      );
      justBelow.token.allocations[0].amount = "750000000";
      justBelow.token.allocations[1].amount = "250000000";
      expect(validateDeployParams(justBelow, "t.json").token.allocations).to.have.length(2);
    });

    it("names the offending field of a bad file", function () {
      const cases: [string, (p: Record<string, Record<string, unknown>>) => void][] = [
        ["rewards.threshold", (p) => (p.rewards.threshold = 4)],
        ["rewards.splits", (p) => (p.rewards.splits = { treasuryBps: 0, ownerBps: 5000, stakersBps: 4000 })],
        [
          "rewards.splits.treasuryBps",
          (p) => (p.rewards.splits = { treasuryBps: 2001, ownerBps: 0, stakersBps: 0 }),
        ],
        ["token.totalSupply", (p) => (p.token.totalSupply = 5)],
        [
          "token.allocations[0].amount",
          (p) => ((p.token.allocations as { amount: string }[])[0].amount = "-1"),
        ],
        ["token.allocations[0].label", (p) => delete (p.token.allocations as { label?: string }[])[0].label],
        ["rewards.guardian", (p) => (p.rewards.guardian = "0x1234")],
        ["rewards.attesters", (p) => (p.rewards.attesters = ["account:1", "account:1"])],
        ["governance.quorumPercent", (p) => (p.governance.quorumPercent = 0)],
        ["rewards.epochLength", (p) => (p.rewards.epochLength = 0)],
      ];
      for (const [field, mutate] of cases) {
        const raw = defaults();
        mutate(raw);
        expect(() => validateDeployParams(raw, "test.json"), field).to.throw(
          InvalidDeployParamsError,
          `test.json: ${field}`,
        );
      }
    });
  });

  describe("in-process network", function () {
    it("deploys everything, wires roles to the timelock and records it", async function () {
      const params = loadDeployParams("default");
      const { contracts, deployment } = await deploySystem(connection, params);
      const timelock = await contracts.timelock.getAddress();
      const [deployer, , , , , , , , , , a10, a11, a12, a13] = await ethers.getSigners();
      expect(await contracts.contributions.owner()).to.equal(timelock);
      expect(await contracts.models.owner()).to.equal(timelock);
      expect(await contracts.distributor.owner()).to.equal(timelock);
      expect(await contracts.attribution.owner()).to.equal(timelock);
      expect(
        await contracts.timelock.hasRole(await contracts.timelock.DEFAULT_ADMIN_ROLE(), deployer.address),
      ).to.equal(false);
      expect(await contracts.attribution.isAttester(a10.address)).to.equal(true);
      expect(await contracts.attribution.isAttester(a11.address)).to.equal(true);
      expect(await contracts.attribution.isAttester(a12.address)).to.equal(true);
      expect(await contracts.distributor.guardian()).to.equal(a13.address);
      expect(await contracts.distributor.treasury()).to.equal(timelock);

      const parsed = parseDeployment(JSON.parse(JSON.stringify(deployment)));
      expect(parsed.chainId).to.equal(31337);
      expect(parsed.contracts.RewardDistributor.address).to.equal(await contracts.distributor.getAddress());
      expect(parsed.contracts.OpenToken.args).to.deep.equal([
        "OpenLedger",
        "OPEN",
        params.token.totalSupply.toString(),
        deployer.address,
      ]);
      expect(parsed.epochs.length).to.equal(params.rewards.epochLength);
      expect(await verifyDeployment(connection, parsed)).to.have.length(7);
    });

    it("refuses a record whose code does not match", async function () {
      const { deployment } = await deploySystem(connection, loadDeployParams("default"));
      const swapped = {
        ...deployment,
        contracts: { ...deployment.contracts, OpenToken: deployment.contracts.ModelRegistry },
      };
      await expectRejection(verifyDeployment(connection, swapped), DeploymentMismatchError, "OpenToken");
    });

    it("refuses named accounts that do not exist before sending anything", async function () {
      const params = loadDeployParams("default");
      params.rewards.guardian = "account:99";
      const [deployer] = await ethers.getSigners();
      const nonce = await ethers.provider.getTransactionCount(deployer.address);
      await expectRejection(deploySystem(connection, params), InvalidRoleError, "rewards.guardian");
      expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonce);
    });

    it("holds vesting allocations in vesting wallets that release to their beneficiaries", async function () {
      const params = loadDeployParams("default");
      const supply = params.token.totalSupply;
      const start = (await ethers.provider.getBlock("latest"))!.timestamp + 1_000;
      params.token.allocations = [
        { to: "timelock", amount: (supply * 40n) / 100n, label: "treasury" },
        { to: "account:5", amount: (supply * 35n) / 100n, label: "multisig" },
        {
          to: "account:6",
          amount: (supply * 25n) / 100n,
          label: "team",
          vesting: { start, duration: 100_000 },
        },
      ];
      const { contracts, deployment } = await deploySystem(connection, params);
      const signers = await ethers.getSigners();
      const [, , team] = deployment.allocations!;
      expect(team).to.deep.include({
        label: "team",
        beneficiary: signers[6].address,
        start,
        duration: 100_000,
      });
      expect(await contracts.token.balanceOf(team.holder)).to.equal((supply * 25n) / 100n);
      const wallet = await ethers.getContractAt("OpenVestingWallet", team.holder);
      expect(await wallet.owner()).to.equal(signers[6].address);
      await networkHelpers.time.increaseTo(start + 50_000);
      await wallet["release(address)"](await contracts.token.getAddress());
      expect(await contracts.token.balanceOf(signers[6].address)).to.be.closeTo(
        (supply * 25n) / 200n,
        (supply * 25n) / 100n / 10_000n,
      );
    });

    it("hands out the initial supply as the allocations say", async function () {
      const params = loadDeployParams("default");
      const supply = params.token.totalSupply;
      params.token.allocations = [
        { to: "timelock", amount: (supply * 40n) / 100n, label: "treasury" },
        { to: "account:5", amount: (supply * 35n) / 100n, label: "multisig" },
        { to: "deployer", amount: (supply * 25n) / 100n, label: "local hand-outs" },
      ];
      const { contracts } = await deploySystem(connection, params);
      const signers = await ethers.getSigners();
      expect(await contracts.token.balanceOf(await contracts.timelock.getAddress())).to.equal(
        (supply * 40n) / 100n,
      );
      expect(await contracts.token.balanceOf(signers[5].address)).to.equal((supply * 35n) / 100n);
      expect(await contracts.token.balanceOf(signers[0].address)).to.equal((supply * 25n) / 100n);
    });
  });

  describe("explorer verification", function () {
    it("records each contract's result, and a failure does not stop the others", async function () {
      const { deployment } = await deploySystem(connection, loadDeployParams("default"));
      const requests: VerifyRequest[] = [];
      const verified = await verifyOnExplorer(deployment, "etherscan", async (request) => {
        requests.push(request);
        if (request.contract.endsWith(":ModelRegistry")) throw new Error("Bytecode mismatch\nmore detail");
        return true;
      });
      expect(requests).to.have.length(7);
      expect(requests[0]).to.deep.equal({
        address: deployment.contracts.OpenToken.address,
        constructorArgs: deployment.contracts.OpenToken.args,
        contract: "contracts/OpenToken.sol:OpenToken",
      });
      expect(verified.verification!.OpenToken).to.deep.include({ explorer: "etherscan", status: "verified" });
      expect(verified.verification!.ModelRegistry).to.deep.include({
        status: "failed",
        message: "Bytecode mismatch",
      });
      expect(verified.verification!.AttributionRegistry!.status).to.equal("verified");
      expect(parseDeployment(JSON.parse(JSON.stringify(verified))).verification).to.deep.equal(
        verified.verification,
      );
    });

    it("refuses development networks with one line", async function () {
      const out = await runHardhatFailing(["run", "--no-compile", "scripts/verify.ts"]);
      expect(out).to.match(
        /^error: "default" is a development network; explorers verify public networks only$/m,
      );
    });
  });

  describe("against a separately started anvil node [external]", function () {
    this.timeout(120_000);

    it("dry-runs a real-network deploy: plan, roles, gas and cost, balance checked, nothing sent", async function () {
      const anvil = await startAnvil();
      const paramsDir = mkdtempSync(join(tmpdir(), "oa-params-"));
      writeFileSync(join(paramsDir, "custom.json"), JSON.stringify(filledTemplate()));
      const anvilKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
      const env = { RPC_URL: anvil.url, CHAIN_ID: "31337", DEPLOY_PARAMS_DIR: paramsDir, DRY_RUN: "1" };
      const args = ["run", "--no-compile", "scripts/deploy.ts", "--network", "custom"];
      try {
        const out = await runHardhat(args, { ...env, DEPLOYER_PRIVATE_KEY: anvilKey });
        expect(out).to.contain('Dry run on "custom" (chain id 31337): nothing is sent.');
        expect(out).to.contain("token.allocations[1].to");
        expect(out).to.match(/Estimated gas: \d{7,} at [\d.]+ gwei/);
        expect(out).to.match(/Estimated cost: [\d.]+ in the network's currency/);
        const nonce = await fetch(anvil.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "eth_getTransactionCount",
            params: ["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "latest"],
          }),
        }).then((r) => r.json() as Promise<{ result: string }>);
        expect(BigInt(nonce.result)).to.equal(0n);

        // A key with no funds: one line that says what to do, no stack trace.
        const broke = ethers.Wallet.createRandom().privateKey;
        const failed = await runHardhatFailing(args, { ...env, DEPLOYER_PRIVATE_KEY: broke });
        expect(failed).to.match(/^error: the deployer 0x[0-9a-fA-F]{40} holds 0\.0 .* fund it first$/m);
        expect(failed).to.not.contain("    at ");

        // The real deploy checks the same before its first transaction.
        const records = mkdtempSync(join(tmpdir(), "oa-deployments-"));
        const real = await runHardhatFailing(args, {
          ...env,
          DRY_RUN: "0",
          DEPLOYMENTS_DIR: records,
          DEPLOYER_PRIVATE_KEY: broke,
        });
        expect(real).to.match(/^error: the deployer .* fund it first$/m);
        expect(real).to.not.contain("deploying governance");

        // A malformed key: one line naming where it comes from.
        const malformed = await runHardhatFailing(args, { ...env, DEPLOYER_PRIVATE_KEY: "0x1234" });
        expect(malformed).to.match(/^error: the deployer key of network "custom" .* is not a private key/m);
        expect(malformed).to.not.contain("    at ");
      } finally {
        anvil.stop();
      }
    });

    it("continues a deployment that ran out of funds midway, without redeploying what exists", async function () {
      const anvil = await startAnvil();
      const dir = mkdtempSync(join(tmpdir(), "oa-deployments-"));
      const env = { LOCALHOST_RPC_URL: anvil.url, DEPLOYMENTS_DIR: dir };
      const args = ["run", "--no-compile", "scripts/deploy.ts", "--network", "localhost"];
      const rpc = (method: string, params: unknown[]) =>
        fetch(anvil.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        }).then((r) => r.json() as Promise<{ result: string }>);
      const deployer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
      const sent = async () => BigInt((await rpc("eth_getTransactionCount", [deployer, "latest"])).result);
      try {
        // Enough for the first few transactions only.
        await rpc("anvil_setBalance", [deployer, ethers.toBeHex(ethers.parseEther("0.01"))]);
        const stopped = await runHardhatFailing(args, env);
        expect(stopped).to.match(
          /^error: the deployment stopped midway .* run the same command again to continue$/m,
        );
        expect(stopped).to.not.contain("    at ");
        const journalPath = join(dir, "localhost.journal.json");
        const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Record<string, { address?: string }>;
        const done = Object.keys(journal);
        expect(done).to.include("OpenTimelock");
        expect(done).to.not.include("AttributionRegistry");
        expect(await sent()).to.equal(BigInt(done.length)); // each mined step is in the journal

        await rpc("anvil_setBalance", [deployer, ethers.toBeHex(ethers.parseEther("10000"))]);
        const resumed = await runHardhat(args, env);
        expect(resumed).to.contain("resuming the deployment recorded in the journal");
        expect(resumed).to.contain("Wrote");
        const record = parseDeployment(JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")));
        for (const [step, entry] of Object.entries(journal)) {
          if (entry.address) {
            expect(record.contracts[step as keyof typeof record.contracts].address).to.equal(entry.address);
          }
        }
        // Nothing was sent twice: a whole deployment is 7 contracts and 4 timelock role changes.
        expect(await sent()).to.equal(11n);
        expect(existsSync(journalPath)).to.equal(false);
        expect(await runHardhat(args, env)).to.contain("Nothing to do.");
      } finally {
        anvil.stop();
      }
    });

    it("runs the demo twice on one node: the second run reuses the recorded system", async function () {
      const anvil = await startAnvil();
      const dir = mkdtempSync(join(tmpdir(), "oa-deployments-"));
      const env = { LOCALHOST_RPC_URL: anvil.url, DEPLOYMENTS_DIR: dir };
      const args = ["run", "--no-compile", "scripts/demo.ts", "--network", "localhost"];
      try {
        const first = await runHardhat(args, env);
        expect(first).to.contain("conservation holds");
        const record = parseDeployment(JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")));
        const second = await runHardhat(args, env);
        expect(second).to.contain(`reusing the system recorded in ${join(dir, "localhost.json")}`);
        expect(second).to.contain(record.contracts.OpenToken.address);
        expect(second).to.contain("conservation holds");
      } finally {
        anvil.stop();
      }
    });

    it("deploys over JSON-RPC, verifies on re-run and redeploys only when asked", async function () {
      const anvil = await startAnvil();
      const dir = mkdtempSync(join(tmpdir(), "oa-deployments-"));
      const env = { LOCALHOST_RPC_URL: anvil.url, DEPLOYMENTS_DIR: dir };
      try {
        const args = ["run", "--no-compile", "scripts/deploy.ts", "--network", "localhost"];
        const first = await runHardhat(args, env);
        expect(first).to.contain("Wrote");
        const record = parseDeployment(JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")));
        expect(record.network).to.equal("localhost");

        const second = await runHardhat(args, env);
        expect(second).to.contain("Nothing to do.");
        expect(second.match(/verified/g)).to.have.length(7);

        const third = await runHardhat(args, { ...env, REDEPLOY: "1" });
        expect(third).to.contain("Wrote");
        const replaced = parseDeployment(JSON.parse(readFileSync(join(dir, "localhost.json"), "utf8")));
        expect(replaced.contracts.OpenToken.address).to.not.equal(record.contracts.OpenToken.address);
      } finally {
        anvil.stop();
      }
    });
  });
});
