import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { makeDataset } from "../../src/data/dataset.js";
import { evaluate } from "../../src/training/evaluate.js";
import { alphaGrid, barrier, lineScan, maxRise, valueAt } from "../../src/analysis/landscape/line.js";
import { initTestBackend } from "../backend.js";

describe("loss-landscape line tools", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("the alpha grid hits 0 and 1 exactly and spans both ends", () => {
    const g = alphaGrid(-0.5, 1.5, 0.025);
    expect(g.length).toBe(81);
    expect(g).toContain(0);
    expect(g).toContain(1);
    expect(g[0]).toBe(-0.5);
    expect(g.at(-1)).toBe(1.5);
    expect(alphaGrid(0, 1, 0.3)).toEqual([0, 0.3, 0.6, 0.9, 1]);
  });

  it("maxRise is 0 for a non-increasing curve and sees a slow climb as well as a bump", () => {
    const a = [-0.5, 0, 0.25, 0.5, 0.75, 1, 1.5];
    expect(maxRise(a, [9, 5, 4, 3, 2, 1, 7]).rise).toBe(0); // outside [0, 1] does not count
    expect(maxRise(a, [0, 5, 4, 4.5, 3, 1, 0])).toEqual({ rise: 0.5, at: 0.5 });
    expect(maxRise(a, [0, 5, 1, 1.2, 1.4, 1.6, 0]).rise).toBeCloseTo(0.6, 12);
  });

  it("barrier is the largest excess over the chord between the ends", () => {
    const a = [0, 0.25, 0.5, 0.75, 1];
    expect(barrier(a, [1, 1.5, 3, 2, 2])).toEqual({ barrier: 1.5, at: 0.5 });
    expect(barrier(a, [1, 0.5, 0.2, 0.1, 0]).barrier).toBeCloseTo(0, 12); // the chord's own end points
    expect(valueAt(a, [0, 1, 2, 3, 4], 0.6)).toBeCloseTo(2.4, 12);
  });

  it("lineScan evaluates the interpolated parameters and restores the model", async () => {
    const rng = new Rng(3);
    const ds = makeDataset("toy", Float32Array.from({ length: 40 * 784 }, () => rng.next()), Int32Array.from({ length: 40 }, (_, i) => i % 10), [28, 28, 1], 10);
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [28, 28, 1], classes: 10 }, new Rng(4));
    const other = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [28, 28, 1], classes: 10 }, new Rng(5));
    const from = model.getFlat();
    const to = other.getFlat();
    const points = await lineScan(model, from, to, [0, 0.3, 1], [{ name: "toy", data: ds }]);
    expect(Array.from(model.getFlat())).toEqual(Array.from(from));
    expect(points[0]!.loss.toy).toBeCloseTo(evaluate(model, ds).loss, 6);
    expect(points[2]!.loss.toy).toBeCloseTo(evaluate(other, ds).loss, 6);
    const mid = from.map((v, i) => 0.7 * v + 0.3 * to[i]!);
    model.setFlat(mid);
    expect(points[1]!.loss.toy).toBeCloseTo(evaluate(model, ds).loss, 6);
    model.dispose();
    other.dispose();
  });

  it("quick preset: no obstacle from init to solution, a barrier between two seeds; same run, same numbers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-interp-"));
    const run = (runsDir: string) => runExperiment({ experiment: "interpolation", preset: "quick", seed: 1, runsDir, backend, data: new NodeDataSource() });
    const summary = await run(dir);
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m["initLine.trainLossAt0"]!).toBeGreaterThan(m["initLine.trainLossAt1"]! * 3);
    expect(m["seedLine.testErrorAtMid"]!).toBeGreaterThan(Math.max(m["seedLine.testErrorAt0"]!, m["seedLine.testErrorAt1"]!));
    expect(summary.verdict!.reproduced).toBe(m["initLine.maxRiseFraction"]! <= 0.01 && m["seedLine.barrier"]! >= 0.1);
    expect(summary.verdict!.reproduced).toBe(true);
    const again = await run(mkdtempSync(join(tmpdir(), "quirklab-interp-")));
    expect(again.metrics).toEqual(m);
  });
});
