/**
 * Operator commands as Hardhat tasks: `npx hardhat oa:<command> --network <name> [options]`.
 * The network, its RPC URL and accounts (or keystore) come from hardhat.config.ts; each
 * command loads `deployments/<network>.json` and checks its chain id before sending anything.
 * `npx hardhat help oa:<command>` shows a command's options.
 */
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";

interface OptionSpec {
  /** camelCase; the command line spells it in kebab-case (`maxBond` → `--max-bond`). */
  name: string;
  description: string;
  flag?: true;
}

type Family =
  | "attesters"
  | "attribution"
  | "chain"
  | "token"
  | "datanets"
  | "contributions"
  | "models"
  | "staking"
  | "reports"
  | "governance";

interface CommandSpec {
  /** `oa:<name>`, unless `id` names the task (e.g. ["attribution", "run"]). */
  name: string;
  id?: string[];
  description: string;
  /** The module in tasks/actions and the export that runs the command. */
  action: [Family, string];
  options?: OptionSpec[];
  /** Whether the command sends from an account (adds `--from`). */
  sends?: boolean;
}

const o = (name: string, description: string): OptionSpec => ({ name, description });
const flag = (name: string, description: string): OptionSpec => ({ name, description, flag: true });

const MODEL = o("model", "model id");
const DATANET = o("datanet", "datanet id");
const CONTRIBUTION = o("id", "contribution id (0x…, 32 bytes)");
const PROPOSAL = o("proposal", "proposal id");
const FILES = o("file", "file(s) to contribute, comma-separated; each is identified by its keccak256");
const URIS = o("uri", "where each file is published (ipfs://…), comma-separated, one per file");
const MAX_BOND = o("maxBond", "largest bond accepted, in OPEN (default: the datanet's bond now)");
const OUT = o("out", "file to write (JSON); never overwritten");
const SETTINGS = [
  o("kind", "dataset, evaluation, expertise or compute"),
  o("open", "true: anyone may contribute; false: only the owner's allow-list"),
  o("optimistic", "true: accepted unless rejected within the window"),
  o("quorum", "reviews needed to decide (1-255)"),
  o("window", "review window: seconds or 90m, 2h, 3d"),
  o("dailyLimit", "contributions per account per UTC day (0: none)"),
  o("bond", "bond per contribution, in OPEN"),
  o("commitRevealOnly", "true: contributions only by commit-reveal"),
];

const ENGINE_PARAMS = [
  o("minTokens", "shortest span kept, in tokens (default 6)"),
  o("maxOccurrences", "spans occurring more often in the corpus are not attributed (default 16)"),
  o("densityBps", "span density: share of an output's tokens kept as spans, in basis points (default 500)"),
  flag("feeWeighted", "weigh each output's spans by the fee it earned"),
];
const ENGINE_INPUTS = [
  MODEL,
  o("epoch", "a closed epoch"),
  o(
    "content",
    "folder of the contributions' content: files named by content hash, or listed in contents.json",
  ),
  o("outputs", 'the epoch\'s outputs, JSONL: {"id", "output", "fee"?} per line'),
  o("previous", "the model's last final report (required once there is one)"),
  o("indexDir", "where indexes are stored and reused (default cache/attribution-index)"),
];

