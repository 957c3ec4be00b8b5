/**
 * Branch coverage of Solidity sources, derived from the statement hits that Hardhat's coverage
 * (EDR's instrumentation) records for the whole test suite, mocha and Solidity tests alike.
 *
 * EDR instruments statements only: before every statement it inserts a hit of a tag naming the
 * statement's source range, and `hardhat test --coverage` saves how often each tag was hit
 * (coverage/data/<test runner>/*.json). Branches are the ones forge's coverage counts, an
 * `if` statement's two paths (there is no `require` or `assert` in contracts/), and each path
 * is decided from those counts:
 * - the true path was taken if the first statement of its body was hit;
 * - the false path was taken if the first statement of the `else` body was hit. With no
 *   `else`: if the `if` statement was hit more often than the first statement of its body, or
 *   if its body always leaves (`revert`, `return`, `break`, `continue`) and the statement after
 *   the `if` was hit.
 * EDR counts a statement once per transaction or call however often it runs in it, so a false
 * path taken only in a loop whose body also took the true path in the same call (and whose body
 * does not leave) is not seen: the figure is a lower bound, never more than the tests earned.
 * A conditional expression (`c ? a : b`) or a short-circuit operator is not a statement, so
 * its paths are not measured, as in forge's coverage.
 */
import { addStatementCoverageInstrumentation } from "@nomicfoundation/edr";
import { createRequire } from "node:module";

/** The compiler version Hardhat instruments for (hardhat.config.ts). */
const SOLC_VERSION = "0.8.28";

/** A statement that EDR instrumented: its tag (hex) and its source range in UTF-16 units. */
export interface InstrumentedStatement {
  tag: string;
  startUtf16: number;
  endUtf16: number;
}

export interface BranchPath {
  /** 1-based line of the `if`. */
  line: number;
  path: "true" | "false";
  taken: boolean;
  /** The `if`'s condition, as written. */
  condition: string;
}

/**
 * The statements of `source` as Hardhat instruments them for coverage: the same EDR function,
 * source name (`project/<path>`) and compiler version give the same tags.
 */
export function instrumentedStatements(source: string, sourceName: string): InstrumentedStatement[] {
  return addStatementCoverageInstrumentation(source, sourceName, SOLC_VERSION).metadata.map((m) => ({
    tag: Buffer.from(m.tag).toString("hex"),
    startUtf16: m.startUtf16,
    endUtf16: m.endUtf16,
  }));
}

/** solc's AST of `source` after parsing only (imports are not resolved). */
export function parseSolidity(source: string, sourceName: string): unknown {
  const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string };
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { [sourceName]: { content: source } },
        settings: { stopAfter: "parsing", outputSelection: { "*": { "": ["ast"] } } },
      }),
    ),
  );
  const ast = output.sources?.[sourceName]?.ast;
  if (!ast) throw new Error(`solc could not parse ${sourceName}: ${output.errors?.[0]?.message}`);
  return ast;
}

/** The subset of solc's AST (after parsing) read here. */
interface AstNode {
  nodeType: string;
  src: string;
  [key: string]: unknown;
}

/** Maps solc's byte offsets (UTF-8) in `source` to string offsets (UTF-16 units). */
function byteToUtf16(source: string): Int32Array {
  const map = new Int32Array(Buffer.byteLength(source, "utf8") + 1);
  let byte = 0;
  let unit = 0;
  for (const char of source) {
    const bytes = Buffer.byteLength(char, "utf8");
    for (let i = 0; i < bytes; i++) map[byte + i] = unit;
    byte += bytes;
    unit += char.length;
  }
  map[byte] = unit;
  return map;
}

/** The first offset from `from` (before `to`) that is neither white space nor in a comment. */
function skipSpaceAndComments(source: string, from: number, to: number): number {
  let at = from;
  while (at < to) {
    if (/\s/.test(source[at])) at++;
    else if (source.startsWith("//", at))
      at = source.indexOf("\n", at) === -1 ? to : source.indexOf("\n", at) + 1;
    else if (source.startsWith("/*", at))
      at = source.indexOf("*/", at) === -1 ? to : source.indexOf("*/", at) + 2;
    else break;
  }
  return at;
}

