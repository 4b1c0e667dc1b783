/** Property 6: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { initScale } from "./init-scale.js";
import { earlyExamples } from "./early-examples.js";
import { pretraining } from "./pretraining.js";
import { orderVsInit } from "./order-vs-init.js";

export const initializationProperty = defineProperty({
  id: "initialization",
  number: 6,
  name: "Initialization matters",
  title: "Init scale and the first examples shape the network",
  question: "How much does the start, the initial weights and the first examples, decide the end?",
  group: "seven",
  tourExperiment: "init-scale",
  experiments: [initScale, earlyExamples, pretraining, orderVsInit],
});
