/**
 * Grokking on MNIST (Liu, Michaud & Tegmark 2023, "Omnigrok"): with a large initialization, an MLP fits 1,000 digits
 * quickly and generalizes only much later, as weight decay shrinks its weights towards the norm where generalizing
 * solutions live; at the usual scale the two happen together.
 */
import { trainNamedModel } from "../../analysis/train-named.js";
import { euclideanNorm } from "../../core/linalg.js";
import type { Sequential } from "../../models/sequential.js";
import type { Dataset } from "../../data/dataset.js";
import { evaluate } from "../../training/evaluate.js";
import type { TrainPlugin } from "../../training/loop.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { logSpaced } from "../sweep.js";
import { grokkingMnistDetails, grokkingMnistSchema, scaleKey, type GrokkingMnistConfig } from "./grokking-mnist.schema.js";
import { grokkingMnistClaim } from "./grokking-mnist.claim.js";
import { grokkingMnistFigures } from "./figures.js";
import { delays, type CurvePoint } from "./curves.js";

type Row = CurvePoint & { trainLoss: number; testLoss: number };

function measure(model: Sequential, step: number, train: Dataset, test: Dataset, config: GrokkingMnistConfig): Row {
  const tr = evaluate(model, train, config.train.loss);
  const te = evaluate(model, test, config.train.loss);
  return { step, trainAccuracy: tr.accuracy, testAccuracy: te.accuracy, trainLoss: tr.loss, testLoss: te.loss, weightNorm: euclideanNorm(model.getFlat()) };
}

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
    const steps = config.train.steps ?? Math.ceil(train.n / config.train.batchSize) * config.train.epochs;
    const checkpoints = new Set(logSpaced(steps, config.checkpoints));
    const metrics: Record<string, number> = {};
    const curves: Record<string, Row[]> = {};
    for (const scale of config.initScales) {
      const key = scaleKey(scale);
      const rows: Row[] = [];
      const recorder: TrainPlugin = {
        name: "grokking curve",
        beforeTraining(state) {
          rows.push(measure(state.model, 0, train, test, config));
        },
        afterBatch(state) {
          if (!checkpoints.has(state.step)) return;
          const row = measure(state.model, state.step, train, test, config);
          rows.push(row);
          ctx.progress({ phase: `init x${scale}`, step: state.step, total: steps, detail: `train ${(row.trainAccuracy * 100).toFixed(1)}% test ${(row.testAccuracy * 100).toFixed(1)}% |w| ${row.weightNorm.toFixed(1)}` });
        },
      };
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
