import { keccak256, toBytes, type Address, type Hex } from "viem";

import { InvalidInputError } from "../errors.js";
import { requireAddress, requireAmount, requireId, requireText } from "../validate.js";
import {
  contractsOf,
  read,
  write,
  type OpenAttributionContext,
  type WriteMode,
  type WriteOptions,
} from "./context.js";

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

/** Vote choices by name, indexed by OpenZeppelin's GovernorCountingSimple.VoteType. */
export const VOTE_CHOICES = ["against", "for", "abstain"] as const;
/** A vote choice by name. */
export type VoteChoice = (typeof VOTE_CHOICES)[number];

/** Proposal states by name, indexed by OpenZeppelin's IGovernor.ProposalState. */
export const PROPOSAL_STATES = [
  "pending",
  "active",
  "canceled",
  "defeated",
  "succeeded",
  "queued",
  "expired",
  "executed",
] as const;
/** A proposal state by name. */
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

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

/** The governor's arguments that identify a proposal: its calls and description hash. */
function proposalKey({ calls, description }: Proposal) {
  const [targets, values, datas] = splitCalls(calls);
  return [targets, values, datas, keccak256(toBytes(requireText("description", description)))] as const;
}

/** Proposes calls for the timelock to execute (needs the proposal threshold in votes); `result` is the proposal id. */
export async function propose<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { calls, description, ...options }: Proposal & WriteOptions<M>,
) {
  const [targets, values, datas] = splitCalls(calls);
  const args = [targets, values, datas, requireText("description", description)] as const;
  return write(ctx, { ...contractsOf(ctx.deployment).governor, functionName: "propose", args }, options);
}

/** Votes on an active proposal with the wallet's votes at the proposal's snapshot. */
export async function castVote<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  {
    proposalId,
    support,
    reason = "",
    ...options
  }: { proposalId: bigint; support: VoteChoice; reason?: string } & WriteOptions<M>,
) {
  const choice = VOTE_CHOICES.indexOf(support);
  if (choice === -1) throw new InvalidInputError("support", `expected one of ${VOTE_CHOICES.join(", ")}`);
  const args = [requireId("proposalId", proposalId), choice, String(reason)] as const;
  const { governor } = contractsOf(ctx.deployment);
  return write(ctx, { ...governor, functionName: "castVoteWithReason", args }, options);
}

/** Queues a succeeded proposal in the timelock (anyone). */
export async function queueProposal<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { calls, description, ...options }: Proposal & WriteOptions<M>,
) {
  const args = proposalKey({ calls, description });
  return write(ctx, { ...contractsOf(ctx.deployment).governor, functionName: "queue", args }, options);
}

/** Executes a queued proposal once the timelock delay has passed (anyone). */
export async function executeProposal<M extends WriteMode = "wait">(
  ctx: OpenAttributionContext,
  { calls, description, ...options }: Proposal & WriteOptions<M>,
) {
  const args = proposalKey({ calls, description });
  return write(ctx, { ...contractsOf(ctx.deployment).governor, functionName: "execute", args }, options);
}

/** A proposal's state by name, voting times, votes and timelock ETA. */
export async function proposal(ctx: OpenAttributionContext, proposalId: bigint) {
  const { governor } = contractsOf(ctx.deployment);
  const args = [requireId("proposalId", proposalId)] as const;
  const client = ctx.publicClient;
  const [state, voteStart, voteEnd, eta, [against, forVotes, abstain]] = await read(() =>
    Promise.all([
      client.readContract({ ...governor, functionName: "state", args }),
      client.readContract({ ...governor, functionName: "proposalSnapshot", args }),
      client.readContract({ ...governor, functionName: "proposalDeadline", args }),
      client.readContract({ ...governor, functionName: "proposalEta", args }),
      client.readContract({ ...governor, functionName: "proposalVotes", args }),
    ]),
  );
  return {
    state: PROPOSAL_STATES[state] as ProposalStateName,
    voteStart,
    voteEnd,
    eta,
    votes: { against, for: forVotes, abstain },
  };
}
