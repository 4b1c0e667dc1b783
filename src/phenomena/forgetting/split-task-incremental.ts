/**
 * Experiment 7d: split MNIST, task-incremental — the same five digit pairs with a 2-way head per pair, the task known
 * at test time (van de Ven & Tolias 2019's Task-IL): the scenario in which regularization methods such as EWC and LwF
 * do hold on to old tasks.
 */
import { defineExperiment } from "../experiment.js";
import { splitTaskSchema } from "./split-task-incremental.schema.js";
import { splitTaskClaim } from "./split-task-incremental.claim.js";
import { permutedFigures } from "./figures.js";
import { runSplit } from "./split-protocol.js";
import { sequenceDetails } from "./specs.js";

export const splitTask = defineExperiment({
  id: "split-task-incremental",
  title: "Forgetting depends on the scenario: split MNIST, a head per task",
  property: "forgetting",
  description: "Learns digit pairs 0/1 ... 8/9 in sequence with a 2-way head per pair (the task known at test time): fine-tuning, EWC, LwF and joint training.",
  schema: splitTaskSchema,
  presets: {
    quick: { data: { trainSize: 4000, testSize: 1000 }, validationSize: 500, train: { epochs: 2 }, strategies: ["naive", "ewc"], ewc: { lambdas: [10, 100], fisherSamples: 200 } },
    standard: {},
  },
  claim: splitTaskClaim,
  details: sequenceDetails,
  figures: (r) => permutedFigures(r.details),
  run: (config, ctx) => runSplit({ ...config, heads: config.groups }, ctx),
});
