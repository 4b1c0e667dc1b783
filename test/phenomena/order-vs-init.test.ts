import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { pairKind, relativeDistance } from "../../src/phenomena/initialization/order-vs-init.js";
import { initTestBackend } from "../backend.js";

describe("order-vs-init", () => {
  it("classifies pairs of runs by what they share and measures relative distance", () => {
    expect(pairKind({ init: 0, order: 0 }, { init: 0, order: 1 })).toBe("sameInit");
    expect(pairKind({ init: 0, order: 1 }, { init: 2, order: 1 })).toBe("sameOrder");
    expect(pairKind({ init: 0, order: 1 }, { init: 1, order: 0 })).toBe("neither");
    expect(pairKind({ init: 1, order: 1 }, { init: 1, order: 1 })).toBeUndefined();
    // |(3,4) - (0,0)| = 5 over the mean norm (5 + 0) / 2
    expect(relativeDistance(Float32Array.of(3, 4), Float32Array.of(0, 0))).toBeCloseTo(2, 12);
    expect(relativeDistance(Float32Array.of(1, 0), Float32Array.of(0, 1))).toBeCloseTo(Math.SQRT2, 12);
  });

  it("quick preset: the grid's runs share exactly their row's initialization and column's order; verdict from the metrics", async () => {
    const backend = await initTestBackend();
    const dir = mkdtempSync(join(tmpdir(), "quirklab-ovi-"));
    const summary = await runExperiment({ experiment: "order-vs-init", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m["sameInit.pairs"]).toBe(2);
    expect(m["sameOrder.pairs"]).toBe(2);
    expect(m["neither.pairs"]).toBe(2);
    // twins from one initialization stay close (a few % of the weights' norm); independent inits are ~sqrt(2) apart
    expect(m["sameInit.distance"]!).toBeLessThan(0.2);
    expect(m["sameOrder.distance"]!).toBeGreaterThan(1);
    expect(m["sameOrder.trainLossBarrier"]!).toBeGreaterThan(m["sameInit.trainLossBarrier"]!);
    const expected = m["sameInit.testErrorBarrier"]! <= 0.02 && m["sameOrder.trainLossBarrier"]! >= 0.1 && m["sameInit.disagreement"]! < m["sameOrder.disagreement"]!;
    expect(summary.verdict!.reproduced).toBe(expected);
    expect(summary.verdict!.measured).toBe(m["sameInit.testErrorBarrier"]);
  });
});
