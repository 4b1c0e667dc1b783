/**
 * The edge of stability (Cohen et al. 2021): full-batch gradient descent at step size eta on a tanh MLP with the
 * squared error, the top Hessian eigenvalue followed every few steps. It rises (progressive sharpening) until it
 * reaches 2/eta — where gradient descent on a quadratic would diverge — and then hovers there while the loss keeps
 * falling, not monotonically.
 */
import { sharpnessTrace } from "../../analysis/curvature/sharpness-trace.js";
import { buildModel } from "../../models/builders.js";
import { train } from "../../training/loop.js";
import { trainSpec } from "../../training/schema.js";
import { evaluate } from "../../training/evaluate.js";
import { standardizeFeatures } from "../../data/transforms.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { edgeOfStabilitySchema, stepsFor } from "./edge-of-stability.schema.js";
import { edgeOfStabilityDetails, summarizeTrace, etaKey } from "./trace-summary.js";
import { edgeOfStabilityClaim } from "./edge-of-stability.claim.js";
import { edgeOfStabilityFigures } from "./figures.js";

export const edgeOfStability = defineExperiment({
  id: "edge-of-stability",
  title: "The edge of stability: the sharpness rises to 2/eta and hovers there",
  property: "edge-of-stability",
  description: "A 784-100-10 tanh MLP trained by full-batch gradient descent on the squared error at several step sizes eta, from one initialization; the top Hessian eigenvalue of the training loss every 50 steps (exact Hessian-vector products, warm-started power iteration) against 2/eta, and the training loss at every step.",
  schema: edgeOfStabilitySchema,
  presets: {
    quick: { data: { trainSize: 250, testSize: 250 }, etas: [0.04], smallEtas: [0.01], horizon: 16, maxSteps: 400, sharpness: { every: 25, iterations: 10 } },
    standard: {},
    paper: { horizon: 400, maxSteps: 20000 },
  },
  claim: edgeOfStabilityClaim,
  details: edgeOfStabilityDetails,
  figures: (r, config) => edgeOfStabilityFigures(r.details, config),
  async run(config, ctx) {
    const splits = await loadSplits(ctx, config.data);
    const { train: trainSet, test } = config.inputs === "standardized" ? standardizeFeatures(splits.train, splits.test) : splits;
    const metrics: Record<string, number> = {};
    const traces: Record<string, { sharpness: { step: number; eigenvalue: number }[]; loss: number[] }> = {};
    for (const eta of [...config.smallEtas, ...config.etas]) {
      const key = etaKey(eta);
      // every step size from the same initialization; the eigenvector stream restarts too, so eta alone differs
      const model = buildModel(config.model, { input: trainSet.shape, classes: trainSet.classes }, ctx.streams.fresh("init/net"));
      try {
        const trace = sharpnessTrace(trainSet, ctx.streams.fresh("eigen"), {
          ...config.sharpness,
          loss: "squared-error",
          signal: ctx.signal,
          onPoint: (p) => ctx.emit({ type: "sharpness", eta, step: p.step, eigenvalue: p.eigenvalue, iterations: p.iterations }),
        });
        const trainConfig = trainSpec.parse({ optimizer: "sgd", lr: eta, batchSize: trainSet.n, steps: stepsFor(config, eta), loss: "squared-error", divergenceFactor: 0 });
        await train(model, trainSet, trainConfig, {
          order: ctx.streams.fresh("data-order/net"),
          signal: ctx.signal,
          plugins: [trace.plugin],
          onStep: (s, t) => ctx.progress({ phase: `eta ${eta}`, step: s, total: t, fine: true, detail: `sharpness ${trace.points.at(-1)?.eigenvalue.toFixed(1)} (2/eta ${(2 / eta).toFixed(0)})` }),
        });
        await ctx.trained?.(`eta-${eta}`, model);
        traces[key] = { sharpness: trace.points.map(({ step, eigenvalue }) => ({ step, eigenvalue })), loss: trace.losses };
        Object.assign(metrics, summarizeTrace(key, eta, trace.points, trace.losses, config.claim.finalFraction));
        metrics[`${key}.testAccuracy`] = evaluate(model, test, "squared-error").accuracy;
        metrics[`${key}.trainAccuracy`] = evaluate(model, trainSet, "squared-error").accuracy;
      } finally {
        model.dispose();
      }
    }
    return { metrics, details: { traces } };
  },
});
