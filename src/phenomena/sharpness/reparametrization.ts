/**
 * Experiment 4c (Dinh, Pascanu, Bengio & Bengio 2017, "Sharp Minima Can Generalize For Deep Nets"): one trained ReLU
 * net and its rescaled copy compute the same function, yet their top Hessian eigenvalue and epsilon-sharpness differ
 * by large factors. Flatness measured on raw parameters is not a property of the function.
 */
import { tf } from "../../engine/tf.js";
import { randomSubset } from "../../data/transforms.js";
import { buildModel } from "../../models/builders.js";
import { evaluate, predictionAgreement } from "../../training/evaluate.js";
import { makeBatch, disposeBatch } from "../../training/batches.js";
import type { Sequential } from "../../models/sequential.js";
import type { Dataset } from "../../data/dataset.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { reparametrizationSchema } from "./reparametrization.schema.js";
import { keskarSharpness, topHessianEigenvalue } from "../../analysis/curvature/curvature.js";
import { rescaleAdjacentLayers } from "../../analysis/curvature/reparametrize.js";
import { reparametrizationClaim } from "./reparametrization.claim.js";

/** Largest |logit difference| between two models over a dataset, relative to the largest |logit|. */
function logitGap(a: Sequential, b: Sequential, data: Dataset): number {
  const batch = makeBatch(data, Int32Array.from({ length: data.n }, (_, i) => i), "labels");
  try {
    return tf.tidy(() => {
      const la = a.predict(batch.x);
      const lb = b.predict(batch.x);
      return tf.max(tf.abs(tf.sub(la, lb))).dataSync()[0]! / Math.max(1e-12, tf.max(tf.abs(la)).dataSync()[0]!);
    });
  } finally {
    disposeBatch(batch);
  }
}

export const reparametrization = defineExperiment({
  id: "reparametrization",
  title: "Sharpness is not invariant: the same function, rescaled",
  property: "sharpness",
  description: "Rescales a trained ReLU MLP (layer x c, next layer / c): identical predictions, very different top Hessian eigenvalue and Keskar sharpness.",
  schema: reparametrizationSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5 }, sharpness: { steps: 10, eigenIterations: 15, examples: 2000 } },
    standard: {},
  },
  claim: reparametrizationClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "reparametrization",
      title: "Top Hessian eigenvalue of the same function in two parametrizations",
      x: "parametrization",
      y: "top eigenvalue",
      bars: [
        { label: "original", value: r.metrics["original.topEigenvalue"] ?? Number.NaN },
        { label: "rescaled", value: r.metrics["rescaled.topEigenvalue"] ?? Number.NaN },
      ],
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const curvatureSet = randomSubset(train, config.sharpness.examples, ctx.streams.get("curvature"));
    const original = await trainNamedModel(ctx, "net", config.model, train, config.train);
    const rescaled = buildModel(config.model, { input: train.shape, classes: train.classes }, ctx.streams.fresh("init/net"));
    try {
      rescaled.setFlat(original.getFlat());
      rescaleAdjacentLayers(rescaled, config.layer, config.scale);
      await ctx.trained?.("rescaled", rescaled);
      const metrics: Record<string, number> = {};
      metrics.predictionAgreement = predictionAgreement(original, rescaled, test);
      metrics.logitGap = logitGap(original, rescaled, test);
      for (const [name, model] of [["original", original], ["rescaled", rescaled]] as const) {
        metrics[`${name}.testAccuracy`] = evaluate(model, test).accuracy;
        const top = await topHessianEigenvalue(model, curvatureSet, ctx.streams.fresh("eigen"), { iterations: config.sharpness.eigenIterations, signal: ctx.signal });
        metrics[`${name}.topEigenvalue`] = top.eigenvalue;
        metrics[`${name}.sharpness`] = (await keskarSharpness(model, curvatureSet, { epsilon: config.sharpness.epsilon, steps: config.sharpness.steps, startDirections: [top.vector], signal: ctx.signal })).sharpness;
        ctx.progress({ phase: "measure", step: name === "original" ? 1 : 2, total: 2, detail: `${name}: top eigenvalue ${top.eigenvalue.toFixed(3)}` });
      }
      return { metrics };
    } finally {
      original.dispose();
      rescaled.dispose();
    }
  },
});
