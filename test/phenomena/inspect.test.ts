import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { runInMemory } from "../../src/run/memory-run.js";
import { NodeModelSource } from "../../src/run/model-source.js";
import { buildModel } from "../../src/models/builders.js";
import { fromArtifacts, toArtifacts } from "../../src/models/io.js";
import { Rng } from "../../src/core/rng.js";
import { calibration, confusionMatrix } from "../../src/analysis/inspect/calibration.js";
import { prunableFraction } from "../../src/analysis/inspect/pruning.js";
import { inspect } from "../../src/phenomena/inspect/inspect.js";
import type { LoadedModel, ModelSource } from "../../src/phenomena/experiment.js";
import { train } from "../../src/training/loop.js";
import { trainSpec } from "../../src/training/schema.js";
import { initTestBackend } from "../backend.js";
import type { Sequential } from "../../src/models/sequential.js";

/** Tiny sizes: the mechanics, not the figures. */
const TINY = {
  data: { size: 200 },
  robustness: { examples: 100, epsilons: [0, 0.1, 0.3], pgdSteps: 3, deepfoolExamples: 20, deepfoolSteps: 20 },
  curvature: { examples: 100, lanczosSteps: 5, eigenvalues: 2, hutchinsonSamples: 3, keskarSteps: 2, linePoints: 5, surfacePoints: 3 },
  saliency: { examples: 2, smoothGradSamples: 2 },
  units: { randomDirections: 5 },
  pruning: { fractions: [0, 0.5, 0.9] },
};

async function trainedMlp(seed: number): Promise<Sequential> {
  const data = new NodeDataSource();
  const full = await data.load("mnist", "train");
  const model = buildModel({ kind: "mlp", hidden: [32], activation: "relu", init: "he", dropout: 0 }, { input: full.shape, classes: 10 }, new Rng(seed));
  const subset = { ...full, n: 2000, x: full.x.subarray(0, 2000 * 784), y: full.y.subarray(0, 2000) };
  await train(model, subset, trainSpec.parse({ epochs: 2, batchSize: 64 }), { order: new Rng(seed + 1) });
  return model;
}

function saveTo(dir: string, model: Sequential): string {
  mkdirSync(dir, { recursive: true });
  const { modelJson, weights } = toArtifacts(model);
  writeFileSync(join(dir, "model.json"), JSON.stringify(modelJson));
  writeFileSync(join(dir, "weights.bin"), weights);
  return dir;
}

describe("inspect: calibration and pruning arithmetic", () => {
  it("computes ECE and MCE of a hand-checked case", () => {
    // four predictions: confidences 0.95 (right), 0.95 (wrong), 0.55 (right), 0.6 (right); two bins [0,0.5), [0.5,1]
    const probabilities = Float32Array.from([0.95, 0.05, 0.05, 0.95, 0.55, 0.45, 0.4, 0.6]);
    const predicted = Int32Array.from([0, 1, 0, 1]);
    const labels = Int32Array.from([0, 0, 0, 1]);
    const c = calibration({ probabilities, predicted, classes: 2 }, labels, 2);
    // one non-empty bin: confidence (0.95 + 0.95 + 0.55 + 0.6) / 4 = 0.7625, accuracy 3/4
    expect(c.ece).toBeCloseTo(Math.abs(0.75 - 0.7625), 6);
    expect(c.mce).toBeCloseTo(0.0125, 6);
    expect(c.bins[0]!.count).toBe(0);
    expect(Number.isNaN(c.bins[0]!.accuracy)).toBe(true);
    expect(c.accuracy).toBe(0.75);
    // with 10 bins: 0.95 x2 in bin 9 (acc 0.5), 0.55 in bin 5 (acc 1), 0.6 in bin 6 (acc 1)
    const fine = calibration({ probabilities, predicted, classes: 2 }, labels, 10);
    expect(fine.ece).toBeCloseTo(0.5 * 0.45 + 0.25 * 0.45 + 0.25 * 0.4, 6);
    expect(fine.mce).toBeCloseTo(0.45, 6);
    expect(confusionMatrix(labels, predicted, 2)).toEqual([[2, 1], [0, 1]]);
  });

  it("counts a prunable fraction only up to the first failure", () => {
    const points = [
      { fraction: 0, accuracy: 0.9, loss: 0 },
      { fraction: 0.5, accuracy: 0.895, loss: 0 },
      { fraction: 0.8, accuracy: 0.85, loss: 0 },
      { fraction: 0.9, accuracy: 0.9, loss: 0 },
    ];
    expect(prunableFraction(points, 0.9, 0.01)).toBe(0.5);
    expect(prunableFraction(points, 0.9, 0.1)).toBe(0.9);
  });
});

