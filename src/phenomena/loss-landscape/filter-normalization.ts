/**
 * Experiment 3d (Li et al. 2018): rescale a trained ReLU net (layer 1 x c, layer 2 / c) — the same function — and
 * slice the loss along one random direction. Raw directions see very different curvature in the two copies;
 * filter-normalized directions see the same curve.
 */
import { buildModel } from "../../models/builders.js";
import { predictionAgreement } from "../../training/evaluate.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { rescaleAdjacentLayers } from "../../analysis/curvature/reparametrize.js";
import { filterNormalize, gaussianDirection, secondDifference, slotsOf, unitDirection } from "../../analysis/landscape/directions.js";
import { alphaGrid, lineScan, type LinePoint } from "../../analysis/landscape/line.js";
import { filterNormalizationDetails, filterNormalizationSchema } from "./filter-normalization.schema.js";
import { filterNormalizationClaim } from "./filter-normalization.claim.js";

export const filterNormalization = defineExperiment({
  id: "filter-normalization",
  title: "Filter normalization: slices that see the function, not its scale",
  property: "loss-landscape",
  description: "Rescales a trained ReLU MLP (same function) and compares loss slices along raw and filter-normalized random directions.",
  schema: filterNormalizationSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5 }, alphas: { step: 0.1 } },
    standard: {},
    // the net trained to convergence on all 60k digits (SGD 0.1, 40 epochs: training error ~0), curvature averaged
    // over 10 random directions. Li et al. 2018 plotted CIFAR-10 nets; their claim is the invariance, not a number.
    paper: { data: { trainSize: 60000, testSize: 10000 }, train: { epochs: 40 }, directions: 10 },
  },
  claim: filterNormalizationClaim,
  details: filterNormalizationDetails,
  figures: (r) => {
    const curves = r.details?.curves;
    if (!curves) return [];
    const series = (keys: string[]) => keys.filter((k) => curves[k]).map((k) => ({ name: k, dashed: k.includes("rescaled"), points: curves[k]!.map((p) => [p.alpha, p.loss.train!] as [number, number]) }));
    return [
      { kind: "line", id: "filter-normalized", title: "Training loss along a filter-normalized direction: original and rescaled copy", caption: "The two curves coincide.", x: "alpha (filter-normalized)", y: "training loss", series: series(["original, filter-normalized", "rescaled, filter-normalized"]) },
      { kind: "line", id: "raw", title: "Training loss along the raw (unit-norm) direction: original and rescaled copy", caption: "Same function, different curves.", x: "alpha (raw, unit norm)", y: "training loss", series: series(["original, raw", "rescaled, raw"]) },
    ];
  },
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const original = await trainNamedModel(ctx, "net", config.model, train, config.train);
    const rescaled = buildModel(config.model, { input: train.shape, classes: train.classes }, ctx.streams.fresh("init/net"));
    try {
      rescaled.setFlat(original.getFlat());
      rescaleAdjacentLayers(rescaled, 0, config.scale);
      await ctx.trained?.("rescaled", rescaled);
      const metrics: Record<string, number> = { predictionAgreement: predictionAgreement(original, rescaled, test) };
      // The same Gaussian draws for both copies: only the normalization differs.
      const stream = ctx.streams.get("direction");
      const draws = Array.from({ length: config.directions }, () => gaussianDirection(original.parameterCount(), stream));
      const alphas = alphaGrid(config.alphas.from, config.alphas.to, config.alphas.step);
      const curves: Record<string, LinePoint[]> = {};
      for (const [name, model] of [["original", original], ["rescaled", rescaled]] as const) {
        const theta = model.getFlat();
        const slots = slotsOf(model);
        let rawSum = 0;
        let filterSum = 0;
        for (const draw of draws) {
          rawSum += secondDifference(model, train, unitDirection(draw), config.step);
          filterSum += secondDifference(model, train, filterNormalize(draw, theta, slots), config.step);
        }
        metrics[`raw.curvature.${name}`] = rawSum / draws.length;
        metrics[`filter.curvature.${name}`] = filterSum / draws.length;
        const raw = unitDirection(draws[0]!);
        const normalized = filterNormalize(draws[0]!, theta, slots);
        for (const [kind, d] of [["filter-normalized", normalized], ["raw", raw]] as const) {
          curves[`${name}, ${kind}`] = await lineScan(model, theta.map((v, i) => v - d[i]!), theta.map((v, i) => v + d[i]!), alphas.map((x) => (x + 1) / 2), [{ name: "train", data: train }], { signal: ctx.signal });
          curves[`${name}, ${kind}`] = curves[`${name}, ${kind}`]!.map((p, i) => ({ ...p, alpha: alphas[i]! }));
        }
      }
      return { metrics, details: { curves } };
    } finally {
      original.dispose();
      rescaled.dispose();
    }
  },
});
