/**
 * The list every other list is derived from: the registry of experiments, the tour's stops, the lab's tabs. A new
 * property is one line here (and its folder).
 */
import type { PropertyModule } from "./property.js";
import { baselineProperty } from "./baseline/index.js";
import { visualizationProperty } from "./visualization/index.js";
import { adversarialProperty } from "./adversarial/index.js";
import { lossLandscapeProperty } from "./loss-landscape/index.js";
import { sharpnessProperty } from "./sharpness/index.js";
import { memorizationProperty } from "./memorization/index.js";
import { initializationProperty } from "./initialization/index.js";
import { forgettingProperty } from "./forgetting/index.js";
import { doubleDescentProperty } from "./double-descent/index.js";
import { lotteryTicketsProperty } from "./lottery-tickets/index.js";
import { modeConnectivityProperty } from "./mode-connectivity/index.js";
import { grokkingProperty } from "./grokking/index.js";
import { neuralCollapseProperty } from "./neural-collapse/index.js";
import { edgeOfStabilityProperty } from "./edge-of-stability/index.js";
import { linearProbesProperty } from "./linear-probes/index.js";
import { inspectModule } from "./inspect/index.js";

export type { PropertyModule } from "./property.js";

export const PROPERTY_MODULES: PropertyModule[] = [
  baselineProperty,
  visualizationProperty,
  adversarialProperty,
  lossLandscapeProperty,
  sharpnessProperty,
  memorizationProperty,
  initializationProperty,
  forgettingProperty,
  doubleDescentProperty,
  lotteryTicketsProperty,
  modeConnectivityProperty,
  grokkingProperty,
  neuralCollapseProperty,
  edgeOfStabilityProperty,
  linearProbesProperty,
  inspectModule,
];

/** The seven properties of the mission, in order. */
export type PropertyInfo = Omit<PropertyModule, "experiments">;

export const PROPERTIES: PropertyInfo[] = PROPERTY_MODULES.filter((m) => m.group === "seven").map(({ experiments: _experiments, ...info }) => info);
