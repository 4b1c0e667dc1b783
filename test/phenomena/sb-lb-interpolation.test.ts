import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { initTestBackend } from "../backend.js";

describe("sb-lb-interpolation", () => {
  it("quick preset: the line passes through both trained solutions; the verdict is the ratio of the two rises", async () => {
    const backend = await initTestBackend();
    // ~25 s on native; on wasm (several times slower) fewer digits and epochs
    const sets = backend.name === "native" ? [] : ["data.trainSize=1000", "smallEpochs=8", "largeEpochs=30"];
    const summary = await runExperiment({ experiment: "sb-lb-interpolation", preset: "quick", sets, seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-sblb-")), backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m["large.batchSize"]!).toBeGreaterThan(m["small.batchSize"]!);
    // both ends are minima along the line: stepping off either raises the training loss
    expect(m["line.riseAroundSmall"]!).toBeGreaterThan(0);
    expect(m["line.riseAroundLarge"]!).toBeGreaterThan(0);
    const ratio = m["line.riseAroundLarge"]! / m["line.riseAroundSmall"]!;
    expect(summary.verdict!.measured).toBeCloseTo(ratio, 10);
    expect(summary.verdict!.reproduced).toBe(ratio >= 3);
    const curve = (summary.details as { line: { alpha: number; loss: { train: number } }[] }).line;
    expect(curve.map((p) => p.alpha)).toContain(0);
    expect(curve.map((p) => p.alpha)).toContain(1);
  });
});
