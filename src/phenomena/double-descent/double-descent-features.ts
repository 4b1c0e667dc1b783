/**
 * Double descent in its cleanest form (Belkin et al. 2019): random ReLU features, never trained, and a linear readout
 * fitted in closed form by minimum-norm least squares. Sweeping the number of features N across the number of
 * training examples n, test error falls, peaks where the readout can just interpolate (N = n), and falls again.
 */
import { corruptLabels } from "../../data/transforms.js";
import type { Dataset } from "../../data/dataset.js";
import { featureSize } from "../../data/dataset.js";
import { drawRandomReluFeatures, featuresOf } from "../../analysis/regression/random-features.js";
import { matrix, minNormReadout, predict, PrefixGram, transpose, type Matrix } from "../../analysis/regression/min-norm.js";
import { checkpoint } from "../../core/interrupt.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { CONDITIONS, doubleDescentFeaturesDetails, doubleDescentFeaturesSchema, type Condition } from "./double-descent-features.schema.js";
import { doubleDescentFeaturesClaim, errorKey, trainErrorKey } from "./double-descent-features.claim.js";
import { doubleDescentFigures } from "./figures.js";

/** One-hot targets of both conditions side by side: columns 0..K-1 clean, K..2K-1 noisy (one solve serves both). */
function stackedOneHot(labels: Record<Condition, Int32Array>, classes: number): Matrix {
  const n = labels.clean.length;
  const k = CONDITIONS.length * classes;
  const out = matrix(n, k);
  CONDITIONS.forEach((condition, block) => {
    const y = labels[condition];
    for (let i = 0; i < n; i++) out.data[i * k + block * classes + y[i]!] = 1;
  });
  return out;
}

interface Fit {
  errors: number;
  squared: number;
}

/** 0-1 errors and summed squared error of one condition's block of the stacked predictions against labels. */
function score(predictions: Float64Array, k: number, block: number, classes: number, labels: Int32Array, into: Fit): void {
  for (let i = 0; i < labels.length; i++) {
    const row = i * k + block * classes;
    let best = 0;
    for (let c = 0; c < classes; c++) {
      const target = c === labels[i] ? 1 : 0;
      const p = predictions[row + c]!;
      into.squared += (p - target) ** 2;
      if (p > predictions[row + best]!) best = c;
    }
    if (best !== labels[i]) into.errors++;
  }
}

