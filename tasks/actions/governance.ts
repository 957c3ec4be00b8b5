import {
  encodeFunctionData,
  parseEther,
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Hex,
} from "viem";

import {
  attributionRegistryAbi,
  contributionRegistryAbi,
  CONTRACT_NAMES,
  modelRegistryAbi,
  openGovernorAbi,
  openTimelockAbi,
  VOTE_CHOICES,
  openTokenAbi,
  rewardDistributorAbi,
  type ContractName,
  type Proposal,
} from "../../sdk/index.js";
import { UsageError, type TaskArgs } from "../lib/args.js";
import { operatorAction, type OperatorContext } from "../lib/operator.js";
import { formatDate, formatOpen, output, txNote } from "../lib/output.js";

const ABIS: Record<ContractName, Abi> = {
  OpenToken: openTokenAbi,
  OpenTimelock: openTimelockAbi,
  OpenGovernor: openGovernorAbi,
  ContributionRegistry: contributionRegistryAbi,
  ModelRegistry: modelRegistryAbi,
  RewardDistributor: rewardDistributorAbi,
  AttributionRegistry: attributionRegistryAbi,
};

/** A JSON argument as the ABI type wants it: integers as bigints ("12.5 OPEN" in wei), tuples and arrays recursively. */
function coerce(param: AbiParameter, value: unknown, where: string): unknown {
  const array = /^(.*)\[\d*\]$/.exec(param.type);
  if (array) {
    if (!Array.isArray(value)) throw new UsageError(`--args ${where} must be a list for ${param.type}`);
    return value.map((v, i) => coerce({ ...param, type: array[1] }, v, `${where}[${i}]`));
  }
  if (param.type === "tuple" && "components" in param) {
    if (typeof value !== "object" || value === null)
      throw new UsageError(`--args ${where} must be an object`);
    return Object.fromEntries(
      param.components.map((c) => [
        c.name!,
        coerce(c, (value as Record<string, unknown>)[c.name!], `${where}.${c.name}`),
      ]),
    );
  }
  if (/^u?int\d*$/.test(param.type)) {
    const text = String(value);
    const open = /^(\d+(\.\d{1,18})?) OPEN$/.exec(text);
    if (open) return parseEther(open[1]);
    if (!/^-?\d+$/.test(text))
      throw new UsageError(
        `--args ${where} must be a whole number or "12.5 OPEN" for ${param.type}, got ${text}`,
      );
    return BigInt(text);
  }
  return value;
}

/** The call `--contract NAME --function NAME --args JSON` of a proposal. */
function callFrom(args: TaskArgs, ctx: OperatorContext) {
  const contract = args.choice("contract", CONTRACT_NAMES);
  const abi = ABIS[contract];
  const name = args.text("function");
  const candidates = abi.filter(
    (item): item is AbiFunction => item.type === "function" && item.name === name,
  );
  const writable = candidates.filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure");
  if (writable.length === 0)
    throw new UsageError(
      `--function ${name} is not a function of ${contract} that changes state (e.g. ${abi
        .filter((i): i is AbiFunction => i.type === "function" && i.stateMutability === "nonpayable")
        .slice(0, 4)
        .map((f) => f.name)
        .join(", ")})`,
    );
  let raw: unknown = [];
  if (args.has("args")) {
    try {
      raw = JSON.parse(args.text("args"));
    } catch {
      throw new UsageError(`--args must be a JSON list like '[3600, "12.5 OPEN"]', got ${args.text("args")}`);
    }
  }
  if (!Array.isArray(raw)) throw new UsageError(`--args must be a JSON list, got ${args.text("args")}`);
  const fn = writable.find((f) => f.inputs.length === raw.length);
  if (!fn)
    throw new UsageError(
      `--args has ${raw.length} value(s) but ${contract}.${name} takes ${writable.map((f) => f.inputs.length).join(" or ")}`,
    );
  const values = fn.inputs.map((input, i) => coerce(input, raw[i], `[${i}]`));
  const data = encodeFunctionData({ abi: [fn], functionName: fn.name, args: values });
  return {
    target: ctx.deployment.contracts[contract].address,
    value: 0n,
    data,
    label: `${contract}.${name}(${JSON.stringify(raw).slice(1, -1)})`,
  };
}

/** The calls and description of a proposal, from its ProposalCreated event. */
async function proposalFromEvents(ctx: OperatorContext, proposalId: bigint): Promise<Proposal> {
  const events = await ctx.publicClient.getContractEvents({
    address: ctx.reader.addresses.governor,
    abi: openGovernorAbi,
    eventName: "ProposalCreated",
    fromBlock: BigInt(ctx.deployment.startBlock),
  });
  const created = events.find((e) => e.args.proposalId === proposalId);
  if (!created) throw new UsageError(`--proposal ${proposalId} was never proposed on this deployment`);
  const { targets, values, calldatas, description } = created.args;
  return {
    calls: targets!.map((target, i) => ({ target, value: values![i], data: calldatas![i] as Hex })),
    description: description!,
  };
}

