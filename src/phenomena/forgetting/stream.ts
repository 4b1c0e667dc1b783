/**
 * Experiment 7b (Lopez-Paz & Ranzato 2017's MNIST Permutations, with A-GEM for GEM's quadratic programme): 20
 * permutation tasks of 1,000 examples each, seen once in batches of 10 (`transform: rotation`: MNIST Rotations). "Single" (plain SGD) forgets; A-GEM, which
 * never lets an update raise the loss of a memory of earlier tasks to first order, keeps them.
 */
import { check, difference, judge } from "../verdict-kit.js";
import type { Dataset } from "../../data/dataset.js";
import { select } from "../../data/dataset.js";
import type { Rng } from "../../core/rng.js";
import { taskView } from "./tasks.js";
import type { Claim } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { streamSchema, type StreamConfig } from "./schema.js";
import { permutedFigures } from "./figures.js";
import { runStrategies, type TaskSets } from "./sequence.js";

export const streamClaim: Claim<StreamConfig> = {
  statement:
    "Learning a stream of tasks in a single pass, plain SGD forgets the earlier tasks (negative backward transfer); constraining each update not to increase the loss on a small episodic memory of earlier tasks (GEM, A-GEM) removes most of the forgetting and raises the final average accuracy.",
  citation: "Lopez-Paz & Ranzato 2017, Gradient Episodic Memory for Continual Learning (NeurIPS); Chaudhry, Ranzato, Rohrbach & Elhoseiny 2019, Efficient Lifelong Learning with A-GEM (ICLR)",
  verdict(metrics, config) {
    const f = (v: number | undefined) => (v === undefined ? "not measured" : v.toFixed(3));
    const [singleBwt, agemBwt, singleAcc, agemAcc] = [metrics["naive.bwt"], metrics["agem.bwt"], metrics["naive.acc"], metrics["agem.acc"]];
    return judge([
      check(`BWT gain of A-GEM over single (single ${f(singleBwt)}, A-GEM ${f(agemBwt)})`, difference(agemBwt, singleBwt), { atLeast: config.claim.bwtGain }),
      check(`ACC of A-GEM minus single (single ${f(singleAcc)}, A-GEM ${f(agemAcc)})`, difference(agemAcc, singleAcc), { above: 0 }),
    ]);
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`);
    return (
      `After one pass over ${config.tasks} permuted tasks, plain SGD averages ${pct(metrics["naive.acc"])} over all of them (BWT ${(metrics["naive.bwt"] ?? Number.NaN).toFixed(3)}: each task lost that much, on average, after it was learned). ` +
      `A-GEM, with ${config.agem.memoriesPerTask} stored examples per task, averages ${pct(metrics["agem.acc"])} (BWT ${(metrics["agem.bwt"] ?? Number.NaN).toFixed(3)}); ` +
      `its projection changed ${metrics["agem.projectedSteps"] ?? "-"} of its updates.`
    );
  },
  deviations:
    "GEM solves a quadratic programme against one gradient per earlier task; we run A-GEM's single projection against the mean memory gradient (docs/criteria.md 7b), with GEM's learning rates (single 0.03, GEM 0.1). Each task's 1,000 examples are a seeded draw from an MNIST subset, not GEM's fixed file; accuracy is measured on 1,000 test digits per task.",
};

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
  },
  claim: streamClaim,
  figures: (r) => permutedFigures(r.details),
  async run(config, ctx) {
    const { train: pool, test } = await loadSplits(ctx, config.data);
    const tasks = makeTasks(config, pool, test, ctx.streams.get("tasks"));
    return runStrategies(config, tasks, ctx);
  },
});
