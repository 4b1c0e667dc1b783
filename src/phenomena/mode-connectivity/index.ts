/** Property 10 (beyond the seven): solutions are connected. */
import { defineProperty } from "../property.js";
import { modeConnectivity } from "./mode-connectivity.js";
import { permutationAlignment } from "./permutation-alignment.js";

export const modeConnectivityProperty = defineProperty({
  id: "mode-connectivity",
  number: 10,
  name: "Mode connectivity",
  title: "Solutions are connected: a barrier on the straight line, none along a simple curve",
  question: "If the loss surface is so non-convex that two solutions are separated by a hill, how can they lie in one valley?",
  group: "beyond",
  tourExperiment: "mode-connectivity",
  experiments: [modeConnectivity, permutationAlignment],
});
