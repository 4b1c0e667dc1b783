import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { tf } from "../../src/engine/tf.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { slotsOf } from "../../src/analysis/landscape/directions.js";
import { denseLayers, permuteHidden, weightMatching } from "../../src/analysis/landscape/weight-matching.js";
import { initTestBackend } from "../backend.js";

describe("weight matching (Git Re-Basin)", () => {
  it("permuting hidden units leaves the function unchanged, and matching undoes a hidden permutation exactly", async () => {
    await initTestBackend();
    const model = buildModel(mlpSpec.parse({ hidden: [12, 9] }), { input: [6], classes: 4 }, new Rng(1));
    const slots = slotsOf(model);
    const layers = denseLayers(slots);
    expect(layers.map((l) => [l.inputs, l.units])).toEqual([[6, 12], [12, 9], [9, 4]]);
    const a = model.getFlat();
    const rng = new Rng(2);
    const hiddenPerms = [rng.permutation(12), rng.permutation(9)];
    const b = permuteHidden(a, layers, hiddenPerms);
    expect(Array.from(b)).not.toEqual(Array.from(a));
    const x = tf.tensor2d(Float32Array.from({ length: 5 * 6 }, () => rng.normal()), [5, 6]);
    const outputs = (theta: Float32Array) => {
      model.setFlat(theta);
      return Array.from(tf.tidy(() => model.predict(x).dataSync()));
    };
    const ya = outputs(a);
    const yb = outputs(b);
    ya.forEach((v, i) => expect(yb[i]!).toBeCloseTo(v, 5));
    const result = weightMatching(a, b, slots, new Rng(3));
    const aligned = permuteHidden(b, layers, result.perms);
    expect(Array.from(aligned)).toEqual(Array.from(a));
    expect(result.innerProductAfter).toBeGreaterThan(result.innerProductBefore);
    x.dispose();
    model.dispose();
  });

  it("refuses a network that is not a plain MLP", async () => {
    await initTestBackend();
    const slots = [{ name: "k", role: "kernel" as const, shape: [3, 3, 1, 2], offset: 0, size: 18, filters: 2, filterSize: 9 }];
    expect(() => denseLayers(slots)).toThrow(/needs a plain MLP/);
  });
});
