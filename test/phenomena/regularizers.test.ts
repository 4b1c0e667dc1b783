import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { regularizersSchema } from "../../src/phenomena/memorization/regularizers.schema.js";
import { regularizersClaim } from "../../src/phenomena/memorization/regularizers.claim.js";
import { initTestBackend } from "../backend.js";

describe("regularizers", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("the verdict fails when the unregularized net is far worse, or when a regularizer stops memorization", () => {
    const config = regularizersSchema.parse({ regularizers: ["none", "weight-decay", "dropout"] });
    const good = {
      "true.none.testAccuracy": 0.9,
      "true.weight-decay.testAccuracy": 0.91,
      "true.dropout.testAccuracy": 0.92,
      "random.weight-decay.trainAccuracy": 0.99,
      "random.dropout.trainAccuracy": 0.97,
    };
    const ok = regularizersClaim.verdict(good, config);
    expect(ok.reproduced).toBe(true);
    expect(ok.measured).toBeCloseTo(0.02, 12);
    expect(regularizersClaim.verdict({ ...good, "true.none.testAccuracy": 0.8 }, config).reproduced).toBe(false);
    const stopped = regularizersClaim.verdict({ ...good, "random.dropout.trainAccuracy": 0.6 }, config);
    expect(stopped.reproduced).toBe(false);
    expect(stopped.note).toContain("dropout 0.6000 (needs >= 0.95) FAIL");
  });

  it("quick preset: random labels are memorized under every regularizer; the verdict follows the metrics", async () => {
        const native = backend.name === "native";
    // two of the preset's three settings per pass (weight decay on native, dropout on wasm); on wasm, a smaller net and set
    const sets = native ? ['regularizers=["none","weight-decay"]'] : ["data.trainSize=400", "data.testSize=500", "model.hidden=[128]", 'regularizers=["none","dropout"]'];
    const summary = await runExperiment({ experiment: "regularizers", preset: "quick", sets, seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-reg-")), backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    const regs = native ? ["none", "weight-decay"] : ["none", "dropout"];
    for (const r of regs) {
      expect(m[`random.${r}.testAccuracy`]!).toBeLessThan(0.2);
      expect(m[`true.${r}.testAccuracy`]!).toBeGreaterThan(0.7);
    }
    // a regularizer slows memorization (or stops it within the budget)
    const regularized = native ? "weight-decay" : "dropout";
    expect(m[`random.${regularized}.epochs`]!).toBeGreaterThan(m["random.none.epochs"]!);
    expect(summary.verdict!.reproduced).toBe(regularizersClaim.verdict(m, regularizersSchema.parse(summary.config)).reproduced);
  });
});
