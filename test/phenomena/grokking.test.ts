import { describe, expect, it } from "vitest";
import { delays } from "../../src/phenomena/grokking/curves.js";
import { grokkingMnistSchema, scaleKey } from "../../src/phenomena/grokking/grokking-mnist.schema.js";
import { grokkingMnistClaim } from "../../src/phenomena/grokking/grokking-mnist.claim.js";
import { logSpaced } from "../../src/phenomena/sweep.js";

const curve = (rows: [number, number, number][]) => rows.map(([step, trainAccuracy, testAccuracy]) => ({ step, trainAccuracy, testAccuracy, weightNorm: 100 - step / 1000 }));

describe("grokking", () => {
  it("times the fit and the late generalization, ignoring an early bump that falls back", () => {
    const grokked = curve([
      [0, 0.1, 0.1],
      [10, 0.6, 0.5], // an early bump above 95% of the final 0.5 ...
      [100, 0.995, 0.2], // ... gone again once the training set is memorized
      [1000, 1, 0.3],
      [10000, 1, 0.48],
      [20000, 1, 0.5],
    ]);
    const d = delays(grokked, 0.99, 0.95);
    expect(d.stepToFit).toBe(100);
    expect(d.stepToGeneralize).toBe(10000);
    expect(d.delay).toBe(100);
    expect(d.testAccuracyWhenFitted).toBe(0.2);
    expect(d.initialWeightNorm).toBe(100);
    expect(d.finalWeightNorm).toBe(80);
    // never fitted: no delay to report
    expect(delays(curve([[0, 0.1, 0.1], [10, 0.5, 0.4]]), 0.99, 0.95).delay).toBeNaN();
  });

  it("judges the delay at the largest scale and the control at the smallest", () => {
    const config = grokkingMnistSchema.parse({});
    const at = (scale: number, delay: number) => ({ [`${scaleKey(scale)}.delay`]: delay });
    expect(grokkingMnistClaim.verdict({ ...at(1, 1.2), ...at(8, 25) }, config).reproduced).toBe(true);
    expect(grokkingMnistClaim.verdict({ ...at(1, 1.2), ...at(8, 6) }, config).reproduced).toBe(false);
    expect(grokkingMnistClaim.verdict({ ...at(1, 4), ...at(8, 25) }, config).reproduced).toBe(false);
    expect(grokkingMnistClaim.verdict({ ...at(1, 1.2) }, config).reproduced).toBe(false); // a missing measurement fails
  });

  it("follows Omnigrok's configuration by default", () => {
    const c = grokkingMnistSchema.parse({});
    expect(c.model.hidden).toEqual([200, 200]);
    expect(c.train).toMatchObject({ optimizer: "adamw", lr: 0.001, weightDecay: 0.01, batchSize: 200, steps: 100000, loss: "squared-error" });
    expect(c.initScales).toEqual([1, 8]);
    expect(logSpaced(100000, c.checkpoints).at(-1)).toBe(100000);
  });
});
