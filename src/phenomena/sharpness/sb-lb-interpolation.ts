/**
 * Experiment 4b (Keskar et al. 2017, Figure 3): train the small- and large-batch regimes of 4a from one
 * initialization and draw the loss on the line through both solutions. The large-batch end should sit in a narrower
 * valley: the loss rises faster just off it than just off the small-batch end.
 */
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { regimesFor, trainRegime } from "../../analysis/regimes.js";
import { sbLbLineFigure, scanSbLbLine } from "./sb-lb-line.js";
import { sbLbInterpolationDetails, sbLbInterpolationSchema } from "./sb-lb-interpolation.schema.js";
import { sbLbInterpolationClaim } from "./sb-lb-interpolation.claim.js";

export const sbLbInterpolation = defineExperiment({
  id: "sb-lb-interpolation",
  title: "The line between a small-batch and a large-batch solution",
  property: "sharpness",
  description: "Small- and large-batch training from one initialization; the training and test loss along the line through both solutions.",
  schema: sbLbInterpolationSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, smallEpochs: 15, largeEpochs: 60, line: { step: 0.1 } },
    standard: {},
  },
  claim: sbLbInterpolationClaim,
  details: sbLbInterpolationDetails,
  figures: (r) => {
    const curve = r.details?.line;
    return curve ? [sbLbLineFigure(curve)] : [];
  },
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const models: Sequential[] = [];
    const metrics: Record<string, number> = {};
    try {
      for (const regime of regimesFor(config, train.n)) {
        const { model, result } = await trainRegime(ctx, config, regime, train);
        models.push(model);
        metrics[`${regime.name}.batchSize`] = regime.batchSize;
        metrics[`${regime.name}.epochs`] = result.history.length;
        metrics[`${regime.name}.trainLoss`] = evaluate(model, train).loss;
        metrics[`${regime.name}.testAccuracy`] = evaluate(model, test).accuracy;
      }
      const scan = await scanSbLbLine(models[0]!, models[1]!, { train, test }, config.line, {
        signal: ctx.signal,
        onPoint: (p, i, total) => {
          ctx.emit({ type: "point", line: "sbLbLine", alpha: p.alpha, trainLoss: p.loss.train, testLoss: p.loss.test, trainAccuracy: p.accuracy.train, testAccuracy: p.accuracy.test });
          ctx.progress({ phase: "line", step: i + 1, total, fine: true, detail: `alpha ${p.alpha.toFixed(2)} train loss ${p.loss.train!.toFixed(4)}` });
        },
      });
      metrics["line.riseAroundSmall"] = scan.riseAroundSmall;
      metrics["line.riseAroundLarge"] = scan.riseAroundLarge;
      return { metrics, details: { line: scan.line } };
    } finally {
      for (const m of models) m.dispose();
    }
  },
});
