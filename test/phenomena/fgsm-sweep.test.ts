import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { readIdx } from "../../src/core/idx.js";
import { fromArtifacts } from "../../src/models/io.js";
import { fgsmSweepClaim } from "../../src/phenomena/adversarial/fgsm-sweep.claim.js";
import { resolveConfig } from "../../src/run/config.js";
import { fgsmSweep } from "../../src/phenomena/adversarial/fgsm-sweep.js";
import { initTestBackend } from "../backend.js";

describe("fgsm-sweep (quick preset)", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("reproduces the claim, and its saved adversarial digits fool the saved model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-fgsm-"));
    const summary = await runExperiment({ experiment: "fgsm-sweep", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    expect(summary.verdict?.reproduced, summary.verdict?.note).toBe(true);
    const m = summary.metrics;
    for (const name of ["softmax", "mlp", "cnn"]) {
      expect(m[`${name}.error@0`]).toBe(m[`${name}.noiseError@0`]); // eps 0 is the clean error for both
      expect(m[`${name}.error@0.25`]!).toBeGreaterThanOrEqual(m[`${name}.error@0.1`]!);
    }
    // re-check with the files alone: load the model and the IDX digits, predict
    const artifacts = join(dir, summary.runId, "artifacts");
    const images = readIdx(readFileSync(join(artifacts, "adversarial", "mlp-images-idx3-float.idx")), "images");
    const labels = readIdx(readFileSync(join(artifacts, "adversarial", "mlp-labels-idx1-ubyte.idx")), "labels");
    const { model } = fromArtifacts(JSON.parse(readFileSync(join(artifacts, "models", "mlp", "model.json"), "utf8")), readFileSync(join(artifacts, "models", "mlp", "weights.bin")));
    const n = images.dims[0]!;
    const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor2d(images.data as Float32Array, [n, 784])), 1).dataSync());
    const wrong = Array.from(predicted).filter((p, i) => p !== labels.data[i]).length / n;
    expect(wrong).toBeGreaterThan(0.5); // eps 0.1 on the MLP: most of these digits fool it
    model.dispose();
  });

  it("the verdict fails when a criterion fails, and names it", () => {
    const config = resolveConfig(fgsmSweep, { preset: "quick" });
    const metrics: Record<string, number> = {};
    for (const name of ["softmax", "mlp", "cnn"])
      for (const eps of [0.1, 0.25]) {
        metrics[`${name}.error@${eps}`] = 0.99;
        metrics[`${name}.noiseError@${eps}`] = 0.1;
        metrics[`${name}.wrongConfidence@${eps}`] = 0.9;
      }
    expect(fgsmSweepClaim.verdict(metrics, config).reproduced).toBe(true);
    metrics["mlp.error@0.1"] = 0.3;
    const verdict = fgsmSweepClaim.verdict(metrics, config);
    expect(verdict.reproduced).toBe(false);
    expect(verdict.note).toMatch(/MLP error at eps 0.1 0.300 \(needs >= 0.5\) FAIL/);
  });
});
