import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

import { keccak256, type Hex } from "viem";

import type { ModelOutput } from "./engine.js";
import { AttributionInputError, ContentMismatchError, MissingContentError } from "./errors.js";

const HASH_NAME = /^(0x[0-9a-fA-F]{64})(\.[^/]*)?$/;

/**
 * Finds the content of each wanted content hash in `dir`: a file named by the hash (with any
 * extension), or listed in `dir/contents.json` as `{ "0x<hash>": "relative/path" }`. Each file
 * must hash (keccak256 of its bytes) to its content hash.
 * @throws MissingContentError naming the contribution; ContentMismatchError naming the file.
 */
export function readContents(
  dir: string,
  wanted: readonly { contributionId: Hex; contentHash: Hex }[],
): Map<Hex, Uint8Array> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new AttributionInputError(`content folder ${dir} cannot be read`);
  }
  const paths = new Map<string, string>();
  for (const name of names) {
    const match = HASH_NAME.exec(name);
    if (match) paths.set(match[1].toLowerCase(), join(dir, name));
  }
  if (names.includes("contents.json")) {
    const listPath = join(dir, "contents.json");
    let list: Record<string, unknown>;
    try {
      list = JSON.parse(readFileSync(listPath, "utf8")) as Record<string, unknown>;
    } catch (error) {
      throw new AttributionInputError(`${listPath} is not valid JSON (${(error as Error).message})`);
    }
    for (const [hash, path] of Object.entries(list)) {
      if (!/^0x[0-9a-fA-F]{64}$/.test(hash) || typeof path !== "string")
        throw new AttributionInputError(`${listPath}: "${hash}" must map a 0x content hash to a file path`);
      paths.set(hash.toLowerCase(), join(dir, path));
    }
  }
  const contents = new Map<Hex, Uint8Array>();
  for (const { contributionId, contentHash } of wanted) {
    const path = paths.get(contentHash.toLowerCase());
    if (path === undefined)
      throw new MissingContentError(
        `no content for contribution ${contributionId} (content hash ${contentHash}) in ${dir}`,
      );
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new MissingContentError(`${path} (content of contribution ${contributionId}) cannot be read`);
    }
    const actual = keccak256(bytes);
    if (actual !== contentHash.toLowerCase())
      throw new ContentMismatchError(
        `${path} hashes to ${actual}, not to the content hash ${contentHash} contribution ${contributionId} has on chain`,
      );
    contents.set(contentHash, bytes);
  }
  return contents;
}

/**
 * Reads the epoch's outputs: one JSON object per line, `{"id": "…", "output": "…", "fee": "…"}`
 * (fee optional, OPEN wei as a decimal string or integer). Blank lines are skipped.
 * @throws AttributionInputError naming the file and line of the first malformed line.
 */
export function readOutputs(path: string): ModelOutput[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new AttributionInputError(`outputs file ${path} cannot be read`);
  }
  const outputs: ModelOutput[] = [];
  const seen = new Set<string>();
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    const where = `${basename(path)}:${index + 1}`;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new AttributionInputError(`${where}: not valid JSON (${(error as Error).message})`);
    }
    if (typeof record !== "object" || record === null || Array.isArray(record))
      throw new AttributionInputError(`${where}: expected an object {"id", "output", "fee"?}`);
    if (typeof record.id !== "string" || record.id === "")
      throw new AttributionInputError(`${where}: "id" must be a non-empty string`);
    if (seen.has(record.id)) throw new AttributionInputError(`${where}: id "${record.id}" appears twice`);
    seen.add(record.id);
    if (typeof record.output !== "string")
      throw new AttributionInputError(`${where}: "output" must be a string`);
    let fee: bigint | undefined;
    if (record.fee !== undefined) {
      const raw =
        typeof record.fee === "number" && Number.isSafeInteger(record.fee) ? String(record.fee) : record.fee;
      if (typeof raw !== "string" || !/^\d+$/.test(raw))
        throw new AttributionInputError(
          `${where}: "fee" must be a whole number of wei, got ${JSON.stringify(record.fee)}`,
        );
      fee = BigInt(raw);
    }
    outputs.push({ id: record.id, text: record.output, fee });
  });
  return outputs;
}
