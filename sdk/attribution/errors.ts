import { OpenAttributionError } from "../contract-error.js";

/** An input file of the engine is malformed; the message names the file (and line). */
export class AttributionInputError extends OpenAttributionError {
  override readonly name = "AttributionInputError";
}

/** A content file does not hash to its contribution's on-chain content hash. */
export class ContentMismatchError extends OpenAttributionError {
  override readonly name = "ContentMismatchError";
}

/** The content of an eligible contribution is not in the content folder. */
export class MissingContentError extends OpenAttributionError {
  override readonly name = "MissingContentError";
}

/** A stored index is damaged or does not match its manifest. */
export class IndexIntegrityError extends OpenAttributionError {
  override readonly name = "IndexIntegrityError";
}
