import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { DeepFool, LbfgsBox } from "../../src/analysis/attacks/minimization.js";
import { initTestBackend } from "../backend.js";

describe("minimization attacks", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  /** A 2-class linear model on 4 inputs with known weights: the exact distance to its boundary is |margin| / |w1 - w0|. */
  function linearCase() {
    const model = buildModel(mlpSpec.parse({ hidden: [] }), { input: [4], classes: 2 }, new Rng(1));
    const W = [0.8, -0.4, 0.3, 0.5, -0.6, 0.2, 0.1, -0.7]; // [in=4, out=2] row-major
    const b = [0.05, -0.05];
    model.setFlat(Float32Array.from([...W, ...b]));
    const xs = [
      [0.5, 0.4, 0.6, 0.5],
      [0.3, 0.6, 0.5, 0.4],
    ];
    const w = [0, 1, 2, 3].map((i) => W[i * 2 + 1]! - W[i * 2]!);
    const exact = xs.map((x) => {
      const margin = x.reduce((s, v, i) => s + v * w[i]!, 0) + b[1]! - b[0]!;
      return Math.abs(margin) / Math.sqrt(w.reduce((s, v) => s + v * v, 0));
    });
    const labels = Int32Array.from(xs.map((x) => (x.reduce((s, v, i) => s + v * w[i]!, 0) + b[1]! - b[0]! > 0 ? 1 : 0)));
    return { model, x: tf.tensor2d(xs), exact, labels };
  }

  const l2 = (a: tf.Tensor, b: tf.Tensor) => Array.from(tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), 1)).dataSync()));

  it("DeepFool on a linear model steps to the boundary: distance = exact distance x (1 + overshoot)", () => {
    const { model, x, exact, labels } = linearCase();
    const adv = new DeepFool("l2", { overshoot: 0.02 }).minimize(model, x, { kind: "misclassification", labels });
    const pred = Array.from(tf.tidy(() => tf.argMax(model.predict(adv), 1).dataSync()));
    pred.forEach((p, i) => expect(p).not.toBe(labels[i]));
    l2(adv, x).forEach((d, i) => expect(d / exact[i]!).toBeCloseTo(1.02, 2));
    expect(() => new DeepFool().minimize(model, x, { kind: "targeted", targets: labels })).toThrow(/untargeted/);
    tf.dispose([x, adv]);
    model.dispose();
  });

  it("the penalty attack succeeds near the optimum and never below it; epsilons restrict the one result", () => {
    const { model, x, exact, labels } = linearCase();
    const targets = Int32Array.from(labels, (l) => 1 - l);
    const attack = new LbfgsBox({ searches: 12, steps: 200, learningRate: 0.005 });
    const adv = attack.minimize(model, x, { kind: "targeted", targets });
    const pred = Array.from(tf.tidy(() => tf.argMax(model.predict(adv), 1).dataSync()));
    expect(pred).toEqual(Array.from(targets));
    l2(adv, x).forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(exact[i]! * (1 - 1e-3)); // no perturbation smaller than the exact distance can cross
      expect(d).toBeLessThan(exact[i]! * 1.5);
    });
    const [tiny, big] = attack.call(model, x, { kind: "targeted", targets }, [exact[0]! / 2, 1], new Rng(1));
    expect(tiny!.success[0]).toBe(0); // half the minimal distance cannot succeed
    expect(Array.from(big!.success)).toEqual([1, 1]);
    tf.dispose([x, adv, tiny!.raw, tiny!.clipped, big!.raw, big!.clipped]);
    model.dispose();
  });

  it("minimum-distortion quick preset: the verdict follows the measured success and RMS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-mindist-"));
    const summary = await runExperiment({ experiment: "minimum-distortion", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    const m = summary.metrics;
    expect(m["lbfgs.success"]!).toBeGreaterThan(0.8);
    expect(m["deepfool.success"]!).toBeGreaterThan(0.8);
    expect(m["noise.error"]!).toBeLessThan(m["lbfgs.success"]!);
    expect(summary.verdict!.measured).toBe(m["lbfgs.meanRms"]);
    expect(summary.verdict!.reproduced).toBe(m["lbfgs.success"]! >= 0.95 && m["lbfgs.meanRms"]! <= 0.1);
  });
});
