/**
 * Grokking where it was found (Power et al. 2022): a net trained on part of the addition table modulo a prime fits
 * its pairs quickly and predicts the held-out pairs only much later, and with weight decay far sooner than without.
 * Reported, not judged: docs/criteria.md §8.3 judges the MNIST experiment.
 */
import { trainNamedModel } from "../../analysis/train-named.js";
import { select, type Dataset } from "../../data/dataset.js";
import { modularAdditionTable } from "../../data/modular.js";
import { defineExperiment, type ExperimentContext } from "../experiment.js";
import { recordSubset } from "../data.js";
import { logSpaced } from "../sweep.js";
import { decayKey, grokkingModularDetails, grokkingModularSchema, type GrokkingModularConfig } from "./grokking-modular.schema.js";
import { grokkingModularFigures } from "./figures.js";
import { delaysTo } from "./curves.js";
import { curveRecorder, type CurveRow } from "./recorder.js";
import { totalStepsOf } from "../../training/schedule.js";

/** The table split at random (the run's `data` stream) into training and held-out pairs; indices go to the artifacts. */
async function splitTable(ctx: ExperimentContext, task: GrokkingModularConfig["task"]): Promise<{ train: Dataset; test: Dataset }> {
  const table = modularAdditionTable(task.modulus);
  const order = ctx.streams.get("data").permutation(table.n);
  const trainSize = Math.round(task.trainFraction * table.n);
  const trainIndices = order.slice(0, trainSize);
  const testIndices = order.slice(trainSize);
  await recordSubset(ctx, "train", trainIndices);
  await recordSubset(ctx, "test", testIndices);
  return { train: select(table, trainIndices, "train"), test: select(table, testIndices, "test") };
}

export const grokkingModular = defineExperiment({
  id: "grokking-modular",
  title: "Grokking on modular addition: the held-out pairs of a table learned long after the training pairs",
  property: "grokking",
  description: "A one-hidden-layer ReLU MLP on one-hot pairs (a, b) learns (a + b) mod 97 from 40% of the table, by AdamW with and without weight decay; train and held-out accuracy and the weight norm at log-spaced steps.",
  schema: grokkingModularSchema,
  presets: {
    // mechanics only: at this size and budget the held-out pairs are not learned (see the README)
    quick: { task: { modulus: 23, trainFraction: 0.5 }, model: { kind: "mlp", hidden: [64], activation: "relu", init: "he", dropout: 0 }, train: { batchSize: 128, steps: 1000 }, checkpoints: 20 },
    standard: {},
    // Power et al.'s rate and their budget of 100,000 steps
    paper: { train: { lr: 0.001, steps: 100000 } },
  },
  details: grokkingModularDetails,
  figures: (r, config) => grokkingModularFigures(r.details, config),
  async run(config, ctx) {
    const { train, test } = await splitTable(ctx, config.task);
    const steps = totalStepsOf(config.train, train.n);
    const checkpoints = new Set(logSpaced(steps, config.checkpoints));
    const metrics: Record<string, number> = {};
    const curves: Record<string, CurveRow[]> = {};
    for (const weightDecay of config.weightDecays) {
      const key = decayKey(weightDecay);
      const { rows, plugin: recorder } = curveRecorder(checkpoints, train, test, config.train.loss, (row) =>
        ctx.progress({ phase: `weight decay ${weightDecay}`, step: row.step, total: steps, detail: `train ${(row.trainAccuracy * 100).toFixed(1)}% held out ${(row.testAccuracy * 100).toFixed(1)}% |w| ${row.weightNorm.toFixed(1)}` }),
      );
      // every weight decay from the same draw and the same order of minibatches: the decay is the only difference
      const model = await trainNamedModel(ctx, `wd-${weightDecay}`, config.model, train, { ...config.train, weightDecay }, { initFrom: "net", orderFrom: "net", plugins: [recorder] });
      model.dispose();
      curves[key] = rows;
      for (const [name, value] of Object.entries(delaysTo(rows, config.reported.trainAccuracy, config.reported.testAccuracy))) metrics[`${key}.${name}`] = value;
    }
    return { metrics, details: { curves } };
  },
});
