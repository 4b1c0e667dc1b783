/**
 * Zhang et al. 2017, Tables 1-2: explicit regularizers are neither necessary for generalization (without them the
 * net still generalizes about as well) nor sufficient to stop memorization (with them it still fits random labels).
 * The same MLP, initialization and data order are trained on true and on random labels, with no regularizer, weight
 * decay, dropout, or both.
 */
import { randomLabels } from "../../data/transforms.js";
import type { ModelSpec } from "../../models/builders.js";
import type { FigureSpec } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModelWithHistory } from "../../analysis/train-named.js";
import { fitWatcher } from "./randomization.js";
import { regularizersDetails, regularizersSchema, type RegularizersConfig, type RegularizersDetails } from "./regularizers.schema.js";
import { type Regularizer, LABELINGS, cell, regularizersClaim } from "./regularizers.claim.js";

/** The model spec of a setting: the base MLP with the setting's dropout. */
function withDropout(spec: ModelSpec, reg: Regularizer, rate: number): ModelSpec {
  const on = reg === "dropout" || reg === "both";
  return spec.kind === "autoencoder" ? spec : { ...spec, dropout: on ? rate : 0 };
}

export const regularizers = defineExperiment({
  id: "regularizers",
  title: "Regularizers: neither necessary nor sufficient",
  property: "memorization",
  description: "True and random labels, each with no regularizer, weight decay, dropout, or both: test accuracy and whether the random labels are still fitted.",
  schema: regularizersSchema,
  presets: {
    quick: {
      data: { trainSize: 1000, testSize: 2000 },
      model: { kind: "mlp", hidden: [256], activation: "relu", init: "he", dropout: 0 },
      train: { epochs: 150, lr: 0.02 },
      regularizers: ["none", "weight-decay", "dropout"],
    },
    standard: {},
  },
  claim: regularizersClaim,
  details: regularizersDetails,
  figures: (r, config) => regularizerFigures(r.metrics, r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const random = randomLabels(train, ctx.streams.get("noise/random-labels"));
    const metrics: Record<string, number> = {};
    const curves: Record<string, { epoch: number; trainAccuracy: number; testAccuracy: number }[]> = {};
    const total = config.regularizers.length * LABELINGS.length;
    let done = 0;
    for (const labels of LABELINGS)
      for (const reg of config.regularizers) {
        const name = cell(labels, reg);
        const watcher = fitWatcher(config.fitAccuracy, config.stopAtFit);
        const weightDecay = reg === "weight-decay" || reg === "both" ? config.weightDecay : 0;
        // One initialization and data order for all: only the labels and the regularizer differ.
        const { model, result } = await trainNamedModelWithHistory(ctx, name, withDropout(config.model, reg, config.dropout), labels === "true" ? train : random, { ...config.train, weightDecay, evalTrain: true }, {
          initFrom: "net",
          orderFrom: "net",
          test,
          plugins: [watcher],
        });
        model.dispose();
        const last = result.history.at(-1)!;
        curves[name] = result.history.map((h) => ({ epoch: h.epoch, trainAccuracy: h.trainEvalAccuracy!, testAccuracy: h.testAccuracy! }));
        metrics[`${name}.trainAccuracy`] = last.trainEvalAccuracy!;
        metrics[`${name}.testAccuracy`] = last.testAccuracy!;
        metrics[`${name}.epochs`] = last.epoch;
        if (watcher.fittedAt !== undefined) metrics[`${name}.epochsToFit`] = watcher.fittedAt;
        ctx.progress({ phase: "settings", step: ++done, total, detail: `${labels} labels, ${reg}: train ${(last.trainEvalAccuracy! * 100).toFixed(1)}% test ${(last.testAccuracy! * 100).toFixed(1)}% after ${last.epoch} epochs` });
      }
    return { metrics, details: { curves } };
  },
});

function regularizerFigures(metrics: Record<string, number>, details: RegularizersDetails | undefined, config: RegularizersConfig): FigureSpec[] {
  const figures: FigureSpec[] = [
    {
      kind: "bar",
      id: "test-accuracy",
      title: "Test accuracy on true labels, by regularizer",
      caption: "Zhang et al.: regularizers help a little; the net generalizes without them.",
      x: "regularizer",
      y: "test accuracy",
      bars: config.regularizers.map((r) => ({ label: r, value: metrics[`${cell("true", r)}.testAccuracy`] ?? Number.NaN })),
    },
    {
      kind: "bar",
      id: "random-fit",
      title: "Training accuracy reached on random labels, by regularizer",
      caption: "Above the line: memorized despite the regularizer.",
      x: "regularizer",
      y: "training accuracy (random labels)",
      bars: config.regularizers.map((r) => ({ label: r, value: metrics[`${cell("random", r)}.trainAccuracy`] ?? Number.NaN })),
      rules: [{ y: config.claim.randomFit, label: `${config.claim.randomFit}` }],
    },
  ];
  const curves = details?.curves;
  if (curves)
    figures.push({
      kind: "line",
      id: "random-curves",
      title: "Fitting random labels with and without regularizers",
      x: "epoch",
      y: "training accuracy (random labels)",
      series: config.regularizers.map((r) => ({ name: r, points: (curves[cell("random", r)] ?? []).map((p): [number, number] => [p.epoch, p.trainAccuracy]) })),
    });
  return figures;
}
