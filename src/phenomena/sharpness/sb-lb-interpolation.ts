/**
 * Experiment 4b (Keskar et al. 2017, Figure 3): train the small- and large-batch regimes of 4a from one
 * initialization and draw the loss on the line through both solutions. The large-batch end should sit in a narrower
 * valley: the loss rises faster just off it than just off the small-batch end.
 */
import { check, formats, judge } from "../verdict-kit.js";
import { z } from "zod";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import type { Claim } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { dataSpec, loadSplits } from "../data.js";
import { regimesFor, trainRegime } from "../../analysis/regimes.js";
import { regimeFields } from "./schema.js";
import { sbLbLineSpec, sbLbLineFigure, scanSbLbLine } from "./sb-lb-line.js";
import type { LinePoint } from "../../analysis/landscape/line.js";

export const sbLbInterpolationSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  ...regimeFields,
  line: sbLbLineSpec,
  claim: z
    .strictObject({
      /** docs/criteria.md 4b: the loss rise 0.1 away from the LB end >= 3 x the rise 0.1 away from the SB end. */
      riseRatio: z.number().min(0).max(1e6).default(3),
    })
    .prefault({}),
});

export type SbLbInterpolationConfig = z.output<typeof sbLbInterpolationSchema>;

export const sbLbInterpolationClaim: Claim<SbLbInterpolationConfig> = {
  statement: "On the line through a small-batch and a large-batch solution, the large-batch end sits in a visibly narrower valley of the training loss.",
  citation: "Keskar, Mudigere, Nocedal, Smelyanskiy & Tang 2017, On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima (ICLR), Figure 3",
  verdict(metrics, config) {
    const small = metrics["line.riseAroundSmall"];
    const large = metrics["line.riseAroundLarge"];
    const r = small !== undefined && large !== undefined && small > 0 ? large / small : undefined;
    return judge([check("training-loss rise 0.1 off each end, large / small batch", r, { atLeast: config.claim.riseRatio }, { format: formats.fixed(2), formatBound: String })], {
      reported: [`large batch ${large?.toExponential(2) ?? "n/a"}, small batch ${small?.toExponential(2) ?? "n/a"}`],
    });
  },
  interpret(metrics) {
    const f = (k: string) => (metrics[k] === undefined ? "n/a" : metrics[k]!.toExponential(2));
    return `Stepping a tenth of the way towards the other solution raises the training loss by ${f("line.riseAroundLarge")} from the large-batch end and by ${f("line.riseAroundSmall")} from the small-batch end (averaged over both sides). Both ends reach a training loss of ${f("large.trainLoss")} (large) and ${f("small.trainLoss")} (small). The 1-D slice shows curvature along one direction only: batch-size measures the full-space sharpness of the same two solutions.`;
  },
  deviations: "Keskar et al.'s F1 on all of MNIST; here a 784-128-128-10 MLP on 8k digits, both regimes trained with Adam at lr 1e-3 until the training loss plateaus.",
};

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
  figures: (r) => {
    const curve = r.details?.line as LinePoint[] | undefined;
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
