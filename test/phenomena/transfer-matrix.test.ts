import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { resolveConfig } from "../../src/run/config.js";
import { transferMatrix } from "../../src/phenomena/adversarial/transfer-matrix.js";
import { transferClaim } from "../../src/phenomena/adversarial/transfer-matrix.claim.js";
import { initTestBackend } from "../backend.js";

describe("transfer-matrix (quick preset)", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("examples made on A fool B (trained on the other half of the data) far more than noise does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-transfer-"));
    const summary = await runExperiment({ experiment: "transfer-matrix", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    expect(summary.verdict?.reproduced, summary.verdict?.note).toBe(true);
    const m = summary.metrics;
    // white-box (diagonal) FGSM is at least as strong as transfer into the same model
    for (const to of ["A", "B", "deep"]) for (const from of ["A", "B", "deep"]) expect(m[`transfer.${to}->${to}`]!).toBeGreaterThanOrEqual(m[`transfer.${from}->${to}`]! - 0.02);
    expect(m["transfer.A->B"]!).toBeGreaterThan(2 * m["noise.B"]!);
    const matrix = JSON.parse(readFileSync(join(dir, summary.runId, "artifacts", "matrix.json"), "utf8")) as { rows: string[]; errors: number[][] };
    expect(matrix.rows).toEqual(["A", "B", "deep"]);
    expect(matrix.errors[0]![1]).toBe(m["transfer.A->B"]);
  });

  it("fails when B is not a good model or transfer is weak", () => {
    const config = resolveConfig(transferMatrix, { preset: "quick" });
    expect(transferClaim.verdict({ "transfer.A->B": 0.5, "clean.B": 0.05, "noise.B": 0.1 }, config).reproduced).toBe(true);
    expect(transferClaim.verdict({ "transfer.A->B": 0.3, "clean.B": 0.05, "noise.B": 0.1 }, config).reproduced).toBe(false);
    expect(transferClaim.verdict({ "transfer.A->B": 0.9, "clean.B": 0.5, "noise.B": 0.1 }, config).reproduced).toBe(false);
  });
});
