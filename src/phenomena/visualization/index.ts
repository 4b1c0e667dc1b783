/** Property 1: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { unitsVsDirections } from "./units-vs-directions.js";
import { activationMaximization } from "./activation-maximization.js";

export const visualizationProperty = defineProperty({
  id: "visualization",
  number: 1,
  name: "Black box",
  title: "Look inside: units, directions, what a unit wants",
  question: "Can we see what a network has learned, unit by unit?",
  group: "seven",
  tourExperiment: "units-vs-directions",
  experiments: [unitsVsDirections, activationMaximization],
});
