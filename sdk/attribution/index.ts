/**
 * The reference attribution engine (Node): span matching of model outputs over suffix arrays
 * of the contributed corpus, integer weights, persisted indexes. `openattribution/attribution`.
 */
export * from "./corpus.js";
export * from "./engine.js";
export * from "./errors.js";
export * from "./inputs.js";
export * from "./sais.js";
export * from "./spans.js";
export * from "./store.js";
export * from "./tokens.js";
