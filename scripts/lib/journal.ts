import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { BaseContract, ContractTransactionResponse } from "ethers";

/** What one step of a deployment produced. */
export interface JournalEntry {
  /** The contract a deploy step created. */
  address?: string;
  txHash: string;
}

/**
 * The steps of a deployment and what each produced, written to `file` after every step, so that a
 * deployment that stopped (out of funds, a dropped connection) continues where it stopped when run
 * again: deployed contracts whose code is still there are reused, transactions already mined are
 * not sent again. Without a file it only keeps the steps in memory (tests, benchmarks).
 */
export class DeployJournal {
  private readonly entries: Record<string, JournalEntry>;

  constructor(private readonly file?: string) {
    this.entries =
      file && existsSync(file)
        ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, JournalEntry>)
        : {};
  }

  /** Whether the journal resumes an earlier, unfinished deployment. */
  get resuming(): boolean {
    return Object.keys(this.entries).length !== 0;
  }

  /** The entry of a finished step. */
  entry(step: string): JournalEntry | undefined {
    return this.entries[step];
  }

  /**
   * Runs a deploy step: reuses the contract the journal recorded for `step` if its code is at that
   * address, else deploys it with `deploy` and records it.
   */
  async contract<C extends BaseContract>(
    hre: HardhatEthers,
    step: string,
    deploy: () => Promise<C>,
    attach: (address: string) => Promise<C>,
  ): Promise<C> {
    const done = this.entries[step];
    if (done?.address && (await hre.provider.getCode(done.address)) !== "0x") return attach(done.address);
    const contract = await deploy();
    await contract.waitForDeployment();
    this.record(step, {
      address: await contract.getAddress(),
      txHash: contract.deploymentTransaction()!.hash,
    });
    return contract;
  }

  /** Runs a transaction step unless the journal has it, and records it once mined. */
  async transaction(step: string, send: () => Promise<ContractTransactionResponse>): Promise<void> {
    if (this.entries[step]) return;
    const tx = await send();
    await tx.wait();
    this.record(step, { txHash: tx.hash });
  }

  /** Deletes the journal file: the deployment is complete (its record holds the result). */
  finish(): void {
    if (this.file) rmSync(this.file, { force: true });
  }

  private record(step: string, entry: JournalEntry): void {
    this.entries[step] = entry;
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(this.entries, null, 2)}\n`);
  }
}