export const doubleDescentFeatures = defineExperiment({
  id: "double-descent-features",
  title: "Double descent: random ReLU features, minimum-norm readout",
  property: "double-descent",
  description: "Random ReLU features of MNIST digits with a least-squares readout fitted in closed form; test error against the number of features, through the interpolation threshold N = n, with and without label noise.",
  schema: doubleDescentFeaturesSchema,
  presets: {
    quick: {
      data: { trainSize: 200, testSize: 1000 },
      features: [20, 50, 80, 120, 140, 160, 170, 180, 190, 200, 210, 220, 230, 250, 300, 400, 600, 800, 1200, 1600],
    },
    standard: {},
    paper: {
      data: { trainSize: 1000, testSize: 10000 },
      features: [100, 150, 250, 400, 500, 600, 700, 750, 800, 850, 900, 925, 950, 975, 1000, 1025, 1050, 1075, 1100, 1150, 1250, 1400, 1600, 2000, 2500, 3000, 4000, 5000, 6000, 8000],
    },
  },
  claim: doubleDescentFeaturesClaim,
  details: doubleDescentFeaturesDetails,
  figures: (r, config) => doubleDescentFigures(r.metrics, r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const noisy = corruptLabels(train, config.labelNoise, ctx.streams.get("noise/labels"));
    const labels: Record<Condition, Int32Array> = { clean: train.y, noisy: noisy.y };
    const classes = train.classes;
    const k = CONDITIONS.length * classes;
    const widest = config.features[config.features.length - 1]!;
    const inputs = featureSize(train);
    const features = drawRandomReluFeatures(widest, inputs, ctx.streams.get("init/random-features"), { weight: config.weightScale, bias: config.biasScale });
    const phi = matrix(train.n, widest, Float64Array.from(featuresOf(features, train.x, train.n)));
    const phiT = transpose(phi);
    const targets = stackedOneHot(labels, classes);
    const gram = new PrefixGram(phi);

    const curves: Record<Condition, Record<string, number>[]> = { clean: [], noisy: [] };
    const readouts: Float64Array[] = [];
    for (const [index, width] of config.features.entries()) {
      await checkpoint(ctx.signal);
      const solution = minNormReadout(phi, phiT, width, targets, config.relativeCutoff, width >= train.n ? gram.samplesGram(width) : undefined);
      readouts.push(solution.coefficients);
      const fitted = predict(phi, width, solution.coefficients, k);
      for (const [block, condition] of CONDITIONS.entries()) {
        const fit: Fit = { errors: 0, squared: 0 };
        score(fitted, k, block, classes, labels[condition], fit);
        let norm = 0;
        for (let f = 0; f < width; f++) for (let c = 0; c < classes; c++) norm += solution.coefficients[f * k + block * classes + c]! ** 2;
        curves[condition].push({ features: width, trainError: fit.errors / train.n, trainMse: fit.squared / train.n, rank: solution.rank, coefficientNorm: Math.sqrt(norm), testError: Number.NaN, testMse: Number.NaN });
      }
      ctx.emit({ type: "fit", features: width, rank: solution.rank, gram: solution.gram, conditionNumber: Math.sqrt(solution.largestEigenvalue / solution.smallestKeptEigenvalue) });
      ctx.progress({ phase: "fit", step: index + 1, total: config.features.length, detail: `N = ${width}: train error ${(curves.clean.at(-1)!.trainError! * 100).toFixed(1)}% clean, rank ${solution.rank}` });
    }
    await scoreTest(test, features, config.features, readouts, k, classes, curves, ctx);

    const metrics: Record<string, number> = {};
    for (const condition of CONDITIONS) {
      for (const row of curves[condition]) {
        metrics[errorKey(condition, row.features!)] = row.testError!;
        metrics[trainErrorKey(condition, row.features!)] = row.trainError!;
      }
    }
    return { metrics, details: { curves } };
  },
});

/** Test figures for every width at once, over chunks of test digits: each chunk's features are computed once. */
async function scoreTest(
  test: Dataset,
  features: ReturnType<typeof drawRandomReluFeatures>,
  widths: number[],
  readouts: Float64Array[],
  k: number,
  classes: number,
  curves: Record<Condition, Record<string, number>[]>,
  ctx: { signal: AbortSignal; progress: (u: { phase: string; step: number; total: number }) => void },
): Promise<void> {
  const inputs = features.inputs;
  const fits = widths.map(() => CONDITIONS.map((): Fit => ({ errors: 0, squared: 0 })));
  const chunk = 1000;
  for (let start = 0; start < test.n; start += chunk) {
    await checkpoint(ctx.signal);
    const end = Math.min(test.n, start + chunk);
    const rows = end - start;
    const phi = { data: featuresOf(features, test.x.subarray(start * inputs, end * inputs), rows), rows, cols: features.count };
    const y = test.y.subarray(start, end);
    widths.forEach((width, w) => {
      const predictions = predict(phi, width, readouts[w]!, k);
      CONDITIONS.forEach((_, block) => score(predictions, k, block, classes, y, fits[w]![block]!));
    });
    ctx.progress({ phase: "test", step: end, total: test.n });
  }
  widths.forEach((_, w) =>
    CONDITIONS.forEach((condition, block) => {
      const row = curves[condition][w]!;
      row.testError = fits[w]![block]!.errors / test.n;
      row.testMse = fits[w]![block]!.squared / test.n;
    }),
  );
}