function* walk(node: unknown): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const child of node) yield* walk(child);
  } else if (node !== null && typeof node === "object") {
    if (typeof (node as AstNode).nodeType === "string") yield node as AstNode;
    for (const value of Object.values(node)) if (typeof value === "object") yield* walk(value);
  }
}

/**
 * The `if` statements' paths in one source file and whether the tests took them.
 * `ast` is solc's AST of `source`; `statements` is EDR's instrumentation metadata for it;
 * `hits` maps tags to how often they were hit. Throws if an `if` or a body has no instrumented
 * statement, so that a change in the instrumentation cannot silently drop branches.
 */
export function ifBranchPaths(
  source: string,
  ast: unknown,
  statements: InstrumentedStatement[],
  hits: ReadonlyMap<string, number>,
): BranchPath[] {
  const toUtf16 = byteToUtf16(source);
  // EDR's ranges include the indentation and comments before a statement: start at its code.
  const starts = statements.map((s) => ({
    ...s,
    start: skipSpaceAndComments(source, s.startUtf16, s.endUtf16),
  }));
  const range = (node: AstNode) => {
    const [offset, length] = node.src.split(":").map(Number);
    return { start: toUtf16[offset], end: toUtf16[offset + length] };
  };
  const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;
  const countOf = (tag: string) => hits.get(tag) ?? 0;

  /** Hits of the statement that starts `node` (or, for a block, of its first statement). */
  const hitsAtStart = (node: AstNode): number => {
    const { start, end } = range(node);
    let first: (typeof starts)[number] | undefined;
    for (const s of starts) {
      if (s.start < start || s.start >= end) continue;
      // The earliest statement inside the node; of two starting at once, the enclosing one.
      if (!first || s.start < first.start || (s.start === first.start && s.endUtf16 > first.endUtf16))
        first = s;
    }
    if (!first)
      throw new Error(`no instrumented statement in \`${source.slice(start, end)}\` (line ${lineOf(start)})`);
    return countOf(first.tag);
  };

  // The statement after each statement of a block, and whether a statement always leaves it.
  const nextOf = new Map<AstNode, AstNode>();
  for (const node of walk(ast)) {
    if (node.nodeType !== "Block" && node.nodeType !== "UncheckedBlock") continue;
    const list = node.statements as AstNode[];
    list.forEach((statement, i) => i + 1 < list.length && nextOf.set(statement, list[i + 1]));
  }
  const leaves = (node: AstNode): boolean => {
    if (["Return", "RevertStatement", "Break", "Continue"].includes(node.nodeType)) return true;
    if (node.nodeType === "Block" || node.nodeType === "UncheckedBlock") {
      const list = node.statements as AstNode[];
      return list.length > 0 && leaves(list[list.length - 1]);
    }
    return false;
  };

  const paths: BranchPath[] = [];
  for (const node of walk(ast)) {
    if (node.nodeType !== "IfStatement") continue;
    const own = range(node);
    const statementHits = hitsAtStart(node);
    const trueBody = node.trueBody as AstNode;
    const trueHits = hitsAtStart(trueBody);
    const falseBody = node.falseBody as AstNode | null | undefined;
    const next = nextOf.get(node);
    const falseTaken = falseBody
      ? hitsAtStart(falseBody) > 0
      : statementHits > trueHits || (leaves(trueBody) && next !== undefined && hitsAtStart(next) > 0);
    const conditionRange = range(node.condition as AstNode);
    const condition = source.slice(conditionRange.start, conditionRange.end).replace(/\s+/g, " ");
    const line = lineOf(own.start);
    paths.push({ line, path: "true", taken: trueHits > 0, condition });
    paths.push({ line, path: "false", taken: falseTaken, condition });
  }
  return paths.sort((a, b) => a.line - b.line);
}
