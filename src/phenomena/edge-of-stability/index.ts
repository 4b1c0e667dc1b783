/** Property 13 (beyond the seven): gradient descent lives at the edge of stability. */
import { defineProperty } from "../property.js";
import { edgeOfStability } from "./edge-of-stability.js";

export const edgeOfStabilityProperty = defineProperty({
  id: "edge-of-stability",
  number: 13,
  name: "Edge of stability",
  title: "Gradient descent lives at the edge of stability: the sharpness rises to 2/eta and stays there",
  question: "If a step size above 2/sharpness makes gradient descent diverge on a quadratic, why does training a network with a fixed step size converge anyway?",
  group: "beyond",
  tourExperiment: "edge-of-stability",
  experiments: [edgeOfStability],
});
