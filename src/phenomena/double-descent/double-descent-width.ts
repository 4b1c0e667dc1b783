/**
 * Model-wise (and epoch-wise) double descent in a trained network (Nakkiran et al. 2019; Belkin et al. 2019's
 * one-hidden-layer net on MNIST): one-hidden-layer MLPs of growing width, each trained towards zero training loss on
 * digits with noisy labels, their test error against their number of parameters. Reported, not judged: the
 * property's verdict is the random-features experiment's (docs/criteria.md §8.1 judges that one).
 */
import { corruptLabels } from "../../data/transforms.js";
import { featureSize } from "../../data/dataset.js";
import { evaluate } from "../../training/evaluate.js";
import type { TrainPlugin } from "../../training/loop.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { logSpaced } from "../sweep.js";
import { doubleDescentWidthDetails, doubleDescentWidthSchema, widthKey } from "./double-descent-width.schema.js";
import { widthFigures } from "./width-figures.js";

export const doubleDescentWidth = defineExperiment({
  id: "double-descent-width",
  title: "Double descent in trained networks: test error against width",
  property: "double-descent",
  description: "One-hidden-layer MLPs of growing width trained towards zero training loss on digits with 20% wrong labels: test error against parameters (model-wise) and against epochs (epoch-wise).",
  schema: doubleDescentWidthSchema,
  presets: {
    quick: { data: { trainSize: 300, testSize: 1000 }, widths: [4, 16, 64], train: { epochs: 60, batchSize: 50 }, curvePoints: 8 },
    standard: {},
    paper: { data: { trainSize: 4000, testSize: 10000 }, widths: [4, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 128, 192, 256, 512], train: { epochs: 1000, batchSize: 200 } },
  },
  details: doubleDescentWidthDetails,
  figures: (r, config) => widthFigures(r.metrics, r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const noisy = corruptLabels(train, config.labelNoise, ctx.streams.get("noise/labels"));
    const inputs = featureSize(train);
    const checkpoints = new Set(logSpaced(config.train.epochs, config.curvePoints));
    const metrics: Record<string, number> = {};
    const epochs: Record<string, { epoch: number; trainError: number; testError: number }[]> = {};
    for (const [index, width] of config.widths.entries()) {
      const rows: { epoch: number; trainError: number; testError: number }[] = [];
      const recorder: TrainPlugin = {
        name: "epoch-wise errors",
        afterEpoch(state, m) {
          if (!checkpoints.has(m.epoch)) return;
          rows.push({ epoch: m.epoch, trainError: 1 - evaluate(state.model, noisy).accuracy, testError: 1 - evaluate(state.model, test).accuracy });
        },
      };
      const model = await trainNamedModel(ctx, `width-${width}`, { ...config.model, hidden: [width] }, noisy, config.train, { plugins: [recorder] });
      try {
        const fit = evaluate(model, noisy);
        metrics[widthKey("trainError", width)] = 1 - fit.accuracy;
        metrics[widthKey("trainLoss", width)] = fit.loss;
        metrics[widthKey("testError", width)] = 1 - evaluate(model, test).accuracy;
        metrics[widthKey("parameters", width)] = (inputs + 1) * width + (width + 1) * train.classes;
      } finally {
        model.dispose();
      }
      epochs[String(width)] = rows;
      ctx.progress({ phase: "widths", step: index + 1, total: config.widths.length, detail: `width ${width}: train error ${(metrics[widthKey("trainError", width)]! * 100).toFixed(1)}%, test error ${(metrics[widthKey("testError", width)]! * 100).toFixed(1)}%` });
    }
    const tests = config.widths.map((w) => metrics[widthKey("testError", w)]!);
    const peak = tests.indexOf(Math.max(...tests));
    metrics.peakWidth = config.widths[peak]!;
    metrics.peakTestError = tests[peak]!;
    // The smallest width that fits its noisy training set (Belkin et al.'s empirical interpolation threshold).
    const fitting = config.widths.find((w) => metrics[widthKey("trainError", w)]! === 0);
    metrics.firstInterpolatingWidth = fitting ?? Number.NaN;
    metrics.widestTestError = tests[tests.length - 1]!;
    return { metrics, details: { epochs } };
  },
});
