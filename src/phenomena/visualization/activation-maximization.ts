/**
 * Experiment 1b (Yosinski et al. 2015): images synthesized to maximize each class logit. Unregularized, the model is
 * certain and an independently trained model does not agree; with Yosinski's regularizers the images look more like
 * digits and the second model agrees far more often.
 */
import { check, difference, judge } from "../verdict-kit.js";
import { z } from "zod";
import { tf } from "../../engine/tf.js";
import { imageGridPng } from "../../core/image-grid.js";
import { featureSize } from "../../data/dataset.js";
import { modelSpec } from "../../models/builders.js";
import { trainSpec } from "../../training/schema.js";
import { evaluate } from "../../training/evaluate.js";
import type { Claim } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { dataSpec, loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { laplacianEnergy, maximize, type Regularizers } from "../../analysis/inside/maximize.js";

export const activationMaximizationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 1000 }),
  /** The model whose classes are visualized (1a's MLP) ... */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 64], activation: "relu", init: "he", dropout: 0 }),
  /** ... and an independently trained judge (another architecture and seed). */
  judge: modelSpec.default({ kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpec.prefault({}),
  /** docs/criteria.md 1b: 300 ascent steps on the logit, from the mean image plus noise, pixels clamped to [0, 1]. */
  steps: z.number().int().min(1).max(10000).default(300),
  stepSize: z.number().positive().max(1).default(0.05),
  startNoise: z.number().min(0).max(1).default(0.05),
  /** docs/criteria.md 1b: L2 decay ~0.01 per step, blur sd 0.5-1 px every 4 steps, zero pixels below the 20th percentile; jitter 1 px. */
  regularizers: z
    .strictObject({
      l2Decay: z.number().min(0).max(1).default(0.01),
      blurSigma: z.number().min(0).max(5).default(0.75),
      blurEvery: z.number().int().min(1).max(1000).default(4),
      jitter: z.number().int().min(0).max(8).default(1),
      clipPercentile: z.number().min(0).max(100).default(20),
    })
    .prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 1b: both settings reach >= 0.99 confidence on the model itself ... */
      ownConfidence: z.number().min(0).max(1).default(0.99),
      /** ... and the judge agrees with the regularized images at least 20 pp more often. */
      agreementGain: z.number().min(-1).max(1).default(0.2),
    })
    .prefault({}),
});

type ActivationMaximizationConfig = z.output<typeof activationMaximizationSchema>;

const SETTINGS = ["plain", "regularized"] as const;

export const activationMaximizationClaim: Claim<ActivationMaximizationConfig> = {
  statement: "An image made to maximize a class's output convinces the model but not another model — unless it is regularized toward natural images, as Yosinski's toolbox does.",
  citation: "Yosinski, Clune, Nguyen, Fuchs & Lipson 2015, Understanding Neural Networks Through Deep Visualization (ICML workshop); Simonyan, Vedaldi & Zisserman 2014",
  verdict(metrics, config) {
    const c = config.claim;
    const gain = check(
      `judge agreement gain, regularized - plain (plain ${f(metrics["plain.agreement"])}, regularized ${f(metrics["regularized.agreement"])})`,
      difference(metrics["regularized.agreement"], metrics["plain.agreement"]),
      { atLeast: c.agreementGain },
    );
    const own = SETTINGS.map((s) => check(`own confidence, ${s}`, metrics[`${s}.ownConfidence`], { atLeast: c.ownConfidence }));
    return judge([...own, gain], {
      primary: gain,
      reported: [`high-frequency energy (mean squared Laplacian): plain ${f(metrics["plain.laplacian"], 4)}, regularized ${f(metrics["regularized.laplacian"], 4)}`],
    });
  },
  interpret(metrics) {
    return (
      `Ascending each class logit from the mean digit, the model ends ${pct(metrics["plain.ownConfidence"])} sure of the unregularized images, and an independently trained model agrees on ${pct(metrics["plain.agreement"])} of the ten classes. ` +
      `With decay, blur, jitter and clipping, the model is ${pct(metrics["regularized.ownConfidence"])} sure and the judge agrees on ${pct(metrics["regularized.agreement"])}: what a visualization shows depends as much on its regularizers as on the network.`
    );
  },
  deviations: "Yosinski et al. visualized ImageNet convnets (Caffe pixel scale); here MNIST MLPs with pixels in [0, 1], so the regularizer strengths are docs/criteria.md's rescaled values, and 'agreement' is the argmax of a second MLP.",
};

function f(v: number | undefined, digits = 3): string {
  return v === undefined ? "n/a" : v.toFixed(digits);
}

