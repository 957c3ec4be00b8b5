import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";
import { keccak256, parseEther, type Hex } from "viem";

import { buildReport, type ReportDocument } from "../sdk/index.js";
import { TaskHarness } from "./helpers/tasks.js";

/** The demo corpus, plus two more contributors whose content must never be weighed here. */
const CONTENT: Record<string, string> = {
  alice: readFileSync(join("demo", "corpus", "alice.txt"), "utf8"),
  bob: readFileSync(join("demo", "corpus", "bob.txt"), "utf8"),
  carol: readFileSync(join("demo", "corpus", "carol.txt"), "utf8"),
  dave: "Rejected content: the quarterly sales figures of a bakery chain in the northern provinces.\n",
  eve: "Withdrawn content: the migration routes of arctic terns between the two polar regions.\n",
  frank: "Pending content: the tuning of church organs in small villages of the alpine valleys.\n",
};
const ACCOUNT = { alice: 2, bob: 3, carol: 4, dave: 5, eve: 6, frank: 7 } as const;

/** Outputs quoting every contributor, accepted or not. */
const OUTPUTS = [
  {
    id: "o1",
    output:
      "A rising troponin level over two measurements taken three hours apart points to injury of the heart muscle.",
    fee: "3",
  },
  {
    id: "o2",
    output: "The gallbladder contains several mobile echogenic stones with posterior acoustic shadowing.",
    fee: "1",
  },
  {
    id: "o3",
    output:
      "Give fifteen milligrams per kilogram every six hours, with no more than four doses in twenty four hours.",
    fee: "1",
  },
  { id: "o4", output: "the quarterly sales figures of a bakery chain in the northern provinces", fee: "1" },
  { id: "o5", output: "the migration routes of arctic terns between the two polar regions", fee: "1" },
  { id: "o6", output: "the tuning of church organs in small villages of the alpine valleys", fee: "1" },
];