describe("inspect (tiny sizes)", () => {
  let backend: BackendInfo;
  let model: Sequential;
  let other: Sequential;
  beforeAll(async () => {
    backend = await initTestBackend();
    model = await trainedMlp(1);
    other = await trainedMlp(2);
  }, 120_000);

  it("measures every section on a model from a folder, and the run id follows the model's bytes", async () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-inspect-"));
    const folder = saveTo(join(root, "model"), model);
    const runsDir = join(root, "runs");
    const data = new NodeDataSource();
    const models = new NodeModelSource({ runsDir, backend, data });
    const sets = [`model=${folder}`, "reference=none", ...Object.entries(TINY).flatMap(([k, v]) => Object.entries(v).map(([f, x]) => `${k}.${f}=${JSON.stringify(x)}`))];
    const summary = await runExperiment({ experiment: "inspect", preset: "quick", sets, seed: 1, runsDir, backend, data, models });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m.examples).toBe(200);
    expect(m.accuracy!).toBeGreaterThan(0.7);
    // at epsilon 0 every attack and the noise control leave the examples alone: the clean error of the attacked ones
    expect(m["fgsm.error@0"]).toBe(m["noise.error@0"]);
    expect(m["pgd.error@0"]).toBe(m["noise.error@0"]);
    expect(m["pgd.error@0.3"]!).toBeGreaterThanOrEqual(m["fgsm.error@0.3"]! - 0.05);
    expect(m["fgsm.error@0.3"]!).toBeGreaterThan(m["noise.error@0.3"]!);
    expect(m["pruning.accuracy@0"]).toBeCloseTo(m.accuracy!, 10);
    expect(m["curvature.eigenvalue1"]!).toBeGreaterThan(0);
    expect(m["curvature.eigenvalue1"]!).toBeGreaterThanOrEqual(m["curvature.eigenvalue2"]!);
    expect(m["deepfool.success"]!).toBeGreaterThan(0.9);
    expect(Object.keys(m).some((k) => k.startsWith("reference."))).toBe(false);
    const html = readFileSync(join(runsDir, summary.runId, "report", "index.html"), "utf8");
    for (const heading of ["Accuracy", "Calibration", "Robustness", "Curvature", "What it looks at", "How much of it is needed", "Comparison"]) expect(html).toContain(`data-finding="${heading}"`);
    for (const figure of ["confusion", "reliability", "robustness", "loss-slice", "loss-surface", "pruning", "purity"]) expect(html).toContain(`data-figure="${figure}"`);
    expect(html).toContain("images/saliency.png");

    // the same path with other weights is another model: another run
    saveTo(folder, other);
    const again = await runExperiment({ experiment: "inspect", preset: "quick", sets, seed: 1, runsDir, backend, data, models });
    expect(again.runId).not.toBe(summary.runId);
    expect(again.metrics.accuracy).not.toBe(m.accuracy);
  }, 120_000);

  it("measures the reference with streams of its own, and refuses a model that does not fit the data", async () => {
    const data = new NodeDataSource();
    const source = (reference: boolean): ModelSource => ({
      load: async (): Promise<LoadedModel> => ({ model: clone(model), description: "test model", droppedSoftmax: false }),
      fingerprint: async () => "test",
      ...(reference ? { reference: async (): Promise<LoadedModel> => ({ model: clone(other), description: "stand-in baseline", droppedSoftmax: false }) } : {}),
    });
    const config = { model: "test", ...TINY };
    const alone = await runInMemory(inspect, config, { seed: 1, data, backend, models: source(false) });
    const compared = await runInMemory(inspect, config, { seed: 1, data, backend, models: source(true) });
    for (const [k, v] of Object.entries(alone.metrics)) expect(compared.metrics[k], k).toBe(v);
    expect(compared.metrics["reference.accuracy"]).toBeDefined();
    expect(compared.metrics["reference.fgsm.error@0.1"]).toBeDefined();
    expect(compared.findings?.find((f) => f.heading === "Accuracy")?.text).toContain("baseline MLP");
    expect(alone.findings?.find((f) => f.heading === "Comparison")?.text).toContain("could not be trained");

    const misfit = (input: number[], classes: number): ModelSource => ({
      load: async () => ({ model: buildModel({ kind: "mlp", hidden: [4], activation: "relu", init: "he", dropout: 0 }, { input, classes }, new Rng(3)), description: "misfit", droppedSoftmax: false }),
      fingerprint: async () => "misfit",
    });
    // 7 inputs are no picture of the digits; 100 inputs are (10x10, resized), but 3 outputs are not MNIST's 10 classes
    await expect(runInMemory(inspect, config, { seed: 1, data, backend, models: misfit([7], 10) })).rejects.toThrow(/the model takes inputs of shape 7, the data 28x28x1: no conversion/);
    await expect(runInMemory(inspect, config, { seed: 1, data, backend, models: misfit([100], 3) })).rejects.toThrow(/has 3 outputs, but .* has 10 classes/);
  }, 120_000);
});

describe("inspect on a CNN (tiny sizes)", () => {
  it("runs every section on a convolutional model fed flat rows (curvature included)", async () => {
    const backend = await initTestBackend();
    const cnn = buildModel({ kind: "cnn", filters: [2], kernelSize: 3, padding: "same", dense: [8], activation: "relu", init: "he", dropout: 0 }, { input: [28, 28, 1], classes: 10 }, new Rng(5));
    const models: ModelSource = { load: async () => ({ model: clone(cnn), description: "tiny cnn", droppedSoftmax: false }), fingerprint: async () => "cnn" };
    const result = await runInMemory(inspect, { model: "cnn", ...TINY }, { seed: 1, data: new NodeDataSource(), backend, models });
    expect(Number.isFinite(result.metrics["curvature.eigenvalue1"]!)).toBe(true);
    expect(Number.isFinite(result.metrics["curvature.trace"]!)).toBe(true);
    expect(result.metrics["fgsm.error@0"]).toBe(result.metrics["noise.error@0"]);
    cnn.dispose();
  }, 120_000);
});

/** A fresh copy per load: the experiment disposes what it loads. */
function clone(m: Sequential): Sequential {
  const { modelJson, weights } = toArtifacts(m);
  return fromArtifacts(modelJson, weights).model;
}
