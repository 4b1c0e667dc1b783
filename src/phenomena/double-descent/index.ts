/** Property 8 (beyond the seven): more parameters, less error. */
import { defineProperty } from "../property.js";
import { doubleDescentFeatures } from "./double-descent-features.js";
import { doubleDescentWidth } from "./double-descent-width.js";

export const doubleDescentProperty = defineProperty({
  id: "double-descent",
  number: 8,
  name: "Double descent",
  title: "More parameters, less error: past the interpolation threshold test error falls again",
  question: "If a model that can fit its training set exactly overfits, why do even larger models generalize better?",
  group: "beyond",
  tourExperiment: "double-descent-features",
  experiments: [doubleDescentFeatures, doubleDescentWidth],
});
