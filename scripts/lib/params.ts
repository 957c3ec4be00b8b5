import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { ethers } from "ethers";

/** A deploy parameters file is invalid; `field` is the dotted path of the offending value. */
export class InvalidDeployParamsError extends Error {
  override readonly name = "InvalidDeployParamsError";

  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field} ${message}`);
  }
}

/** An address reference in a parameters file, resolved at deploy time. */
export type AddressRef = string; // 0x…, "deployer", "timelock" or "account:N"

/** Who receives part of the initial supply. */
export interface Allocation {
  /** The holder, or with `vesting` the beneficiary of a vesting wallet that holds the amount. */
  to: AddressRef;
  /** Wei. */
  amount: bigint;
  label: string;
  /** Released linearly to `to` from `start` (unix seconds) over `duration` seconds; does not vote. */
  vesting?: { start: number; duration: number };
}

/** Validated deploy parameters (amounts in wei, durations in seconds). */
export interface DeployParams {
  token: { name: string; symbol: string; totalSupply: bigint; allocations: Allocation[] };
  governance: {
    votingDelay: number;
    votingPeriod: number;
    proposalThreshold: bigint;
    quorumPercent: number;
    timelockDelay: number;
  };
  registries: { maxBond: bigint; maxReviewWindow: number; maxRoyaltyBps: number };
  rewards: {
    epochLength: number;
    challengeWindow: number;
    cooldown: number;
    splits: { treasuryBps: number; ownerBps: number; stakersBps: number };
    attesters: AddressRef[];
    threshold: number;
    /** Attester bonds (IAttesters.BondSettings); minBond in wei. */
    attesterBonds: { minBond: bigint; unbondingDelay: number; slashBps: number; challengerShareBps: number };
    guardian: AddressRef;
    treasury: AddressRef;
  };
}

const PARAMS_DIR = join("deployments", "params");

/** Networks that take `default.json` as their base; every other network's file stands alone. */
const DEVELOPMENT_NETWORKS = ["default", "hardhat", "localhost"];

type Json = Record<string, unknown>;

/** Every setting a parameters file may hold (`true` = a value, an object = nested settings). */
const KNOWN_KEYS: Json = {
  $comment: true,
  token: {
    name: true,
    symbol: true,
    totalSupply: true,
    allocations: [{ to: true, amount: true, label: true, vesting: { start: true, duration: true } }],
  },
  governance: {
    votingDelay: true,
    votingPeriod: true,
    proposalThreshold: true,
    quorumPercent: true,
    timelockDelay: true,
  },
  registries: { maxBond: true, maxReviewWindow: true, maxRoyaltyBps: true },
  rewards: {
    epochLength: true,
    challengeWindow: true,
    cooldown: true,
    splits: { treasuryBps: true, ownerBps: true, stakersBps: true },
    attesters: true,
    threshold: true,
    attesterBonds: { minBond: true, unbondingDelay: true, slashBps: true, challengerShareBps: true },
    guardian: true,
    treasury: true,
  },
};

/** Levenshtein distance, case-insensitive (a miscased key is the commonest typo). */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[y.length];
}

/** The dotted path of the first key of `raw` that no setting has, with the closest known key. */
function findUnknownKey(raw: Json, known: Json, prefix = ""): { path: string; closest: string } | null {
  for (const [key, value] of Object.entries(raw)) {
    const expected = known[key];
    if (expected === undefined) {
      const candidates = Object.keys(known).filter((k) => k !== "$comment");
      const closest = candidates.reduce((best, k) => (distance(key, k) < distance(key, best) ? k : best));
      return { path: `${prefix}${key}`, closest: `${prefix}${closest}` };
    }
    if (Array.isArray(expected) && Array.isArray(value)) {
      // A list of objects of one shape: check each item against it.
      for (const [i, item] of value.entries()) {
        if (!item || typeof item !== "object") continue; // the validator names a bad item
        const inner = findUnknownKey(item as Json, expected[0] as Json, `${prefix}${key}[${i}].`);
        if (inner) return inner;
      }
    } else if (typeof expected === "object" && value && typeof value === "object" && !Array.isArray(value)) {
      const inner = findUnknownKey(value as Json, expected as Json, `${prefix}${key}.`);
      if (inner) return inner;
    }
  }
  return null;
}

function merge(base: Json, override: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] =
      value && typeof value === "object" && !Array.isArray(value) && current && typeof current === "object"
        ? merge(current as Json, value as Json)
        : value;
  }
  return out;
}

/**
 * Reads and validates the deploy parameters of `network`. Development networks (in-process and
 * localhost) take `deployments/params/default.json` with `<network>.json` (if any) on top; every
 * other network reads `<network>.json` alone, which must set every field: a real network never
 * inherits a development value. Unknown keys are refused, naming the closest known key.
 * @throws InvalidDeployParamsError naming the file and field.
 */
export function loadDeployParams(network: string, dir = PARAMS_DIR): DeployParams {
  const read = (file: string): Json => {
    const raw = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
    const unknown = findUnknownKey(raw, KNOWN_KEYS);
    if (unknown) {
      throw new InvalidDeployParamsError(
        join(dir, file),
        unknown.path,
        `is not a known setting (did you mean "${unknown.closest}"?)`,
      );
    }
    return raw;
  };
  const own = join(dir, `${network}.json`);
  if (!DEVELOPMENT_NETWORKS.includes(network)) {
    if (!existsSync(own)) {
      throw new InvalidDeployParamsError(
        own,
        "(file)",
        `is missing: real networks need their own parameters file`,
      );
    }
    return validateDeployParams(read(`${network}.json`), own);
  }
  let raw = read("default.json");
  let file = join(dir, "default.json");
  if (existsSync(own)) {
    raw = merge(raw, read(`${network}.json`));
    file = own;
  }
  return validateDeployParams(raw, file);
}

/** Validates raw (parsed JSON) parameters; see `loadDeployParams`. */
export function validateDeployParams(raw: Json, file = "params"): DeployParams {
  const fail = (field: string, message: string): never => {
    throw new InvalidDeployParamsError(file, field, message);
  };
  const get = (path: string): unknown => {
    const keys = path.split(/\.|\[(\d+)\]/).filter(Boolean); // "a.b[0].c" → a, b, 0, c
    const v = keys.reduce<unknown>((obj, key) => (obj as Json | undefined)?.[key], raw);
    return v === undefined ? fail(path, "is missing: every field must be set") : v;
  };
  const int = (path: string, min: number, max: number): number => {
    const v = get(path);
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
      fail(path, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    }
    return v as number;
  };
  const open = (path: string, allowZero: boolean): bigint => {
    const v = get(path);
    if (typeof v !== "string" || !/^\d+(\.\d{1,18})?$/.test(v)) {
      fail(path, `must be an OPEN amount as a decimal string like "100", got ${JSON.stringify(v)}`);
    }
    const wei = ethers.parseEther(v as string);
    if (!allowZero && wei === 0n) fail(path, "must be more than 0");
    return wei;
  };
  const text = (path: string): string => {
    const v = get(path);
    if (typeof v !== "string" || v.length === 0)
      fail(path, `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v as string;
  };
  const ref = (path: string, v: unknown = get(path)): AddressRef => {
    if (typeof v !== "string") return fail(path, `must be an address, "deployer", "timelock" or "account:N"`);
    if (v === "deployer" || v === "timelock" || /^account:\d+$/.test(v)) return v;
    if (!ethers.isAddress(v)) return fail(path, `is not an address: ${JSON.stringify(v)}`);
    if (v === ethers.ZeroAddress) return fail(path, "is the zero address (a placeholder to fill in)");
    return ethers.getAddress(v);
  };

  const attestersRaw = get("rewards.attesters");
  if (!Array.isArray(attestersRaw) || attestersRaw.length === 0 || attestersRaw.length > 256) {
    fail("rewards.attesters", "must be a list of 1 to 256 addresses");
  }
  const attesters = (attestersRaw as unknown[]).map((a, i) => ref(`rewards.attesters[${i}]`, a));
  if (new Set(attesters).size !== attesters.length) fail("rewards.attesters", "has duplicates");

  const splits = {
    treasuryBps: int("rewards.splits.treasuryBps", 0, 2_000),
    ownerBps: int("rewards.splits.ownerBps", 0, 8_000),
    stakersBps: int("rewards.splits.stakersBps", 0, 8_000),
  };
  if (splits.ownerBps + splits.stakersBps > 8_000) {
    fail("rewards.splits", "ownerBps + stakersBps must be at most 8000 (contributors keep at least 20 %)");
  }
  const allocationsRaw = get("token.allocations");
  if (!Array.isArray(allocationsRaw) || allocationsRaw.length === 0) {
    fail("token.allocations", "must be a list of { to, amount, label } that sums to token.totalSupply");
  }
  const allocations = (allocationsRaw as unknown[]).map((_, i): Allocation => {
    const at = `token.allocations[${i}]`;
    const label = get(`${at}.label`);
    if (typeof label !== "string") fail(`${at}.label`, "must be a short description of who this is");
    const allocation: Allocation = {
      to: ref(`${at}.to`),
      amount: open(`${at}.amount`, false),
      label: label as string,
    };
    if ((allocationsRaw as Json[])[i]?.vesting !== undefined) {
      if (allocation.to === "timelock") fail(`${at}.vesting`, "cannot vest to the timelock");
      allocation.vesting = {
        start: int(`${at}.vesting.start`, 0, 2 ** 64 - 1),
        duration: int(`${at}.vesting.duration`, 1, 2 ** 64 - 1),
      };
    }
    return allocation;
  });
  const params: DeployParams = {
    token: {
      name: text("token.name"),
      symbol: text("token.symbol"),
      totalSupply: open("token.totalSupply", false),
      allocations,
    },
    governance: {
      votingDelay: int("governance.votingDelay", 0, 2 ** 48 - 1),
      votingPeriod: int("governance.votingPeriod", 1, 2 ** 32 - 1),
      proposalThreshold: open("governance.proposalThreshold", true),
      quorumPercent: int("governance.quorumPercent", 1, 100),
      timelockDelay: int("governance.timelockDelay", 0, 365 * 86_400),
    },
    registries: {
      maxBond: open("registries.maxBond", true),
      maxReviewWindow: int("registries.maxReviewWindow", 0, 2 ** 32 - 1),
      maxRoyaltyBps: int("registries.maxRoyaltyBps", 0, 10_000),
    },
    rewards: {
      epochLength: int("rewards.epochLength", 1, 10 * 365 * 86_400),
      challengeWindow: int("rewards.challengeWindow", 0, 30 * 86_400),
      cooldown: int("rewards.cooldown", 3_600, 90 * 86_400), // ModelStaking.MIN_COOLDOWN..MAX_COOLDOWN
      splits,
      attesters,
      threshold: int("rewards.threshold", 1, attesters.length),
      attesterBonds: {
        minBond: open("rewards.attesterBonds.minBond", false),
        unbondingDelay: int("rewards.attesterBonds.unbondingDelay", 1, 90 * 86_400), // MAX_UNBONDING_DELAY
        slashBps: int("rewards.attesterBonds.slashBps", 1, 10_000),
        challengerShareBps: int("rewards.attesterBonds.challengerShareBps", 0, 10_000),
      },
      guardian: ref("rewards.guardian"),
      treasury: ref("rewards.treasury"),
    },
  };
  if (params.token.totalSupply >= 2n ** 96n) fail("token.totalSupply", "must be below 2^96 wei");
  checkAllocations(params, fail);
  if (params.registries.maxBond >= 2n ** 96n) fail("registries.maxBond", "must be below 2^96 wei");
  const bonds = params.rewards.attesterBonds;
  if (bonds.minBond === 0n || bonds.minBond >= 2n ** 96n) {
    fail("rewards.attesterBonds.minBond", "must be above 0 and below 2^96 wei");
  }
  if (bonds.unbondingDelay <= params.rewards.challengeWindow) {
    fail(
      "rewards.attesterBonds.unbondingDelay",
      `must be longer than rewards.challengeWindow (${params.rewards.challengeWindow} s), so attesters cannot leave before their reports can be challenged`,
    );
  }
  return params;
}

