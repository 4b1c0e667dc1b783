/**
 * Experiment 3d (Li et al. 2018): rescale a trained ReLU net (layer 1 x c, layer 2 / c) — the same function — and
 * slice the loss along one random direction. Raw directions see very different curvature in the two copies;
 * filter-normalized directions see the same curve.
 */
import { check, formats, judge } from "../verdict-kit.js";
import { z } from "zod";
import { buildModel, modelSpec } from "../../models/builders.js";
import { trainSpecWith } from "../../training/schema.js";
import { predictionAgreement } from "../../training/evaluate.js";
import type { Claim } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { dataSpec, loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { rescaleAdjacentLayers } from "../../analysis/curvature/reparametrize.js";
import { filterNormalize, gaussianDirection, secondDifference, slotsOf, unitDirection } from "../../analysis/landscape/directions.js";
import { alphaGrid, lineScan, type LinePoint } from "../../analysis/landscape/line.js";

export const filterNormalizationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** docs/criteria.md 3d: a 784-100-10 ReLU MLP. */
  model: modelSpec.default({ kind: "mlp", hidden: [100], activation: "relu", init: "he", dropout: 0 }),
  train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 64, epochs: 10 }).prefault({}),
  /** docs/criteria.md 3d: c = 10. */
  scale: z.number().positive().max(1e6).default(10),
  /** Step of the second difference: in units of the direction (unit norm for raw, the weights' own scale for filter-normalized). */
  step: z.number().positive().max(10).default(0.05),
  /** The 1-D slices drawn in the report (filter-normalized: alpha in weight-norm units). */
  alphas: z.strictObject({ from: z.number().min(-5).max(0).default(-1), to: z.number().min(0).max(5).default(1), step: z.number().positive().max(1).default(0.05) }).prefault({}),
  claim: z
    .strictObject({
      /** docs/criteria.md 3d: raw curvature differs >= 10x between the copies ... */
      rawChange: z.number().min(1).max(1e9).default(10),
      /** ... while filter-normalized curvature agrees within 20%. */
      normalizedTolerance: z.number().min(0).max(10).default(0.2),
    })
    .prefault({}),
});

type FilterNormalizationConfig = z.output<typeof filterNormalizationSchema>;

const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && a > 0 && b > 0 ? Math.max(a / b, b / a) : undefined);

export const filterNormalizationClaim: Claim<FilterNormalizationConfig> = {
  statement: "Loss-landscape plots along raw random directions depend on the scale of the weights, which ReLU nets can change freely; filter-normalized directions give the same picture for the same function.",
  citation: "Li, Xu, Taylor, Studer & Goldstein 2018, Visualizing the Loss Landscape of Neural Nets (NeurIPS)",
  verdict(metrics, config) {
    const raw = ratio(metrics["raw.curvature.rescaled"], metrics["raw.curvature.original"]);
    const norm = ratio(metrics["filter.curvature.rescaled"], metrics["filter.curvature.original"]);
    const rawCheck = check("raw-direction curvature change (x)", raw, { atLeast: config.claim.rawChange }, { format: formats.fixed(1), formatBound: String });
    return judge(
      [
        check("prediction agreement between the copies", metrics.predictionAgreement, { atLeast: 1 }, { format: formats.fixed(4), formatBound: String }),
        rawCheck,
        check("filter-normalized curvature change", norm === undefined ? undefined : norm - 1, { atMost: config.claim.normalizedTolerance }, { format: formats.percent(2), formatBound: formats.percent(0) }),
      ],
      { primary: rawCheck },
    );
  },
  interpret(metrics, config) {
    const f = (k: string) => (metrics[k] === undefined ? "n/a" : metrics[k]!.toPrecision(3));
    return (
      `The network and its copy rescaled by ${config.scale} make the same predictions. Along a raw random direction their loss curvature is ${f("raw.curvature.original")} and ${f("raw.curvature.rescaled")}; ` +
      `along the filter-normalized version of the same direction it is ${f("filter.curvature.original")} and ${f("filter.curvature.rescaled")}. Only the normalized slice describes the function rather than its parametrization.`
    );
  },
  deviations: "Li et al. studied VGG and ResNets on CIFAR-10 (with batch-norm and weight-decay scale effects); here one MLP rescaled by hand isolates the same invariance.",
};

export const filterNormalization = defineExperiment({
  id: "filter-normalization",
  title: "Filter normalization: slices that see the function, not its scale",
  property: "loss-landscape",
  description: "Rescales a trained ReLU MLP (same function) and compares loss slices along raw and filter-normalized random directions.",
  schema: filterNormalizationSchema,
  presets: { quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5 }, alphas: { step: 0.1 } }, standard: {} },
  claim: filterNormalizationClaim,
  figures: (r) => {
    const curves = r.details?.curves as Record<string, LinePoint[]> | undefined;
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
      const metrics: Record<string, number> = { predictionAgreement: predictionAgreement(original, rescaled, test) };
      // One Gaussian draw for both copies: only the normalization differs.
      const draw = gaussianDirection(original.parameterCount(), ctx.streams.get("direction"));
      const raw = unitDirection(draw);
      const alphas = alphaGrid(config.alphas.from, config.alphas.to, config.alphas.step);
      const curves: Record<string, LinePoint[]> = {};
      for (const [name, model] of [["original", original], ["rescaled", rescaled]] as const) {
        const theta = model.getFlat();
        const normalized = filterNormalize(draw, theta, slotsOf(model));
        metrics[`raw.curvature.${name}`] = secondDifference(model, train, raw, config.step);
        metrics[`filter.curvature.${name}`] = secondDifference(model, train, normalized, config.step);
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
