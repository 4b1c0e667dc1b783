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
import { basinArea, centredGrid, surfaceGrid, type SurfaceCell } from "../../src/analysis/landscape/surface.js";
import { filterNormalize, gaussianDirection, slotsOf } from "../../src/analysis/landscape/directions.js";
import { rescaleAdjacentLayers } from "../../src/analysis/curvature/reparametrize.js";
import { surfaceClaim } from "../../src/phenomena/loss-landscape/surface-2d.claim.js";
import { initTestBackend } from "../backend.js";

function toy(seed: number) {
  const rng = new Rng(seed);
  const ds = makeDataset("toy", Float32Array.from({ length: 60 * 784 }, () => rng.next()), Int32Array.from({ length: 60 }, (_, i) => i % 10), [28, 28, 1], 10);
  const model = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [28, 28, 1], classes: 10 }, new Rng(seed + 1));
  return { ds, model };
}

describe("2-D loss surfaces", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("centred grids are symmetric, odd and hold 0", () => {
    expect(centredGrid(1, 5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(centredGrid(0.3, 3)).toEqual([-0.3, 0, 0.3]);
    expect(() => centredGrid(1, 4)).toThrow(/odd/);
  });

  it("each cell is the loss at theta + alpha d1 + beta d2 (checked by setting the parameters by hand); the model is restored", async () => {
    const { ds, model } = toy(3);
    const theta = model.getFlat();
    const rng = new Rng(9);
    const d1 = gaussianDirection(theta.length, rng).map((v) => v * 0.1);
    const d2 = gaussianDirection(theta.length, rng).map((v) => v * 0.1);
    const cells = await surfaceGrid(model, theta, d1, d2, [-1, 0, 1], [-0.5, 0.5], ds);
    expect(cells.map((c) => [c.i, c.j])).toEqual([[0, 0], [1, 0], [2, 0], [0, 1], [1, 1], [2, 1]]);
    expect(Array.from(model.getFlat())).toEqual(Array.from(theta));
    for (const c of [cells[2]!, cells[3]!]) {
      model.setFlat(theta.map((v, k) => v + c.alpha * d1[k]! + c.beta * d2[k]!));
      expect(c.loss).toBeCloseTo(evaluate(model, ds).loss, 5);
    }
    model.dispose();
  });

  it("resumes: given half the cells, computes only the rest, and the grid equals one full pass", async () => {
    const { ds, model } = toy(5);
    const theta = model.getFlat();
    const rng = new Rng(2);
    const d1 = gaussianDirection(theta.length, rng).map((v) => v * 0.05);
    const d2 = gaussianDirection(theta.length, rng).map((v) => v * 0.05);
    const grid = centredGrid(1, 5);
    const full = await surfaceGrid(model, theta, d1, d2, grid, grid, ds);
    const computed: SurfaceCell[] = [];
    const resumed = await surfaceGrid(model, theta, d1, d2, grid, grid, ds, { done: full.slice(0, 12), onCell: (c) => computed.push(c) });
    expect(computed.length).toBe(13);
    expect(resumed).toEqual(full);
    await expect(surfaceGrid(model, theta, d1, d2, centredGrid(2, 5), grid, ds, { done: full.slice(0, 3) })).rejects.toThrow(/puts elsewhere/);
    model.dispose();
  });

  it("filter-normalized surfaces of a rescaled ReLU net (the same function) are the same surface", async () => {
    const { ds, model } = toy(7);
    const copy = buildModel(mlpSpec.parse({ hidden: [8] }), { input: [28, 28, 1], classes: 10 }, new Rng(8));
    copy.setFlat(model.getFlat());
    rescaleAdjacentLayers(copy, 0, 10);
    const rng = new Rng(4);
    const g1 = gaussianDirection(model.getFlat().length, rng);
    const g2 = gaussianDirection(model.getFlat().length, rng);
    const grid = centredGrid(0.5, 3);
    const surface = async (m: typeof model) => {
      const theta = m.getFlat();
      return surfaceGrid(m, theta, filterNormalize(g1, theta, slotsOf(m)), filterNormalize(g2, theta, slotsOf(m)), grid, grid, ds);
    };
    const a = await surface(model);
    const b = await surface(copy);
    a.forEach((c, k) => expect(b[k]!.loss).toBeCloseTo(c.loss, 4));
    expect(basinArea(a, a[4]!.loss, 0.01)).toBe(basinArea(b, b[4]!.loss, 0.01));
    model.dispose();
    copy.dispose();
  });

  it("the verdict asks for a wider small-batch basin and no worse small-batch test accuracy", () => {
    const base = { "small.basinArea": 0.4, "large.basinArea": 0.2, "small.testAccuracy": 0.95, "large.testAccuracy": 0.94 };
    expect(surfaceClaim.verdict(base, {} as never).reproduced).toBe(true);
    expect(surfaceClaim.verdict({ ...base, "large.basinArea": 0.5 }, {} as never).reproduced).toBe(false);
    expect(surfaceClaim.verdict({ ...base, "large.testAccuracy": 0.96 }, {} as never).reproduced).toBe(false);
  });

  it("quick preset: both surfaces computed around their solutions, the verdict computed from them; same run, same numbers", async () => {
    // on wasm (several times slower) the same code runs on a smaller set and a coarser grid
    const sets = backend.name === "native" ? [] : ["data.trainSize=1000", "grid.examples=1000", "grid.points=7", "smallEpochs=6", "largeEpochs=20"];
    const run = () => runExperiment({ experiment: "surface-2d", preset: "quick", sets, seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-surface-")), backend, data: new NodeDataSource() });
    const summary = await run();
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    for (const r of ["small", "large"]) {
      expect(m[`${r}.basinArea`]!).toBeGreaterThan(0); // the centre cell itself is in its basin
      expect(m[`${r}.basinArea`]!).toBeLessThan(1); // radius 1 in filter units leaves the basin
      expect(m[`${r}.centreLoss`]!).toBeCloseTo(m[`${r}.trainLoss`]!, 1);
    }
    const surfaces = summary.details!.surfaces as { loss: number[][] }[];
    expect(surfaces.map((s) => s.loss.length)).toEqual(backend.name === "native" ? [11, 11] : [7, 7]);
    expect(summary.verdict!.reproduced).toBe(m["small.basinArea"]! > m["large.basinArea"]! && m["small.testAccuracy"]! >= m["large.testAccuracy"]!);
    const again = await run();
    expect(again.metrics).toEqual(m);
  });
});
