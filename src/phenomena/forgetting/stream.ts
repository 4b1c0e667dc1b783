/**
 * Experiment 7b (Lopez-Paz & Ranzato 2017's MNIST Permutations, with A-GEM for GEM's quadratic programme): 20
 * permutation tasks of 1,000 examples each, seen once in batches of 10 (`transform: rotation`: MNIST Rotations). "Single" (plain SGD) forgets; A-GEM, which
 * never lets an update raise the loss of a memory of earlier tasks to first order, keeps them.
 */
import type { Dataset } from "../../data/dataset.js";
import { select } from "../../data/dataset.js";
import type { Rng } from "../../core/rng.js";
import { taskView } from "./tasks.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { streamSchema, type StreamConfig } from "./stream.schema.js";
import { permutedFigures } from "./figures.js";
import { runStrategies, type TaskSets } from "./sequence.js";
import { streamClaim } from "./stream.claim.js";
import { sequenceDetails } from "./specs.js";

function makeTasks(config: StreamConfig, pool: Dataset, test: Dataset, streams: Rng): TaskSets {
  const sets: TaskSets = { train: [], validation: [], test: [] };
  for (let t = 0; t < config.tasks; t++) {
    // each task its own examples (drawn from the pool) and its own permutation; the first keeps the pixels in place
    const drawn = streams.permutation(pool.n).subarray(0, Math.min(pool.n, config.examplesPerTask + config.validationSize));
    const examples = select(pool, drawn.subarray(0, Math.min(config.examplesPerTask, drawn.length - 1)), `task ${t + 1}`);
    const validation = select(pool, drawn.subarray(Math.min(config.examplesPerTask, drawn.length - 1)), "validation");
    const view = taskView(config.transform, t, config.tasks, pool, streams);
    sets.train.push({ ...view.apply(examples), name: `task ${t + 1}` });
    sets.validation.push(view.apply(validation));
    sets.test.push(view.apply(test));
  }
  return sets;
}

export const stream = defineExperiment({
  id: "stream",
  title: "They forget: a single-pass stream of 20 tasks, and A-GEM",
  property: "forgetting",
  description: "GEM's MNIST Permutations: 20 tasks x 1,000 examples, batch 10, one pass; plain SGD against A-GEM; the accuracy matrix, ACC, BWT, FWT.",
  schema: streamSchema,
  presets: {
    quick: { data: { trainSize: 4000, testSize: 500 }, tasks: 5, examplesPerTask: 500, agem: { memoriesPerTask: 100, referenceBatch: 100 } },
    standard: {},
    // A-GEM's MNIST protocol (Chaudhry et al. 2019, as their code and ContinualAI's reproduction run it): 17 permuted
    // tasks of the whole training set seen once at batch 10, a 2 x 256 ReLU net, 250 memories per task and a
    // 256-example reference gradient; 1,000 digits per task form the validation split (no lambda to choose here).
    paper: {
      data: { trainSize: 60000, testSize: 10000 },
      tasks: 17,
      examplesPerTask: 59000,
      validationSize: 1000,
      model: { kind: "mlp", hidden: [256, 256], activation: "relu", init: "he", dropout: 0 },
      agem: { memoriesPerTask: 250, referenceBatch: 256 },
    },
  },
  claim: streamClaim,
  details: sequenceDetails,
  figures: (r) => permutedFigures(r.details),
  async run(config, ctx) {
    const { train: pool, test } = await loadSplits(ctx, config.data);
    const tasks = makeTasks(config, pool, test, ctx.streams.get("tasks"));
    return runStrategies(config, tasks, ctx);
  },
});
