/// <reference lib="dom" />
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { chromium, type Browser, type Page } from "playwright-core";
import { createPublicClient, http, type Address, type Hex } from "viem";

import {
  createOpenAttributionClient,
  loadReport,
  parseDeployment,
  type BuiltReport,
  type Deployment,
  type ReportDocument,
} from "../sdk/index.js";

/** Debian's chromium (`apt-get install -y chromium`); playwright's own download does not work here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SCREENSHOTS = join("app", "screenshots");
/** anvil's default accounts in the demo's roles (see DEMO_ACTORS). */
const ALICE = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as Address;
const BOB = "0x90F79bf6EB2c4f870365E785982E1f101E93b906" as Address;
const REVIEWER1 = "0x976EA74026E726554dB657fA54763abd0C3a0aa9" as Address;

/**
 * The dashboard in a real browser, against the one-command local stack (anvil, the demo story,
 * one more epoch, the indexer, the built app). The wallet is an injected EIP-1193 provider that
 * forwards to anvil (whose default accounts are unlocked) and reports the chain id it is told.
 */
describe("dashboard in Chromium against the local stack [external]", function () {
  this.timeout(600_000);
  let stack: ChildProcess;
  let browser: Browser;
  let urls: { app: string; rpc: string };
  let deployment: Deployment;
  let documentsDir: string;
  let output = "";

  before(async function () {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    const dir = mkdtempSync(join(tmpdir(), "oa-stack-"));
    const port = () => 20_000 + Math.floor(Math.random() * 20_000);
    stack = spawn(
      process.execPath,
      [
        "scripts/stack.ts",
        "--app-port",
        String(port()),
        "--rpc-port",
        String(port()),
        "--indexer-port",
        String(port()),
      ],
      { env: { ...process.env, OA_STACK_DIR: dir }, stdio: ["ignore", "pipe", "pipe"] },
    );
    stack.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    stack.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 300_000;
    while (!/Dashboard\s+(\S+)/.test(output)) {
      if (Date.now() > deadline || stack.exitCode !== null)
        throw new Error(`the stack did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    urls = { app: /Dashboard\s+(\S+)/.exec(output)![1], rpc: /Node\s+(\S+)/.exec(output)![1] };
    deployment = parseDeployment(
      JSON.parse(readFileSync(join(dir, "deployments", "localhost.json"), "utf8")),
    );
    documentsDir = join(dir, "public", "documents");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async function () {
    await browser?.close();
    stack?.kill("SIGTERM");
  });

  const reader = () =>
    createOpenAttributionClient({
      publicClient: createPublicClient({ transport: http(urls.rpc) }),
      deployment,
    });

  /** A page whose injected wallet is `account` on chain `chainId` (default: the deployment's). */
  async function open(
    path: string,
    account?: Address,
    chainId = deployment.chainId,
    viewport = { width: 1280, height: 900 },
  ) {
    const context = await browser.newContext({ viewport });
    if (account)
      await context.addInitScript(
        ({ rpc, account, chainId }) => {
          let id = 0;
          const listeners: Record<string, ((...args: unknown[]) => void)[]> = {};
          (window as unknown as { ethereum: unknown }).ethereum = {
            async request({ method, params }: { method: string; params?: unknown[] }) {
              if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
              if (method === "eth_chainId") return `0x${chainId.toString(16)}`;
              if (method === "wallet_requestPermissions" || method === "wallet_revokePermissions") return [];
              const res = await fetch(rpc, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
              });
              const body = (await res.json()) as {
                result?: unknown;
                error?: { code: number; message: string; data?: unknown };
              };
              if (body.error) throw Object.assign(new Error(body.error.message), body.error);
              return body.result;
            },
            on(event: string, fn: (...args: unknown[]) => void) {
              (listeners[event] ??= []).push(fn);
            },
            removeListener(event: string, fn: (...args: unknown[]) => void) {
              listeners[event] = (listeners[event] ?? []).filter((f) => f !== fn);
            },
          };
        },
        { rpc: urls.rpc, account, chainId },
      );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${urls.app}/${path}`);
    if (account) await page.getByRole("button", { name: "Connect wallet" }).click();
    return { page, errors };
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  /** Model 1's latest final report, from the documents the stack published, and its on-chain root. */
  async function latestReport(modelId: bigint): Promise<BuiltReport> {
    const reports = readdirSync(documentsDir)
      .filter((f) => f.startsWith(`report-${modelId}-`))
      .map((f) => loadReport(JSON.parse(readFileSync(join(documentsDir, f), "utf8")) as ReportDocument))
      .sort((a, b) => Number(a.epoch - b.epoch));
    return reports.at(-1)!;
  }

  it("the contributor page shows the chain's statuses and claimable amounts, and a claim from it pays", async function () {
    const { page, errors } = await open(`#/account/${ALICE}`, ALICE);
    const oa = reader();
    const row = page.locator('[data-testid=claims] tr[data-model="1"] td.amount');
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=claims] tr[data-model="1"] td.amount')?.getAttribute("data-wei"),
      null,
      { timeout: 60_000 },
    );
    const report = await latestReport(1n);
    const claimable = await oa.claimable({ report, account: ALICE });
    expect(claimable > 0n, "the stack leaves alice something to claim").to.equal(true);
    expect(BigInt((await row.getAttribute("data-wei"))!)).to.equal(claimable);
    // Every model's row loaded its published document (no error in its place).
    await page.locator('[data-testid=claims] tr[data-model="2"] td.amount[data-wei="0"]').waitFor();
    expect(await page.locator("[data-testid=claims] .error").count()).to.equal(0);
    const rows = page.locator("table[data-testid^=contributions-] tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).to.be.greaterThan(0);
    for (const tr of await rows.all()) {
      const id = (await tr.getAttribute("data-id")) as Hex;
      const onchain = await oa.getContribution(id);
      expect(await tr.locator("td.status").innerText()).to.equal(onchain.status);
    }
    await shot(page, "contributor");

    const before = await oa.tokenBalance(ALICE);
    await page
      .locator('[data-testid=claims] tr[data-model="1"]')
      .getByRole("button", { name: "Claim" })
      .click();
    await page.getByText(/^Claimed /).waitFor({ timeout: 60_000 });
    expect((await oa.tokenBalance(ALICE)) - before).to.equal(claimable);
    expect(errors).to.deep.equal([]);
  });

  it("a reviewer approves a pending contribution from the datanet's queue", async function () {
    const { page, errors } = await open("#/datanet/1", REVIEWER1);
    const item = page.locator("[data-testid=review-queue] li").first();
    await item.waitFor({ timeout: 60_000 });
    const id = (await item.getAttribute("data-id")) as Hex;
    const before = await reader().getContribution(id);
    expect(before.status).to.equal("pending");
    await shot(page, "datanet");
    await item.getByRole("button", { name: "Approve" }).click();
    await page.getByText("Approved.").waitFor({ timeout: 60_000 });
    const after = await reader().getContribution(id);
    expect(Number(after.approvals)).to.equal(Number(before.approvals) + 1);
    expect(errors).to.deep.equal([]);
  });

  it("a contributor withdraws consent from the page", async function () {
    const { page, errors } = await open(`#/account/${BOB}`, BOB);
    const row = page.locator("table[data-testid^=contributions-] tbody tr").first();
    await row.getByRole("button", { name: "Withdraw consent" }).waitFor({ timeout: 60_000 });
    const id = (await row.getAttribute("data-id")) as Hex;
    expect((await reader().getContribution(id)).status).to.equal("accepted");
    await row.getByRole("button", { name: "Withdraw consent" }).click();
    await page.getByText("Consent withdrawn.").waitFor({ timeout: 60_000 });
    expect((await reader().getContribution(id)).status).to.equal("withdrawn");
    await page.locator(`tr[data-id="${id}"] td.status.withdrawn`).waitFor({ timeout: 30_000 }); // the indexer follows
    expect(errors).to.deep.equal([]);
  });

  it("shows the named error when the wallet is on another network", async function () {
    const { page } = await open("#/", ALICE, 1);
    const banner = page.locator("[data-testid=wrong-network]");
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).to.match(
      /^WrongNetwork: your wallet is on chain 1; this deployment \(localhost\) is on chain 31337/,
    );
    await shot(page, "wrong-network");
  });

  it("renders the home, model and attester pages, and the contributor page on a phone-sized screen", async function () {
    const home = await open("#/");
    await home.page.getByRole("link", { name: "Model #1" }).waitFor({ timeout: 30_000 });
    await shot(home.page, "home");
    const model = await open("#/model/1");
    await model.page.locator("[data-testid=reports] td.status.final").first().waitFor({ timeout: 30_000 });
    expect(await model.page.locator("svg.chart rect.bar").count()).to.be.greaterThan(0);
    const finals = await model.page.locator("[data-testid=reports] td.status.final").count();
    expect(finals).to.equal(2); // the demo's epoch and the stack's next one
    await model.page.locator("ol.top blockquote").first().waitFor({ timeout: 30_000 }); // the engine's evidence
    await shot(model.page, "model");
    const adapter = await open("#/model/2");
    await adapter.page.locator("[data-testid=reports] td.status.pending").waitFor({ timeout: 30_000 });
    // The countdown follows the chain's clock (anvil ran days ahead of the wall clock in the demo).
    await adapter.page
      .locator("[data-testid=reports]")
      .getByText(/ends in \d+ (h|min)/)
      .waitFor({ timeout: 30_000 });
    expect(await adapter.page.locator("ol.lineage").innerText()).to.match(
      /model #1 receives \d+\.\d{2} % of this model's fees/,
    );
    const attester = await open("#/attester");
    // The stack leaves model 2's honest report pending: verifying it finds no provable fault.
    const card = attester.page.locator("article.card").first();
    await card.waitFor({ timeout: 30_000 });
    expect(await card.innerText()).to.contain("Model #2");
    await card.getByRole("button", { name: "Verify against the chain" }).click();
    await card.locator("[data-testid=verdict]").waitFor({ timeout: 60_000 });
    expect(await card.locator("[data-testid=verdict]").innerText()).to.equal(
      "No provable fault: every leaf holds on chain.",
    );
    await shot(attester.page, "attester");
    const phone = await open(`#/account/${ALICE}`, undefined, deployment.chainId, {
      width: 390,
      height: 844,
    });
    await phone.page.locator("[data-testid=reputation]").waitFor({ timeout: 30_000 });
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, "no horizontal scrolling of the page on a phone").to.be.at.most(0);
    await shot(phone.page, "contributor-phone");
    for (const p of [home, model, adapter, attester, phone]) expect(p.errors).to.deep.equal([]);
  });
});
