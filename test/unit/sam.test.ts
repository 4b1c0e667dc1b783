/** SAM's gradient against an independent computation: the plain gradient taken at w + rho g / ||g||. */
import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { parameterGradients } from "../../src/engine/gradients.js";
import { flatten } from "../../src/engine/flat.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { samPlugin } from "../../src/training/sam.js";
import { trainSpec } from "../../src/training/schema.js";
import type { TrainState } from "../../src/training/loop.js";
import { initTestBackend } from "../backend.js";

describe("SAM", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("replaces the gradient by the gradient at w + rho g / ||g|| and leaves the weights where they were", () => {
    const rng = new Rng(3);
    const model = buildModel(mlpSpec.parse({ hidden: [7], activation: "tanh", init: "xavier" }), { input: [5], classes: 3 }, new Rng(4));
    const x = tf.tensor2d(Float32Array.from({ length: 6 * 5 }, () => rng.normal()), [6, 5]);
    const y = tf.tensor1d([0, 1, 2, 0, 1, 2], "int32");
    const w = model.getFlat();
    const rho = 0.3;
    const plain = parameterGradients(model, x, y, "softmax-ce");
    const g = flatten(plain.grads);
    const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    model.setFlat(w.map((v, i) => v + (rho * g[i]!) / norm));
    const reference = parameterGradients(model, x, y, "softmax-ce");
    const expected = flatten(reference.grads);
    model.setFlat(w);
    const plugin = samPlugin(rho);
    const state = { model, config: trainSpec.parse({ loss: "softmax-ce" }) } as unknown as TrainState;
    plugin.beforeBatch!(state, { x, y, indices: new Int32Array(6) });
    const got = tf.tidy(() => flatten(plugin.transformGradients!(state, plain.grads)!));
    expect(Array.from(model.getFlat())).toEqual(Array.from(w));
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    // and it is not the plain gradient
    expect(got.some((v, i) => Math.abs(v - g[i]!) > 1e-4)).toBe(true);
    expect(() => samPlugin(0)).toThrow(/rho/);
    tf.dispose([x, y, ...plain.grads, ...reference.grads]);
    model.dispose();
  });
});