function pct(v: number | undefined): string {
  return v === undefined ? "n/a" : `${(v * 100).toFixed(1)}%`;
}

export const activationMaximization = defineExperiment({
  id: "activation-maximization",
  title: "Black box: what a class 'looks like', with and without regularization",
  property: "visualization",
  description: "Gradient ascent on each class logit from the mean digit, plain and with Yosinski's regularizers; the model's confidence and an independent model's agreement.",
  schema: activationMaximizationSchema,
  presets: { quick: { data: { trainSize: 2000, testSize: 500 }, train: { epochs: 5 }, steps: 100 }, standard: {} },
  claim: activationMaximizationClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "agreement",
      title: "How often an independently trained model sees the intended class",
      x: "images",
      y: "judge agreement",
      bars: SETTINGS.map((s) => ({ label: s, value: r.metrics[`${s}.agreement`] ?? Number.NaN })),
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const model = await trainNamedModel(ctx, "model", config.model, train, config.train);
    const judge = await trainNamedModel(ctx, "judge", config.judge, train, config.train);
    try {
      const size = featureSize(train);
      const [h, w] = [train.shape[0]!, train.shape[1] ?? 1];
      const meanImage = new Float32Array(size);
      for (let i = 0; i < train.n; i++) for (let j = 0; j < size; j++) meanImage[j]! += train.x[i * size + j]! / train.n;
      const classes = train.classes;
      const noise = ctx.streams.get("start");
      const start = Float32Array.from({ length: classes * size }, (_, k) => Math.min(1, Math.max(0, meanImage[k % size]! + noise.normal(0, config.startNoise))));
      const startT = tf.tensor2d(start, [classes, size]);
      const metrics: Record<string, number> = { modelTestAccuracy: evaluate(model, test).accuracy, judgeTestAccuracy: evaluate(judge, test).accuracy };
      const rows: Float32Array[] = [];
      for (const [index, setting] of SETTINGS.entries()) {
        const regularizers: Regularizers = setting === "plain" ? {} : config.regularizers;
        // one image per class, each maximizing its own class logit: a per-row objective through a one-hot mask
        const images = maximizeEachClass(model, startT, classes, ctx.streams.get(`jitter/${setting}`), { steps: config.steps, stepSize: config.stepSize, regularizers, height: h, width: w });
        const [own, judged] = tf.tidy(() => [tf.softmax(model.predict(images)).arraySync() as number[][], Array.from(tf.argMax(judge.predict(images), 1).dataSync())]);
        metrics[`${setting}.ownConfidence`] = own.reduce((s, row, c) => s + row[c]!, 0) / classes;
        metrics[`${setting}.agreement`] = judged.reduce((s, p, c) => s + (p === c ? 1 : 0), 0) / classes;
        const values = Float32Array.from(images.dataSync());
        metrics[`${setting}.laplacian`] = laplacianEnergy(values, classes, h, w);
        for (let c = 0; c < classes; c++) rows.push(values.subarray(c * size, (c + 1) * size));
        images.dispose();
        ctx.progress({ phase: "setting", step: index + 1, total: SETTINGS.length, detail: `${setting}: own confidence ${metrics[`${setting}.ownConfidence`]!.toFixed(3)}, judge agreement ${metrics[`${setting}.agreement`]!.toFixed(2)}` });
      }
      startT.dispose();
      await ctx.artifacts.write("images/maximized.png", imageGridPng(rows, h, w, classes, { zoom: 3 }));
      return {
        metrics,
        details: { images: [{ title: "Images maximizing each class logit, 0 to 9", caption: "Top row: plain gradient ascent. Bottom row: with L2 decay, blur, jitter and clipping of small pixels.", path: "images/maximized.png" }] },
      };
    } finally {
      model.dispose();
      judge.dispose();
    }
  },
});

/** Row c of the batch ascends logit c: the objective is the sum over rows of logit[row, row]. */
function maximizeEachClass(model: import("../../models/sequential.js").Sequential, start: tf.Tensor, classes: number, rng: import("../../core/rng.js").Rng, options: Parameters<typeof maximize>[4]): tf.Tensor {
  // maximize() sums one objective over rows; per-row classes need the diagonal, so ascend each class separately
  const parts: tf.Tensor[] = [];
  for (let c = 0; c < classes; c++) {
    const row = tf.slice(start, [c, 0], [1, -1]);
    parts.push(maximize(model, row, [{ layer: "logits", unit: c }], rng, options));
    row.dispose();
  }
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}
