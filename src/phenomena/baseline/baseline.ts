/** The foundation's proof: an MLP trained on MNIST end to end, reproducibly, with its model saved in tfjs format. */
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { baselineSchema } from "./baseline.schema.js";
import { baselineClaim } from "./baseline.claim.js";
import { buildModel } from "../../models/builders.js";
import { toArtifacts } from "../../models/io.js";
import { train } from "../../training/loop.js";
import { evaluate } from "../../training/evaluate.js";

const pct = (v: number | undefined) => (v === undefined ? "-" : `${(v * 100).toFixed(2)}%`);

export const baseline = defineExperiment({
  id: "baseline",
  title: "MNIST baseline: a 784-256-10 MLP",
  property: "foundation",
  description: "Trains an MLP on MNIST and reports test accuracy: the reference point every other experiment builds on.",
  schema: baselineSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 5, batchSize: 64 }, claim: { minTestAccuracy: 0.85 } },
    standard: {},
  },
  claim: baselineClaim,
  async run(config, ctx) {
    const { train: trainSet, test: testSet } = await loadSplits(ctx, config.data);
    const model = buildModel(config.model, { input: trainSet.shape, classes: trainSet.classes }, ctx.streams.get("init"));
    ctx.emit({ type: "model", description: model.toString(), parameters: model.parameterCount() });
    try {
      const result = await train(model, trainSet, config.train, {
        order: ctx.streams.get("data-order"),
        dropout: ctx.streams.get("dropout"),
        test: testSet,
        signal: ctx.signal,
        onStep: (step, total) => ctx.progress({ phase: "train", step, total, fine: true }),
        onEpoch: (m) => {
          ctx.emit({ type: "epoch", ...m });
          ctx.progress({
            phase: "epoch",
            step: m.epoch,
            total: epochsPlanned(config.train, trainSet.n),
            detail: `loss ${m.trainLoss.toFixed(4)} train ${pct(m.trainAccuracy)} test ${pct(m.testAccuracy)} (${m.seconds.toFixed(1)} s)`,
          });
        },
      });
      const finalTrain = evaluate(model, trainSet, config.train.loss);
      const finalTest = evaluate(model, testSet, config.train.loss);
      if (config.saveModel) {
        const { modelJson, weights } = toArtifacts(model);
        await ctx.artifacts.write("model/model.json", JSON.stringify(modelJson, null, 1));
        await ctx.artifacts.write("model/weights.bin", weights);
      }
      const epochs = result.history.length;
      return {
        metrics: {
          testAccuracy: finalTest.accuracy,
          testLoss: finalTest.loss,
          trainAccuracy: finalTrain.accuracy,
          trainLoss: finalTrain.loss,
          generalizationGap: finalTrain.accuracy - finalTest.accuracy,
          epochs,
          steps: result.steps,
          parameters: model.parameterCount(),
        },
        timing: { trainSeconds: result.seconds, secondsPerEpoch: result.seconds / Math.max(1, epochs) },
        details: { model: model.toString(), trainExamples: trainSet.n, testExamples: testSet.n },
      };
    } finally {
      model.dispose();
    }
  },
});

function epochsPlanned(cfg: { steps?: number; epochs: number; batchSize: number }, n: number): number {
  return cfg.steps ? Math.ceil(cfg.steps / Math.ceil(n / cfg.batchSize)) : cfg.epochs;
}
