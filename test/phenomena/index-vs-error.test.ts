import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { indexVsErrorDetails, indexVsErrorSchema } from "../../src/phenomena/loss-landscape/index-vs-error.schema.js";
import { indexVsErrorClaim } from "../../src/phenomena/loss-landscape/index-vs-error.claim.js";
import { initTestBackend, repeatPass } from "../backend.js";

// float64 JavaScript throughout, no tfjs kernel: the same numbers on every backend, so one pass is enough
describe.skipIf(repeatPass)("index-vs-error experiment", () => {
  it("a quick slice: every point verified to 1e-6 of the start's gradient, index rising with error; the verdict follows the metrics", async () => {
    const backend = await initTestBackend();
    // the quick preset takes about a minute (each Hessian costs examples x parameters^2): 4 units and 5 restarts per
    // level here, which finds too few distinct points for the verdict's count but shows the relation
    const sets = ["model.hidden=4", "search.restartsPerLevel=5"];
    const summary = await runExperiment({ experiment: "index-vs-error", preset: "quick", sets, seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-ive-")), backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    const details = indexVsErrorDetails.parse(summary.details);
    expect(details.points.length).toBe(m["points.verified"]);
    for (const p of details.points) expect(p.gradientNorm).toBeLessThanOrEqual(details.tolerance);
    // the measured relation (4 hidden units on 4 x 4 digits)
    expect(m["points.spearman"]!).toBeGreaterThanOrEqual(0.6);
    expect(m["points.lowErrorMaxIndex"]!).toBeLessThanOrEqual(0.02);
    expect(m["points.highIndexCount"]!).toBeGreaterThanOrEqual(3);
    // with every unit off only the output biases remain: the class prior, near chance, and a saddle
    const empty = details.points.find((p) => p.activeUnits === 0)!;
    expect(empty.error).toBeGreaterThan(0.8);
    expect(empty.index).toBeGreaterThan(0);
    // minima of the full net: no negative eigenvalue
    for (const p of details.points.filter((q) => q.source === "minimum")) expect(p.minEigenvalue).toBeGreaterThan(-1e-9);
    expect(summary.verdict!.reproduced).toBe(indexVsErrorClaim.verdict(m, indexVsErrorSchema.parse(summary.config)).reproduced);
    expect(summary.verdict!.measured).toBe(m["points.spearman"]);
  });
});
