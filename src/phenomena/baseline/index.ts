/** The baseline: a plain classifier, the reference every property departs from. */
import { defineProperty } from "../property.js";
import { baseline } from "./baseline.js";

export const baselineProperty = defineProperty({
  id: "foundation",
  number: 0,
  name: "Baseline",
  title: "A plain classifier, the reference every property departs from",
  question: "How well does a small network classify digits when nothing surprising is asked of it?",
  group: "foundation",
  tourExperiment: null,
  experiments: [baseline],
});
