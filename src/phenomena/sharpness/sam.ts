/**
 * Sharpness-aware minimization (Foret et al. 2021) against the same optimizer without it: one initialization, one
 * data order, the same budget; both minima measured by the same curvature tools as batch-size (top Hessian
 * eigenvalue, Keskar sharpness) and by test accuracy. If flatness is what generalizes, seeking it should pay.
 */
import { randomSubset } from "../../data/transforms.js";
import { evaluate } from "../../training/evaluate.js";
import { samPlugin } from "../../training/sam.js";
import { defineExperiment } from "../experiment.js";
import { loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { keskarSharpness, topHessianEigenvalue } from "../../analysis/curvature/curvature.js";
import { samSchema } from "./sam.schema.js";
import { samClaim } from "./sam.claim.js";

const RUNS = ["base", "sam"] as const;

export const sam = defineExperiment({
  id: "sam",
  title: "Seeking flat minima: sharpness-aware minimization",
  property: "sharpness",
  description: "The same network, initialization and data order trained with and without SAM; top Hessian eigenvalue, Keskar sharpness and test accuracy of both minima.",
  schema: samSchema,
  presets: {
    quick: { data: { trainSize: 2000, testSize: 1000 }, train: { epochs: 10 }, sharpness: { examples: 2000, eigenIterations: 20, steps: 10 } },
    standard: {},
  },
  claim: samClaim,
  figures: (r) => [
    {
      kind: "bar",
      id: "top-eigenvalue",
      title: "Top Hessian eigenvalue at the end of training",
      x: "optimizer",
      y: "top eigenvalue",
      bars: RUNS.map((k) => ({ label: k === "sam" ? "with SAM" : "without", value: r.metrics[`${k}.topEigenvalue`] ?? Number.NaN })),
    },
    {
      kind: "bar",
      id: "test-accuracy",
      title: "Test accuracy",
      x: "optimizer",
      y: "test accuracy",
      bars: RUNS.map((k) => ({ label: k === "sam" ? "with SAM" : "without", value: r.metrics[`${k}.testAccuracy`] ?? Number.NaN })),
    },
  ],
  async run(config, ctx) {
    const { train, test } = await loadSplits(ctx, config.data);
    const curvatureSet = randomSubset(train, Math.min(config.sharpness.examples, train.n), ctx.streams.get("curvature"));
    const metrics: Record<string, number> = {};
    for (const [i, run] of RUNS.entries()) {
      const model = await trainNamedModel(ctx, run, config.model, train, config.train, { initFrom: "net", orderFrom: "net", test, plugins: run === "sam" ? [samPlugin(config.rho)] : [] });
      try {
        const trainEval = evaluate(model, train);
        metrics[`${run}.trainLoss`] = trainEval.loss;
        metrics[`${run}.trainAccuracy`] = trainEval.accuracy;
        metrics[`${run}.testAccuracy`] = evaluate(model, test).accuracy;
        const top = await topHessianEigenvalue(model, curvatureSet, ctx.streams.fresh("eigen"), { iterations: config.sharpness.eigenIterations, signal: ctx.signal });
        metrics[`${run}.topEigenvalue`] = top.eigenvalue;
        metrics[`${run}.sharpness`] = (await keskarSharpness(model, curvatureSet, { epsilon: config.sharpness.epsilon, steps: config.sharpness.steps, startDirections: [top.vector], signal: ctx.signal })).sharpness;
        ctx.progress({ phase: "runs", step: i + 1, total: RUNS.length, detail: `${run}: test ${(metrics[`${run}.testAccuracy`]! * 100).toFixed(2)}%, top eigenvalue ${top.eigenvalue.toFixed(2)}` });
      } finally {
        model.dispose();
      }
    }
    return { metrics };
  },
});
