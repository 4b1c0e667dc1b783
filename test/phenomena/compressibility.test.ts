import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { retainedAboveChance } from "../../src/phenomena/memorization/compressibility.js";
import { compressibilitySchema } from "../../src/phenomena/memorization/compressibility.schema.js";
import { compressibilityClaim } from "../../src/phenomena/memorization/compressibility.claim.js";
import { initTestBackend } from "../backend.js";

describe("compressibility", () => {
  it("retained above-chance accuracy: 1 when nothing is lost, 0 at chance", () => {
    expect(retainedAboveChance(0.99, 0.99, 10)).toBe(1);
    expect(retainedAboveChance(0.1, 0.99, 10)).toBeCloseTo(0, 12);
    expect(retainedAboveChance(0.545, 0.99, 10)).toBeCloseTo(0.5, 12);
    expect(retainedAboveChance(0.5, 0.05, 10)).toBeNaN(); // a net at chance has nothing to retain
  });

  it("quick preset: both teachers fit; the memorizer loses more to pruning and distils worse; verdict from the metrics", async () => {
    const backend = await initTestBackend();
    // ~15 s on native; on wasm (several times slower) a smaller net and set
    const sets = backend.name === "native" ? [] : ["data.trainSize=500", "data.testSize=500", "model.hidden=[128]", "studentTrain.epochs=30"];
    const summary = await runExperiment({ experiment: "compressibility", preset: "quick", sets, seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-compress-")), backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    for (const t of ["generalizer", "memorizer"]) expect(m[`${t}.trainAccuracy`]!).toBeGreaterThanOrEqual(0.99);
    expect(m["memorizer.testAccuracy"]!).toBeLessThan(0.2);
    expect(m["generalizer.retained@0.5"]!).toBeGreaterThan(0.95);
    expect(m["memorizer.retained@0.9"]!).toBeLessThan(m["generalizer.retained@0.9"]!);
    expect(m["memorizer.studentFidelity"]!).toBeLessThan(m["generalizer.studentFidelity"]! - 0.2);
    const config = compressibilitySchema.parse(summary.config);
    expect(summary.verdict!.reproduced).toBe(compressibilityClaim.verdict(m, config).reproduced);
    expect(summary.verdict!.measured).toBe(m["memorizer.retained@0.9"]);
  });
});
