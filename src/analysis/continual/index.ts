/** Continual-learning tools: strategies as training plugins, the Fisher, the replay buffer, the GEM metrics. */
export * from "./plugins.js";
export * from "./fisher.js";
export * from "./buffer.js";
export * from "./metrics.js";
