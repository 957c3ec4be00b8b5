import { expect } from "chai";
import { build } from "esbuild";

/**
 * The main entry must bundle for a browser: no Node built-in anywhere in what it imports.
 * (`openattribution/node` and `openattribution/attribution` are the Node-only entries.)
 */
describe("SDK in a browser bundle", function () {
  this.timeout(60_000);

  it("bundles the main entry and the actions with esbuild for the browser platform", async function () {
    const result = await build({
      entryPoints: ["sdk/index.ts", "sdk/actions/index.ts"],
      outdir: "bundle",
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    expect(result.errors).to.deep.equal([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.startsWith("node:"))).to.deep.equal([]);
    expect(inputs).to.include.members(["sdk/client.ts", "sdk/actions/contributions.ts"]);
    expect(result.outputFiles).to.have.length(2);
    expect(result.outputFiles[0].text).to.contain("createOpenAttributionClient");
    expect(result.outputFiles[1].text).to.contain("commitContributions");
  });

  it("refuses to bundle the Node entry for the browser (it reads files)", async function () {
    const failed = await build({
      entryPoints: ["sdk/node.ts"],
      bundle: true,
      platform: "browser",
      write: false,
      logLevel: "silent",
    }).catch((error: { errors: { text: string }[] }) => error);
    expect("errors" in failed && failed.errors.map((e) => e.text).join("\n")).to.contain(
      'Could not resolve "node:fs"',
    );
  });
});
