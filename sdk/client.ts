import {
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  keccak256,
  parseAbiParameters,
  parseEventLogs,
  parseSignature,
  toBytes,
  toHex,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

import {
  attributionRegistryAbi,
  contributionRegistryAbi,
  modelRegistryAbi,
  openGovernorAbi,
  openTokenAbi,
  rewardDistributorAbi,
} from "./abis.js";
import type { Deployment } from "./deployments.js";
import {
  decodeContractError,
  InvalidDocumentError,
  InvalidInputError,
  WalletRequiredError,
} from "./errors.js";
import {
  ATTEST_REPORT_TYPES,
  ATTRIBUTION_DOMAIN_NAME,
  documentTrees,
  hashReport,
  hashSupporters,
  REPORT_FAULT_NAMES,
  ReportFault,
  rewardLeafFault,
  sortAttestations,
  weightLeafFault,
  type Attestation,
  type ContributionFacts,
  type ReportFaultName,
} from "./challenges.js";
import type { BuiltReport, ReportDocument } from "./reports.js";
import {
  requireAddress,
  requireAmount,
  requireHash,
  requireId,
  requireInteger,
  requireText,
} from "./validate.js";

/** Datanet kinds (IContributionRegistry.DatanetKind). */
export const DatanetKind = { Dataset: 0, Evaluation: 1, Expertise: 2, Compute: 3 } as const;
/** Contribution statuses (IContributionRegistry.Status). */
export const ContributionStatus = { None: 0, Pending: 1, Accepted: 2, Rejected: 3, Withdrawn: 4 } as const;

/** Settings of a datanet (see IContributionRegistry.DatanetSettings). */
export interface DatanetSettings {
  kind: number;
  open: boolean;
  optimistic: boolean;
  reviewQuorum: number;
  /** Seconds. */
  reviewWindow: number;
  /** Per account per UTC day; 0 = none. */
  dailyLimit: number;
  /** OPEN wei per contribution. */
  bond: bigint;
  /** Whether contributions must go through commit-reveal (default false). */
  commitRevealOnly?: boolean;
}

/** One item of a batch, a commitment or a reveal. */
export interface ContributionItem {
  contentHash: Hex;
  uri: string;
}

/** What a contributor committed to (keep it to reveal; see `commitContributions`). */
export interface ContributionCommitment {
  contributor: Address;
  datanetId: bigint;
  items: ContributionItem[];
  maxBond: bigint;
  salt: Hex;
  commitment: Hex;
}

/** A report as submitted on chain (see IAttributionRegistry.Report). */
export interface OnchainReport {
  weightsRoot: Hex;
  totalWeight: bigint;
  cumulativeRoot: Hex;
  totalCumulative: bigint;
  uri: string;
}

/** A model's pending report as its `ReportPending` event gives it. */
export interface PendingReport {
  modelId: bigint;
  epoch: bigint;
  reportHash: Hex;
  challengeEndsAt: bigint;
  supporters: Address[];
  report: OnchainReport;
}

/** A fault found in a pending report, with the evidence a challenge sends. */
export type ReportFaultFound =
  | {
      fault: ReportFaultName;
      kind: "weight";
      evidence: { contributionId: Hex; contributor: Address; weight: bigint; proof: Hex[] };
    }
  | {
      fault: ReportFaultName;
      kind: "reward";
      evidence: {
        account: Address;
        cumulativeAmount: bigint;
        proof: Hex[];
        previousAmount: bigint;
        previousProof: Hex[];
      };
    };

/** A contribution signed for relaying (see IContributionRegistry.SignedContribution). */
export interface SignedContribution {
  contributor: Address;
  datanetId: bigint;
  contentHash: Hex;
  uri: string;
  /** The largest bond the contributor accepts (signed). */
  maxBond: bigint;
  deadline: bigint;
  signature: Hex;
}

/** One call of a governance proposal (executed by the timelock). */
export interface ProposalCall {
  target: Address;
  /** Wei sent with the call. */
  value: bigint;
  data: Hex;
}

/** A governance proposal: its calls and description (its id is their hash). */
export interface Proposal {
  calls: ProposalCall[];
  description: string;
}

/** Vote choices of OpenZeppelin's GovernorCountingSimple. */
export const VoteSupport = { Against: 0, For: 1, Abstain: 2 } as const;

/** What every transaction action returns. */
export interface TxResult<T = undefined> {
  hash: Hex;
  receipt: TransactionReceipt;
  /** The function's return value, read from the simulation before sending. */
  result: T;
}

export interface OpenAttributionClientConfig {
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** Needed for transactions and signatures; reads work without it. */
  walletClient?: WalletClient<Transport, Chain | undefined, Account | undefined>;
  deployment: Deployment;
}

/** EIP-712 domain name of the ContributionRegistry. */
export const CONTRIBUTION_DOMAIN_NAME = "OpenAttribution ContributionRegistry";

/** EIP-712 types of a gasless contribution (IContributionRegistry.SignedContribution). */
export const CONTRIBUTE_TYPES = {
  Contribute: [
    { name: "contributor", type: "address" },
    { name: "datanetId", type: "uint256" },
    { name: "contentHash", type: "bytes32" },
    { name: "uriHash", type: "bytes32" },
    { name: "maxBond", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** EIP-712 types of a commitment signed for relaying (IContributionRegistry.commitWithSig). */
export const COMMIT_TYPES = {
  Commit: [
    { name: "contributor", type: "address" },
    { name: "commitment", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** A commitment with its contributor's signature, for anyone to relay with `relayCommitment`. */
export interface SignedCommitment {
  commitment: ContributionCommitment;
  deadline: bigint;
  signature: Hex;
}

/** EIP-712 types of an ERC-2612 permit. */
export const PERMIT_TYPES = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

function validateSettings(s: DatanetSettings): Required<DatanetSettings> {
  requireInteger("settings.kind", s.kind, 0, 3);
  requireInteger("settings.reviewQuorum", s.reviewQuorum, 1, 255);
  requireInteger("settings.reviewWindow", s.reviewWindow, 0, 2 ** 32 - 1);
  requireInteger("settings.dailyLimit", s.dailyLimit, 0, 2 ** 32 - 1);
  requireAmount("settings.bond", s.bond, 0n, 2n ** 96n - 1n);
  if (typeof s.open !== "boolean" || typeof s.optimistic !== "boolean") {
    throw new InvalidInputError("settings", "open and optimistic must be booleans");
  }
  const commitRevealOnly = s.commitRevealOnly ?? false;
  if (typeof commitRevealOnly !== "boolean") {
    throw new InvalidInputError("settings.commitRevealOnly", "expected a boolean");
  }
  return { ...s, commitRevealOnly };
}

/** The id of a contribution of `contentHash` to `datanetId`: keccak256(abi.encode(datanetId, contentHash)). */
export function computeContributionId(datanetId: bigint, contentHash: Hex): Hex {
  return keccak256(`0x${datanetId.toString(16).padStart(64, "0")}${contentHash.slice(2)}`);
}

/** A report's fields checked against what the AttributionRegistry stores. */
function checkReport(report: OnchainReport): OnchainReport {
  return {
    ...report,
    weightsRoot: requireHash("report.weightsRoot", report.weightsRoot, true),
    cumulativeRoot: requireHash("report.cumulativeRoot", report.cumulativeRoot),
    totalCumulative: requireAmount("report.totalCumulative", report.totalCumulative, 0n, 2n ** 96n - 1n),
    totalWeight: requireAmount("report.totalWeight", report.totalWeight, 0n, 2n ** 128n - 1n),
    uri: requireText("report.uri", report.uri),
  };
}

/** A proposal's calls as the governor takes them: targets, values and calldatas. */
function splitCalls(calls: ProposalCall[]): [Address[], bigint[], Hex[]] {
  if (!Array.isArray(calls) || calls.length === 0)
    throw new InvalidInputError("calls", "a proposal needs at least one call");
  return [
    calls.map((c, i) => requireAddress(`calls[${i}].target`, c.target)),
    calls.map((c, i) => requireAmount(`calls[${i}].value`, c.value, 0n)),
    calls.map((c, i) => {
      if (typeof c.data !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(c.data))
        throw new InvalidInputError(`calls[${i}].data`, "expected 0x-prefixed calldata");
      return c.data;
    }),
  ];
}

/** Calldata of the governor's `queue` or `execute` for a proposal (identified by its calls and description hash). */
function proposalCall(functionName: "queue" | "execute", { calls, description }: Proposal): Hex {
  const [targets, values, datas] = splitCalls(calls);
  const descriptionHash = keccak256(toBytes(requireText("description", description)));
  return encodeFunctionData({
    abi: openGovernorAbi,
    functionName,
    args: [targets, values, datas, descriptionHash],
  });
}

/** Validates 1 to 256 items and splits them into the contract's two arrays. */
function splitItems(items: ContributionItem[]): { hashes: Hex[]; uris: string[] } {
  if (!Array.isArray(items) || items.length === 0 || items.length > 256) {
    throw new InvalidInputError("items", "expected 1 to 256 items");
  }
  return {
    hashes: items.map((it, i) => requireHash(`items[${i}].contentHash`, it.contentHash)),
    uris: items.map((it, i) => requireText(`items[${i}].uri`, it.uri)),
  };
}

/**
 * What a contributor commits to for commit-reveal (IContributionRegistry.hashCommitment):
 * keccak256(abi.encode(datanetId, contentHashes, uris, maxBond, salt)).
 */
export function hashCommitment(
  datanetId: bigint,
  contentHashes: readonly Hex[],
  uris: readonly string[],
  maxBond: bigint,
  salt: Hex,
): Hex {
  return keccak256(
    encodeAbiParameters(parseAbiParameters("uint256, bytes32[], string[], uint96, bytes32"), [
      datanetId,
      contentHashes,
      uris,
      maxBond,
      salt,
    ]),
  );
}

function randomBytes32(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(32));
}

/**
 * A typed client for every user-facing action of an OpenAttribution deployment. Inputs are
 * validated before anything is sent (named `InvalidInputError` subclasses); every transaction
 * is simulated first, and contract reverts are thrown as named `ContractRevertError`
 * subclasses carrying the custom error's arguments.
 * @example
 * const oa = createOpenAttributionClient({ publicClient, walletClient, deployment: deploymentFor(11155111) });
 * const { result: id } = await oa.contribute({ datanetId: 1n, contentHash: keccak256(file), uri: "ipfs://…" });
 */
export function createOpenAttributionClient({
  publicClient,
  walletClient,
  deployment,
}: OpenAttributionClientConfig) {
  const c = deployment.contracts;
  const addresses = {
    token: c.OpenToken.address,
    timelock: c.OpenTimelock.address,
    governor: c.OpenGovernor.address,
    contributions: c.ContributionRegistry.address,
    models: c.ModelRegistry.address,
    distributor: c.RewardDistributor.address,
    attribution: c.AttributionRegistry.address,
  };

  function account(): Account {
    const acct = walletClient?.account;
    if (!walletClient || !acct)
      throw new WalletRequiredError("this action sends a transaction: pass a walletClient with an account");
    return acct;
  }

  /** Simulates, sends and waits for one call; decodes the return value with `abi`/`functionName`. */
  async function send<T>(to: Address, data: Hex, decode?: (returned: Hex) => T): Promise<TxResult<T>> {
    const from = account();
    try {
      const { data: returned } = await publicClient.call({ account: from, to, data });
      const hash = await walletClient!.sendTransaction({
        account: from,
        to,
        data,
        chain: walletClient!.chain ?? null,
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const result = (decode && returned ? decode(returned) : undefined) as T;
      return { hash, receipt, result };
    } catch (error) {
      throw decodeContractError(error);
    }
  }

  async function read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw decodeContractError(error);
    }
  }

  /** `maxBond` validated, or the datanet's current bond when not given. */
  async function bondLimit(datanetId: bigint, maxBond: bigint | undefined): Promise<bigint> {
    if (maxBond !== undefined) return requireAmount("maxBond", maxBond, 0n, 2n ** 96n - 1n);
    const [, , settings] = await read(() =>
      publicClient.readContract({ ...contributions, functionName: "getDatanet", args: [datanetId] }),
    );
    return settings.bond;
  }

  /** Validates a commitment's fields (bond limit: the datanet's bond now; salt: random by default) and hashes it. */
  async function prepareCommitment(
    contributor: Address,
    datanetId: bigint,
    items: ContributionItem[],
    maxBond: bigint | undefined,
    salt: Hex | undefined,
  ): Promise<ContributionCommitment> {
    const id = requireId("datanetId", datanetId);
    const { hashes, uris } = splitItems(items);
    const limit = await bondLimit(id, maxBond);
    const chosenSalt = salt === undefined ? toHex(randomBytes32()) : requireHash("salt", salt, true);
    return {
      contributor,
      datanetId: id,
      items: hashes.map((contentHash, i) => ({ contentHash, uri: uris[i] })),
      maxBond: limit,
      salt: chosenSalt,
      commitment: hashCommitment(id, hashes, uris, limit, chosenSalt),
    };
  }

  const contributionDomain = {
    name: CONTRIBUTION_DOMAIN_NAME,
    version: "1",
    chainId: deployment.chainId,
    verifyingContract: addresses.contributions,
  } as const;

  const attributionDomain = {
    name: ATTRIBUTION_DOMAIN_NAME,
    version: "1",
    chainId: deployment.chainId,
    verifyingContract: addresses.attribution,
  } as const;

  const contributions = { address: addresses.contributions, abi: contributionRegistryAbi } as const;
  const models = { address: addresses.models, abi: modelRegistryAbi } as const;
  const distributor = { address: addresses.distributor, abi: rewardDistributorAbi } as const;
  const attribution = { address: addresses.attribution, abi: attributionRegistryAbi } as const;
  const token = { address: addresses.token, abi: openTokenAbi } as const;
  const governor = { address: addresses.governor, abi: openGovernorAbi } as const;

  const client = {
    deployment,
    addresses,

    // ------------------------------------------------------------ token

    /** Approves `spender` (default: the ContributionRegistry) to pull `amount` OPEN. */
    async approve({ spender = addresses.contributions, amount }: { spender?: Address; amount: bigint }) {
      const args = [requireAddress("spender", spender), requireAmount("amount", amount, 0n)] as const;
      return send(token.address, encodeFunctionData({ abi: openTokenAbi, functionName: "approve", args }));
    },
    /** OPEN balance of `owner`. */
    async tokenBalance(owner: Address) {
      return read(() =>
        publicClient.readContract({
          ...token,
          functionName: "balanceOf",
          args: [requireAddress("owner", owner)],
        }),
      );
    },

    /** Sends `amount` OPEN from the wallet to `to`. */
    async transfer({ to, amount }: { to: Address; amount: bigint }) {
      const args = [requireAddress("to", to), requireAmount("amount", amount)] as const;
      return send(token.address, encodeFunctionData({ abi: openTokenAbi, functionName: "transfer", args }));
    },
    /** Delegates the wallet's votes to `delegatee` (itself to vote with its own OPEN). */
    async delegate({ delegatee }: { delegatee: Address }) {
      const args = [requireAddress("delegatee", delegatee)] as const;
      return send(token.address, encodeFunctionData({ abi: openTokenAbi, functionName: "delegate", args }));
    },

    /** Number of datanets and of models created so far (ids are 1..count). */
    async counts() {
      return {
        datanets: await read(() =>
          publicClient.readContract({ ...contributions, functionName: "datanetCount" }),
        ),
        models: await read(() => publicClient.readContract({ ...models, functionName: "modelCount" })),
      };
    },

    // ------------------------------------------------------------ datanets

    /** Creates a datanet owned by the wallet; `result` is its id. */
    async createDatanet({ metadataURI, settings }: { metadataURI: string; settings: DatanetSettings }) {
      const args = [requireText("metadataURI", metadataURI), validateSettings(settings)] as const;
      const data = encodeFunctionData({ abi: contributionRegistryAbi, functionName: "createDatanet", args });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: contributionRegistryAbi, functionName: "createDatanet", data: returned }),
      );
    },
    /** Replaces a datanet's settings (datanet owner). */
    async updateDatanetSettings({ datanetId, settings }: { datanetId: bigint; settings: DatanetSettings }) {
      const args = [requireId("datanetId", datanetId), validateSettings(settings)] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "updateDatanetSettings", args }),
      );
    },
    /** Adds or removes a reviewer (datanet owner). */
    async setReviewer({
      datanetId,
      reviewer,
      active,
    }: {
      datanetId: bigint;
      reviewer: Address;
      active: boolean;
    }) {
      const args = [requireId("datanetId", datanetId), requireAddress("reviewer", reviewer), active] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "setReviewer", args }),
      );
    },
    /** Starts a two-step datanet ownership transfer (datanet owner). */
    async transferDatanetOwnership({ datanetId, newOwner }: { datanetId: bigint; newOwner: Address }) {
      const args = [requireId("datanetId", datanetId), requireAddress("newOwner", newOwner)] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "transferDatanetOwnership", args }),
      );
    },
    /** Accepts a datanet ownership transfer (pending owner). */
    async acceptDatanetOwnership({ datanetId }: { datanetId: bigint }) {
      const args = [requireId("datanetId", datanetId)] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "acceptDatanetOwnership", args }),
      );
    },
    /** Snapshots a datanet version (datanet owner); `result` is the version number. */
    async snapshotVersion({ datanetId }: { datanetId: bigint }) {
      const args = [requireId("datanetId", datanetId)] as const;
      const data = encodeFunctionData({
        abi: contributionRegistryAbi,
        functionName: "snapshotVersion",
        args,
      });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({
          abi: contributionRegistryAbi,
          functionName: "snapshotVersion",
          data: returned,
        }),
      );
    },
    /** A datanet's owner, pending owner, settings, counters and metadata URI. */
    async getDatanet(datanetId: bigint) {
      const [owner, pendingOwner, settings, acceptedCount, versionCount, metadataURI] = await read(() =>
        publicClient.readContract({
          ...contributions,
          functionName: "getDatanet",
          args: [requireId("datanetId", datanetId)],
        }),
      );
      return { owner, pendingOwner, settings, acceptedCount, versionCount, metadataURI };
    },

    // ------------------------------------------------------------ contributions

    /** The id a contribution of `contentHash` to `datanetId` has: keccak256(abi.encode(datanetId, contentHash)). */
    contributionId(datanetId: bigint, contentHash: Hex): Hex {
      return computeContributionId(
        requireId("datanetId", datanetId),
        requireHash("contentHash", contentHash),
      );
    },
    /**
     * Contributes content (bond escrowed from the wallet, which must have approved it); `result`
     * is the id. `maxBond` is the largest bond accepted (default: the datanet's bond now, so a
     * bond raised before the transaction is mined makes it revert instead of charging more).
     * Visible in the mempool before it is mined: on a public mempool prefer commit-reveal.
     */
    async contribute({
      datanetId,
      contentHash,
      uri,
      maxBond,
    }: {
      datanetId: bigint;
      contentHash: Hex;
      uri: string;
      maxBond?: bigint;
    }) {
      const id = requireId("datanetId", datanetId);
      const args = [
        id,
        requireHash("contentHash", contentHash),
        requireText("uri", uri),
        await bondLimit(id, maxBond),
      ] as const;
      const data = encodeFunctionData({ abi: contributionRegistryAbi, functionName: "contribute", args });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: contributionRegistryAbi, functionName: "contribute", data: returned }),
      );
    },
    /** Contributes many items in one transaction, all or nothing; `result` is the ids. */
    async contributeBatch({
      datanetId,
      items,
      maxBond,
    }: {
      datanetId: bigint;
      items: ContributionItem[];
      maxBond?: bigint;
    }) {
      const id = requireId("datanetId", datanetId);
      const { hashes, uris } = splitItems(items);
      const data = encodeFunctionData({
        abi: contributionRegistryAbi,
        functionName: "contributeBatch",
        args: [id, hashes, uris, await bondLimit(id, maxBond)],
      });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({
          abi: contributionRegistryAbi,
          functionName: "contributeBatch",
          data: returned,
        }),
      );
    },
    /**
     * Commits the wallet to contributions it reveals later (front-running protection). Keep the
     * returned object: `revealContributions` needs it, at least `MIN_REVEAL_DELAY` (1 minute)
     * and at most `COMMITMENT_LIFETIME` (1 day) later. `salt` defaults to a random value.
     */
    async commitContributions({
      datanetId,
      items,
      maxBond,
      salt,
    }: {
      datanetId: bigint;
      items: ContributionItem[];
      maxBond?: bigint;
      salt?: Hex;
    }): Promise<TxResult & { commitment: ContributionCommitment }> {
      const commitment = await prepareCommitment(account().address, datanetId, items, maxBond, salt);
      const sent = await send<undefined>(
        contributions.address,
        encodeFunctionData({
          abi: contributionRegistryAbi,
          functionName: "commit",
          args: [commitment.commitment],
        }),
      );
      return { ...sent, commitment };
    },
    /**
     * Signs a commitment with the wallet (gasless commit-reveal): a relayer sends it with
     * `relayCommitment` and later `revealContributions`; it never sees the content before the reveal.
     */
    async signCommitment({
      datanetId,
      items,
      deadline,
      maxBond,
      salt,
    }: {
      datanetId: bigint;
      items: ContributionItem[];
      deadline: bigint;
      maxBond?: bigint;
      salt?: Hex;
    }): Promise<SignedCommitment> {
      const signer = account();
      const commitment = await prepareCommitment(signer.address, datanetId, items, maxBond, salt);
      const nonce = await read(() =>
        publicClient.readContract({ ...contributions, functionName: "nonces", args: [signer.address] }),
      );
      const signature = await walletClient!.signTypedData({
        account: signer,
        domain: contributionDomain,
        types: COMMIT_TYPES,
        primaryType: "Commit",
        message: {
          contributor: signer.address,
          commitment: commitment.commitment,
          nonce,
          deadline: requireAmount("deadline", deadline),
        },
      });
      return { commitment, deadline, signature };
    },
    /** Sends a signed commitment for its contributor (the wallet pays the gas). */
    async relayCommitment({ commitment, deadline, signature }: SignedCommitment) {
      const args = [
        requireAddress("contributor", commitment.contributor),
        requireHash("commitment", commitment.commitment),
        requireAmount("deadline", deadline),
        signature,
      ] as const;
      return send<undefined>(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "commitWithSig", args }),
      );
    },
    /** Reveals a commitment (anyone may send it; the contributions are the committer's); `result` is the ids. */
    async revealContributions(c: ContributionCommitment) {
      const { hashes, uris } = splitItems(c.items);
      const args = [
        requireAddress("contributor", c.contributor),
        requireId("datanetId", c.datanetId),
        hashes,
        uris,
        requireAmount("maxBond", c.maxBond, 0n, 2n ** 96n - 1n),
        requireHash("salt", c.salt, true),
      ] as const;
      const data = encodeFunctionData({ abi: contributionRegistryAbi, functionName: "reveal", args });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: contributionRegistryAbi, functionName: "reveal", data: returned }),
      );
    },
    /** Signs a gasless contribution with the wallet (EIP-712) for anyone to relay. */
    async signContribution({
      datanetId,
      contentHash,
      uri,
      deadline,
      maxBond,
    }: {
      datanetId: bigint;
      contentHash: Hex;
      uri: string;
      deadline: bigint;
      maxBond?: bigint;
    }): Promise<SignedContribution> {
      const signer = account();
      const id = requireId("datanetId", datanetId);
      const message = {
        contributor: signer.address,
        datanetId: id,
        contentHash: requireHash("contentHash", contentHash),
        uriHash: keccak256(toBytes(requireText("uri", uri))),
        maxBond: await bondLimit(id, maxBond),
        nonce: await read(() =>
          publicClient.readContract({ ...contributions, functionName: "nonces", args: [signer.address] }),
        ),
        deadline: requireAmount("deadline", deadline),
      };
      const signature = await walletClient!.signTypedData({
        account: signer,
        domain: contributionDomain,
        types: CONTRIBUTE_TYPES,
        primaryType: "Contribute",
        message,
      });
      return {
        contributor: signer.address,
        datanetId: message.datanetId,
        contentHash,
        uri,
        maxBond: message.maxBond,
        deadline,
        signature,
      };
    },
    /** Relays a signed contribution (the wallet pays the gas; the bond comes from the contributor). */
    async relayContribution(signed: SignedContribution) {
      const request = { ...signed, contributor: requireAddress("contributor", signed.contributor) };
      const data = encodeFunctionData({
        abi: contributionRegistryAbi,
        functionName: "contributeWithSig",
        args: [request],
      });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({
          abi: contributionRegistryAbi,
          functionName: "contributeWithSig",
          data: returned,
        }),
      );
    },
    /** Relays a signed contribution together with the contributor's ERC-2612 permit for the bond. */
    async relayContributionWithPermit(
      signed: SignedContribution,
      permit: { value: bigint; deadline: bigint; signature: Hex },
    ) {
      const { v, r, s } = parseSignature(permit.signature);
      const args = [signed, { value: permit.value, deadline: permit.deadline, v: Number(v), r, s }] as const;
      const data = encodeFunctionData({
        abi: contributionRegistryAbi,
        functionName: "contributeWithSigAndPermit",
        args,
      });
      return send(contributions.address, data, (returned: Hex) =>
        decodeFunctionResult({
          abi: contributionRegistryAbi,
          functionName: "contributeWithSigAndPermit",
          data: returned,
        }),
      );
    },
    /** Signs an ERC-2612 permit of the wallet's OPEN for `spender`. */
    async signPermit({ spender, value, deadline }: { spender: Address; value: bigint; deadline: bigint }) {
      const owner = account();
      const nonce = await read(() =>
        publicClient.readContract({ ...token, functionName: "nonces", args: [owner.address] }),
      );
      const name = await read(() => publicClient.readContract({ ...token, functionName: "name" }));
      const signature = await walletClient!.signTypedData({
        account: owner,
        domain: { name, version: "1", chainId: deployment.chainId, verifyingContract: addresses.token },
        types: PERMIT_TYPES,
        primaryType: "Permit",
        message: {
          owner: owner.address,
          spender: requireAddress("spender", spender),
          value: requireAmount("value", value, 0n),
          nonce,
          deadline,
        },
      });
      return { value, deadline, signature };
    },
    /** Approves (`true`) or rejects a pending contribution (reviewer). */
    async review({ contributionId, approve }: { contributionId: Hex; approve: boolean }) {
      const args = [requireHash("contributionId", contributionId), approve] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "review", args }),
      );
    },
    /** Accepts a contribution whose optimistic review window passed without rejection (anyone). */
    async finalizeContribution({ contributionId }: { contributionId: Hex }) {
      const args = [requireHash("contributionId", contributionId)] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "finalize", args }),
      );
    },
    /** Withdraws consent for the wallet's own contribution. */
    async withdrawContribution({ contributionId }: { contributionId: Hex }) {
      const args = [requireHash("contributionId", contributionId)] as const;
      return send(
        contributions.address,
        encodeFunctionData({ abi: contributionRegistryAbi, functionName: "withdraw", args }),
      );
    },
    /** A stored contribution. */
    async getContribution(contributionId: Hex) {
      return read(() =>
        publicClient.readContract({
          ...contributions,
          functionName: "getContribution",
          args: [requireHash("contributionId", contributionId)],
        }),
      );
    },
    /** An account's reputation counters. */
    async reputation(accountAddress: Address) {
      return read(() =>
        publicClient.readContract({
          ...contributions,
          functionName: "reputation",
          args: [requireAddress("account", accountAddress)],
        }),
      );
    },

    // ------------------------------------------------------------ models

    /** Registers a model or adapter; `result` is its id. */
    async registerModel({
      metadataURI,
      trainedOn,
      parentId = 0n,
      royaltyBps = 0,
    }: {
      metadataURI: string;
      trainedOn: { datanetId: number; version: number }[];
      parentId?: bigint;
      royaltyBps?: number;
    }) {
      const versions = trainedOn.map((v, i) => ({
        datanetId: requireInteger(`trainedOn[${i}].datanetId`, v.datanetId, 1, 2 ** 32 - 1),
        version: requireInteger(`trainedOn[${i}].version`, v.version, 1, 2 ** 32 - 1),
      }));
      const args = [
        requireText("metadataURI", metadataURI),
        versions,
        requireAmount("parentId", parentId, 0n, 2n ** 32n - 1n),
        requireInteger("royaltyBps", royaltyBps, 0, 10_000),
      ] as const;
      const data = encodeFunctionData({ abi: modelRegistryAbi, functionName: "registerModel", args });
      return send(models.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: modelRegistryAbi, functionName: "registerModel", data: returned }),
      );
    },
    /** Activates or deactivates a model (model owner). */
    async setModelActive({ modelId, active }: { modelId: bigint; active: boolean }) {
      const args = [requireId("modelId", modelId), active] as const;
      return send(
        models.address,
        encodeFunctionData({ abi: modelRegistryAbi, functionName: "setModelActive", args }),
      );
    },
    /** A model. */
    async getModel(modelId: bigint) {
      return read(() =>
        publicClient.readContract({
          ...models,
          functionName: "getModel",
          args: [requireId("modelId", modelId)],
        }),
      );
    },
    /** A model's ancestors, parent first. */
    async lineage(modelId: bigint) {
      return read(() =>
        publicClient.readContract({
          ...models,
          functionName: "lineage",
          args: [requireId("modelId", modelId)],
        }),
      );
    },
    /** The datanet versions a model was trained on. */
    async trainedOn(modelId: bigint) {
      return read(() =>
        publicClient.readContract({
          ...models,
          functionName: "trainedOn",
          args: [requireId("modelId", modelId)],
        }),
      );
    },

    // ------------------------------------------------------------ payments and balances

    /** Pays `amount` OPEN for inference on a model (the wallet must have approved the distributor). */
    async payInference({ modelId, amount }: { modelId: bigint; amount: bigint }) {
      const args = [
        requireId("modelId", modelId),
        requireAmount("amount", amount, 1n, 2n ** 96n - 1n),
      ] as const;
      return send(
        distributor.address,
        encodeFunctionData({ abi: rewardDistributorAbi, functionName: "payInference", args }),
      );
    },
    /** Pays with an ERC-2612 permit signed by the wallet in the same call (no approval needed). */
    async payInferenceWithPermit({
      modelId,
      amount,
      deadline,
    }: {
      modelId: bigint;
      amount: bigint;
      deadline: bigint;
    }) {
      // Validate before asking the wallet for a signature.
      const id = requireId("modelId", modelId);
      const value = requireAmount("amount", amount, 1n, 2n ** 96n - 1n);
      requireAmount("deadline", deadline);
      const permit = await client.signPermit({ spender: addresses.distributor, value, deadline });
      const { v, r, s } = parseSignature(permit.signature);
      const args = [id, value, { deadline, v: Number(v), r, s }] as const;
      return send(
        distributor.address,
        encodeFunctionData({ abi: rewardDistributorAbi, functionName: "payInferenceWithPermit", args }),
      );
    },
    /** Splits a model's accrued royalties into its buckets (anyone). */
    async settleRoyalties({ modelId }: { modelId: bigint }) {
      const args = [requireId("modelId", modelId)] as const;
      return send(
        distributor.address,
        encodeFunctionData({ abi: rewardDistributorAbi, functionName: "settleRoyalties", args }),
      );
    },
    /** Withdraws the wallet's accrued owner balance. */
    async withdrawBalance() {
      const data = encodeFunctionData({ abi: rewardDistributorAbi, functionName: "withdraw" });
      return send(distributor.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: rewardDistributorAbi, functionName: "withdraw", data: returned }),
      );
    },
    /** Sends the treasury its accrued balance (anyone). */
    async withdrawTreasury() {
      const data = encodeFunctionData({ abi: rewardDistributorAbi, functionName: "withdrawTreasury" });
      return send(distributor.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: rewardDistributorAbi, functionName: "withdrawTreasury", data: returned }),
      );
    },
    /** Balances held for `owner` by the distributor, plus the treasury's and a model's accruals. */
    async balances(owner: Address) {
      const who = requireAddress("owner", owner);
      return {
        ownerBalance: await read(() =>
          publicClient.readContract({ ...distributor, functionName: "balanceOf", args: [who] }),
        ),
        treasuryBalance: await read(() =>
          publicClient.readContract({ ...distributor, functionName: "treasuryBalance" }),
        ),
      };
    },
    /** A model's contributor pool: funded so far and claimed so far. */
    async pool(modelId: bigint) {
      const id = requireId("modelId", modelId);
      return {
        funded: await read(() =>
          publicClient.readContract({ ...distributor, functionName: "contributorPoolTotal", args: [id] }),
        ),
        claimed: await read(() =>
          publicClient.readContract({ ...distributor, functionName: "claimedTotal", args: [id] }),
        ),
      };
    },

    // ------------------------------------------------------------ attribution

    /** The epoch containing `timestamp` (unix seconds), computed locally. */
    epochAt(timestamp: bigint | number): bigint {
      const t = BigInt(timestamp);
      const genesis = BigInt(deployment.epochs.genesis);
      if (t < genesis) throw new InvalidInputError("timestamp", `is before the first epoch (${genesis})`);
      return (t - genesis) / BigInt(deployment.epochs.length);
    },
    /** First second after `epoch`. */
    epochEnd(epoch: bigint): bigint {
      return BigInt(deployment.epochs.genesis) + (epoch + 1n) * BigInt(deployment.epochs.length);
    },
    /** Contributor pool funded to a model up to the end of `epoch`. */
    async poolFundedUpTo(modelId: bigint, epoch: bigint) {
      return read(() =>
        publicClient.readContract({
          ...distributor,
          functionName: "contributorPoolFunded",
          args: [requireId("modelId", modelId), epoch],
        }),
      );
    },
    /** Submits the wallet's attestation of a report (attester). */
    async submitReport({
      modelId,
      epoch,
      report,
    }: {
      modelId: bigint;
      epoch: bigint;
      report: OnchainReport;
    }) {
      const args = [requireId("modelId", modelId), epoch, checkReport(report)] as const;
      const data = encodeFunctionData({ abi: attributionRegistryAbi, functionName: "submitReport", args });
      return send(attribution.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: attributionRegistryAbi, functionName: "submitReport", data: returned }),
      );
    },
    /** Replaces the wallet's own submission of `previousReportHash` in the current round (attester); `result` is the new hash. */
    async replaceReport({
      modelId,
      epoch,
      previousReportHash,
      report,
    }: {
      modelId: bigint;
      epoch: bigint;
      previousReportHash: Hex;
      report: OnchainReport;
    }) {
      const args = [
        requireId("modelId", modelId),
        epoch,
        requireHash("previousReportHash", previousReportHash),
        checkReport(report),
      ] as const;
      const data = encodeFunctionData({ abi: attributionRegistryAbi, functionName: "replaceReport", args });
      return send(attribution.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: attributionRegistryAbi, functionName: "replaceReport", data: returned }),
      );
    },
    /** Makes a report pending whose support already meets a lowered threshold (anyone). */
    async promoteReport({
      modelId,
      epoch,
      report,
    }: {
      modelId: bigint;
      epoch: bigint;
      report: OnchainReport;
    }) {
      const args = [requireId("modelId", modelId), epoch, checkReport(report)] as const;
      return send(
        attribution.address,
        encodeFunctionData({ abi: attributionRegistryAbi, functionName: "promoteReport", args }),
      );
    },
    /** Finalizes a model's pending report after its challenge window (anyone). */
    async finalizeReport({ modelId }: { modelId: bigint }) {
      const args = [requireId("modelId", modelId)] as const;
      return send(
        attribution.address,
        encodeFunctionData({ abi: attributionRegistryAbi, functionName: "finalizeReport", args }),
      );
    },
    /** Vetoes a model's pending report (guardian). */
    async veto({ modelId }: { modelId: bigint }) {
      const args = [requireId("modelId", modelId)] as const;
      return send(
        attribution.address,
        encodeFunctionData({ abi: attributionRegistryAbi, functionName: "veto", args }),
      );
    },
    /** Signs the wallet's support of `report` for the model's current round (attester, off chain). */
    async signReport({
      modelId,
      epoch,
      report,
    }: {
      modelId: bigint;
      epoch: bigint;
      report: OnchainReport;
    }): Promise<Attestation> {
      const from = account();
      const id = requireId("modelId", modelId);
      const { round } = await client.modelReports(id);
      const signature = await walletClient!.signTypedData({
        account: from,
        domain: attributionDomain,
        types: ATTEST_REPORT_TYPES,
        primaryType: "AttestReport",
        message: {
          modelId: id,
          epoch,
          round: BigInt(round),
          reportHash: hashReport(id, epoch, checkReport(report)),
        },
      });
      return { attester: from.address, signature };
    },
    /** Makes `report` pending in one transaction with attesters' signatures (anyone); sorts them. */
    async submitAttestedReport({
      modelId,
      epoch,
      report,
      attestations,
    }: {
      modelId: bigint;
      epoch: bigint;
      report: OnchainReport;
      attestations: Attestation[];
    }) {
      if (attestations.length === 0)
        throw new InvalidInputError("attestations", "must hold at least one signature");
      const sorted = sortAttestations(
        attestations.map((a, i) => ({
          attester: requireAddress(`attestations[${i}].attester`, a.attester),
          signature: a.signature,
        })),
      );
      const args = [requireId("modelId", modelId), epoch, checkReport(report), sorted] as const;
      const data = encodeFunctionData({
        abi: attributionRegistryAbi,
        functionName: "submitAttestedReport",
        args,
      });
      return send(attribution.address, data, (returned: Hex) =>
        decodeFunctionResult({
          abi: attributionRegistryAbi,
          functionName: "submitAttestedReport",
          data: returned,
        }),
      );
    },
    /** The model's pending report with its supporters (from its `ReportPending` event), or null. */
    async pendingReport(modelId: bigint): Promise<PendingReport | null> {
      const id = requireId("modelId", modelId);
      const state = await client.modelReports(id);
      if (!state.hasPending) return null;
      const stored = await read(() =>
        publicClient.readContract({ ...attribution, functionName: "pendingReport", args: [id] }),
      );
      const logs = await read(() =>
        publicClient.getContractEvents({
          ...attribution,
          eventName: "ReportPending",
          args: { modelId: id, epoch: BigInt(state.pendingEpoch) },
          fromBlock: BigInt(deployment.startBlock),
        }),
      );
      const log = logs.filter((l) => l.args.reportHash === stored.reportHash).at(-1);
      if (!log)
        throw new InvalidInputError(
          "modelId",
          `no ReportPending event found for model ${id}'s pending report`,
        );
      const a = log.args as Required<typeof log.args>;
      return {
        modelId: id,
        epoch: a.epoch,
        reportHash: a.reportHash,
        challengeEndsAt: a.challengeEndsAt,
        supporters: [...a.supporters],
        report: { ...a.report },
      };
    },
    /**
     * Checks every leaf of the model's pending report against the chain, from the report's JSON
     * document (whose roots must be the pending report's): the faults a challenge would prove,
     * with their evidence. `previous` is the document of the model's latest final report (its
     * root is checked), to compare each account with its previous amount.
     */
    async findReportFaults({
      modelId,
      document,
      previous,
    }: {
      modelId: bigint;
      document: ReportDocument;
      previous?: ReportDocument;
    }): Promise<{ pending: PendingReport; faults: ReportFaultFound[] }> {
      const pending = await client.pendingReport(modelId);
      if (!pending)
        throw new InvalidInputError("modelId", `model ${modelId} has no pending report to challenge`);
      const trees = documentTrees(document);
      if (
        BigInt(document.modelId) !== pending.modelId ||
        trees.weightsRoot !== pending.report.weightsRoot ||
        trees.cumulativeRoot !== pending.report.cumulativeRoot
      ) {
        throw new InvalidDocumentError(
          `the document is not model ${modelId}'s pending report (its roots or model differ from the chain's)`,
        );
      }
      const epochStart = BigInt(deployment.epochs.genesis) + pending.epoch * BigInt(deployment.epochs.length);
      const trainedOn = await client.trainedOn(pending.modelId);
      const snapshots = new Map<bigint, bigint[]>();
      for (const v of trainedOn) {
        const { timestamp } = await read(() =>
          publicClient.readContract({
            ...contributions,
            functionName: "getVersion",
            args: [BigInt(v.datanetId), v.version],
          }),
        );
        const list = snapshots.get(BigInt(v.datanetId)) ?? [];
        list.push(BigInt(timestamp));
        snapshots.set(BigInt(v.datanetId), list);
      }
      const faults: ReportFaultFound[] = [];
      const name = (fault: number) => REPORT_FAULT_NAMES[fault];
      for (const [i, w] of document.weights.entries()) {
        const record = await read(() =>
          publicClient.readContract({
            ...contributions,
            functionName: "getContribution",
            args: [w.contributionId],
          }),
        );
        const facts: ContributionFacts = { ...record, status: Number(record.status) };
        const weight = BigInt(w.weight);
        const fault = weightLeafFault(
          { contributor: w.contributor, weight },
          pending.report.totalWeight,
          facts,
          epochStart,
          snapshots.get(record.datanetId) ?? [],
        );
        if (fault !== ReportFault.None) {
          faults.push({
            fault: name(fault),
            kind: "weight",
            evidence: {
              contributionId: w.contributionId,
              contributor: w.contributor,
              weight,
              proof: trees.weightProof(i),
            },
          });
        }
      }
      let previousTrees: ReturnType<typeof documentTrees> | undefined;
      if (previous) {
        previousTrees = documentTrees(previous);
        const [root] = await read(() =>
          publicClient.readContract({ ...distributor, functionName: "claimRoot", args: [pending.modelId] }),
        );
        if (previousTrees.cumulativeRoot !== root)
          throw new InvalidDocumentError("the previous document is not the model's latest final report");
      }
      for (const [i, c] of document.cumulative.entries()) {
        const claimed = await read(() =>
          publicClient.readContract({
            ...distributor,
            functionName: "claimed",
            args: [pending.modelId, c.account],
          }),
        );
        const p =
          previous?.cumulative.findIndex((x) => x.account.toLowerCase() === c.account.toLowerCase()) ?? -1;
        const previousAmount = p === -1 ? 0n : BigInt(previous!.cumulative[p].amount);
        const amount = BigInt(c.amount);
        const fault = rewardLeafFault(amount, pending.report.totalCumulative, claimed, previousAmount);
        if (fault !== ReportFault.None) {
          const usePrevious = fault === ReportFault.AmountBelowPrevious;
          faults.push({
            fault: name(fault),
            kind: "reward",
            evidence: {
              account: c.account,
              cumulativeAmount: amount,
              proof: trees.cumulativeProof(i),
              previousAmount: usePrevious ? previousAmount : 0n,
              previousProof: usePrevious ? previousTrees!.cumulativeProof(p) : [],
            },
          });
        }
      }
      return { pending, faults };
    },
    /** Voids the model's pending report with a fault found by `findReportFaults` (anyone); `result` is the fault proven. */
    async challengeReport({ pending, found }: { pending: PendingReport; found: ReportFaultFound }) {
      const base = [pending.modelId, pending.report, pending.supporters] as const;
      const data =
        found.kind === "weight"
          ? encodeFunctionData({
              abi: attributionRegistryAbi,
              functionName: "challengeWeight",
              args: [...base, found.evidence],
            })
          : encodeFunctionData({
              abi: attributionRegistryAbi,
              functionName: "challengeReward",
              args: [...base, found.evidence],
            });
      return send(attribution.address, data, (returned: Hex) => REPORT_FAULT_NAMES[Number(BigInt(returned))]);
    },
    /** Bonds `amount` OPEN as an attester (approve the AttributionRegistry first). */
    async bondAttester({ amount }: { amount: bigint }) {
      const args = [requireAmount("amount", amount)] as const;
      return send(
        attribution.address,
        encodeFunctionData({ abi: attributionRegistryAbi, functionName: "bond", args }),
      );
    },
    /** Starts unbonding `amount` of the wallet's attester bond; `result` is when it unlocks (as mined). */
    async requestUnbond({ amount }: { amount: bigint }): Promise<TxResult<bigint>> {
      const args = [requireAmount("amount", amount)] as const;
      const data = encodeFunctionData({ abi: attributionRegistryAbi, functionName: "requestUnbond", args });
      const sent = await send(attribution.address, data);
      const { unlockAt } = await client.attesterInfo(account().address);
      return { ...sent, result: unlockAt };
    },
    /** Withdraws the wallet's unlocked unbonding OPEN; `result` is the amount. */
    async withdrawBond() {
      const data = encodeFunctionData({ abi: attributionRegistryAbi, functionName: "withdrawBond" });
      return send(attribution.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: attributionRegistryAbi, functionName: "withdrawBond", data: returned }),
      );
    },
    /** An account's standing as attester: registered, active, bond, unbonding, unlock time. */
    async attesterInfo(attester: Address) {
      return read(() =>
        publicClient.readContract({
          ...attribution,
          functionName: "attesterInfo",
          args: [requireAddress("attester", attester)],
        }),
      );
    },
    /** Attester rules: threshold, challenge window and bond settings. */
    async attesterRules() {
      const [threshold, challengeWindow, bonds] = await Promise.all([
        read(() => publicClient.readContract({ ...attribution, functionName: "threshold" })),
        read(() => publicClient.readContract({ ...attribution, functionName: "challengeWindow" })),
        read(() => publicClient.readContract({ ...attribution, functionName: "bondSettings" })),
      ]);
      return { threshold, challengeWindow, ...bonds };
    },
    /** A model's report state (latest final, pending). */
    async modelReports(modelId: bigint) {
      return read(() =>
        publicClient.readContract({
          ...attribution,
          functionName: "modelReports",
          args: [requireId("modelId", modelId)],
        }),
      );
    },

    // ------------------------------------------------------------ claims

    /** Claims for `account` with an explicit proof; `result` is the amount paid. */
    async claim({
      modelId,
      account: claimant,
      cumulativeAmount,
      proof,
    }: {
      modelId: bigint;
      account: Address;
      cumulativeAmount: bigint;
      proof: Hex[];
    }) {
      const args = [
        requireId("modelId", modelId),
        requireAddress("account", claimant),
        requireAmount("cumulativeAmount", cumulativeAmount),
        proof,
      ] as const;
      const data = encodeFunctionData({ abi: rewardDistributorAbi, functionName: "claim", args });
      return send(distributor.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: rewardDistributorAbi, functionName: "claim", data: returned }),
      );
    },
    /** Claims for `account` from a built report, fetching the amount and proof from it. */
    async claimFromReport({ report, account: claimant }: { report: BuiltReport; account: Address }) {
      const { cumulativeAmount, proof } = report.proof(claimant);
      return client.claim({ modelId: report.modelId, account: claimant, cumulativeAmount, proof });
    },
    /** Claims across models for `account` with one transfer, skipping items with nothing new. */
    async claimBatch({ account: claimant, reports }: { account: Address; reports: BuiltReport[] }) {
      const who = requireAddress("account", claimant);
      const items = reports.map((r) => ({ modelId: r.modelId, ...r.proof(who) }));
      const data = encodeFunctionData({
        abi: rewardDistributorAbi,
        functionName: "claimBatch",
        args: [who, items],
      });
      return send(distributor.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: rewardDistributorAbi, functionName: "claimBatch", data: returned }),
      );
    },
    /** What `account` would be paid now for its leaf in `report` (0 if nothing new). */
    async claimable({ report, account: claimant }: { report: BuiltReport; account: Address }) {
      const who = requireAddress("account", claimant);
      const { cumulativeAmount } = report.proof(who);
      return read(() =>
        publicClient.readContract({
          ...distributor,
          functionName: "claimable",
          args: [report.modelId, who, cumulativeAmount],
        }),
      );
    },

    // ------------------------------------------------------------ governance

    /** Proposes calls for the timelock to execute (needs the proposal threshold in votes); `result` is the proposal id. */
    async propose({ calls, description }: Proposal) {
      const [targets, values, datas] = splitCalls(calls);
      const args = [targets, values, datas, requireText("description", description)] as const;
      const data = encodeFunctionData({ abi: openGovernorAbi, functionName: "propose", args });
      return send(governor.address, data, (returned: Hex) =>
        decodeFunctionResult({ abi: openGovernorAbi, functionName: "propose", data: returned }),
      );
    },
    /** Votes on an active proposal with the wallet's votes at the proposal's snapshot. */
    async castVote({
      proposalId,
      support,
      reason = "",
    }: {
      proposalId: bigint;
      support: number;
      reason?: string;
    }) {
      const args = [
        requireId("proposalId", proposalId),
        requireInteger("support", support, 0, 2),
        reason,
      ] as const;
      return send(
        governor.address,
        encodeFunctionData({ abi: openGovernorAbi, functionName: "castVoteWithReason", args }),
      );
    },
    /** Queues a succeeded proposal in the timelock (anyone). */
    async queueProposal(proposal: Proposal) {
      return send(governor.address, proposalCall("queue", proposal));
    },
    /** Executes a queued proposal once the timelock delay has passed (anyone). */
    async executeProposal(proposal: Proposal) {
      return send(governor.address, proposalCall("execute", proposal));
    },
    /** A proposal's state (index into OpenZeppelin's ProposalState), voting times, votes and timelock ETA. */
    async proposal(proposalId: bigint) {
      const id = requireId("proposalId", proposalId);
      const readField = <T>(
        functionName: "state" | "proposalSnapshot" | "proposalDeadline" | "proposalEta",
      ) => read(() => publicClient.readContract({ ...governor, functionName, args: [id] }) as Promise<T>);
      const [against, forVotes, abstain] = await read(() =>
        publicClient.readContract({ ...governor, functionName: "proposalVotes", args: [id] }),
      );
      return {
        state: await readField<number>("state"),
        voteStart: await readField<bigint>("proposalSnapshot"),
        voteEnd: await readField<bigint>("proposalDeadline"),
        eta: await readField<bigint>("proposalEta"),
        votes: { against, for: forVotes, abstain },
      };
    },

    // ------------------------------------------------------------ staking

    /** Stakes OPEN on a model (the wallet must have approved the distributor). */
    async stake({ modelId, amount }: { modelId: bigint; amount: bigint }) {
      const args = [requireId("modelId", modelId), requireAmount("amount", amount)] as const;
      return send(
        distributor.address,
        encodeFunctionData({ abi: rewardDistributorAbi, functionName: "stake", args }),
      );
    },
    /** Starts unstaking (stops earning now, withdrawable after the cooldown). */
    async unstake({ modelId, amount }: { modelId: bigint; amount: bigint }) {
      const args = [requireId("modelId", modelId), requireAmount("amount", amount)] as const;
      return send(
        distributor.address,
        encodeFunctionData({ abi: rewardDistributorAbi, functionName: "unstake", args }),
      );
    },
    /** Withdraws unstaked tokens after the cooldown. */
    async withdrawStake({ modelId }: { modelId: bigint }) {
      const args = [requireId("modelId", modelId)] as const;
      return send(
        distributor.address,
        encodeFunctionData({ abi: rewardDistributorAbi, functionName: "withdrawStake", args }),
      );
    },
    /** Claims the wallet's staking rewards on a model; `result` is the amount. */
    async claimStakingRewards({ modelId }: { modelId: bigint }): Promise<TxResult<bigint>> {
      const args = [requireId("modelId", modelId)] as const;
      const data = encodeFunctionData({
        abi: rewardDistributorAbi,
        functionName: "claimStakingRewards",
        args,
      });
      const sent = await send<undefined>(distributor.address, data);
      // Rewards stream every second: the amount paid is the mined one (its event), not the
      // amount the simulation one block earlier saw.
      const [claimed] = parseEventLogs({
        abi: rewardDistributorAbi,
        eventName: "StakingRewardsClaimed",
        logs: sent.receipt.logs,
      });
      return { ...sent, result: claimed.args.amount };
    },
    /** A staker's position and pending rewards on a model. */
    async stakeOf(modelId: bigint, staker: Address) {
      const id = requireId("modelId", modelId);
      const who = requireAddress("staker", staker);
      const position = await read(() =>
        publicClient.readContract({ ...distributor, functionName: "positionOf", args: [id, who] }),
      );
      const pending = await read(() =>
        publicClient.readContract({ ...distributor, functionName: "pendingStakingRewards", args: [id, who] }),
      );
      return { ...position, pendingRewards: pending };
    },
  };
  return client;
}

/** The client returned by `createOpenAttributionClient`. */
export type OpenAttributionClient = ReturnType<typeof createOpenAttributionClient>;
