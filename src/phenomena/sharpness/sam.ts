/**
 * Sharpness-aware minimization (Foret et al. 2021) against the same optimizer without it: one initialization, one
 * data order, the same budget; both minima measured by the same curvature tools as batch-size (top Hessian
 * eigenvalue, Keskar sharpness) and by test accuracy. If flatness is what generalizes, seeking it should pay.
 */
import { check, formats, judge } from "../verdict-kit.js";
import { z } from "zod";
import { randomSubset } from "../../data/transforms.js";
import { modelSpec } from "../../models/builders.js";
import { evaluate } from "../../training/evaluate.js";
import { samPlugin } from "../../training/sam.js";
import { trainSpecWith } from "../../training/schema.js";
import type { Claim } from "../experiment.js";
import { defineExperiment } from "../experiment.js";
import { dataSpec, loadSplits } from "../data.js";
import { trainNamedModel } from "../../analysis/train-named.js";
import { keskarSharpness, topHessianEigenvalue } from "../../analysis/curvature/curvature.js";
import { curvatureSpec } from "./schema.js";

const RUNS = ["base", "sam"] as const;

export const samSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** Property 4's 784-128-128-10 ReLU MLP. */
  model: modelSpec.default({ kind: "mlp", hidden: [128, 128], activation: "relu", init: "he", dropout: 0 }),
  /** Foret et al. wrap SGD with momentum; the base run uses the identical optimizer, only the gradient differs. */
  train: trainSpecWith({ optimizer: "momentum", lr: 0.05, momentum: 0.9, batchSize: 128, epochs: 20 }).prefault({}),
  /** The neighbourhood radius (Foret et al.: 0.05 is their default for CIFAR). */
  rho: z.number().positive().max(10).default(0.05),
  sharpness: curvatureSpec,
});

export type SamConfig = z.output<typeof samSchema>;

export const samClaim: Claim<SamConfig> = {
  statement: "Training that seeks flat regions (SAM) ends at a flatter minimum than the same optimizer without it, and generalizes at least as well.",
  citation: "Foret, Kleiner, Mobahi & Neyshabur 2021, Sharpness-Aware Minimization for Efficiently Improving Generalization (ICLR); Hochreiter & Schmidhuber 1997, Flat Minima",
  verdict(metrics) {
    const [baseEig, samEig] = [metrics["base.topEigenvalue"], metrics["sam.topEigenvalue"]];
    const four = { format: formats.fixed(4), formatBound: formats.fixed(4) };
    // each bound is the base optimizer's own figure
    return judge(
      [
        check("top Hessian eigenvalue, SAM vs base", samEig, { below: baseEig ?? Number.NaN }, four),
        check("Keskar sharpness, SAM vs base", metrics["sam.sharpness"], { below: metrics["base.sharpness"] ?? Number.NaN }, four),
        check("test accuracy, SAM vs base", metrics["sam.testAccuracy"], { atLeast: metrics["base.testAccuracy"] ?? Number.NaN }, four),
      ],
      { measured: baseEig! / samEig!, threshold: 1, reported: ["measured = base / SAM top eigenvalue"] },
    );
  },
  interpret(metrics, config) {
    const pct = (v: number | undefined) => (v === undefined ? "n/a" : `${(v * 100).toFixed(2)}%`);
    return (
      `With rho = ${config.rho}, SAM ends at a top Hessian eigenvalue of ${(metrics["sam.topEigenvalue"] ?? Number.NaN).toFixed(1)} against ${(metrics["base.topEigenvalue"] ?? Number.NaN).toFixed(1)} without it, ` +
      `Keskar sharpness ${(metrics["sam.sharpness"] ?? Number.NaN).toFixed(3)} against ${(metrics["base.sharpness"] ?? Number.NaN).toFixed(3)}, and tests at ${pct(metrics["sam.testAccuracy"])} against ${pct(metrics["base.testAccuracy"])} (training loss ${(metrics["sam.trainLoss"] ?? Number.NaN).toFixed(4)} vs ${(metrics["base.trainLoss"] ?? Number.NaN).toFixed(4)}).`
    );
  },
  deviations:
    "Foret et al. trained ResNets and WideResNets on CIFAR and ImageNet (with m-sharpness over sub-batches); here a 784-128-128-10 MLP on 8k MNIST digits, the perturbation computed on the whole minibatch, and no dropout in the perturbed pass.",
};

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