const COMMANDS: CommandSpec[] = [
  // attribution engine
  {
    name: "attribution run",
    id: ["attribution", "run"],
    description:
      "Compute a closed epoch's weights with the engine and write the report (and attest it with --submit)",
    action: ["attribution", "run"],
    options: [
      ...ENGINE_INPUTS,
      ...ENGINE_PARAMS,
      o("out", "report file to write"),
      flag("submit", "attest the report (attesters)"),
      o("uri", "where the report is published (with --submit)"),
    ],
    sends: true,
  },
  {
    name: "attribution verify",
    id: ["attribution", "verify"],
    description:
      "Recompute a model's epoch from its inputs and compare it with the report on chain, field by field",
    action: ["attribution", "verify"],
    options: [
      ...ENGINE_INPUTS,
      ...ENGINE_PARAMS,
      o("report", "the posted report document: its engine parameters are used and its weights compared"),
      flag(
        "challenge",
        "when it differs, challenge the pending report with what can be proven (needs --report)",
      ),
    ],
    sends: true,
  },
  // chain
  {
    name: "status",
    description: "Summary of the deployment: contracts, epoch, models, pools, reports",
    action: ["chain", "status"],
  },
  {
    name: "time",
    description: "Move a development chain's clock forward and mine a block",
    action: ["chain", "time"],
    options: [
      o("advance", "how far: seconds or 90m, 2h, 3d, 1w"),
      o("to", "a date to move to (2026-12-31T12:00:00Z)"),
    ],
  },
  // token
  {
    name: "balance",
    description: "OPEN, votes, allowances and distributor balance of an account",
    action: ["token", "balance"],
    options: [o("account", "account (default: --from)")],
    sends: true,
  },
  {
    name: "approve",
    description: "Let a protocol contract pull OPEN from the account",
    action: ["token", "approve"],
    options: [
      o("spender", "contributions (bonds), distributor (payments, stakes) or an address"),
      o("amount", "OPEN"),
    ],
    sends: true,
  },
  {
    name: "transfer",
    description: "Send OPEN to an account (fund a contributor, payer or staker)",
    action: ["token", "transfer"],
    options: [o("to", "recipient"), o("amount", "OPEN")],
    sends: true,
  },
  // datanets
  {
    name: "datanet:create",
    description: "Create a datanet owned by the account",
    action: ["datanets", "create"],
    options: [o("uri", "metadata URI"), ...SETTINGS],
    sends: true,
  },
  {
    name: "datanet:update",
    description: "Change a datanet's settings (owner); settings not given keep their value",
    action: ["datanets", "update"],
    options: [DATANET, ...SETTINGS],
    sends: true,
  },
  {
    name: "datanet:reviewer",
    description: "Add a reviewer to a datanet, or remove one (owner)",
    action: ["datanets", "reviewer"],
    options: [DATANET, o("reviewer", "reviewer's address"), flag("remove", "remove instead of add")],
    sends: true,
  },
  {
    name: "datanet:snapshot",
    description: "Snapshot a datanet's accepted contributions as a version (owner)",
    action: ["datanets", "snapshot"],
    options: [DATANET],
    sends: true,
  },
  {
    name: "datanet:show",
    description: "A datanet's owner, settings and versions",
    action: ["datanets", "show"],
    options: [DATANET],
  },
  // contributions
  {
    name: "contribute",
    description:
      "Contribute files directly (approves the bond); visible before mined: prefer oa:commit on public mempools",
    action: ["contributions", "contribute"],
    options: [DATANET, FILES, URIS, MAX_BOND],
    sends: true,
  },
  {
    name: "commit",
    description: "Commit to files without revealing them (front-running protection); reveal with oa:reveal",
    action: ["contributions", "commit"],
    options: [
      DATANET,
      FILES,
      URIS,
      MAX_BOND,
      o("out", "file that keeps the commitment for oa:reveal (keep it private)"),
    ],
    sends: true,
  },
  {
    name: "reveal",
    description: "Reveal a commitment written by oa:commit (1 minute to 1 day after it)",
    action: ["contributions", "reveal"],
    options: [o("commitment", "file written by oa:commit")],
    sends: true,
  },
  {
    name: "sign-contribution",
    description: "Sign a gasless contribution for a relayer (approves the bond)",
    action: ["contributions", "signContribution"],
    options: [
      DATANET,
      FILES,
      URIS,
      MAX_BOND,
      o("valid", "how long the signature is valid (default 1d)"),
      OUT,
    ],
    sends: true,
  },
  {
    name: "relay-contribution",
    description: "Send a contribution signed by someone else (you pay the gas)",
    action: ["contributions", "relayContribution"],
    options: [o("signed", "file written by oa:sign-contribution")],
    sends: true,
  },
  {
    name: "review",
    description: "Approve or reject a pending contribution (reviewer)",
    action: ["contributions", "review"],
    options: [CONTRIBUTION, flag("approve", "approve it"), flag("reject", "reject it")],
    sends: true,
  },
  {
    name: "contribution:finalize",
    description: "Accept an optimistic contribution after its window, or settle a withdrawn one (anyone)",
    action: ["contributions", "finalize"],
    options: [CONTRIBUTION],
    sends: true,
  },
  {
    name: "contribution:withdraw",
    description: "Withdraw consent for your contribution",
    action: ["contributions", "withdraw"],
    options: [CONTRIBUTION],
    sends: true,
  },
  {
    name: "contribution:show",
    description: "A contribution's status, votes, bond and dates",
    action: ["contributions", "show"],
    options: [CONTRIBUTION],
  },
  // models and payments
  {
    name: "model:register",
    description: "Register a model trained on datanet versions",
    action: ["models", "register"],
    options: [
      o("uri", "metadata URI"),
      o("versions", "DATANET:VERSION pairs, comma-separated (1:2,3:1)"),
      o("parent", "parent model id, for an adapter"),
      o("royaltyBps", "royalty to the parent, in basis points"),
    ],
    sends: true,
  },
  {
    name: "model:active",
    description: "Activate or deactivate a model (owner)",
    action: ["models", "active"],
    options: [MODEL, o("active", "true or false (default true)")],
    sends: true,
  },
  {
    name: "model:show",
    description: "A model, its pool, reports and datanet versions",
    action: ["models", "show"],
    options: [MODEL],
  },
  {
    name: "model:contributions",
    description:
      "List or export the contributions of a model's datanet versions, eligible or not for an epoch (what an attester weighs)",
    action: ["models", "contributions"],
    options: [MODEL, o("epoch", "epoch (default: the current one)"), o("out", "file to export to (JSON)")],
  },
  {
    name: "pay",
    description: "Pay OPEN for inference on a model (approves the distributor)",
    action: ["models", "pay"],
    options: [MODEL, o("amount", "OPEN")],
    sends: true,
  },
  {
    name: "settle-royalties",
    description: "Split an adapter's accrued royalties (anyone)",
    action: ["models", "settleRoyalties"],
    options: [MODEL],
    sends: true,
  },
  {
    name: "withdraw-balance",
    description: "Withdraw your owner balance from the distributor, or the treasury's",
    action: ["models", "withdrawBalance"],
    options: [flag("treasury", "send the treasury its balance instead")],
    sends: true,
  },
  // staking
  {
    name: "stake",
    description: "Stake OPEN on a model (approves the distributor)",
    action: ["staking", "stake"],
    options: [MODEL, o("amount", "OPEN")],
    sends: true,
  },
  {
    name: "unstake",
    description: "Start unstaking; withdraw after the cooldown",
    action: ["staking", "unstake"],
    options: [MODEL, o("amount", "OPEN")],
    sends: true,
  },
  {
    name: "stake:withdraw",
    description: "Withdraw unstaked OPEN after the cooldown",
    action: ["staking", "withdraw"],
    options: [MODEL],
    sends: true,
  },
  {
    name: "stake:claim",
    description: "Claim your staking rewards on a model",
    action: ["staking", "claim"],
    options: [MODEL],
    sends: true,
  },
  {
    name: "stake:show",
    description: "A staker's position and pending rewards on a model",
    action: ["staking", "show"],
    options: [MODEL, o("account", "staker (default: --from)")],
    sends: true,
  },
  // attesters
  {
    name: "attester:bond",
    description: "Bond OPEN as an attester (approves the AttributionRegistry if needed)",
    action: ["attesters", "bond"],
    options: [o("amount", "OPEN to bond (default: up to the minimum bond)")],
    sends: true,
  },
  {
    name: "attester:unbond",
    description: "Start unbonding OPEN (withdrawable after the unbonding delay; slashable until then)",
    action: ["attesters", "unbond"],
    options: [o("amount", "OPEN to unbond")],
    sends: true,
  },
  {
    name: "attester:withdraw",
    description: "Withdraw unbonded OPEN once unlocked",
    action: ["attesters", "withdraw"],
    sends: true,
  },
  {
    name: "attester:show",
    description: "An account's standing as attester and the attester rules",
    action: ["attesters", "show"],
    options: [o("account", "account (default: --from)")],
    sends: true,
  },
  // reports and claims
  {
    name: "report:build",
    description: "Build a closed epoch's report from weights over eligible contributions",
    action: ["reports", "build"],
    options: [
      MODEL,
      o("epoch", "a closed epoch"),
      o("weights", 'JSON file: [{"contributionId", "weight"}]'),
      o("previous", "the model's last final report (required once there is one)"),
      o("out", "report file to write"),
    ],
  },
  {
    name: "report:sign",
    description:
      "Sign a built report off chain (attester), for anyone to submit with other attesters' signatures",
    action: ["reports", "sign"],
    options: [
      o("report", "report file"),
      o("uri", "where the report document is published"),
      o("out", "attestation file to write"),
    ],
    sends: true,
  },
  {
    name: "report:submit",
    description:
      "Attest a built report (attester), or submit it with attesters' signatures in one transaction (anyone)",
    action: ["reports", "submit"],
    options: [
      o("report", "report file"),
      o("uri", "where the report document is published"),
      o(
        "signatures",
        "attestation files written by oa:report:sign, comma-separated (at least the threshold)",
      ),
    ],
    sends: true,
  },
  {
    name: "report:challenge",
    description:
      "Find what is provably wrong in a model's pending report and void it (anyone; the challenger is paid)",
    action: ["reports", "challenge"],
    options: [
      MODEL,
      o("report", "the pending report's document, as posted at its URI"),
      o("previous", "the model's last final report document (to prove an amount went down)"),
      flag("dryRun", "only list the faults found"),
    ],
    sends: true,
  },
  {
    name: "report:finalize",
    description: "Finalize a model's pending report after its challenge window (anyone)",
    action: ["reports", "finalize"],
    options: [MODEL],
    sends: true,
  },
  {
    name: "report:veto",
    description: "Veto a model's pending report (guardian)",
    action: ["reports", "veto"],
    options: [MODEL],
    sends: true,
  },
  {
    name: "report:show",
    description: "A model's final and pending reports",
    action: ["reports", "show"],
    options: [MODEL],
  },
  {
    name: "claim",
    description: "Claim rewards from a report, or from several models' reports in one transfer",
    action: ["reports", "claim"],
    options: [
      o("report", "report file(s), comma-separated"),
      o("account", "who is paid (default: --from); anyone may claim for anyone"),
    ],
    sends: true,
  },
  // governance
  {
    name: "gov:delegate",
    description: "Delegate your votes (to yourself by default, needed to vote with your OPEN)",
    action: ["governance", "delegate"],
    options: [o("to", "delegatee (default: yourself)")],
    sends: true,
  },
  {
    name: "gov:propose",
    description: "Propose a call for the timelock to execute",
    action: ["governance", "propose"],
    options: [
      o("contract", "contract of the deployment (AttributionRegistry, …)"),
      o("function", "function name"),
      o("args", 'JSON list of arguments; amounts may be "12.5 OPEN"'),
      o("description", "what the proposal does"),
    ],
    sends: true,
  },
  {
    name: "gov:vote",
    description: "Vote on an active proposal",
    action: ["governance", "vote"],
    options: [PROPOSAL, o("support", "for, against or abstain"), o("reason", "optional reason")],
    sends: true,
  },
  {
    name: "gov:queue",
    description: "Queue a succeeded proposal in the timelock",
    action: ["governance", "queue"],
    options: [PROPOSAL],
    sends: true,
  },
  {
    name: "gov:execute",
    description: "Execute a queued proposal after the timelock delay",
    action: ["governance", "execute"],
    options: [PROPOSAL],
    sends: true,
  },
  {
    name: "gov:show",
    description: "A proposal's state, votes and times",
    action: ["governance", "show"],
    options: [PROPOSAL],
  },
];

const COMMON = [flag("json", "print JSON (for scripts) instead of text")];
const FROM = o(
  "from",
  "account to send from: an address or an index into the network's accounts (default 0)",
);

function defineCommand({
  name,
  id,
  description,
  action: [family, exportName],
  options = [],
  sends,
}: CommandSpec): TaskDefinition {
  let builder = task(id ?? `oa:${name}`, description);
  for (const option of [...options, ...(sends ? [FROM] : []), ...COMMON]) {
    builder = option.flag
      ? builder.addFlag({ name: option.name, description: option.description })
      : builder.addOption({
          name: option.name,
          description: option.description,
          type: ArgumentType.STRING_WITHOUT_DEFAULT,
          defaultValue: undefined,
        });
  }
  return builder
    .setAction(async () => {
      const module = (await import(`./actions/${family}.js`)) as Record<string, never>;
      return { default: module[exportName] };
    })
    .build();
}

/** Every `oa:` task and the `attribution` tasks, for `tasks` in hardhat.config.ts. */
export const operatorTasks: TaskDefinition[] = [
  emptyTask(
    "attribution",
    "The attribution engine: compute a report's weights, or audit one on chain",
  ).build(),
  ...COMMANDS.map(defineCommand),
];
