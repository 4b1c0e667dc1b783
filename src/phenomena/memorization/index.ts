/** Property 5: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { randomization } from "./randomization.js";
import { distillation } from "./distillation.js";
import { omittedClass } from "./omitted-class.js";
import { pruning } from "./pruning.js";
import { regularizers } from "./regularizers.js";
import { compressibility } from "./compressibility.js";

export const memorizationProperty = defineProperty({
  id: "memorization",
  number: 5,
  name: "Memorize and compress",
  title: "They fit random labels, yet distil and prune",
  question: "If a network can memorize anything, why does it generalize, and how much of it is needed?",
  group: "seven",
  tourExperiment: "randomization",
  experiments: [randomization, distillation, omittedClass, pruning, regularizers, compressibility],
});
