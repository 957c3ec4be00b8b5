import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { runHardhat, startAnvil } from "../helpers/processes.js";

const exec = promisify(execFile);

/** A consumer's script: only `openattribution` and `viem` are installed. */
const CONSUMER = `
import { createPublicClient, createWalletClient, http, keccak256, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createOpenAttributionClient, DatanetKind, DuplicateContentError } from "openattribution";
import { loadDeployment } from "openattribution/node";
import { contributionRegistryAbi } from "openattribution/abis";
import { attributeOutputs, CorpusIndex, DEFAULT_SPAN_PARAMS, tokenize } from "openattribution/attribution";

const deployment = loadDeployment("localhost", process.env.DEPLOYMENTS_DIR);
const transport = http(process.env.RPC_URL);
const account = privateKeyToAccount("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const oa = createOpenAttributionClient({
  publicClient: createPublicClient({ transport }),
  walletClient: createWalletClient({ account, transport }),
  deployment,
});
const settings = { kind: DatanetKind.Dataset, open: true, optimistic: false, reviewQuorum: 1, reviewWindow: 0, dailyLimit: 0, bond: 0n };
const { result: datanetId } = await oa.createDatanet({ metadataURI: "ipfs://consumer", settings });
const contentHash = keccak256(toBytes("hello from a consumer"));
const { result: id } = await oa.contribute({ datanetId, contentHash, uri: "ipfs://hello" });
let decoded = "";
try {
  await oa.contribute({ datanetId, contentHash, uri: "ipfs://hello" });
} catch (error) {
  if (error instanceof DuplicateContentError) decoded = error.name + ":" + error.args.datanetId;
}
const abiEntries: number = contributionRegistryAbi.length;
const corpus = CorpusIndex.build([{ contributionId: id, contentHash, tokens: tokenize("hello from a consumer of the attribution engine") }]);
const attributed = attributeOutputs(
  [{ id: "o", text: "they said hello from a consumer of the attribution engine" }],
  [corpus],
  { ...DEFAULT_SPAN_PARAMS, feeWeighted: false, evidencePerContribution: 1 },
);
const weighted = [...attributed.weights.keys()];
console.log(JSON.stringify({ datanetId: datanetId.toString(), id, status: (await oa.getContribution(id)).status, decoded, abiEntries, weighted }));
`;

describe("SDK as an npm package [external]", function () {
  this.timeout(300_000);

  it("packs, installs into a fresh project with only viem, type-checks and runs against a local node", async function () {
    const root = resolve(".");
    const work = mkdtempSync(join(tmpdir(), "oa-consumer-"));
    const { stdout } = await exec("npm", ["pack", "--silent", "--pack-destination", work], {
      cwd: root,
      maxBuffer: 32 * 1024 * 1024,
    });
    const tarball = join(work, stdout.trim().split("\n").pop()!);
    const viemVersion = (
      JSON.parse(readFileSync("node_modules/viem/package.json", "utf8")) as { version: string }
    ).version;

    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    await exec(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, `viem@${viemVersion}`],
      { cwd: app },
    );
    writeFileSync(join(app, "consumer.ts"), CONSUMER);
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "node20",
          target: "es2023",
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [join(root, "node_modules/@types")],
        },
        files: ["consumer.ts"],
      }),
    );
    await exec(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", app], { cwd: app });

    const anvil = await startAnvil();
    try {
      const deployments = join(work, "deployments");
      await runHardhat(["run", "--no-compile", "scripts/deploy.ts", "--network", "localhost"], {
        LOCALHOST_RPC_URL: anvil.url,
        DEPLOYMENTS_DIR: deployments,
      });
      const run = await exec(process.execPath, ["consumer.ts"], {
        cwd: app,
        env: { ...process.env, RPC_URL: anvil.url, DEPLOYMENTS_DIR: deployments },
      });
      const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
        datanetId: string;
        status: number;
        decoded: string;
        abiEntries: number;
        weighted: string[];
        id: string;
      };
      expect(out.datanetId).to.equal("1");
      expect(out.status).to.equal(1);
      expect(out.decoded).to.equal("DuplicateContentError:1");
      expect(out.abiEntries).to.be.greaterThan(50);
      expect(out.weighted).to.deep.equal([out.id]); // the engine, from openattribution/attribution
    } finally {
      anvil.stop();
    }
  });
});
