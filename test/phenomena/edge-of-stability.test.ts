import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel } from "../../src/models/builders.js";
import { train } from "../../src/training/loop.js";
import { trainSpec } from "../../src/training/schema.js";
import { evaluate } from "../../src/training/evaluate.js";
import { datasetHvp, topHessianEigenvalue } from "../../src/analysis/curvature/curvature.js";
import { sharpnessTrace } from "../../src/analysis/curvature/sharpness-trace.js";
import { symmetricEigen } from "../../src/core/linalg.js";
import { edgeOfStabilitySchema, stepsFor } from "../../src/phenomena/edge-of-stability/edge-of-stability.schema.js";
import { edgeOfStabilityClaim } from "../../src/phenomena/edge-of-stability/edge-of-stability.claim.js";
import { etaKey, summarizeTrace } from "../../src/phenomena/edge-of-stability/trace-summary.js";
import { initTestBackend } from "../backend.js";

function toyData(n: number, rng: Rng) {
  const x = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 3; j++) x[i * 3 + j] = (j === y[i] ? 1 : 0) + rng.normal(0, 0.5);
  }
  return makeDataset("toy", x, y, [3], 3);
}

describe("edge of stability", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("traces the dense Hessian's top eigenvalue every k steps of full-batch descent, and every step's loss", async () => {
    const rng = new Rng(4);
    const data = toyData(30, rng);
    const model = buildModel({ kind: "mlp", hidden: [4], activation: "tanh", init: "standard", dropout: 0 }, { input: [3], classes: 3 }, new Rng(5));
    const trace = sharpnessTrace(data, new Rng(6), { every: 5, iterations: 300, tolerance: 1e-9, loss: "squared-error" });
    const config = trainSpec.parse({ optimizer: "sgd", lr: 0.1, batchSize: data.n, steps: 20, loss: "squared-error", divergenceFactor: 0 });
    const initialLoss = evaluate(model, data, "squared-error").loss;
    await train(model, data, config, { order: new Rng(7), plugins: [trace.plugin] });
    expect(trace.points.map((p) => p.step)).toEqual([0, 5, 10, 15, 20]);
    expect(trace.losses).toHaveLength(20);
    expect(trace.losses[0]).toBeCloseTo(initialLoss, 5);
    // the last point against the dense Hessian's largest eigenvalue, built column by column from exact products
    const p = model.parameterCount();
    const H = Array.from({ length: p }, (_, i) => {
      const e = new Float32Array(p);
      e[i] = 1;
      return Array.from(datasetHvp(model, data, e, "squared-error"));
    });
    const sym = H.map((row, i) => row.map((v, j) => (v + H[j]![i]!) / 2));
    const eigen = symmetricEigen(sym).values;
    const largestMagnitude = eigen.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    expect(Math.abs(trace.points.at(-1)!.eigenvalue - largestMagnitude) / Math.abs(largestMagnitude)).toBeLessThan(1e-3);
    // a warm start from the last eigenvector converges in fewer products than a cold one, to the same value
    const cold = await topHessianEigenvalue(model, data, new Rng(8), { iterations: 300, tolerance: 1e-6, loss: "squared-error" });
    const warm = await topHessianEigenvalue(model, data, new Rng(8), { iterations: 300, tolerance: 1e-6, loss: "squared-error", start: cold.vector });
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(warm.eigenvalue).toBeCloseTo(cold.eigenvalue, 3);
    model.dispose();
  });

  it("refuses minibatches: the trace is of full-batch gradient descent", async () => {
    const data = toyData(12, new Rng(1));
    const model = buildModel({ kind: "mlp", hidden: [4], activation: "tanh", init: "standard", dropout: 0 }, { input: [3], classes: 3 }, new Rng(2));
    const trace = sharpnessTrace(data, new Rng(3), { every: 5, iterations: 5, tolerance: 1e-3, loss: "squared-error" });
    const config = trainSpec.parse({ optimizer: "sgd", lr: 0.1, batchSize: 4, steps: 5, loss: "squared-error" });
    await expect(train(model, data, config, { order: new Rng(4), plugins: [trace.plugin] })).rejects.toThrow(/full-batch/);
    model.dispose();
  });

  it("gradient descent on a quadratic of curvature lambda is stable below eta = 2/lambda and diverges above it", async () => {
    // the fact the claim rests on, shown on the engine itself: a one-weight linear model with the squared error on
    // one example has loss (w x - 1)^2 / 2 + ..., curvature x^2 per output
    const data = makeDataset("one", Float32Array.from([2]), Int32Array.from([0]), [1], 2);
    const run = async (eta: number) => {
      const model = buildModel({ kind: "mlp", hidden: [], activation: "linear", init: "zero", dropout: 0 }, { input: [1], classes: 2 }, new Rng(1));
      const lambda = (await topHessianEigenvalue(model, data, new Rng(2), { iterations: 100, tolerance: 1e-9, loss: "squared-error" })).eigenvalue;
      const trace = sharpnessTrace(data, new Rng(3), { every: 100, iterations: 1, tolerance: 0, loss: "squared-error" });
      await train(model, data, trainSpec.parse({ optimizer: "sgd", lr: eta * 2 / lambda, batchSize: 1, steps: 60, loss: "squared-error", divergenceFactor: 0 }), { order: new Rng(4), plugins: [trace.plugin] });
      model.dispose();
      return { lambda, losses: trace.losses };
    };
    const stable = await run(0.9);
    const unstable = await run(1.1);
    expect(stable.lambda).toBeCloseTo(5, 4); // x^2 + 1 for the weight and the bias of each output
    expect(stable.losses.at(-1)!).toBeLessThan(1e-6);
    expect(unstable.losses.at(-1)!).toBeGreaterThan(unstable.losses[0]! * 10);
  });

  it("summarizes the sharpness in units of 2/eta, over the final part of training", () => {
    const points = [0, 10, 20, 30, 40].map((step, i) => ({ step, eigenvalue: [20, 60, 95, 105, 98][i]! }));
    const losses = Array.from({ length: 40 }, (_, t) => 1 / (1 + t) + (t % 4 === 3 ? 0.02 : 0));
    const m = summarizeTrace("eta=0.02", 0.02, points, losses, 0.5);
    expect(m["eta=0.02.maxRatio"]).toBeCloseTo(1.05, 9);
    expect(m["eta=0.02.finalMinRatio"]).toBeCloseTo(0.95, 9); // steps 20, 30, 40
    expect(m["eta=0.02.finalMaxRatio"]).toBeCloseTo(1.05, 9);
    expect(m["eta=0.02.stepAtEdge"]).toBe(20);
    expect(m["eta=0.02.finalPartRisingSteps"]).toBeCloseTo(5 / 19, 9);
    expect(m["eta=0.02.finalLoss"]).toBe(losses[39]);
  });

  it("judges every eta: reach 0.9 x 2/eta, then stay in [0.8, 1.3] x 2/eta", () => {
    const config = edgeOfStabilitySchema.parse({});
    const at = (eta: number, max: number, lo: number, hi: number) => ({ [`${etaKey(eta)}.maxRatio`]: max, [`${etaKey(eta)}.finalMinRatio`]: lo, [`${etaKey(eta)}.finalMaxRatio`]: hi });
    expect(edgeOfStabilityClaim.verdict({ ...at(0.02, 1.05, 0.9, 1.05), ...at(0.04, 1.1, 0.85, 1.1) }, config).reproduced).toBe(true);
    expect(edgeOfStabilityClaim.verdict({ ...at(0.02, 0.5, 0.3, 0.5), ...at(0.04, 1.1, 0.85, 1.1) }, config).reproduced).toBe(false);
    expect(edgeOfStabilityClaim.verdict({ ...at(0.02, 1.05, 0.9, 1.05), ...at(0.04, 1.5, 0.85, 1.5) }, config).reproduced).toBe(false);
    expect(edgeOfStabilityClaim.verdict({ ...at(0.02, 1.05, 0.7, 1.05), ...at(0.04, 1.1, 0.85, 1.1) }, config).reproduced).toBe(false);
    expect(stepsFor(config, 0.04)).toBe(5000);
    expect(stepsFor(config, 0.005)).toBe(config.maxSteps);
  });
});