describe("attribution run / verify against anvil [external]", function () {
  this.timeout(300_000);

  let h: TaskHarness;
  const ids: Record<string, Hex> = {};
  let contentDir: string;
  let outputs: string;
  let epoch: string;

  before(async function () {
    h = await TaskHarness.start();
    // Content folder: files named by their content hash.
    contentDir = join(h.dir, "content");
    mkdirSync(contentDir);
    for (const [name, text] of Object.entries(CONTENT))
      h.file(join("content", `${keccak256(Buffer.from(text))}.txt`), text);
    outputs = h.file("outputs.jsonl", OUTPUTS.map((o) => JSON.stringify(o)).join("\n") + "\n");

    await h.ok("datanet:create", ["--uri", "ipfs://medical", "--quorum", "1"]);
    await h.ok("datanet:reviewer", ["--datanet", "1", "--reviewer", h.accounts[1]]);
    for (const [name, from] of Object.entries(ACCOUNT)) {
      const contributed = await h.json<{ contributions: { contributionId: Hex }[] }>(
        "contribute",
        [
          "--datanet",
          "1",
          "--file",
          join(contentDir, `${keccak256(Buffer.from(CONTENT[name]))}.txt`),
          "--uri",
          `ipfs://${name}`,
        ],
        from,
      );
      ids[name] = contributed.contributions[0].contributionId;
    }
    for (const name of ["alice", "bob", "carol", "eve"])
      await h.ok("review", ["--id", ids[name], "--approve"], 1);
    await h.ok("review", ["--id", ids.dave, "--reject"], 1); // frank stays pending
    await h.ok("datanet:snapshot", ["--datanet", "1"]);
    for (const uri of ["ipfs://model", "ipfs://tampered"])
      await h.ok("model:register", ["--uri", uri, "--versions", "1:1"]);
    for (const model of ["1", "2"]) await h.ok("pay", ["--model", model, "--amount", "1000"]);
    await h.bondAttesters([10, 11]);
    await h.ok("contribution:withdraw", ["--id", ids.eve], ACCOUNT.eve);
    // Report the next epoch: eve withdrew before it began.
    const status = await h.json<{ epoch: string }>("status", []);
    epoch = String(BigInt(status.epoch) + 1n);
    await h.ok("time", ["--advance", "2d"]);
  });

  after(function () {
    h?.stop();
  });

  const runArgs = (model: string, out: string, extra: string[] = [], content = contentDir) => [
    ...["--model", model, "--epoch", epoch, "--content", content, "--outputs", outputs],
    ...["--index-dir", join(h.dir, "index"), "--out", h.file(out), ...extra],
  ];

  const verifyArgs = (model: string, report: string) => [
    ...["--model", model, "--epoch", epoch, "--content", contentDir, "--outputs", outputs],
    ...["--index-dir", join(h.dir, "index"), "--report", report],
  ];

  it("weighs only the contributions eligible on chain, reusing the index across runs, byte for byte", async function () {
    const first = await h.json<{ file: string; shards: { documents: number; built: boolean }[] }>(
      "attribution run",
      runArgs("1", "report-a.json"),
    );
    expect(first.shards).to.have.length(1);
    expect(first.shards[0]).to.include({ documents: 3, built: true }); // alice, bob, carol: not eve, dave or frank
    const report = JSON.parse(readFileSync(first.file, "utf8"));
    const weighted = report.weights.map((w: { contributionId: Hex }) => w.contributionId);
    expect(weighted.sort()).to.deep.equal([ids.alice, ids.bob, ids.carol].sort());
    expect(report.attribution.engine.tokenizer).to.equal("gpt-tokenizer@4.0.0 o200k_base");
    expect(report.attribution.evidence[0].spans[0].text).to.contain("troponin level over two measurements");

    const second = await h.json<{ file: string; shards: { built: boolean }[] }>(
      "attribution run",
      runArgs("1", "report-b.json"),
    );
    expect(second.shards[0].built).to.equal(false);
    expect(readFileSync(second.file)).to.deep.equal(readFileSync(first.file));
  });

  it("refuses content that does not hash to its on-chain hash, a malformed outputs line and an open epoch", async function () {
    const tampered = join(h.dir, "tampered-content");
    mkdirSync(tampered);
    for (const name of ["alice", "bob", "carol"]) {
      const hash = keccak256(Buffer.from(CONTENT[name]));
      copyFileSync(join(contentDir, `${hash}.txt`), join(tampered, `${hash}.txt`));
    }
    const bobFile = join(tampered, `${keccak256(Buffer.from(CONTENT.bob))}.txt`);
    writeFileSync(bobFile, `${CONTENT.bob}One more line.\n`);
    const badOutputs = h.file("bad.jsonl", `${JSON.stringify(OUTPUTS[0])}\n{"id": "o2", "output": 7}\n`);
    await Promise.all([
      h.expectError(
        "attribution run",
        runArgs("1", "r1.json", [], tampered),
        new RegExp(
          `^error: ContentMismatchError: ${bobFile} hashes to 0x[0-9a-f]{64}, not to the content hash 0x[0-9a-f]{64} contribution ${ids.bob} has on chain$`,
        ),
      ),
      h.expectError(
        "attribution run",
        [
          "--model",
          "1",
          "--epoch",
          epoch,
          "--content",
          contentDir,
          "--outputs",
          badOutputs,
          "--out",
          h.file("r2.json"),
        ],
        'error: AttributionInputError: bad.jsonl:2: "output" must be a string',
      ),
      h.expectError(
        "attribution run",
        [
          "--model",
          "1",
          "--epoch",
          String(BigInt(epoch) + 5n),
          "--content",
          contentDir,
          "--outputs",
          outputs,
          "--out",
          h.file("r3.json"),
        ],
        /^error: --epoch \d+ is still open until /,
      ),
    ]);
  });

  it("submits as attesters; verify matches field by field; claims pay exactly the engine's amounts", async function () {
    for (const attester of [10, 11])
      await h.ok(
        "attribution run",
        [...runArgs("1", `submitted-${attester}.json`), "--submit", "--uri", "ipfs://report-1"],
        attester,
      );
    const verified = await h.ok("attribution verify", verifyArgs("1", h.file("submitted-10.json")));
    for (const field of ["weightsRoot", "totalWeight", "cumulativeRoot", "totalCumulative"])
      expect(verified).to.match(new RegExp(`match +${field} `));
    expect(verified).to.contain("(pending on chain, ipfs://report-1)");
    expect(verified).to.contain("The report on chain is what its inputs give.");

    await h.ok("time", ["--advance", "1h"]);
    await h.ok("report:finalize", ["--model", "1"]);
    const report = JSON.parse(readFileSync(h.file("submitted-10.json"), "utf8")) as {
      cumulative: { account: string; amount: string }[];
    };
    expect(report.cumulative.map((c) => c.account).sort()).to.deep.equal(
      [h.accounts[ACCOUNT.alice], h.accounts[ACCOUNT.bob], h.accounts[ACCOUNT.carol]].sort(),
    );
    const total = report.cumulative.reduce((sum, c) => sum + BigInt(c.amount), 0n);
    expect(total).to.equal(parseEther("760")); // 1,000 − 5 % treasury − 20 % of the rest to the owner
    for (const { account, amount } of report.cumulative) {
      const claimed = await h.json<{ paid: string }>("claim", [
        "--report",
        h.file("submitted-10.json"),
        "--account",
        account,
      ]);
      expect(claimed.paid).to.equal(amount);
    }
  });

  it("verify exits non-zero on a posted report with one weight changed", async function () {
    const engine = await h.json<{ file: string }>("attribution run", runArgs("2", "honest-2.json"));
    const honest = JSON.parse(readFileSync(engine.file, "utf8")) as {
      weights: { contributionId: Hex; weight: string }[];
    };
    const weights = honest.weights.map((w, i) => ({
      contributionId: w.contributionId,
      weight: i === 0 ? String(BigInt(w.weight) + 1n) : w.weight,
    }));
    const tamperedReport = h.file("tampered-2.json");
    await h.ok("report:build", [
      "--model",
      "2",
      "--epoch",
      epoch,
      "--weights",
      h.file("tampered-weights.json", JSON.stringify(weights)),
      "--out",
      tamperedReport,
    ]);
    for (const attester of [10, 11])
      await h.ok("report:submit", ["--report", tamperedReport, "--uri", "ipfs://tampered"], attester);

    const result = await h.run("attribution verify", verifyArgs("2", tamperedReport));
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(
      /MISMATCH weightsRoot +recomputed 0x[0-9a-f]{64}, on chain 0x[0-9a-f]{64}/,
    );
    expect(result.stdout).to.match(/MISMATCH totalWeight /);
    expect(result.stdout).to.contain(`MISMATCH weight of ${honest.weights[0].contributionId}`);
    expect(result.stderr.trim()).to.equal(
      "error: the report on chain differs from its recomputation in weightsRoot, totalWeight, cumulativeRoot, 1 weight(s)",
    );
    // A changed weight is wrong but not provable on chain: --challenge says so and sends nothing.
    const unprovable = await h.run(
      "attribution verify",
      [...verifyArgs("2", tamperedReport), "--challenge"],
      15,
    );
    expect(unprovable.code).to.equal(1);
    expect(unprovable.stdout).to.contain("No provable fault");
    expect((await h.json<{ hasPending: boolean }>("report:show", ["--model", "2"])).hasPending).to.equal(
      true,
    );
    await h.ok("report:veto", ["--model", "2"], 13);
  });

  it("verify --challenge voids a signed report that weighs a rejected contribution, and slashes its signers", async function () {
    // Attesters 10 and 11 sign a report crediting dave's rejected contribution; anyone submits it.
    const honest = JSON.parse(readFileSync(h.file("honest-2.json"), "utf8")) as ReportDocument;
    const crafted = buildReport({
      modelId: 2n,
      epoch: BigInt(epoch),
      pool: BigInt(honest.pool),
      previous: new Map(),
      weights: [
        ...honest.weights.map((w) => ({ ...w, weight: BigInt(w.weight) })),
        { contributionId: ids.dave, contributor: h.accounts[ACCOUNT.dave], weight: 1_000_000n },
      ],
    });
    const craftedFile = h.file("crafted-2.json", JSON.stringify(crafted.document));
    const signatures = [];
    for (const attester of [10, 11]) {
      const out = h.file(`signature-${attester}.json`);
      await h.ok("report:sign", ["--report", craftedFile, "--uri", "ipfs://crafted", "--out", out], attester);
      signatures.push(out);
    }
    await h.expectError(
      "report:submit",
      ["--report", craftedFile, "--uri", "ipfs://other", "--signatures", signatures.join(",")],
      /^error: --signatures .*signature-10\.json signs report 0x[0-9a-f]{64} of model #2 epoch \d+, not 0x/,
    );
    expect(
      await h.ok("report:submit", [
        "--report",
        craftedFile,
        "--uri",
        "ipfs://crafted",
        "--signatures",
        signatures.join(","),
      ]),
    ).to.match(/^Submitted signed report 0x[0-9a-f]{64} of model #2 epoch \d+: pending/);

    const before = BigInt(
      (await h.json<{ balance: string }>("balance", ["--account", h.accounts[15]])).balance,
    );
    const verified = await h.ok("attribution verify", [...verifyArgs("2", craftedFile), "--challenge"], 15);
    expect(verified).to.contain("MISMATCH weightsRoot");
    expect(verified).to.match(/IneligibleContribution: weight 1000000 for 0x[0-9a-f]{64}/);
    expect(verified).to.match(/Challenged with IneligibleContribution: report 0x[0-9a-f]{64} is void/);
    const after = BigInt(
      (await h.json<{ balance: string }>("balance", ["--account", h.accounts[15]])).balance,
    );
    expect(after).to.be.greaterThan(before); // the challenger's share of the slash
    for (const attester of [10, 11]) {
      const shown = await h.json<{ active: boolean; bond: string }>("attester:show", [
        "--account",
        h.accounts[attester],
      ]);
      expect(shown.active).to.equal(false);
    }
    await h.expectError(
      "report:challenge",
      ["--model", "2", "--report", craftedFile],
      "model 2 has no pending report to challenge",
    );
  });
});
