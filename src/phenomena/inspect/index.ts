/** Not a property but a tool: the same measurements, on the user's own model (`quirklab inspect`). */
import { defineProperty } from "../property.js";
import { inspect } from "./inspect.js";

export const inspectModule = defineProperty({
  id: "inspect",
  number: 0,
  name: "Inspect your model",
  title: "Accuracy, calibration, robustness, curvature, saliency and pruning of your own model",
  question: "How does my model behave: how easily is it fooled, how sharp is its minimum, what does it look at?",
  group: "tool",
  tourExperiment: null,
  experiments: [inspect],
});
