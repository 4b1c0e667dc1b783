/**
 * Experiment 1b (Yosinski et al. 2015): images synthesized to maximize each class logit. Unregularized, the model is
 * certain and an independently trained model does not agree; with Yosinski's regularizers the images look more like
 * digits and the second model agrees far more often.
 */
import { tf } from "../../engine/tf.js";
import { imageGridPng } from "../../core/image-grid.js";
import { featureSize } from "../../data/dataset.js";
import { evaluate } from "../../training/evaluate.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { laplacianEnergy, maximize, type Regularizers } from "../../analysis/inside/maximize.js";
import { activationMaximizationSchema } from "./activation-maximization.schema.js";
import { SETTINGS, activationMaximizationClaim } from "./activation-maximization.claim.js";

export const activationMaximization = defineExperiment({
  id: "activation-maximization",
  title: "Black box: what a class 'looks like', with and without regularization",
  property: "visualization",
  description: "Gradient ascent on each class logit from the mean digit, plain and with Yosinski's regularizers; the model's confidence and an independent model's agreement.",
  schema: activationMaximizationSchema,
  presets: {
    // a narrower CNN control at the quick scale: the standard one costs about 200 s on wasm (the browser lab's backend)
    quick: { data: { trainSize: 2000, testSize: 500 }, train: { epochs: 5 }, steps: 100, controlJudge: { kind: "cnn", filters: [8, 16], kernelSize: 5, padding: "same", dense: [64], activation: "relu", init: "he", dropout: 0 } },
    standard: {},
  },
  claim: activationMaximizationClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "agreement",
      title: "How often an independently trained model sees the intended class",
      x: "images",
      y: "judge agreement",
      bars: SETTINGS.flatMap((s) => [
        { label: s, group: "MLP judge", value: r.metrics[`${s}.agreement`] ?? Number.NaN },
        { label: s, group: "CNN judge (control)", value: r.metrics[`${s}.controlAgreement`] ?? Number.NaN },
      ]),
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const model = await trainNamedModel(ctx, "model", config.model, train, config.train);
    const judge = await trainNamedModel(ctx, "judge", config.judge, train, config.train);
    const control = await trainNamedModel(ctx, "control-judge", config.controlJudge, train, config.train);
    try {
      const size = featureSize(train);
      const [h, w] = [train.shape[0]!, train.shape[1] ?? 1];
      const meanImage = new Float32Array(size);
      for (let i = 0; i < train.n; i++) for (let j = 0; j < size; j++) meanImage[j]! += train.x[i * size + j]! / train.n;
      const classes = train.classes;
      const noise = ctx.streams.get("start");
      const start = Float32Array.from({ length: classes * size }, (_, k) => Math.min(1, Math.max(0, meanImage[k % size]! + noise.normal(0, config.startNoise))));
      const startT = tf.tensor2d(start, [classes, size]);
      const metrics: Record<string, number> = { modelTestAccuracy: evaluate(model, test).accuracy, judgeTestAccuracy: evaluate(judge, test).accuracy, controlJudgeTestAccuracy: evaluate(control, test).accuracy };
      const rows: Float32Array[] = [];
      for (const [index, setting] of SETTINGS.entries()) {
        const regularizers: Regularizers = setting === "plain" ? {} : config.regularizers;
        // one image per class, each maximizing its own class logit: a per-row objective through a one-hot mask
        const images = maximizeEachClass(model, startT, classes, ctx.streams.get(`jitter/${setting}`), { steps: config.steps, stepSize: config.stepSize, regularizers, height: h, width: w });
        const [own, judged, controlled] = tf.tidy(() => [
          tf.softmax(model.predict(images)).arraySync() as number[][],
          Array.from(tf.argMax(judge.predict(images), 1).dataSync()),
          Array.from(tf.argMax(control.predict(images.reshape([classes, ...train.shape])), 1).dataSync()),
        ]);
        metrics[`${setting}.ownConfidence`] = own.reduce((s, row, c) => s + row[c]!, 0) / classes;
        metrics[`${setting}.agreement`] = judged.reduce((s, p, c) => s + (p === c ? 1 : 0), 0) / classes;
        metrics[`${setting}.controlAgreement`] = controlled.reduce((s, p, c) => s + (p === c ? 1 : 0), 0) / classes;
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
      control.dispose();
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
