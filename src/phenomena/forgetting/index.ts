/** Property 7: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { permuted } from "./permuted.js";
import { stream } from "./stream.js";
import { split } from "./split-class-incremental.js";
import { splitTask } from "./split-task-incremental.js";

export const forgettingProperty = defineProperty({
  id: "forgetting",
  number: 7,
  name: "They forget",
  title: "Catastrophic forgetting, and what helps",
  question: "What happens to an old task when a network learns a new one?",
  group: "seven",
  tourExperiment: "permuted",
  experiments: [permuted, stream, split, splitTask],
});
