import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { train } from "../../src/training/loop.js";
import { trainSpec } from "../../src/training/schema.js";
import { kernelSlots } from "../../src/analysis/compression/prune.js";
import { earlyStopTracker, maskedStart, pruneSurvivors, randomMaskLike, remainingFraction } from "../../src/analysis/compression/lottery.js";
import { remainingAfter } from "../../src/phenomena/lottery-tickets/lottery-ticket.schema.js";
import { roundNearest } from "../../src/phenomena/lottery-tickets/lottery-ticket.claim.js";
import { initTestBackend } from "../backend.js";

describe("iterative magnitude pruning (lottery tickets)", () => {
  it("each round removes the given share of each kernel's survivors, smallest first, and never revives a weight", async () => {
    await initTestBackend();
    const model = buildModel(mlpSpec.parse({ hidden: [6, 4] }), { input: [5], classes: 3 }, new Rng(1));
    const kernels = kernelSlots(model);
    expect(kernels.map((k) => k.size)).toEqual([30, 24, 12]);
    const theta = model.getFlat();
    let mask: Float32Array = new Float32Array(theta.length).fill(1);
    const rates = [0.2, 0.2, 0.1];
    for (let round = 1; round <= 6; round++) {
      const next = pruneSurvivors(theta, mask, kernels, rates);
      for (let i = 0; i < mask.length; i++) if (mask[i] === 0) expect(next[i]).toBe(0);
      for (const [k, slot] of kernels.entries()) {
        const alive = (m: Float32Array) => Array.from(m.subarray(slot.offset, slot.offset + slot.size)).filter((v) => v !== 0).length;
        expect(alive(next)).toBe(alive(mask) - Math.round(rates[k]! * alive(mask)));
        // every pruned weight is no larger than every survivor of its kernel
        const removed = [...Array(slot.size).keys()].map((i) => slot.offset + i).filter((i) => mask[i] !== 0 && next[i] === 0);
        const kept = [...Array(slot.size).keys()].map((i) => slot.offset + i).filter((i) => next[i] !== 0);
        if (removed.length && kept.length) expect(Math.max(...removed.map((i) => Math.abs(theta[i]!)))).toBeLessThanOrEqual(Math.min(...kept.map((i) => Math.abs(theta[i]!))));
      }
      mask = next;
      // the layer sizes alone predict the remaining fraction (so it is the same in every seed)
      expect(remainingFraction(mask, kernels)).toBeCloseTo(remainingAfter(round, kernels.map((k) => k.size), { hidden: 0.2, output: 0.1 }), 12);
    }
    // biases are never pruned
    const biasIndices = theta.length - kernels.reduce((s, k) => s + k.size, 0);
    expect(Array.from(mask).filter((v) => v === 1).length).toBeGreaterThanOrEqual(biasIndices);
    // a random mask of the same density keeps exactly as many weights per kernel, elsewhere
    const random = randomMaskLike(mask, kernels, new Rng(2));
    for (const slot of kernels) {
      const count = (m: Float32Array) => Array.from(m.subarray(slot.offset, slot.offset + slot.size)).filter((v) => v !== 0).length;
      expect(count(random)).toBe(count(mask));
    }
    expect(Array.from(random)).not.toEqual(Array.from(mask));
    model.dispose();
  });

  it("a masked start trains with the pruned weights held at exactly zero, and the tracker keeps the iteration of least validation loss", async () => {
    await initTestBackend();
    const rng = new Rng(3);
    const data = makeDataset("toy", Float32Array.from({ length: 64 * 5 }, () => rng.uniform(0, 1)), Int32Array.from({ length: 64 }, (_, i) => i % 3), [5], 3);
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [5], classes: 3 }, new Rng(4));
    const start = model.getFlat().map((v) => v * 2);
    const mask = new Float32Array(start.length).map((_, i) => (i % 3 === 0 ? 0 : 1));
    const losses = [0.9, 0.5, 0.7, 0.4, 0.6, 0.8];
    let calls = 0;
    const tracker = earlyStopTracker(() => ({ validationLoss: losses[calls]!, testAccuracy: 0.1 * ++calls }), 2);
    await train(model, data, trainSpec.parse({ optimizer: "adam", lr: 0.05, batchSize: 8, epochs: 1 }), { order: new Rng(5), plugins: [maskedStart(start, mask), tracker] });
    const theta = model.getFlat();
    for (let i = 0; i < theta.length; i++) if (mask[i] === 0) expect(Math.abs(theta[i]!)).toBe(0);
    expect(theta.some((v, i) => mask[i] === 1 && v !== start[i])).toBe(true); // the rest trained
    // evaluated at steps 2, 4, 6, 8: losses 0.9, 0.5, 0.7, 0.4 -> least at step 8, test accuracy of the 4th call
    expect(tracker.record()).toEqual({ iteration: 8, validationLoss: 0.4, testAccuracy: 0.4, finalTestAccuracy: 0.4 });
    model.dispose();
  });

  it("the claim reads the round nearest each target fraction from the metrics", () => {
    const metrics = { "remaining@0": 1, "remaining@1": 0.2, "remaining@2": 0.11, "remaining@3": 0.07, "remaining@4": 0.045 };
    expect(roundNearest(metrics, 4, 0.1)).toBe(2);
    expect(roundNearest(metrics, 4, 0.05)).toBe(4);
  });
});
