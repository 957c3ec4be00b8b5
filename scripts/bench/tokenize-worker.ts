/**
 * A worker of the attribution benchmark: generates and tokenizes the documents it is sent
 * (`{ from, to }`), and posts back each one's token ids (transferred, not copied).
 */
import { parentPort } from "node:worker_threads";

import { encode } from "gpt-tokenizer/encoding/o200k_base";

import { documentText } from "./corpus-generator.ts";

parentPort!.on("message", ({ from, to }: { from: number; to: number }) => {
  const documents: { bytes: number; tokens: Uint32Array }[] = [];
  for (let i = from; i < to; i++) {
    const text = documentText(i);
    documents.push({ bytes: Buffer.byteLength(text), tokens: Uint32Array.from(encode(text)) });
  }
  parentPort!.postMessage(
    { from, documents },
    documents.map((d) => d.tokens.buffer as ArrayBuffer),
  );
});
