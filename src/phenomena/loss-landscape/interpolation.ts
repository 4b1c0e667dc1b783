/**
 * Experiments 3a and 3b: the training loss on the straight line from initialization to solution (Goodfellow,
 * Vinyals & Saxe 2015) and between two independently trained solutions, on the whole training set.
 */
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import type { Sequential } from "../../models/sequential.js";
import { interpolationDetails, interpolationSchema } from "./interpolation.schema.js";
import { interpolationClaim } from "./interpolation.claim.js";
import { alphaGrid, barrier, lineScan, maxRise, valueAt, type LinePoint } from "../../analysis/landscape/line.js";
import { interpolationFigures } from "./figures.js";

export const interpolation = defineExperiment({
  id: "interpolation",
  title: "Non-convex, yet no obstacle: straight lines through the loss",
  property: "loss-landscape",
  description: "Training loss along init -> solution (no bump expected) and solution <-> solution of two seeds (a barrier expected).",
  schema: interpolationSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 500 }, train: { epochs: 5 }, alphas: { step: 0.1 } },
    standard: {},
  },
  claim: interpolationClaim,
  details: interpolationDetails,
  figures: (r) => interpolationFigures(r.details),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const sets = [
      { name: "train", data: train },
      { name: "test", data: test },
    ];
    const alphas = alphaGrid(config.alphas.from, config.alphas.to, config.alphas.step);
    let initial: Float32Array | undefined;
    const models: Sequential[] = [];
    try {
      const a = await trainNamedModel(ctx, "a", config.model, train, config.train, { onInit: (m) => (initial = m.getFlat()) });
      models.push(a);
      models.push(await trainNamedModel(ctx, "b", config.model, train, config.train));
      if (config.sameInitControl) models.push(await trainNamedModel(ctx, "c", config.model, train, config.train, { initFrom: "a" }));
      const solutions = models.map((m) => m.getFlat());
      const lines: { name: string; from: Float32Array; to: Float32Array }[] = [
        { name: "initLine", from: initial!, to: solutions[0]! },
        { name: "seedLine", from: solutions[0]!, to: solutions[1]! },
      ];
      if (config.sameInitControl) lines.push({ name: "sameInitLine", from: solutions[0]!, to: solutions[2]! });

      const metrics: Record<string, number> = {};
      const curves: Record<string, LinePoint[]> = {};
      const total = lines.length * alphas.length;
      let done = 0;
      for (const line of lines) {
        const points = await lineScan(a, line.from, line.to, alphas, sets, {
          signal: ctx.signal,
          onPoint: (p) => {
            ctx.emit({ type: "point", line: line.name, alpha: p.alpha, trainLoss: p.loss.train, testLoss: p.loss.test, trainAccuracy: p.accuracy.train, testAccuracy: p.accuracy.test });
            ctx.progress({ phase: `scan ${line.name}`, step: ++done, total, fine: true, detail: `alpha ${p.alpha.toFixed(3)} train loss ${p.loss.train!.toFixed(4)}` });
          },
        });
        curves[line.name] = points;
        const trainLoss = points.map((p) => p.loss.train!);
        const testError = points.map((p) => 1 - p.accuracy.test!);
        metrics[`${line.name}.trainLossAt0`] = valueAt(alphas, trainLoss, 0);
        metrics[`${line.name}.trainLossAt1`] = valueAt(alphas, trainLoss, 1);
        metrics[`${line.name}.testErrorAt0`] = valueAt(alphas, testError, 0);
        metrics[`${line.name}.testErrorAt1`] = valueAt(alphas, testError, 1);
        metrics[`${line.name}.testErrorAtMid`] = valueAt(alphas, testError, 0.5);
        const b = barrier(alphas, trainLoss);
        metrics[`${line.name}.barrier`] = b.barrier;
        if (line.name === "initLine") {
          const r = maxRise(alphas, trainLoss);
          metrics["initLine.maxRise"] = r.rise;
          metrics["initLine.maxRiseFraction"] = r.rise / trainLoss[alphas.indexOf(0)]!;
        }
      }
      if (config.saveArtifacts) await ctx.artifacts.write("lines.json", JSON.stringify(curves, null, 1));
      return { metrics, details: { alphas, parameters: initial!.length, curves } };
    } finally {
      for (const m of models) m.dispose();
    }
  },
});
