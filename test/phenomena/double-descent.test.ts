import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { findExperiment } from "../../src/phenomena/registry.js";
import { logSpaced } from "../../src/phenomena/sweep.js";
import { doubleDescentFeaturesSchema } from "../../src/phenomena/double-descent/double-descent-features.schema.js";
import { doubleDescentFeaturesClaim, errorKey, peakOf } from "../../src/phenomena/double-descent/double-descent-features.claim.js";
import { initTestBackend } from "../backend.js";

describe("double descent", () => {
  it("the features sweep must hold n/4 and 8n and be ascending: a config error names the value to add", () => {
    const bad = doubleDescentFeaturesSchema.safeParse({ data: { trainSize: 1000 }, features: [100, 500, 1000, 8000] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).join("\n")).toMatch(/N = n\/4 = 250 .*include 250 in features/);
    const unsorted = doubleDescentFeaturesSchema.safeParse({ data: { trainSize: 100 }, features: [25, 800, 100] });
    expect(unsorted.error!.issues[0]!.message).toMatch(/strictly ascending \(800 then 100\)/);
  });

  it("the verdict reads the peak from the metrics, so a mean over seeds is judged the same way", () => {
    const config = doubleDescentFeaturesSchema.parse({ data: { trainSize: 100 }, features: [25, 50, 100, 200, 800] });
    const metrics = (clean: number[], noisy: number[]) =>
      Object.fromEntries(config.features.flatMap((f, i) => [[errorKey("clean", f), clean[i]!], [errorKey("noisy", f), noisy[i]!]]));
    const peaked = metrics([0.2, 0.3, 0.6, 0.25, 0.1], [0.3, 0.4, 0.7, 0.4, 0.2]);
    expect(peakOf(peaked, "clean", config.features)).toEqual({ at: 100, error: 0.6 });
    expect(doubleDescentFeaturesClaim.verdict(peaked, config).reproduced).toBe(true);
    // a curve that only falls has no peak at the threshold
    expect(doubleDescentFeaturesClaim.verdict(metrics([0.5, 0.4, 0.3, 0.2, 0.1], [0.6, 0.5, 0.4, 0.3, 0.2]), config).reproduced).toBe(false);
    // a peak in the right place but below twice the ends fails the height check
    expect(doubleDescentFeaturesClaim.verdict(metrics([0.2, 0.3, 0.35, 0.25, 0.2], [0.3, 0.4, 0.5, 0.4, 0.3]), config).reproduced).toBe(false);
    // noise must raise the peak
    expect(doubleDescentFeaturesClaim.verdict(metrics([0.2, 0.3, 0.6, 0.25, 0.1], [0.2, 0.3, 0.5, 0.25, 0.1]), config).reproduced).toBe(false);
  });

  it("log-spaced epochs are distinct, ascending and end at the last", () => {
    expect(logSpaced(1000, 4)).toEqual([1, 10, 100, 1000]);
    expect(logSpaced(5, 30)).toEqual([1, 2, 3, 4, 5]);
  });

  it("width sweep, quick preset: every width trained, its model exported, the epoch-wise rows recorded", async () => {
    const backend = await initTestBackend();
    const dir = mkdtempSync(join(tmpdir(), "quirklab-dd-width-"));
    const summary = await runExperiment({ experiment: "double-descent-width", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource(), report: false });
    expect(summary.status).toBe("complete");
    const widths = (summary.config as { widths: number[] }).widths;
    for (const w of widths) {
      expect(summary.metrics[`parameters@${w}`]).toBe(785 * w + (w + 1) * 10);
      expect(existsSync(join(dir, summary.runId, "artifacts", "models", `width-${w}`, "model.json"))).toBe(true);
    }
    // the widest net fits its noisy training labels better than the narrowest
    expect(summary.metrics[`trainError@${widths.at(-1)}`]!).toBeLessThan(summary.metrics[`trainError@${widths[0]}`]!);
    const epochs = (summary.details as { epochs: Record<string, { epoch: number }[]> }).epochs;
    expect(epochs[String(widths[0])]!.map((r) => r.epoch)).toEqual(logSpaced(60, 8));
    const def = findExperiment("double-descent-width")!;
    expect(def.figures!({ metrics: summary.metrics, details: def.details!.parse(JSON.parse(JSON.stringify(summary.details))) }, summary.config as never).map((f) => f.id)).toEqual(["model-wise", "epoch-wise"]);
  }, 120_000);
});