async function describeProposal(ctx: OperatorContext, proposalId: bigint) {
  return ctx.reader.proposal(proposalId);
}

/** oa:gov:delegate — delegates the account's votes (to itself by default: needed to vote with its own OPEN). */
export const delegate = operatorAction(async (args, ctx) => {
  const { address, oa } = await ctx.signer();
  const to = args.optionalAddress("to") ?? address;
  const { hash } = await oa.delegate({ delegatee: to });
  return output(
    { account: address, delegatee: to, tx: hash },
    `Delegated the votes of ${address} to ${to} ${txNote(hash)}`,
  );
});

/** oa:gov:propose — proposes one call for the timelock to execute. */
export const propose = operatorAction(async (args, ctx) => {
  const call = callFrom(args, ctx);
  const description = args.text("description");
  const { oa } = await ctx.signer();
  const { result: proposalId, hash } = await oa.propose({ calls: [call], description });
  const p = await describeProposal(ctx, proposalId);
  return output(
    { proposalId, call: call.label, voteStart: p.voteStart, voteEnd: p.voteEnd, tx: hash },
    `Proposed ${call.label} as proposal ${proposalId} ${txNote(hash)}`,
    `  voting from ${formatDate(p.voteStart)} to ${formatDate(p.voteEnd)}`,
  );
});

/** oa:gov:vote — votes for, against or abstain on an active proposal. */
export const vote = operatorAction(async (args, ctx) => {
  const proposalId = args.id("proposal");
  const support = args.choice("support", VOTE_CHOICES);
  await proposalFromEvents(ctx, proposalId);
  await requireState(ctx, proposalId, "active", "voted on");
  const { oa } = await ctx.signer();
  const { hash } = await oa.castVote({
    proposalId,
    support,
    reason: args.optionalText("reason") ?? "",
  });
  const p = await describeProposal(ctx, proposalId);
  return output(
    { proposalId, support, votes: p.votes, tx: hash },
    `Voted ${support} on proposal ${proposalId}: for ${formatOpen(p.votes.for)}, against ${formatOpen(p.votes.against)}, abstain ${formatOpen(p.votes.abstain)} ${txNote(hash)}`,
  );
});

/** A UsageError unless the proposal is in `wanted`, saying when it will be. */
async function requireState(ctx: OperatorContext, proposalId: bigint, wanted: string, action: string) {
  const p = await describeProposal(ctx, proposalId);
  if (p.state === wanted) return p;
  const when =
    p.state === "pending"
      ? `; voting starts ${formatDate(p.voteStart)}`
      : p.state === "active"
        ? `; voting ends ${formatDate(p.voteEnd)}`
        : p.state === "queued"
          ? `; executable from ${formatDate(p.eta)}`
          : "";
  throw new UsageError(`--proposal ${proposalId} is ${p.state}${when}: it can be ${action} once ${wanted}`);
}

/** oa:gov:queue — queues a succeeded proposal in the timelock. */
export const queue = operatorAction(async (args, ctx) => {
  const proposalId = args.id("proposal");
  const proposal = await proposalFromEvents(ctx, proposalId);
  await requireState(ctx, proposalId, "succeeded", "queued");
  const { oa } = await ctx.signer();
  const { hash } = await oa.queueProposal(proposal);
  const p = await describeProposal(ctx, proposalId);
  return output(
    { proposalId, eta: p.eta, tx: hash },
    `Queued proposal ${proposalId}: executable from ${formatDate(p.eta)} ${txNote(hash)}`,
  );
});

/** oa:gov:execute — executes a queued proposal after the timelock delay. */
export const execute = operatorAction(async (args, ctx) => {
  const proposalId = args.id("proposal");
  const proposal = await proposalFromEvents(ctx, proposalId);
  const { eta } = await requireState(ctx, proposalId, "queued", "executed");
  if ((await ctx.now()) + 1n < eta)
    throw new UsageError(
      `--proposal ${proposalId} is queued: executable from ${formatDate(eta)} (the timelock delay)`,
    );
  const { oa } = await ctx.signer();
  const { hash } = await oa.executeProposal(proposal);
  return output({ proposalId, tx: hash }, `Executed proposal ${proposalId} ${txNote(hash)}`);
});

/** oa:gov:show — a proposal's state, voting times, votes and timelock ETA. */
export const show = operatorAction(async (args, ctx) => {
  const proposalId = args.id("proposal");
  const { description } = await proposalFromEvents(ctx, proposalId);
  const p = await describeProposal(ctx, proposalId);
  return output(
    { proposalId, description, ...p },
    `Proposal ${proposalId} "${description}": ${p.state}`,
    `  voting ${formatDate(p.voteStart)} → ${formatDate(p.voteEnd)}; for ${formatOpen(p.votes.for)}, against ${formatOpen(p.votes.against)}, abstain ${formatOpen(p.votes.abstain)}`,
    ...(p.eta === 0n ? [] : [`  executable from ${formatDate(p.eta)}`]),
  );
});
