import { expect } from "chai";

import {
  type BranchPath,
  ifBranchPaths,
  instrumentedStatements,
  parseSolidity,
} from "../scripts/lib/branch-coverage.ts";

/** Multi-byte characters before the branches check that solc's byte offsets are converted. */
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// rewards × shares − debt ≥ 0
contract Fixture {
    error Zero();
    uint256 private x;

    function f(uint256 a) external {
        if (a == 0) revert Zero();
        if (a > 10) {
            x = 1;
        } else if (a > 5) {
            x = 2;
        } else {
            x = 3;
        }
        if (a == 7) {
            x += 1;
        }
    }

    function g(uint256[] calldata values) external {
        for (uint256 i; i < values.length; ++i) {
            if (values[i] == 0) continue;
            // EDR's range of the next statement begins with this comment.
            x += values[i];
            if (values[i] > 9) x = 0;
        }
    }
}
`;
const NAME = "project/contracts/Fixture.sol";
const statements = instrumentedStatements(SOURCE, NAME);
const ast = parseSolidity(SOURCE, NAME);

/**
 * Hits keyed by how a statement's text begins, spaces and comments ignored. EDR instruments a block as a
 * statement of its own, so "{x = 3" is the block whose first statement is `x = 3;`.
 */
function hits(counts: Record<string, number>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [start, count] of Object.entries(counts)) {
    const compact = (text: string) => text.replace(/\/\/[^\n]*\n/g, "").replace(/\s+/g, "");
    const statement = statements.find((s) =>
      compact(SOURCE.slice(s.startUtf16, s.endUtf16)).startsWith(compact(start)),
    );
    if (!statement) throw new Error(`no instrumented statement begins with ${start}`);
    map.set(statement.tag, count);
  }
  return map;
}
const summary = (paths: BranchPath[]) => paths.map((p) => `${p.line} ${p.path} ${p.taken ? "taken" : "-"}`);

describe("Branch coverage from statement hits (scripts/lib/branch-coverage.ts)", function () {
  it("finds each if's two paths, with line and condition, none taken without hits", function () {
    const paths = ifBranchPaths(SOURCE, ast, statements, new Map());
    const ifs: [number, string][] = [
      [10, "a == 0"],
      [11, "a > 10"],
      [13, "a > 5"],
      [18, "a == 7"],
      [25, "values[i] == 0"],
      [28, "values[i] > 9"],
    ];
    expect(paths.map((p) => [p.line, p.path, p.condition])).to.deep.equal(
      ifs.flatMap(([line, condition]) => [
        [line, "true", condition],
        [line, "false", condition],
      ]),
    );
    expect(paths.every((p) => !p.taken)).to.equal(true);
  });

  it("reads the false path of an if with an else from the else body, else-if included", function () {
    // f(3): not zero, not above 10, not above 5, not 7.
    const paths = ifBranchPaths(
      SOURCE,
      ast,
      statements,
      hits({
        "if (a == 0)": 1,
        "if (a > 10)": 1,
        "if (a > 5)": 1,
        "{x = 3": 1,
        "x = 3": 1,
        "if (a == 7)": 1,
      }),
    );
    expect(summary(paths)).to.deep.equal([
      "10 true -",
      "10 false taken",
      "11 true -",
      "11 false taken",
      "13 true -",
      "13 false taken",
      "18 true -",
      "18 false taken",
      "25 true -",
      "25 false -",
      "28 true -",
      "28 false -",
    ]);
  });

  it("takes the false path of an if without else only when the if ran more often than its body", function () {
    // f(0) then f(6): the first if ran twice and entered its body once; the last one did not.
    const both = ifBranchPaths(
      SOURCE,
      ast,
      statements,
      hits({
        "if (a == 0)": 2,
        "revert Zero()": 1,
        "if (a > 10)": 1,
        "if (a > 5)": 1,
        "{x = 2": 1,
        "x = 2": 1,
        "if (a == 7)": 1,
      }),
    );
    expect(summary(both)).to.include.members([
      "10 true taken",
      "10 false taken",
      "18 true -",
      "18 false taken",
    ]);
    // f(0) alone, and f(7) three times: each if without else entered its body every time it ran.
    const entered = ifBranchPaths(
      SOURCE,
      ast,
      statements,
      hits({ "if (a == 0)": 1, "revert Zero()": 1, "if (a == 7)": 3, "{x += 1": 3, "x += 1": 3 }),
    );
    expect(summary(entered)).to.include.members([
      "10 true taken",
      "10 false -",
      "18 true taken",
      "18 false -",
    ]);
  });

  it("counts a statement once per call, as EDR does: a loop's false path is seen only after a leaving body", function () {
    // g([0, 10, 1]) in one call: every statement of the loop ran, each counted once.
    const paths = ifBranchPaths(
      SOURCE,
      ast,
      statements,
      hits({
        "for (uint256 i": 1,
        "{if (values[i] == 0)": 1,
        "if (values[i] == 0)": 1,
        continue: 1,
        "x += values[i]": 1,
        "if (values[i] > 9)": 1,
        "x = 0": 1,
      }),
    );
    // The statement after `continue` ran, so the first if was false at least once; the second
    // if's false path (i = 2) is not seen: the figure is a lower bound.
    expect(summary(paths).slice(-4)).to.deep.equal([
      "25 true taken",
      "25 false taken",
      "28 true taken",
      "28 false -",
    ]);
  });

  it("measures an if with an empty body by the body's block, which EDR instruments too", function () {
    const source = SOURCE.replace("x += 1;", "");
    const empty = instrumentedStatements(source, NAME);
    const block = empty.find((s) => source.slice(s.startUtf16, s.endUtf16).replace(/\s+/g, "") === "{}");
    const ifStatement = empty.find((s) =>
      source.slice(s.startUtf16, s.endUtf16).trim().startsWith("if (a == 7)"),
    );
    const paths = ifBranchPaths(
      source,
      parseSolidity(source, NAME),
      empty,
      new Map([
        [ifStatement!.tag, 2],
        [block!.tag, 1],
      ]),
    );
    expect(summary(paths)).to.include.members(["18 true taken", "18 false taken"]);
  });
});
