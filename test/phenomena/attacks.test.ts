import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { Rng } from "../../src/core/rng.js";
import { Dense } from "../../src/models/layers.js";
import { Sequential } from "../../src/models/sequential.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { randomSubset } from "../../src/data/transforms.js";
import { trainSpec } from "../../src/training/schema.js";
import { train } from "../../src/training/loop.js";
import { LinfFgsm, LinfPgd, L2Pgd, isSuccessful, type AttackResult } from "../../src/analysis/attacks/index.js";
import { initTestBackend } from "../backend.js";

function rowsOf(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync());
}

describe("attacks", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("FGSM on a linear softmax model equals the analytic solution x + eps sign((p - y) W^T), clipped", () => {
    const rng = new Rng(4);
    const d = 20;
    const k = 4;
    const model = new Sequential([new Dense("d", d, k, { kind: "normal", sigma: 0.5 }, rng)], [d]);
    const W = model.params()[0]!.variable.dataSync();
    const b = model.params()[1]!.variable.dataSync();
    const n = 6;
    const xs = Float32Array.from({ length: n * d }, () => rng.next());
    const labels = Int32Array.from({ length: n }, () => rng.int(k));
    const x = tf.tensor2d(xs, [n, d]);
    const eps = 0.1;
    const [result] = new LinfFgsm().call(model, x, { kind: "misclassification", labels }, [eps], rng);
    const got = rowsOf(result!.clipped);
    for (let i = 0; i < n; i++) {
      const z = Array.from({ length: k }, (_, j) => b[j]! + Array.from({ length: d }, (_, q) => xs[i * d + q]! * W[q * k + j]!).reduce((s, v) => s + v, 0));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((s, v) => s + v, 0);
      const p = e.map((v) => v / sum);
      for (let q = 0; q < d; q++) {
        const g = p.reduce((s, pj, j) => s + (pj - (j === labels[i] ? 1 : 0)) * W[q * k + j]!, 0);
        const expected = Math.min(1, Math.max(0, xs[i * d + q]! + eps * Math.sign(g)));
        expect(got[i * d + q]).toBeCloseTo(expected, 6);
      }
    }
    tf.dispose([x, result!.raw, result!.clipped]);
    model.dispose();
  });

  describe("on an MLP trained on MNIST digits", () => {
    let model: Sequential;
    let x: tf.Tensor;
    let labels: Int32Array;
    beforeAll(async () => {
      const source = new NodeDataSource();
      const data = randomSubset(await source.load("mnist", "train"), 1000, new Rng(1));
      const test = randomSubset(await source.load("mnist", "test"), 200, new Rng(2));
      model = buildModel(mlpSpec.parse({ hidden: [64] }), { input: data.shape, classes: 10 }, new Rng(3));
      await train(model, data, trainSpec.parse({ epochs: 4, batchSize: 32 }), { order: new Rng(4) });
      x = tf.tensor2d(test.x, [test.n, 784]);
      labels = test.y;
    });

    const eps = 0.1;
    const attacks = [
      ["LinfFgsm", () => new LinfFgsm(), "linf"],
      ["LinfPgd", () => new LinfPgd({ steps: 10 }), "linf"],
      ["L2Pgd", () => new L2Pgd({ steps: 10 }), "l2"],
    ] as const;

    it.each(attacks)("%s respects its norm bound and the [0,1] box, and its success is the model's own verdict", (_name, make, norm) => {
      const budget = norm === "linf" ? eps : 1.5;
      const [r] = make().call(model, x, { kind: "misclassification", labels }, [budget], new Rng(5)) as AttackResult[];
      const adv = rowsOf(r!.clipped);
      const clean = rowsOf(x);
      let outsideBox = 0;
      let worstLinf = 0;
      let worstL2 = 0;
      for (let i = 0; i < labels.length; i++) {
        let l2 = 0;
        for (let q = 0; q < 784; q++) {
          const v = adv[i * 784 + q]!;
          const delta = v - clean[i * 784 + q]!;
          if (v < 0 || v > 1) outsideBox++;
          worstLinf = Math.max(worstLinf, Math.abs(delta));
          l2 += delta * delta;
        }
        worstL2 = Math.max(worstL2, Math.sqrt(l2));
      }
      expect(outsideBox).toBe(0);
      if (norm === "linf") expect(worstLinf).toBeLessThanOrEqual(budget + 1e-6);
      else expect(worstL2).toBeLessThanOrEqual(budget * (1 + 1e-5));
      expect(worstLinf).toBeGreaterThan(0); // it did move
      // re-evaluate independently of the attack's bookkeeping
      const predicted = tf.tidy(() => tf.argMax(model.predict(r!.clipped), 1).dataSync());
      expect(Array.from(r!.success)).toEqual(Array.from(predicted, (p, i) => Number(p !== labels[i])));
      tf.dispose([r!.raw, r!.clipped]);
    });

    it("PGD finds at least as many adversarial examples as FGSM at the same budget, reproducibly", () => {
      const [f] = new LinfFgsm().call(model, x, { kind: "misclassification", labels }, [eps], new Rng(6));
      const [p1] = new LinfPgd({ steps: 20 }).call(model, x, { kind: "misclassification", labels }, [eps], new Rng(7));
      const [p2] = new LinfPgd({ steps: 20 }).call(model, x, { kind: "misclassification", labels }, [eps], new Rng(7));
      const rate = (s: Uint8Array) => s.reduce((a, v) => a + v, 0) / s.length;
      expect(rate(p1!.success)).toBeGreaterThanOrEqual(rate(f!.success));
      expect(rate(p1!.success)).toBeGreaterThan(0.5);
      expect(Array.from(rowsOf(p1!.clipped))).toEqual(Array.from(rowsOf(p2!.clipped)));
      tf.dispose([f!.raw, f!.clipped, p1!.raw, p1!.clipped, p2!.raw, p2!.clipped]);
    });

    it("targeted PGD reaches the chosen class far above chance", () => {
      const targets = Int32Array.from(labels, (l) => (l + 1) % 10);
      const [r] = new LinfPgd({ steps: 30 }).call(model, x, { kind: "targeted", targets }, [0.2], new Rng(8));
      const hit = r!.success.reduce((a, v) => a + v, 0) / r!.success.length;
      expect(hit).toBeGreaterThan(0.5);
      expect(Array.from(isSuccessful(model, r!.clipped, { kind: "targeted", targets }))).toEqual(Array.from(r!.success));
      tf.dispose([r!.raw, r!.clipped]);
    });

    it("epsilon 0 returns the input unchanged", () => {
      const [r] = new LinfPgd({ steps: 3 }).call(model, x, { kind: "misclassification", labels }, [0], new Rng(9));
      expect(Array.from(rowsOf(r!.clipped))).toEqual(Array.from(rowsOf(x)));
      tf.dispose([r!.raw, r!.clipped]);
    });
  });
});
