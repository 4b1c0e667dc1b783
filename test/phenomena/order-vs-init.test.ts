import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { pairKind, relativeDistance } from "../../src/phenomena/initialization/order-vs-init.js";
import { initTestBackend } from "../backend.js";
import { makeDataset } from "../../src/data/dataset.js";
import { RngStreams } from "../../src/core/rng.js";
import { mlpSpec } from "../../src/models/builders.js";
import { trainSpec } from "../../src/training/schema.js";
import { trainNamedModel } from "../../src/analysis/train-named.js";
import type { ExperimentContext } from "../../src/phenomena/experiment.js";

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

  it("the grid's streams are independent: a run's initial weights depend on its init only, its data order on its order only", async () => {
    const backend = await initTestBackend();
    const data = makeDataset("toy", Float32Array.from({ length: 40 * 4 }, (_, i) => Math.sin(i)), Int32Array.from({ length: 40 }, (_, i) => i % 2), [4], 2);
    const streams = new RngStreams(5);
    const ctx = { seed: 5, streams, signal: new AbortController().signal, backend, emit() {}, progress() {} } as unknown as ExperimentContext;
    const spec = mlpSpec.parse({ hidden: [3] });
    const config = trainSpec.parse({ optimizer: "sgd", lr: 0.1, batchSize: 8, epochs: 1 });
    const run = async (init: number, order: number) => {
      let initial: Float32Array | undefined;
      const seen: number[] = [];
      const model = await trainNamedModel(ctx, `init ${init} order ${order}`, spec, data, config, {
        initFrom: `init-${init}`,
        orderFrom: `order-${order}`,
        onInit: (m) => (initial = m.getFlat()),
        plugins: [{ name: "spy", beforeBatch: (_s, b) => void seen.push(...b.indices) }],
      });
      model.dispose();
      return { initial: Array.from(initial!), order: seen };
    };
    const a = await run(1, 1);
    const b = await run(1, 2);
    const c = await run(2, 1);
    expect(b.initial).toEqual(a.initial); // same init, other order
    expect(b.order).not.toEqual(a.order);
    expect(c.order).toEqual(a.order); // same order, other init
    expect(c.initial).not.toEqual(a.initial);
    expect((await run(1, 1)).initial).toEqual(a.initial); // and nothing drawn in between shifted them
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
