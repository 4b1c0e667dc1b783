export * from "./base.js";
export * from "./linf.js";
export * from "./l2.js";
export * from "./minimization.js";
