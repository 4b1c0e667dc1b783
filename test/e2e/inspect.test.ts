import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync } from "fflate";
import { run } from "../support/spawn.js";
import { testBackendChoice } from "../backend.js";
import { writeNpy } from "../../src/data/npy.js";
import { buildModel } from "../../src/models/builders.js";
import { toArtifacts } from "../../src/models/io.js";
import { Rng } from "../../src/core/rng.js";
import { initTestBackend } from "../backend.js";

const root = join(import.meta.dirname, "..", "..");
const cli = ["--import", "tsx", join(root, "src", "cli", "main.ts")];
const tiny = [
  "data.size=40",
  "robustness.examples=20",
  "robustness.epsilons=[0,0.1]",
  "robustness.pgdSteps=2",
  "robustness.deepfoolExamples=5",
  "curvature.examples=20",
  "curvature.lanczosSteps=3",
  "curvature.hutchinsonSamples=2",
  "curvature.keskarSteps=1",
  "curvature.linePoints=3",
  "curvature.surfacePoints=3",
  "saliency.examples=2",
  "saliency.smoothGradSamples=2",
  "units.randomDirections=3",
];

describe("quirklab inspect (command line)", () => {
  it("inspects a saved model on a user's .npz of colour images, converted to the model's input, and reports it", async () => {
    await initTestBackend();
    const dir = mkdtempSync(join(tmpdir(), "quirklab-inspect-cli-"));
    const model = buildModel({ kind: "mlp", hidden: [16], activation: "relu", init: "he", dropout: 0 }, { input: [28, 28, 1], classes: 10 }, new Rng(4));
    const { modelJson, weights } = toArtifacts(model);
    mkdirSync(join(dir, "model"));
    writeFileSync(join(dir, "model", "model.json"), JSON.stringify(modelJson));
    writeFileSync(join(dir, "model", "weights.bin"), weights);
    // 50 colour 32x32 images with labels 0-9
    const rng = new Rng(9);
    const x = Uint8Array.from({ length: 50 * 32 * 32 * 3 }, () => Math.floor(rng.next() * 256));
    const y = Int32Array.from({ length: 50 }, (_, i) => i % 10);
    writeFileSync(join(dir, "colour.npz"), zipSync({ "x.npy": writeNpy(x, [50, 32, 32, 3]), "y.npy": writeNpy(y, [50]) }));

    const args = [...cli, "inspect", join(dir, "model"), "--data", join(dir, "colour.npz"), "--runs-dir", join(dir, "runs"), "--backend", testBackendChoice(), "--json", "--quiet", ...tiny.flatMap((s) => ["--set", s])];
    const out = await run(process.execPath, args, { env: { ...process.env, CI: "true" } });
    expect(out.status, out.stderr).toBe(0);
    const summary = JSON.parse(out.stdout) as { status: string; runId: string; metrics: Record<string, number>; details: Record<string, unknown>; config: Record<string, unknown> };
    expect(summary.status).toBe("complete");
    expect(summary.details.conversion).toBe("colour to gray (BT.601 luma), bilinear resize 32x32 -> 28x28");
    expect(summary.metrics.examples).toBe(40);
    expect(Object.keys(summary.metrics).some((k) => k.startsWith("reference."))).toBe(false);
    const html = readFileSync(join(dir, "runs", summary.runId, "report", "index.html"), "utf8");
    expect(html).toContain("converted to the model's input shape first");
    expect(html).toContain("No comparison on colour");

    // a model that does not exist: a clear error, exit code 1 or 2, no stack trace
    const missing = await run(process.execPath, [...cli, "inspect", join(dir, "nothing"), "--runs-dir", join(dir, "runs"), "--quiet"]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/model file .*nothing.*not found/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    model.dispose();
  }, 120_000);
});
