/**
 * Experiment 4a (Keskar et al. 2017): the same net from the same initialization trained with small and large
 * batches until the training loss stops improving; epsilon-sharpness, the top Hessian eigenvalue, the distance
 * travelled from the initialization and test accuracy of both; and the loss on the line through both (4b).
 */
import { randomSubset } from "../../data/transforms.js";
import { evaluate } from "../../training/evaluate.js";
import type { Sequential } from "../../models/sequential.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { regimesFor, trainRegime } from "../../analysis/regimes.js";
import { scanSbLbLine, sbLbLineFigure } from "./sb-lb-line.js";
import { batchSizeDetails, batchSizeSchema } from "./batch-size.schema.js";
import { batchSizeClaim } from "./batch-size.claim.js";
import { keskarSharpness, randomSubspace, topHessianEigenvalue } from "../../analysis/curvature/curvature.js";

const distance = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
};

export const batchSize = defineExperiment({
  id: "batch-size",
  title: "Flat and sharp minima: small vs large batches",
  property: "sharpness",
  description: "Trains one MLP with small and large batches from the same init; Keskar sharpness, top Hessian eigenvalue, distance from init, test accuracy, and the line between the two.",
  schema: batchSizeSchema,
  presets: {
    // The standard preset's training (8k digits, the large batch 10% of them, both regimes to their plateau) with coarser
    // curvature estimates and line: the large batch must be large in Keskar et al.'s sense, and the small-batch run must
    // reach its plateau before the distances from the initialization mean anything (2k digits with SB capped at 15
    // epochs gave a sharpness ratio of 1.4). About 55 s on native with 2 threads.
    quick: { data: { trainSize: 8000, testSize: 1000 }, sharpness: { steps: 10, eigenIterations: 15, examples: 2000 }, line: { step: 0.1 } },
    standard: {},
  },
  claim: batchSizeClaim,
  details: batchSizeDetails,
  figures: (r) => {
    const curve = r.details?.line;
    if (!curve) return [];
    return [
      sbLbLineFigure(curve),
      {
        kind: "bar",
        id: "sharpness",
        title: "Epsilon-sharpness (Keskar Metric 2.1) of the two solutions",
        x: "solution",
        y: "sharpness",
        bars: [
          { label: `small batch (${r.metrics["small.batchSize"]})`, value: r.metrics["small.sharpness"] ?? Number.NaN },
          { label: `large batch (${r.metrics["large.batchSize"]})`, value: r.metrics["large.sharpness"] ?? Number.NaN },
        ],
      },
    ];
  },
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const curvatureSet = randomSubset(train, config.sharpness.examples, ctx.streams.get("curvature"));
    const regimes = regimesFor(config, train.n);
    let initial: Float32Array | undefined;
    let subspace: Float32Array[] | undefined;
    const models: Sequential[] = [];
    const metrics: Record<string, number> = {};
    try {
      for (const regime of regimes) {
        // Both regimes start from the same initialization: distances from it are comparable.
        const { model, result } = await trainRegime(ctx, config, regime, train, (m) => (initial ??= m.getFlat()));
        models.push(model);
        const m = regime.name;
        metrics[`${m}.batchSize`] = regime.batchSize;
        metrics[`${m}.epochs`] = result.history.length;
        metrics[`${m}.steps`] = result.steps;
        const trainEval = evaluate(model, train);
        metrics[`${m}.trainLoss`] = trainEval.loss;
        metrics[`${m}.trainAccuracy`] = trainEval.accuracy;
        metrics[`${m}.testAccuracy`] = evaluate(model, test).accuracy;
        metrics[`${m}.distance`] = distance(model.getFlat(), initial!);
        const top = await topHessianEigenvalue(model, curvatureSet, ctx.streams.get(`eigen/${m}`), { iterations: config.sharpness.eigenIterations, signal: ctx.signal });
        metrics[`${m}.topEigenvalue`] = top.eigenvalue;
        metrics[`${m}.sharpness`] = (await keskarSharpness(model, curvatureSet, { epsilon: config.sharpness.epsilon, steps: config.sharpness.steps, startDirections: [top.vector], signal: ctx.signal })).sharpness;
        if (config.subspaceDimension > 0) {
          // one subspace for both regimes (its own stream, drawn once): the two minima are probed in the same directions
          subspace ??= randomSubspace(top.vector.length, config.subspaceDimension, ctx.streams.get("subspace"));
          metrics[`${m}.subspaceSharpness`] = (await keskarSharpness(model, curvatureSet, { epsilon: config.sharpness.epsilon, steps: config.sharpness.steps, startDirections: [top.vector], subspace, signal: ctx.signal })).sharpness;
        }
        ctx.progress({
          phase: "regime",
          step: models.length,
          total: regimes.length,
          detail: `${m} batch ${regime.batchSize}: ${result.history.length} epochs, train loss ${trainEval.loss.toFixed(4)}, sharpness ${metrics[`${m}.sharpness`]!.toFixed(3)}`,
        });
      }
      const scan = await scanSbLbLine(models[0]!, models[1]!, { train, test }, config.line, { signal: ctx.signal });
      metrics["line.riseAroundSmall"] = scan.riseAroundSmall;
      metrics["line.riseAroundLarge"] = scan.riseAroundLarge;
      const line = scan.line;
      return { metrics, details: { line, regimes } };
    } finally {
      for (const m of models) m.dispose();
    }
  },
});
