import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { expect } from "chai";

describe("SDK generated files", function () {
  this.timeout(60_000);

  it("sdk/abis.ts and sdk/errors.generated.ts match the compiled contracts", async function () {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      "scripts/generate-abis.ts",
      "--check",
    ]).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`the generated SDK files drifted from the contracts:\n${error.stderr}`);
    });
    expect(stderr).to.equal("");
    expect(stdout).to.equal("");
  });
});
