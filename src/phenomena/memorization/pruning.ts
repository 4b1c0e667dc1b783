/**
 * Experiment 8.7 (Han et al. 2015; LeCun et al. 1990): most weights of a trained network can be removed. Magnitude
 * pruning at growing sparsity, evaluated at once and after retraining with the mask held.
 */
import { buildModel } from "../../models/builders.js";
import { train } from "../../training/loop.js";
import { evaluate } from "../../training/evaluate.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { kernelSparsity, magnitudeMask, maskPlugin } from "../../analysis/compression/prune.js";
import { pruningSchema } from "./pruning.schema.js";
import { key, pruningClaim } from "./pruning.claim.js";

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
