import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { runHardhat, startAnvil } from "./helpers/processes.js";

const exec = promisify(execFile);
/** The CLI runs through tsx, as `npm run oa` does. */
const TSX = join("node_modules", "tsx", "dist", "cli.mjs");

describe("operator CLI (npm run oa) against anvil [external]", function () {
  this.timeout(180_000);

  it("runs the operator flow from datanet to claim, with clear errors", async function () {
    const anvil = await startAnvil();
    const dir = mkdtempSync(join(tmpdir(), "oa-cli-"));
    const rpc = async (method: string, params: unknown[]) => {
      const res = await fetch(anvil.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return ((await res.json()) as { result: unknown }).result;
    };
    try {
      await runHardhat(["run", "--no-compile", "scripts/deploy.ts", "--network", "localhost"], {
        LOCALHOST_RPC_URL: anvil.url,
        DEPLOYMENTS_DIR: dir,
      });
      const accounts = (await rpc("eth_accounts", [])) as string[];
      const cliArgs = (from: number | null, args: string[]) => [
        TSX,
        "scripts/cli.ts",
        ...args,
        ...["--network", "localhost", "--rpc", anvil.url, "--deployments", dir],
        ...(from === null ? [] : ["--from", accounts[from]]),
      ];
      const oa = async (from: number | null, ...args: string[]) =>
        (await exec(process.execPath, cliArgs(from, args))).stdout;
      const fail = async (args: string[]) =>
        exec(process.execPath, cliArgs(0, args)).then(
          () => expect.fail("expected the command to fail"),
          (error: { code: number; stderr: string }) => error,
        );

      expect(await oa(0, "create-datanet", "--uri", "ipfs://d", "--quorum", "1")).to.contain(
        "created datanet #1",
      );
      await oa(0, "add-reviewer", "--datanet", "1", "--reviewer", accounts[1]);
      const file = join(dir, "sample.txt");
      writeFileSync(file, "a contributed document");
      const contributed = await oa(
        2,
        "contribute",
        "--datanet",
        "1",
        "--file",
        file,
        "--uri",
        "ipfs://sample",
      );
      const id = /as (0x[0-9a-f]{64})/.exec(contributed)![1];
      await oa(1, "review", "--id", id, "--approve");
      expect(await oa(0, "snapshot", "--datanet", "1")).to.contain("version 1");
      expect(await oa(0, "register-model", "--uri", "ipfs://m", "--versions", "1:1")).to.contain("model #1");
      await oa(0, "pay", "--model", "1", "--amount", "100");

      const epochLength = 86_400;
      await rpc("evm_increaseTime", [epochLength + 1]);
      await rpc("evm_mine", []);
      const weights = join(dir, "weights.json");
      writeFileSync(weights, JSON.stringify([{ contributionId: id, contributor: accounts[2], weight: 10 }]));
      const reportFile = join(dir, "report.json");
      expect(
        await oa(
          null,
          "build-report",
          "--model",
          "1",
          "--epoch",
          "0",
          "--weights",
          weights,
          "--out",
          reportFile,
        ),
      ).to.contain("pool 76 OPEN"); // 100 − 5 % treasury − 20 % of the rest to the owner; no stake;
      await oa(10, "submit-report", "--report", reportFile, "--uri", "ipfs://report");
      await oa(11, "submit-report", "--report", reportFile, "--uri", "ipfs://report");
      await rpc("evm_increaseTime", [3_601]);
      await rpc("evm_mine", []);
      await oa(5, "finalize", "--model", "1");
      expect(await oa(5, "claim", "--report", reportFile, "--account", accounts[2])).to.contain(
        `paid 76 OPEN to ${accounts[2]}`,
      );
      const status = await oa(null, "status");
      expect(status).to.contain("1 datanets; 1 models");
      expect(status).to.contain("epoch 0");

      const missing = await fail(["create-datanet"]);
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.contain("--uri is required");
      const duplicate = await fail(["contribute", "--datanet", "1", "--file", file, "--uri", "ipfs://again"]);
      expect(duplicate.code).to.equal(1);
      expect(duplicate.stderr).to.contain("DuplicateContentError");
      const unknown = await fail(["frobnicate"]);
      expect(unknown.stderr).to.contain('unknown command "frobnicate"');
    } finally {
      anvil.stop();
    }
  });
});
