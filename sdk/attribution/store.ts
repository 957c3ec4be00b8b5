import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Hex } from "viem";

import { CorpusIndex, type IndexedDocument } from "./corpus.js";
import { IndexIntegrityError } from "./errors.js";
import { tokenize, TOKENIZER } from "./tokens.js";

/** What a stored index holds and the hashes that check it. */
export interface IndexManifest {
  format: 1;
  tokenizer: typeof TOKENIZER;
  /** The datanet version the shard belongs to. */
  datanetId: string;
  version: number;
  documents: IndexedDocument[];
  tokenCount: number;
  /** sha256 of each binary file (little-endian typed arrays). */
  files: { text: string; suffixes: string; starts: string };
  /** sha256 of this manifest without `indexHash`: the index's identity. */
  indexHash: string;
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");
const bytesOf = (array: Uint32Array | Int32Array) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** The folder name of the shard of `documents`: a hash of the tokenizer and the documents, in order. */
export function shardKey(documents: readonly IndexedDocument[]): string {
  const identity = JSON.stringify({ tokenizer: TOKENIZER, documents });
  return sha256(identity).slice(0, 24);
}

/** One shard to index: a datanet version's eligible contributions and their content. */
export interface ShardSource {
  datanetId: bigint;
  version: number;
  /** In index order (ascending contribution id). */
  documents: IndexedDocument[];
  /** Content bytes by content hash (UTF-8 text). */
  contents: Map<Hex, Uint8Array>;
}

/**
 * The index of a shard from `dir` when a stored one matches (same tokenizer, same documents,
 * files intact), else built, stored and returned. `built` says which.
 */
export function loadOrBuildShard(
  dir: string,
  source: ShardSource,
): { index: CorpusIndex; manifest: IndexManifest; built: boolean } {
  const folder = join(dir, shardKey(source.documents));
  if (existsSync(join(folder, "manifest.json"))) {
    const { index, manifest } = loadIndex(folder);
    return { index, manifest, built: false };
  }
  const decoder = new TextDecoder();
  const index = CorpusIndex.build(
    source.documents.map((d) => ({
      ...d,
      tokens: tokenize(decoder.decode(source.contents.get(d.contentHash))),
    })),
  );
  const manifest = saveIndex(folder, index, source);
  return { index, manifest, built: true };
}

/** Writes an index and its manifest to `folder` (the manifest last, so a partial write is never read). */
export function saveIndex(
  folder: string,
  index: CorpusIndex,
  source: Pick<ShardSource, "datanetId" | "version">,
): IndexManifest {
  mkdirSync(folder, { recursive: true });
  const files = { text: index.text, suffixes: index.suffixes, starts: index.documentStarts };
  const hashes = {} as IndexManifest["files"];
  for (const [name, array] of Object.entries(files) as [keyof typeof files, Uint32Array | Int32Array][]) {
    const bytes = bytesOf(array);
    writeFileSync(join(folder, `${name}.bin`), bytes);
    hashes[name] = sha256(bytes);
  }
  const body = {
    format: 1 as const,
    tokenizer: TOKENIZER,
    datanetId: source.datanetId.toString(),
    version: source.version,
    documents: [...index.documents],
    tokenCount: index.tokenCount,
    files: hashes,
  };
  const manifest: IndexManifest = { ...body, indexHash: sha256(JSON.stringify(body)) };
  writeFileSync(join(folder, "manifest.json.tmp"), `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(join(folder, "manifest.json.tmp"), join(folder, "manifest.json"));
  return manifest;
}

/** Reads an index from `folder`, checking the tokenizer and every file against the manifest. */
export function loadIndex(folder: string): { index: CorpusIndex; manifest: IndexManifest } {
  const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as IndexManifest;
  const { indexHash, ...body } = manifest;
  if (sha256(JSON.stringify(body)) !== indexHash)
    throw new IndexIntegrityError(
      `${folder}/manifest.json does not match its indexHash: delete the folder to rebuild`,
    );
  if (JSON.stringify(manifest.tokenizer) !== JSON.stringify(TOKENIZER))
    throw new IndexIntegrityError(
      `${folder} was built with ${manifest.tokenizer.package}@${manifest.tokenizer.version}, this engine uses ${TOKENIZER.version}: delete it to rebuild`,
    );
  const read = (name: keyof IndexManifest["files"]) => {
    const bytes = readFileSync(join(folder, `${name}.bin`));
    if (sha256(bytes) !== manifest.files[name])
      throw new IndexIntegrityError(
        `${folder}/${name}.bin is damaged (hash differs from the manifest): delete the folder to rebuild`,
      );
    // A view when the bytes are 4-byte aligned (large files are), a copy otherwise.
    return bytes.byteOffset % 4 === 0
      ? { buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.byteLength / 4 }
      : {
          buffer: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
          offset: 0,
          length: bytes.byteLength / 4,
        };
  };
  const view = <T>(
    ArrayType: new (buffer: ArrayBufferLike, offset: number, length: number) => T,
    file: ReturnType<typeof read>,
  ) => new ArrayType(file.buffer, file.offset, file.length);
  const index = new CorpusIndex(
    view(Uint32Array, read("text")),
    view(Int32Array, read("suffixes")),
    view(Uint32Array, read("starts")),
    manifest.documents,
  );
  return { index, manifest };
}
