import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { makeBatch } from "../../src/training/batches.js";
import { makeDataset } from "../../src/data/dataset.js";
import { fgsmTrainingPlugin } from "../../src/phenomena/adversarial/adversarial-training.js";
import { initTestBackend } from "../backend.js";

describe("adversarial-training", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("the plugin doubles each batch with its FGSM version, inside the box and the ball", () => {
    const rng = new Rng(1);
    const ds = makeDataset("toy", Float32Array.from({ length: 8 * 784 }, () => rng.next()), Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), [28, 28, 1], 10);
    const model = buildModel(mlpSpec.parse({ hidden: [16] }), { input: [28, 28, 1], classes: 10 }, new Rng(2));
    const batch = makeBatch(ds, Int32Array.from([0, 1, 2, 3]), "labels");
    const out = fgsmTrainingPlugin(model, 0.1).beforeBatch!({} as never, batch) as typeof batch;
    expect(out.x.shape).toEqual([8, 784]);
    expect(Array.from(out.y.dataSync())).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    const x = batch.x.dataSync();
    const both = out.x.dataSync();
    let worst = 0;
    for (let i = 0; i < x.length; i++) {
      expect(both[i]).toBe(x[i]); // the clean half is untouched
      const adv = both[x.length + i]!;
      expect(adv).toBeGreaterThanOrEqual(0);
      expect(adv).toBeLessThanOrEqual(1);
      worst = Math.max(worst, Math.abs(adv - x[i]!));
    }
    expect(worst).toBeLessThanOrEqual(0.1 + 1e-6);
    expect(worst).toBeGreaterThan(0.09);
    tf.dispose([batch.x, batch.y, out.x, out.y]);
    model.dispose();
  });

  it("quick preset: FGSM training cuts FGSM error sharply, not PGD error (gradient masking), at no clean cost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-advtrain-"));
    const summary = await runExperiment({ experiment: "adversarial-training", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m["plain.fgsmError"]! - m["adversarial.fgsmError"]!).toBeGreaterThan(0.2);
    expect(m["adversarial.pgdError"]!).toBeGreaterThan(m["adversarial.fgsmError"]!);
    expect(m["adversarial.cleanError"]! - m["plain.cleanError"]!).toBeLessThanOrEqual(0.02);
    // the verdict is computed from these figures; at this scale FGSM error stays above 30% (see the README)
    expect(summary.verdict!.measured).toBe(m["adversarial.fgsmError"]);
    expect(summary.verdict!.reproduced).toBe(m["adversarial.fgsmError"]! <= 0.3 && m["adversarial.cleanError"]! - m["plain.cleanError"]! <= 0.01);
  });
});
