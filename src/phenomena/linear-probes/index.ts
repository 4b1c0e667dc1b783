/** Property 14 (beyond the seven): understanding grows with depth. */
import { defineProperty } from "../property.js";
import { linearProbes } from "./linear-probes.js";

export const linearProbesProperty = defineProperty({
  id: "linear-probes",
  number: 14,
  name: "Linear probes",
  title: "Understanding grows with depth: each layer is more linearly readable than the last",
  question: "If a network's hidden layers are a black box, how much of the answer can a straight line already read off each of them?",
  group: "beyond",
  tourExperiment: "linear-probes",
  experiments: [linearProbes],
});
