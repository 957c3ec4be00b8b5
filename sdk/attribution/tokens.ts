import { decode, encode } from "gpt-tokenizer/encoding/o200k_base";

/** The tokenizer every index and report records; the npm package is pinned to this version. */
export const TOKENIZER = { package: "gpt-tokenizer", version: "4.0.0", encoding: "o200k_base" } as const;

/** Token ids of `text` (o200k_base). */
export function tokenize(text: string): Uint32Array {
  return Uint32Array.from(encode(text));
}

/** The text of token ids (for evidence). */
export function detokenize(ids: ArrayLike<number>): string {
  return decode(Array.from(ids));
}

/** Bit flags of a token's text. */
const STARTS_WITH_SEPARATOR = 1; // whitespace or punctuation first: the token begins a new word
const ENDS_WITH_SPACE = 2; // the next token begins a new word
const DELIMITER = 4; // a span may end with it but not run past it: line breaks, sentence ends
const CLASSIFIED = 8;

const classes = new Map<number, number>();

function classify(id: number): number {
  let flags = classes.get(id);
  if (flags === undefined) {
    const text = decode([id]);
    flags = CLASSIFIED;
    if (text.length === 0 || !/^[\p{L}\p{N}]/u.test(text)) flags |= STARTS_WITH_SEPARATOR;
    if (/\s$/u.test(text)) flags |= ENDS_WITH_SPACE;
    if (text.includes("\n") || /^\s*[.!?;]+\s*$/u.test(text)) flags |= DELIMITER;
    classes.set(id, flags);
  }
  return flags;
}

/** Whether the token at `i` begins a word (where a span may start). */
export function startsWord(ids: ArrayLike<number>, i: number): boolean {
  return (
    i === 0 ||
    (classify(ids[i]) & STARTS_WITH_SEPARATOR) !== 0 ||
    (classify(ids[i - 1]) & ENDS_WITH_SPACE) !== 0
  );
}

/** Whether a span must stop after the token (a line break or a sentence end). */
export function isDelimiter(id: number): boolean {
  return (classify(id) & DELIMITER) !== 0;
}
