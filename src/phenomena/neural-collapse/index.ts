/** Property 12 (beyond the seven): the last layer collapses to a simplex. */
import { defineProperty } from "../property.js";
import { neuralCollapse } from "./neural-collapse.js";

export const neuralCollapseProperty = defineProperty({
  id: "neural-collapse",
  number: 12,
  name: "Neural collapse",
  title: "The last layer collapses to a simplex: trained past zero error, every class shrinks to one point, all equally far apart",
  question: "Once a network makes no more training errors, what is left for further training to change?",
  group: "beyond",
  tourExperiment: "neural-collapse",
  experiments: [neuralCollapse],
});
