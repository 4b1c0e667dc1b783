/**
 * Experiment 8.7 (Han et al. 2015; LeCun et al. 1990): most weights of a trained network can be removed. Magnitude
 * pruning at growing sparsity, evaluated at once and after retraining with the mask held.
 */
import { check, difference, formats, judge } from "../verdict-kit.js";
import { z } from "zod";
import { buildModel, modelSpec } from "../../models/builders.js";
import { train } from "../../training/loop.js";
import { evaluate } from "../../training/evaluate.js";
import { trainSpecWith } from "../../training/schema.js";
import type { Claim } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { dataSpec, loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { kernelSparsity, magnitudeMask, maskPlugin } from "../../analysis/compression/prune.js";

export const pruningSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 8.7: LeNet-300-100. */
  model: modelSpec.default({ kind: "mlp", hidden: [300, 100], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 128, epochs: 10 }).prefault({}),
  sparsities: z.array(z.number().min(0).lt(1)).min(1).max(16).default([0.5, 0.8, 0.9, 0.95, 0.98]),
  scope: z.enum(["global", "layer"]).default("global"),
  /** Retraining with the mask held (Han et al. retrain; a lower rate than the original training). */
  retrain: trainSpecWith({ optimizer: "adam", lr: 0.0003, batchSize: 128, epochs: 5 }).prefault({}),
  claim: z
    .strictObject({
      /** The sparsity the criterion is read at: keeping 10% of the weights. */
      at: z.number().min(0).lt(1).default(0.9),
      /** docs/criteria.md 8.7: with retraining, accuracy >= dense - 0.5 pp ... */
      retrainedLoss: z.number().min(0).max(1).default(0.005),
      /** ... and without retraining at least 5 pp lost (pruning alone is not free). */
      unretrainedLoss: z.number().min(0).max(1).default(0.05),
    })
    .prefault({}),
});

type PruningConfig = z.output<typeof pruningSchema>;

const key = (what: "pruned" | "retrained", s: number) => `${what}@${s}`;

export const pruningClaim: Claim<PruningConfig> = {
  statement: "Nine in ten weights of a trained network can be removed with no loss of accuracy — once the rest are retrained; removing them without retraining costs accuracy.",
  citation: "Han, Pool, Tran & Dally 2015, Learning both Weights and Connections for Efficient Neural Networks (NIPS); LeCun, Denker & Solla 1990, Optimal Brain Damage",
  verdict(metrics, config) {
    const dense = metrics.denseAccuracy;
    const s = config.claim.at;
    const pp = { format: formats.points(2), formatBound: formats.points(2) };
    return judge([
      check(`at sparsity ${s}: accuracy lost after retraining`, difference(dense, metrics[key("retrained", s)]), { atMost: config.claim.retrainedLoss }, pp),
      check(`at sparsity ${s}: accuracy lost without retraining`, difference(dense, metrics[key("pruned", s)]), { atLeast: config.claim.unretrainedLoss }, pp),
    ]);
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(2)}%`);
    const s = config.claim.at;
    return `The dense net tests at ${pct(metrics.denseAccuracy)}. Zeroing the ${s * 100}% smallest weights gives ${pct(metrics[key("pruned", s)])} at once and ${pct(metrics[key("retrained", s)])} after retraining the remaining ${((1 - s) * 100).toFixed(0)}% with the mask held: the network needed far fewer weights than it was given.`;
  },
  deviations: "LeNet-300-100 on 8k MNIST digits with one-shot global magnitude pruning and a short retraining, where Han et al. prune iteratively on all of MNIST.",
};

export const pruning = defineExperiment({
  id: "pruning",
  title: "Compress: prune nine weights in ten",
  property: "memorization",
  description: "Magnitude-prunes a trained LeNet-300-100 at growing sparsity; accuracy at once and after retraining with the mask held.",
  schema: pruningSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5 }, retrain: { epochs: 2 }, sparsities: [0.5, 0.9, 0.98] },
    standard: {},
  },
  claim: pruningClaim,
  figures: (r, config) => [
    {
      kind: "line",
      id: "sparsity-accuracy",
      title: "Test accuracy against the fraction of weights removed",
      caption: "Dashed: pruned, not retrained. Solid: retrained with the mask held.",
      x: "sparsity (fraction of kernel weights zeroed)",
      y: "test accuracy",
      yDomain: [0, 1],
      rules: [{ y: r.metrics.denseAccuracy ?? 0, label: "dense" }],
      series: [
        { name: "retrained", points: config.sparsities.map((s) => [s, r.metrics[key("retrained", s)] ?? Number.NaN] as [number, number]) },
        { name: "pruned only", dashed: true, points: config.sparsities.map((s) => [s, r.metrics[key("pruned", s)] ?? Number.NaN] as [number, number]) },
      ],
    },
  ],
  async run(config, ctx) {
    const { train: trainSet, test } = await loadSplits(ctx, config.data);
    const dense = await trainNamedModel(ctx, "dense", config.model, trainSet, config.train);
    const metrics: Record<string, number> = {};
    try {
      metrics.denseAccuracy = evaluate(dense, test).accuracy;
      const weights = dense.getFlat();
      for (const [i, s] of config.sparsities.entries()) {
        const mask = magnitudeMask(dense, s, config.scope);
        const model = buildModel(config.model, { input: trainSet.shape, classes: trainSet.classes }, ctx.streams.fresh("init/dense"));
        try {
          model.setFlat(weights);
          const plugin = maskPlugin(model, mask);
          try {
            plugin.beforeTraining!({} as never);
            metrics[key("pruned", s)] = evaluate(model, test).accuracy;
            await train(model, trainSet, config.retrain, { order: ctx.streams.fresh("data-order/retrain"), plugins: [plugin], signal: ctx.signal });
          } finally {
            plugin.dispose();
          }
          metrics[key("retrained", s)] = evaluate(model, test).accuracy;
          metrics[`sparsity@${s}`] = kernelSparsity(model);
        } finally {
          model.dispose();
        }
        ctx.progress({ phase: "sparsity", step: i + 1, total: config.sparsities.length, detail: `${s}: ${(metrics[key("pruned", s)]! * 100).toFixed(1)}% pruned, ${(metrics[key("retrained", s)]! * 100).toFixed(1)}% retrained` });
      }
    } finally {
      dense.dispose();
    }
    return { metrics };
  },
});
