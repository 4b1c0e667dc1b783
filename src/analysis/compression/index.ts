/** Compression tools: distillation with soft targets and magnitude pruning with held masks. */
export * from "./distill.js";
export * from "./prune.js";
