/**
 * docs/artifacts.md's promise, end to end: a run's folder holds every network it trained by name and the indices of
 * the subsets it drew, and the two together reproduce a reported figure outside the experiment's code.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readIdx } from "../../src/core/idx.js";
import { select } from "../../src/data/dataset.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { loadModel } from "../../src/models/load.js";
import { evaluate } from "../../src/training/evaluate.js";
import { runExperiment } from "../../src/run/runner.js";
import { initTestBackend } from "../backend.js";

describe("run artifacts", () => {
  it("the trained networks and the test subset indices give back the run's reported test error", async () => {
    const backend = await initTestBackend();
    const data = new NodeDataSource();
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-artifacts-"));
    const summary = await runExperiment({ experiment: "interpolation", preset: "quick", seed: 1, runsDir, backend, data, report: false });
    const dir = join(runsDir, summary.runId);
    const indices = Array.from(readIdx(readFileSync(join(dir, summary.subsets!.test!)), "test indices").data);
    const test = select(await data.load("mnist", "test"), indices, "redrawn");
    expect(test.n).toBe((summary.config.data as { testSize: number }).testSize);
    // model a is the end (alpha = 1) of the init -> solution line and the start of the seed line
    const { model } = loadModel(join(dir, "artifacts", "models", "a"));
    try {
      const error = 1 - evaluate(model, test).accuracy;
      // one digit of 500 either way: a different evaluation batch may round a tied logit differently
      expect(Math.abs(error - summary.metrics["initLine.testErrorAt1"]!)).toBeLessThanOrEqual(1 / test.n + 1e-9);
      expect(Math.abs(error - summary.metrics["seedLine.testErrorAt0"]!)).toBeLessThanOrEqual(1 / test.n + 1e-9);
    } finally {
      model.dispose();
    }
    for (const name of ["b", "c"]) expect(readFileSync(join(dir, "artifacts", "models", name, "model.json"), "utf8")).toContain("weightsManifest");
  });
});