/**
 * The allocations must sum to the supply exactly, and governance must be able to start: the
 * OPEN given to holders other than the timelock must reach both the proposal threshold and the
 * quorum (a share of the whole supply, the timelock's included), or no proposal could ever pass
 * and every setting and the timelock's OPEN would be frozen for good.
 */
function checkAllocations(params: DeployParams, fail: (field: string, message: string) => never): void {
  const { allocations, totalSupply } = params.token;
  const sum = allocations.reduce((total, a) => total + a.amount, 0n);
  if (sum !== totalSupply) {
    fail(
      "token.allocations",
      `sum to ${ethers.formatEther(sum)} OPEN but token.totalSupply is ${ethers.formatEther(totalSupply)} OPEN`,
    );
  }
  // The timelock's OPEN and OPEN still in vesting wallets cannot vote.
  const voters = allocations
    .filter((a) => a.to !== "timelock" && !a.vesting)
    .reduce((total, a) => total + a.amount, 0n);
  const quorum = (totalSupply * BigInt(params.governance.quorumPercent)) / 100n;
  const needed = quorum > params.governance.proposalThreshold ? quorum : params.governance.proposalThreshold;
  if (voters < needed) {
    fail(
      "token.allocations",
      `give ${ethers.formatEther(voters)} OPEN to holders other than the timelock and vesting wallets, but governance needs ` +
        `${ethers.formatEther(needed)} OPEN of votes (quorum ${params.governance.quorumPercent} % of the supply, ` +
        `proposal threshold ${ethers.formatEther(params.governance.proposalThreshold)} OPEN): no proposal ` +
        `could ever pass`,
    );
  }
}

/** Every role reference of the parameters, by field, for resolution and checks. */
export function roleRefs(params: DeployParams): [string, AddressRef][] {
  return [
    ...params.token.allocations.map((a, i): [string, AddressRef] => [`token.allocations[${i}].to`, a.to]),
    ["rewards.guardian", params.rewards.guardian],
    ["rewards.treasury", params.rewards.treasury],
    ...params.rewards.attesters.map((a, i): [string, AddressRef] => [`rewards.attesters[${i}]`, a]),
  ];
}
