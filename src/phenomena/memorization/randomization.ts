/**
 * Experiments 5a and 5b: Zhang et al.'s randomization tests. The same network, initialization, data order and
 * hyperparameters are trained on true labels, random labels, shuffled pixels, random pixels, Gaussian inputs and
 * partially corrupted labels; learning curves, the epochs needed to fit, and the test accuracy per condition.
 */
import type { Dataset } from "../../data/dataset.js";
import {
  applyPixelPermutation,
  corruptLabels,
  fixedPixelPermutation,
  gaussianInputs,
  gaussianLike,
  perImagePixelShuffle,
  randomLabels,
} from "../../data/transforms.js";
import type { TrainPlugin } from "../../training/loop.js";
import type { ExperimentContext } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModelWithHistory } from "../../analysis/train-named.js";
import { randomizationDetails, randomizationSchema, type RandomizationConfig } from "./randomization.schema.js";
import { conditionNames, corruptionName, randomizationClaim } from "./randomization.claim.js";
import { randomizationFigures } from "./figures.js";

/** The train and test sets of one condition; every random draw from the condition's own noise stream. */
function conditionData(name: string, config: RandomizationConfig, train: Dataset, test: Dataset, ctx: ExperimentContext): { train: Dataset; test: Dataset } {
  const rng = ctx.streams.get(`noise/${name}`);
  switch (name) {
    case "true-labels":
      return { train, test };
    case "random-labels":
      return { train: randomLabels(train, rng), test };
    case "shuffled-pixels": {
      const shuffled = fixedPixelPermutation(train, rng);
      return { train: shuffled, test: applyPixelPermutation(test, shuffled.permutation) };
    }
    case "random-pixels":
      return { train: perImagePixelShuffle(train, rng), test: perImagePixelShuffle(test, rng) };
    case "gaussian": {
      const noise = gaussianInputs(train, rng);
      return { train: noise, test: gaussianLike(test, noise.mean, noise.sd, rng) };
    }
  }
  const p = config.corruption.find((q) => corruptionName(q) === name);
  if (p === undefined) throw new Error(`unknown randomization condition ${name}`);
  return { train: corruptLabels(train, p, rng), test };
}

/** Stops training once the whole training set is fitted, remembering the epoch. */
export function fitWatcher(fitAccuracy: number, stop: boolean): TrainPlugin & { fittedAt?: number } {
  const plugin: TrainPlugin & { fittedAt?: number } = {
    name: "fit-watcher",
    afterEpoch(state, metrics) {
      if (plugin.fittedAt === undefined && (metrics.trainEvalAccuracy ?? 0) >= fitAccuracy) {
        plugin.fittedAt = metrics.epoch;
        if (stop) state.stop = true;
      }
    },
  };
  return plugin;
}

export const randomization = defineExperiment({
  id: "randomization",
  title: "Memorize anything: random labels, shuffled and random pixels, noise",
  property: "memorization",
  description: "Trains one MLP under true labels, random labels, corrupted labels, shuffled/random pixels and Gaussian inputs; time to fit and test accuracy.",
  schema: randomizationSchema,
  presets: {
    quick: {
      data: { trainSize: 1000, testSize: 2000 },
      model: { kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 },
      train: { epochs: 150, lr: 0.02 },
      conditions: ["true-labels", "random-labels", "shuffled-pixels"],
      corruption: [],
    },
    standard: {},
  },
  claim: randomizationClaim,
  details: randomizationDetails,
  figures: (r) => randomizationFigures(r.metrics, r.details),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const metrics: Record<string, number> = {};
    const curves: Record<string, { epoch: number; trainAccuracy: number; testAccuracy: number; trainLoss: number }[]> = {};
    const names = conditionNames(config);
    for (const [index, name] of names.entries()) {
      const sets = conditionData(name, config, train, test, ctx);
      const watcher = fitWatcher(config.fitAccuracy, config.stopAtFit);
      // One initialization and one data order for every condition: only the data differs.
      const { model, result } = await trainNamedModelWithHistory(ctx, name, config.model, sets.train, { ...config.train, evalTrain: true }, {
        initFrom: "net",
        orderFrom: "net",
        test: sets.test,
        plugins: [watcher],
      });
      model.dispose();
      const history = result.history;
      const last = history.at(-1)!;
      curves[name] = history.map((h) => ({ epoch: h.epoch, trainAccuracy: h.trainEvalAccuracy!, testAccuracy: h.testAccuracy!, trainLoss: h.trainEvalLoss! }));
      metrics[`${name}.trainAccuracy`] = last.trainEvalAccuracy!;
      metrics[`${name}.testAccuracy`] = last.testAccuracy!;
      metrics[`${name}.peakTestAccuracy`] = Math.max(...history.map((h) => h.testAccuracy!));
      metrics[`${name}.epochs`] = last.epoch;
      if (watcher.fittedAt !== undefined) metrics[`${name}.epochsToFit`] = watcher.fittedAt;
      ctx.progress({
        phase: "condition",
        step: index + 1,
        total: names.length,
        detail: `${name}: train ${(last.trainEvalAccuracy! * 100).toFixed(1)}% test ${(last.testAccuracy! * 100).toFixed(1)}% after ${last.epoch} epochs`,
      });
    }
    if (config.saveArtifacts) await ctx.artifacts.write("curves.json", JSON.stringify(curves, null, 1));
    return { metrics, details: { curves } };
  },
});
