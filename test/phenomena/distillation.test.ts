import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { softTargetLoss } from "../../src/analysis/compression/distill.js";
import { jitterPlugin } from "../../src/training/augment.js";
import { initTestBackend } from "../backend.js";

/** The soft loss in float64: T^2 * mean_i sum_k -softmax(t_i / T)_k log softmax(z_i / T)_k. */
function softLoss64(z: number[][], t: number[][], T: number): number {
  const logSoftmax = (v: number[]) => {
    const m = Math.max(...v);
    const lse = m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
    return v.map((x) => x - lse);
  };
  let total = 0;
  z.forEach((row, i) => {
    const p = logSoftmax(t[i]!.map((x) => x / T)).map(Math.exp);
    const logq = logSoftmax(row.map((x) => x / T));
    total += -p.reduce((s, pk, k) => s + pk * logq[k]!, 0);
  });
  return (T * T * total) / z.length;
}

describe("distillation", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("the T^2-scaled soft-target loss and its gradient match a float64 reference and central differences", () => {
    const rng = new Rng(4);
    const z = [0, 1, 2].map(() => [0, 1, 2, 3].map(() => rng.normal(0, 2)));
    const t = [0, 1, 2].map(() => [0, 1, 2, 3].map(() => rng.normal(0, 3)));
    for (const T of [1, 3, 8]) {
      const zt = tf.tensor2d(z);
      const tt = tf.tensor2d(t);
      expect(softTargetLoss(zt, tt, T).dataSync()[0]).toBeCloseTo(softLoss64(z, t, T), 4);
      const grad = tf.grad((x: tf.Tensor) => softTargetLoss(x, tt, T))(zt).arraySync() as number[][];
      const h = 1e-4;
      z.forEach((row, i) =>
        row.forEach((_, k) => {
          const plus = z.map((r, a) => r.map((v, b) => (a === i && b === k ? v + h : v)));
          const minus = z.map((r, a) => r.map((v, b) => (a === i && b === k ? v - h : v)));
          const numeric = (softLoss64(plus, t, T) - softLoss64(minus, t, T)) / (2 * h);
          expect(grad[i]![k]!).toBeCloseTo(numeric, 4);
          // closed form: T (softmax(z/T) - softmax(t/T)) / N
        }),
      );
      tf.dispose([zt, tt]);
    }
  });

  it("jitter shifts each image by at most the asked pixels and keeps labels", () => {
    const img = new Float32Array(25);
    img[12] = 1; // centre of a 5x5 image
    const batch = { x: tf.tensor2d(Float32Array.from([...img, ...img]), [2, 25]), y: tf.tensor1d([3, 4], "int32"), indices: Int32Array.from([0, 1]) };
    const out = jitterPlugin(5, 5, 1, new Rng(9)).beforeBatch!({} as never, batch)!;
    const values = out.x.dataSync();
    for (let i = 0; i < 2; i++) {
      const row = Array.from(values.subarray(i * 25, (i + 1) * 25));
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      const at = row.indexOf(1);
      expect(Math.abs((at % 5) - 2)).toBeLessThanOrEqual(1);
      expect(Math.abs(Math.floor(at / 5) - 2)).toBeLessThanOrEqual(1);
    }
    expect(Array.from(out.y.dataSync())).toEqual([3, 4]);
    tf.dispose([batch.x, batch.y, out.x, out.y]);
  });

  it("quick preset runs both students from one init and computes the verdict from their errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-distill-"));
    const summary = await runExperiment({ experiment: "distillation", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m.teacherError!).toBeLessThan(0.3);
    expect(m["small.hardError"]!).toBeLessThan(0.3);
    expect(m["small.distilledError"]!).toBeLessThan(0.3);
    const ratio = m["small.distilledError"]! / m["small.hardError"]!;
    expect(summary.verdict!.measured).toBeCloseTo(ratio, 12);
    expect(summary.verdict!.reproduced).toBe(ratio <= 0.85 && m["small.gapRecovered"]! >= 0.3);
  });
});

describe("omitted class (5d)", () => {
  it("tunes the bias on the given digits: the smallest grid value with the best accuracy", async () => {
    const { tuneBias } = await import("../../src/phenomena/memorization/omitted-class.js");
    // three examples, classes 0..2: class 1's logit is 1.0 short on example 0 (a 1) and would steal example 2 at +2.5
    const logits = Float32Array.from([2, 1, 0, 0, 3, 0, 0.5, 0, 2.2]);
    const data = makeDataset("b", new Float32Array(3), Int32Array.from([1, 1, 2]), [1], 3);
    expect(tuneBias(logits, data, 1, { max: 5, step: 0.5 })).toBe(1.5);
    expect(tuneBias(logits, data, 1, { max: 1, step: 0.5 })).toBe(0);
  });

  it("quick preset: the control never names the omitted digit; the verdict follows the measured accuracies", async () => {
    const backend = await initTestBackend();
    const summary = await runExperiment({ experiment: "omitted-class", preset: "quick", seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-omit-")), backend, data: new NodeDataSource() });
    const m = summary.metrics;
    expect(m["control.omittedAccuracy"]).toBe(0);
    expect(m["distilled.omittedAccuracy"]!).toBeGreaterThan(0.1); // dark knowledge: some 3s without any bias
    expect(m["distilled.omittedAccuracyTuned"]!).toBeGreaterThanOrEqual(m["distilled.omittedAccuracy"]!);
    expect(summary.verdict!.reproduced).toBe(m["distilled.omittedAccuracyTuned"]! >= 0.5 && m["control.omittedAccuracy"]! <= 0);
  });
});
