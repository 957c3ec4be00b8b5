import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { expect } from "chai";

import { runHardhatCommand, startAnvil } from "./helpers/processes.js";
import { TaskHarness } from "./helpers/tasks.js";

const exec = promisify(execFile);

/**
 * The operator tasks (`npx hardhat oa:<command> --network localhost`) run as an operator runs
 * them: each one a separate Hardhat process against a separately started anvil node holding a
 * deployment. The tests share one chain and run in order, one protocol area after another.
 */
describe("operator tasks (npx hardhat oa:<command>) against anvil [external]", function () {
  this.timeout(300_000);

  let h: TaskHarness;
  let dir: string;
  let accounts: string[];
  const file = (name: string, content?: string) => h.file(name, content);
  const run = (
    command: string,
    args: string[],
    from?: number,
    extraEnv: Record<string, string | undefined> = {},
  ) => h.run(command, args, from, extraEnv);
  const oa = (command: string, args: string[], from?: number) => h.ok(command, args, from);
  const oaJson = <T = Record<string, unknown>>(command: string, args: string[], from?: number) =>
    h.json<T>(command, args, from);
  const expectError = (
    command: string,
    args: string[],
    expected: string | RegExp,
    from?: number,
    extraEnv: Record<string, string | undefined> = {},
  ) => h.expectError(command, args, expected, from, extraEnv);
  const rpc = (method: string, params: unknown[] = []) => h.rpc(method, params);

  before(async function () {
    h = await TaskHarness.start();
    dir = h.dir;
    accounts = h.accounts;
  });

  after(function () {
    h?.stop();
  });

  it("has help for every command, naming its options", async function () {
    const { stdout } = await runHardhatCommand(["--help"]);
    for (const command of [
      "oa:contribute",
      "oa:commit",
      "oa:report:build",
      "oa:gov:execute",
      "oa:time",
      "oa:claim",
    ])
      expect(stdout).to.contain(command);
    const help = await runHardhatCommand(["oa:contribute", "--help"]);
    for (const option of ["--datanet", "--file", "--uri", "--max-bond", "--from", "--json"])
      expect(help.stdout).to.contain(option);
    // `npm run oa -- <command>` is an alias of `npx hardhat oa:<command>`.
    const alias = await exec(process.execPath, ["scripts/cli.ts", "datanet:show", "--help"]);
    expect(alias.stdout).to.contain("A datanet's owner, settings and versions");
  });

  it("funds accounts, approves spenders and reports balances in OPEN", async function () {
    for (const to of [2, 3, 5]) await oa("transfer", ["--to", accounts[to], "--amount", "1000"]);
    const balance = await oaJson<{ balance: string }>("balance", ["--account", accounts[2]]);
    expect(balance.balance).to.equal(String(1000n * 10n ** 18n));
    expect(await oa("approve", ["--spender", "distributor", "--amount", "5"], 5)).to.match(
      /^Approved 5 OPEN for 0x/,
    );
    const approved = await oaJson<{ allowances: { distributor: string } }>("balance", [], 5);
    expect(approved.allowances.distributor).to.equal(String(5n * 10n ** 18n));

    await Promise.all([
      expectError(
        "transfer",
        ["--to", accounts[6], "--amount", "0"],
        "error: --amount must be more than 0 OPEN",
      ),
      expectError(
        "transfer",
        ["--to", "0xabc", "--amount", "1"],
        '--to must be a 0x-prefixed 20-byte address, got "0xabc"',
      ),
      expectError("transfer", ["--to", accounts[6], "--amount", "1"], "--amount 1 OPEN is more than", 4),
      expectError(
        "approve",
        ["--spender", "staking", "--amount", "1"],
        '--spender must be one of contributions, distributor, an address, got "staking"',
      ),
    ]);
  });

  it("creates and configures datanets", async function () {
    const created = await oaJson<{ datanetId: string; settings: { reviewWindow: number; bond: string } }>(
      "datanet:create",
      ["--uri", "ipfs://datanet", "--bond", "10", "--window", "2h"],
    );
    expect(created.datanetId).to.equal("1");
    expect(created.settings.reviewWindow).to.equal(7_200);
    expect(created.settings.bond).to.equal(String(10n * 10n ** 18n));
    expect(await oa("datanet:reviewer", ["--datanet", "1", "--reviewer", accounts[1]])).to.contain(
      `Added reviewer ${accounts[1]} to datanet #1`,
    );
    await oa("datanet:update", ["--datanet", "1", "--daily-limit", "5"]);
    const shown = await oaJson<{ settings: { dailyLimit: number; bond: string; reviewWindow: number } }>(
      "datanet:show",
      ["--datanet", "1"],
    );
    expect(shown.settings).to.include({ dailyLimit: 5, reviewWindow: 7_200 }); // the others kept
    expect(shown.settings.bond).to.equal(String(10n * 10n ** 18n));
    const second = await oa("datanet:create", [
      ...[
        "--uri",
        "ipfs://private",
        "--commit-reveal-only",
        "true",
        "--optimistic",
        "true",
        "--window",
        "1h",
      ],
    ]);
    expect(second).to.contain(
      "Created datanet #2: dataset, open to anyone, optimistic (quorum 1, window 3600 s)",
    );
    expect(second).to.contain("commit-reveal only");

    await Promise.all([
      expectError(
        "datanet:create",
        ["--uri", "x", "--kind", "poems"],
        '--kind must be one of dataset, evaluation, expertise, compute, got "poems"',
      ),
      expectError(
        "datanet:create",
        ["--uri", "x", "--quorum", "0"],
        '--quorum must be a whole number from 1 to 255, got "0"',
      ),
      expectError(
        "datanet:update",
        ["--datanet", "9"],
        "error: --datanet 9 does not exist (there are 2 datanets)",
      ),
      expectError(
        "datanet:create",
        ["--uri", "x", "--window", "5x"],
        "--window must be a duration like 3600, 90m, 2h or 1d",
      ),
      expectError("datanet:create", ["--window", "1h"], "error: --uri is required"),
      expectError(
        "datanet:create",
        ["--uri", "x", "--open", "maybe"],
        '--open must be true or false, got "maybe"',
      ),
      expectError(
        "datanet:reviewer",
        ["--datanet", "1", "--reviewer", accounts[1]],
        /^error: NotDatanetOwnerError: /,
        4,
      ),
    ]);
  });

  const ids: Record<string, string> = {};

  it("contributes directly, by commit-reveal and signed-and-relayed, and reviews", async function () {
    const direct = await oaJson<{ contributions: { contributionId: string }[] }>(
      "contribute",
      [
        "--datanet",
        "1",
        "--file",
        `${file("a.txt", "alpha")},${file("b.txt", "beta")}`,
        "--uri",
        "ipfs://a,ipfs://b",
      ],
      2,
    );
    [ids.a, ids.b] = direct.contributions.map((c) => c.contributionId);

    const commitment = join(dir, "commitment.json");
    expect(
      await oa(
        "commit",
        ["--datanet", "2", "--file", file("c.txt", "gamma"), "--uri", "ipfs://c", "--out", commitment],
        3,
      ),
    ).to.match(/Committed 1 item\(s\) to datanet #2 as 0x[0-9a-f]{64}/);
    const signed = join(dir, "signed.json");
    await oa(
      "sign-contribution",
      ["--datanet", "1", "--file", file("d.txt", "delta"), "--uri", "ipfs://d", "--out", signed],
      3,
    );
    await Promise.all([
      expectError(
        "reveal",
        ["--commitment", commitment],
        /^error: RevealTooEarlyError: RevealTooEarly\(revealableAt: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/,
        6,
      ),
      expectError(
        "contribute",
        ["--datanet", "2", "--file", file("c.txt"), "--uri", "ipfs://c"],
        "error: datanet #2 takes contributions by commit-reveal only: use oa:commit, then oa:reveal",
        3,
      ),
      expectError(
        "commit",
        [
          "--datanet",
          "1",
          "--file",
          file("y.txt", "y"),
          "--uri",
          "u",
          "--max-bond",
          "5",
          "--out",
          join(dir, "y.json"),
        ],
        "error: datanet #1 asks a bond of 10 OPEN, more than --max-bond 5 OPEN",
        3,
      ),
      expectError(
        "commit",
        ["--datanet", "1", "--file", file("a.txt"), "--uri", "u", "--out", commitment],
        `--out ${commitment} exists already`,
        3,
      ),
      expectError(
        "reveal",
        ["--commitment", file("other.json", '{"chainId": 1}')],
        "was not written for this deployment",
      ),
    ]);
    await oa("time", ["--advance", "61"]);
    const revealed = await oaJson<{ contributionIds: string[] }>("reveal", ["--commitment", commitment], 6);
    ids.c = revealed.contributionIds[0];
    const c = await oaJson<{ contributor: string; status: string; viaCommitment: boolean }>(
      "contribution:show",
      ["--id", ids.c],
    );
    expect(c).to.include({ contributor: accounts[3], status: "pending", viaCommitment: true });

    const relayed = await oaJson<{ contributionId: string; contributor: string }>(
      "relay-contribution",
      ["--signed", signed],
      6,
    );
    expect(relayed.contributor).to.equal(accounts[3]);
    ids.d = relayed.contributionId;

    expect(await oa("review", ["--id", ids.a, "--approve"], 1)).to.contain("now accepted (1 for, 0 against)");
    expect(await oa("review", ["--id", ids.b, "--reject"], 1)).to.contain("now rejected (0 for, 1 against)");
    expect(await oa("contribution:withdraw", ["--id", ids.d], 3)).to.contain(
      "now pending until its review ends",
    );
    await Promise.all([
      expectError("relay-contribution", ["--signed", signed], /^error: InvalidSignatureError: /, 6),
      expectError("review", ["--id", ids.d], "error: give exactly one of --approve or --reject", 1),
      expectError(
        "review",
        ["--id", ids.d, "--approve"],
        /^error: NotReviewerError: NotReviewer\(datanetId: 1, caller: 0x/,
        4,
      ),
      expectError("contribution:finalize", ["--id", ids.c], /^error: \w+Error: /), // its window is open
      expectError(
        "contribution:show",
        ["--id", "0x1234"],
        '--id must be 32 bytes of 0x-prefixed hex, got "0x1234"',
      ),
      expectError(
        "contribution:show",
        ["--id", `0x${"ab".repeat(32)}`],
        "is not a contribution of this deployment",
      ),
      expectError(
        "contribute",
        ["--datanet", "1", "--file", join(dir, "nope.txt"), "--uri", "u"],
        `error: --file: ${join(dir, "nope.txt")} does not exist`,
        2,
      ),
      expectError(
        "contribute",
        ["--datanet", "1", "--file", file("a.txt"), "--uri", "u1,u2"],
        "error: --uri has 2 entries but --file has 1: give one URI per file",
        2,
      ),
    ]);
    await oa("time", ["--advance", "1h"]);
    expect(await oa("contribution:finalize", ["--id", ids.c])).to.contain("now accepted");
  });

  it("registers models, takes payments, stakes and pays out balances", async function () {
    expect(await oa("datanet:snapshot", ["--datanet", "1"])).to.contain("as version 1");
    expect(await oa("datanet:snapshot", ["--datanet", "2"])).to.contain("as version 1");
    const model = await oaJson<{ modelId: string }>("model:register", [
      "--uri",
      "ipfs://m",
      "--versions",
      "1:1,2:1",
    ]);
    expect(model.modelId).to.equal("1");
    // Stakers earn from payments made while they stake.
    await oa("stake", ["--model", "1", "--amount", "50"], 5);
    expect(await oa("pay", ["--model", "1", "--amount", "100"], 5)).to.match(
      /^Paid 100 OPEN for inference on model #1; its contributor pool is now [\d.]+ OPEN/m,
    );
    expect(await oa("unstake", ["--model", "1", "--amount", "20"], 5)).to.match(
      /Unstaking 20 OPEN from model #1: withdrawable from \d{4}-/,
    );
    const position = await oaJson<{ staked: string; unstaking: string }>("stake:show", ["--model", "1"], 5);
    expect(position).to.include({ staked: String(30n * 10n ** 18n), unstaking: String(20n * 10n ** 18n) });
    await Promise.all([
      expectError(
        "stake:withdraw",
        ["--model", "1"],
        /^error: StakeLockedError: StakeLocked\(unstaking: 20 OPEN, unlockAt: \d{4}-\d\d-\d\dT[\d:]+Z\)$/,
        5,
      ),
      expectError(
        "stake",
        ["--model", "7", "--amount", "1"],
        "error: --model 7 does not exist (there are 1 models)",
        5,
      ),
      expectError(
        "model:register",
        ["--uri", "ipfs://m", "--versions", "1"],
        'error: --versions entries look like DATANET:VERSION (1:2), got "1"',
      ),
    ]);
    await oa("time", ["--advance", "1d"]);
    expect(await oa("stake:withdraw", ["--model", "1"], 5)).to.contain(
      "Withdrew 20 OPEN of stake from model #1",
    );
    expect(await oa("stake:claim", ["--model", "1"], 5)).to.match(
      /Claimed [\d.]+ OPEN of staking rewards on model #1/,
    );

    const adapter = await oaJson<{ modelId: string }>("model:register", [
      ...["--uri", "ipfs://adapter", "--versions", "1:1,2:1", "--parent", "1", "--royalty-bps", "1000"],
    ]);
    expect(adapter.modelId).to.equal("2");
    await oa("pay", ["--model", "2", "--amount", "50"], 5);
    // The adapter's royalty accrues to its parent until someone settles it.
    expect(await oa("settle-royalties", ["--model", "1"])).to.contain("Settled the royalties of model #1");
    expect(await oa("withdraw-balance", [])).to.match(/^Withdrew [\d.]+ OPEN to 0x/);
    expect(await oa("withdraw-balance", ["--treasury"])).to.match(/^Withdrew [\d.]+ OPEN to the treasury/);
    const shown = await oaJson<{ trainedOn: unknown[] }>("model:show", ["--model", "1"]);
    expect(shown.trainedOn).to.have.length(2);
    expect(await oa("model:active", ["--model", "2", "--active", "false"])).to.contain(
      "Model #2 is now inactive",
    );
    await oa("model:active", ["--model", "2"]);
  });

  it("lists eligible contributions, refuses open epochs and ineligible weights, and pays claims", async function () {
    const listed = await oaJson<{
      epoch: string;
      contributions: { contributionId: string; eligible: boolean }[];
    }>("model:contributions", ["--model", "1", "--out", join(dir, "export.json")]);
    expect(listed.contributions.map((c) => c.contributionId).sort()).to.deep.equal([ids.a, ids.c].sort());
    expect(listed.contributions.every((c) => c.eligible)).to.equal(true);
    expect(JSON.parse(readFileSync(join(dir, "export.json"), "utf8")).contributions).to.have.length(2);
    const epoch = listed.epoch;
    const nextEpoch = String(BigInt(epoch) + 1n);

    const weights = (name: string, entries: [string, number][]) =>
      file(name, JSON.stringify(entries.map(([contributionId, weight]) => ({ contributionId, weight }))));
    const build = (model: string, at: string, weightsFile: string, out: string) => [
      ...["--model", model, "--epoch", at, "--weights", weightsFile, "--out", join(dir, out)],
    ];
    const w1 = weights("w1.json", [
      [ids.a, 3],
      [ids.c, 1],
    ]);
    await expectError(
      "report:build",
      build("1", epoch, w1, "r0.json"),
      new RegExp(
        `^error: --epoch ${epoch} is still open until \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z: build its report after it ends$`,
      ),
    );
    // Withdrawn during this epoch: weighed for it, not for the next one.
    await oa("contribution:withdraw", ["--id", ids.a], 2);
    const next = await oaJson<{ contributions: { contributionId: string; eligible: boolean }[] }>(
      "model:contributions",
      ["--model", "1", "--epoch", nextEpoch],
    );
    expect(next.contributions.find((c) => c.contributionId === ids.a)?.eligible).to.equal(false);
    await oa("time", ["--advance", "2d"]);

    const wrongContributor = file(
      "wc.json",
      JSON.stringify([{ contributionId: ids.a, contributor: accounts[9], weight: 1 }]),
    );
    await Promise.all([
      expectError(
        "report:build",
        build("1", epoch, weights("wb.json", [[ids.b, 1]]), "rb.json"),
        `${ids.b} is not in the datanet versions model #1 was trained on`,
      ),
      expectError(
        "report:build",
        build("1", epoch, wrongContributor, "rc.json"),
        `its contributor is ${accounts[2]} on chain`,
      ),
      expectError(
        "report:build",
        build("1", nextEpoch, w1, "rn.json"),
        new RegExp(
          `${ids.a} is withdrawn since \\d{4}-[^,]+, not eligible in epoch ${nextEpoch}: remove it$`,
        ),
      ),
      expectError(
        "report:build",
        build("1", epoch, weights("w0.json", [[ids.c, 0]]), "r0.json"),
        "weight must be a positive whole number, got 0",
      ),
    ]);

    const built = await oaJson<{ pool: string; file: string }>(
      "report:build",
      build("1", epoch, w1, "r1.json"),
    );
    expect(BigInt(built.pool)).to.be.greaterThan(0n);
    await expectError(
      "report:submit",
      ["--report", built.file, "--uri", "ipfs://r1"],
      /^error: InactiveAttesterError: InactiveAttester\(attester: 0x[0-9a-fA-F]{40}, bond: 0 OPEN, minBond: 1000 OPEN\)$/,
      10,
    );
    await oa("transfer", ["--to", accounts[10], "--amount", "1500"]);
    expect(await oa("attester:bond", ["--amount", "400"], 10)).to.match(
      /Bonded 400 OPEN .*\n.*attester, not active; bonded 400 OPEN \(minimum 1000 OPEN\)/s,
    );
    expect(await oa("attester:bond", [], 10)).to.contain("Bonded 600 OPEN"); // up to the minimum
    expect(await oa("attester:bond", [], 10)).to.contain("nothing to do");
    await oa("attester:bond", ["--amount", "100"], 10);
    expect(await oa("attester:unbond", ["--amount", "100"], 10)).to.match(
      /Unbonding 100 OPEN: withdrawable from \d{4}-/,
    );
    await expectError("attester:withdraw", [], /^error: BondLockedError: BondLocked\(unlockAt: \d{4}-/, 10);
    await expectError(
      "attester:unbond",
      ["--amount", "5000"],
      "InsufficientBond(bond: 1000 OPEN, amount: 5000 OPEN)",
      10,
    );
    await oa("transfer", ["--to", accounts[11], "--amount", "1000"]);
    await oa("attester:bond", [], 11);
    expect(await oa("report:submit", ["--report", built.file, "--uri", "ipfs://r1"], 10)).to.contain(
      "waiting for more attesters",
    );
    expect(await oa("report:submit", ["--report", built.file, "--uri", "ipfs://r1"], 11)).to.match(
      /: pending, challenge window ends \d{4}-/,
    );
    await expectError("report:veto", ["--model", "1"], /^error: NotGuardianError: /, 12);
    expect(await oa("report:veto", ["--model", "1"], 13)).to.contain("Vetoed the pending report of model #1");
    await expectError(
      "report:submit",
      ["--report", built.file, "--uri", "ipfs://r1"],
      /^error: BarredReportError: /,
      10,
    );

    const rebuilt = await oaJson<{ file: string }>(
      "report:build",
      build(
        "1",
        epoch,
        weights("w2.json", [
          [ids.a, 1],
          [ids.c, 1],
        ]),
        "r2.json",
      ),
    );
    // The adapter's report, for a claim across two models.
    const adapter = await oaJson<{ file: string }>(
      "report:build",
      build("2", epoch, weights("w3.json", [[ids.c, 1]]), "r3.json"),
    );
    for (const attester of [10, 11])
      await oa("report:submit", ["--report", rebuilt.file, "--uri", "ipfs://r"], attester);
    // The adapter's report: signed off chain by both, submitted by anyone in one transaction.
    const signatures = [];
    for (const attester of [10, 11]) {
      const out = file(`sig-${attester}.json`);
      expect(
        await oa("report:sign", ["--report", adapter.file, "--uri", "ipfs://r", "--out", out], attester),
      ).to.contain(`signed report 0x`);
      signatures.push(out);
    }
    await expectError(
      "report:submit",
      ["--report", adapter.file, "--uri", "ipfs://r", "--signatures", signatures[0]],
      "InsufficientSupport(support: 1, threshold: 2)",
    );
    expect(
      await oa("report:submit", [
        "--report",
        adapter.file,
        "--uri",
        "ipfs://r",
        "--signatures",
        signatures.join(","),
      ]),
    ).to.match(/^Submitted signed report 0x[0-9a-f]{64} of model #2 epoch \d+: pending/);
    expect(await oa("report:challenge", ["--model", "2", "--report", adapter.file, "--dry-run"])).to.match(
      /^No provable fault in the pending report 0x[0-9a-f]{64} of model #2: every leaf checks out on chain/,
    );
    await expectError(
      "report:finalize",
      ["--model", "1"],
      /^error: ChallengeWindowOpenError: ChallengeWindowOpen\(modelId: 1, endsAt: \d{4}-/,
    );
    await oa("time", ["--advance", "1h"]);
    expect(await oa("report:finalize", ["--model", "1"])).to.match(/OPEN claimable in total/);
    await oa("report:finalize", ["--model", "2"]);
    expect((await oaJson<{ hasFinal: boolean }>("report:show", ["--model", "1"])).hasFinal).to.equal(true);

    expect(await oa("claim", ["--report", rebuilt.file, "--account", accounts[2]])).to.match(
      new RegExp(`^Paid [\\d.]+ OPEN to ${accounts[2]}`),
    );
    const batch = await oaJson<{ paid: string }>("claim", ["--report", `${rebuilt.file},${adapter.file}`], 3);
    expect(BigInt(batch.paid)).to.be.greaterThan(0n);
    await Promise.all([
      expectError(
        "claim",
        ["--report", rebuilt.file, "--account", accounts[2]],
        /^error: NothingToClaimError: NothingToClaim\(modelId: 1, account: 0x[0-9a-fA-F]{40}, cumulativeAmount: [\d.]+ OPEN, claimed: [\d.]+ OPEN\)$/,
      ),
      expectError(
        "claim",
        ["--report", rebuilt.file, "--account", accounts[9]],
        "has nothing in the report of model #1",
      ),
      expectError(
        "report:build",
        build("1", nextEpoch, weights("w4.json", [[ids.c, 1]]), "r4.json"),
        `error: --previous is required: model #1 has a final report (epoch ${epoch}) to continue`,
      ),
      expectError(
        "report:build",
        [...build("1", nextEpoch, join(dir, "w4.json"), "r5.json"), "--previous", built.file],
        "is not model #1's last final report",
      ),
      expectError("claim", ["--report", file("bad.json", "{not json")], "is not valid JSON"),
    ]);
  });

  it("governs: delegates, proposes, votes, queues and executes a setting change", async function () {
    await oa("gov:delegate", []);
    await oa("time", ["--advance", "2"]);
    const proposed = await oaJson<{ proposalId: string }>("gov:propose", [
      ...["--contract", "AttributionRegistry", "--function", "setChallengeWindow", "--args", "[5400]"],
      ...["--description", "Ninety-minute challenge window"],
    ]);
    const id = proposed.proposalId;
    await Promise.all([
      expectError(
        "gov:queue",
        ["--proposal", id],
        /^error: --proposal \d+ is (pending|active); voting (starts|ends) \d{4}-[^Z]+Z: it can be queued once succeeded$/,
      ),
      expectError(
        "gov:propose",
        ["--contract", "Foo", "--function", "x", "--description", "d"],
        "--contract must be one of OpenToken, OpenTimelock",
      ),
      expectError(
        "gov:propose",
        ["--contract", "AttributionRegistry", "--function", "challengeWindow", "--description", "d"],
        "--function challengeWindow is not a function of AttributionRegistry that changes state",
      ),
      expectError(
        "gov:propose",
        [
          "--contract",
          "AttributionRegistry",
          "--function",
          "setChallengeWindow",
          "--args",
          "[1,2]",
          "--description",
          "d",
        ],
        "error: --args has 2 value(s) but AttributionRegistry.setChallengeWindow takes 1",
      ),
      expectError(
        "gov:vote",
        ["--proposal", "12345", "--support", "for"],
        "error: --proposal 12345 was never proposed on this deployment",
      ),
    ]);
    await oa("time", ["--advance", "5"]);
    expect(await oa("gov:vote", ["--proposal", id, "--support", "for"])).to.match(
      /Voted for on proposal \d+: for [\d.]+ OPEN/,
    );
    await oa("time", ["--advance", "301"]);
    expect(await oa("gov:queue", ["--proposal", id])).to.match(/executable from \d{4}-/);
    await expectError("gov:execute", ["--proposal", id], /is queued: executable from \d{4}-.*timelock delay/);
    await oa("time", ["--advance", "61"]);
    await oa("gov:execute", ["--proposal", id]);
    expect((await oaJson<{ state: string }>("gov:show", ["--proposal", id])).state).to.equal("executed");
  });

  it("moves time only on development chains", async function () {
    const other = await startAnvil(["--chain-id", "4242"]);
    try {
      await Promise.all([
        expectError(
          "time",
          ["--advance", "1d"],
          "error: oa:time only moves development chains (chain 31337 or 1337); --network localhost is chain 4242",
          undefined,
          { LOCALHOST_RPC_URL: other.url },
        ),
        expectError("time", ["--advance", "1d", "--to", "2030-01-01"], "give exactly one of"),
        expectError("time", ["--to", "2020-01-01T00:00:00Z"], "the clock only moves forward"),
      ]);
    } finally {
      other.stop();
    }
  });

  it("refuses a record of another chain, unknown accounts, a missing node and typos with one line", async function () {
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    const record = JSON.parse(readFileSync(join(dir, "deployments", "localhost.json"), "utf8"));
    writeFileSync(join(elsewhere, "localhost.json"), JSON.stringify({ ...record, chainId: 11155111 }));
    const nonce = await rpc("eth_getTransactionCount", [accounts[5], "latest"]);
    await Promise.all([
      expectError(
        "pay",
        ["--model", "1", "--amount", "1"],
        `error: --network localhost is chain 31337 but ${elsewhere}/localhost.json was deployed on chain 11155111: ` +
          "nothing was sent; point the network's RPC URL at that chain or redeploy",
        5,
        { DEPLOYMENTS_DIR: elsewhere },
      ),
      expectError(
        "pay",
        ["--model", "1", "--amount", "1"],
        "error: --from 99: network localhost has 20 account(s) (0 to 19)",
        99,
      ),
      expectError(
        "pay",
        ["--model", "1", "--amount", "1", "--from", `0x${"12".repeat(20)}`],
        "is not an account network localhost can sign for",
      ),
      expectError("status", [], 'Cannot connect to the network "localhost"', undefined, {
        LOCALHOST_RPC_URL: "http://127.0.0.1:1",
      }),
      expectError("status", [], "no deployment record", undefined, { DEPLOYMENTS_DIR: join(dir, "none") }),
      expectError(
        "pay",
        ["--model", "1", "--amount", "-5"],
        'error: --amount must be an amount of OPEN like 12.5, got "-5"',
      ),
    ]);
    expect(await rpc("eth_getTransactionCount", [accounts[5], "latest"])).to.equal(nonce);

    // Hardhat's own parser names a misspelled option, without a stack trace (off CI, where
    // Hardhat always prints them).
    const typo = await run("pay", ["--model", "1", "--amuont", "5"], undefined, { CI: undefined });
    expect(typo.code).to.equal(1);
    expect(typo.stderr).to.contain('Invalid option "--amuont"');
    expect(typo.stderr).not.to.contain("    at ");

    const status = await oa("status", []);
    expect(status).to.match(/^Deployment on localhost \(chain 31337, commit/);
    expect(status).to.contain("2 datanet(s), 2 model(s)");
  });
});
