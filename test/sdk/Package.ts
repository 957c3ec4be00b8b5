import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";

import { runHardhat, startAnvil } from "../helpers/processes.js";

const exec = promisify(execFile);
/** Private key of anvil's first default account (public test key). */
const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** The README's first TypeScript example, as a newcomer copies it. */
function readmeExample(): string {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("## Use it from TypeScript (viem)"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no TypeScript example under 'Use it from TypeScript (viem)'");
  return match[1];
}

/** A consumer's script: only `openattribution` and `viem` are installed. */
const CONSUMER = `
import { createPublicClient, createWalletClient, http, keccak256, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createOpenAttributionClient, DuplicateContentError } from "openattribution";
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
const settings = { kind: "dataset", open: true, optimistic: false, reviewQuorum: 1, reviewWindow: 0, dailyLimit: 0, bond: 0n } as const;
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

  it("packs, installs into a fresh project with only viem, type-checks and runs against the local demo node, README example included", async function () {
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
    writeFileSync(join(app, "readme.ts"), readmeExample());
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
        files: ["consumer.ts", "readme.ts"],
      }),
    );
    await exec(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", app], { cwd: app });

    const anvil = await startAnvil();
    try {
      const deployments = join(app, "deployments"); // where the README's loadDeployment("localhost") looks
      await runHardhat(["run", "--no-compile", "scripts/demo.ts", "--network", "localhost"], {
        LOCALHOST_RPC_URL: anvil.url,
        DEPLOYMENTS_DIR: deployments,
      });
      const run = await exec(process.execPath, ["consumer.ts"], {
        cwd: app,
        env: { ...process.env, RPC_URL: anvil.url, DEPLOYMENTS_DIR: deployments },
      });
      const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
        datanetId: string;
        status: string;
        decoded: string;
        abiEntries: number;
        weighted: string[];
        id: string;
      };
      expect(out.status).to.equal("pending");
      expect(out.decoded).to.equal(`DuplicateContentError:${out.datanetId}`);
      expect(out.abiEntries).to.be.greaterThan(50);
      expect(out.weighted).to.deep.equal([out.id]); // the engine, from openattribution/attribution

      // The README's example as it is, with anvil's first key (the demo's deployer holds OPEN).
      const example = await exec(process.execPath, ["readme.ts"], {
        cwd: app,
        env: { ...process.env, RPC_URL: anvil.url, KEY: ANVIL_KEY_0 },
      });
      expect(example.stdout).to.match(
        /^contribution 0x[0-9a-f]{64} to datanet \d+: pending, 1 OPEN bonded$/m,
      );
      // A key without OPEN is told so in one line, before any contribution.
      const poor = await exec(process.execPath, ["readme.ts"], {
        cwd: app,
        env: { ...process.env, RPC_URL: anvil.url, KEY: `0x${"11".repeat(32)}` },
      }).then(
        () => "",
        (error: { stderr: string }) => error.stderr,
      );
      expect(poor).to.match(/holds 0 OPEN; the bond is 1 OPEN/);
    } finally {
      anvil.stop();
    }
  });
});
