/**
 * Grokking on MNIST (Liu, Michaud & Tegmark 2023, "Omnigrok"): with a large initialization, an MLP fits 1,000 digits
 * quickly and generalizes only much later, as weight decay shrinks its weights towards the norm where generalizing
 * solutions live; at the usual scale the two happen together.
 */
import { trainNamedModel } from "../../analysis/train-named.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { logSpaced } from "../sweep.js";
import { grokkingMnistDetails, grokkingMnistSchema, scaleKey } from "./grokking-mnist.schema.js";
import { grokkingMnistClaim } from "./grokking-mnist.claim.js";
import { grokkingMnistFigures } from "./figures.js";
import { delays } from "./curves.js";
import { curveRecorder, type CurveRow } from "./recorder.js";
import { totalStepsOf } from "../../training/schedule.js";

export const grokkingMnist = defineExperiment({
  id: "grokking-mnist",
  title: "Grokking on MNIST: generalization long after memorization, at a large initialization",
  property: "grokking",
  description: "A 784-200-200-10 ReLU MLP on 1,000 digits, its initial weights scaled x1 and x8, trained by AdamW with weight decay on the squared error for 100k steps; train and test accuracy and the weight norm at log-spaced steps.",
  schema: grokkingMnistSchema,
  presets: {
    quick: { data: { trainSize: 500, testSize: 500 }, train: { steps: 1500 }, checkpoints: 20 },
    standard: {},
    paper: { data: { testSize: 10000 } },
  },
  claim: grokkingMnistClaim,
  details: grokkingMnistDetails,
  figures: (r, config) => grokkingMnistFigures(r.details, config),
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const steps = totalStepsOf(config.train, train.n);
    const checkpoints = new Set(logSpaced(steps, config.checkpoints));
    const metrics: Record<string, number> = {};
    const curves: Record<string, CurveRow[]> = {};
    for (const scale of config.initScales) {
      const key = scaleKey(scale);
      const { rows, plugin: recorder } = curveRecorder(checkpoints, train, test, config.train.loss, (row) =>
        ctx.progress({ phase: `init x${scale}`, step: row.step, total: steps, detail: `train ${(row.trainAccuracy * 100).toFixed(1)}% test ${(row.testAccuracy * 100).toFixed(1)}% |w| ${row.weightNorm.toFixed(1)}` }),
      );
      // every scale from the same draw and the same order of minibatches: the scale is the only difference
      const model = await trainNamedModel(ctx, `init-x${scale}`, config.model, train, config.train, {
        initFrom: "net",
        orderFrom: "net",
        onInit: (m) => m.setFlat(m.getFlat().map((v) => v * scale)),
        plugins: [recorder],
      });
      model.dispose();
      curves[key] = rows;
      for (const [name, value] of Object.entries(delays(rows, config.claim.trainAccuracy, config.claim.testFraction))) metrics[`${key}.${name}`] = value;
    }
    return { metrics, details: { curves } };
  },
});
