/**
 * The tour end to end on a reduced budget (two properties), and its HTML report opened in headless Chromium
 * (Debian's chromium through playwright-core; `.ci/run` installs it): every figure present, no broken image, no
 * console error, and the verdict table in the page equal to summary.json.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { BEYOND_TOUR, runTour, selectStops, TOUR, type TourSummary } from "../../src/run/tour.js";
import { permuted } from "../../src/phenomena/forgetting/permuted.js";
import { initTestBackend } from "../backend.js";

const CHROMIUM = "/usr/bin/chromium";

describe("tour", () => {
  let backend: BackendInfo;
  let outDir: string;
  let tour: TourSummary;
  beforeAll(async () => {
    backend = await initTestBackend();
    outDir = mkdtempSync(join(tmpdir(), "quirklab-tour-"));
    tour = await runTour({ preset: "quick", seed: 1, only: ["adversarial", "loss-landscape"], outDir, backend, data: new NodeDataSource() });
  }, 600_000);

  it("--only picks properties or experiments and names the unknown ones", () => {
    expect(selectStops(["forgetting", "interpolation"]).map((s) => s.property)).toEqual(["loss-landscape", "forgetting"]);
    expect(selectStops(undefined)).toBe(TOUR);
    expect(() => selectStops(["nope"])).toThrow(/unknown nope/);
  });

  it("--beyond tours the properties found since the seven, in its own list", async () => {
    expect(selectStops(undefined, "beyond")).toBe(BEYOND_TOUR);
    expect(BEYOND_TOUR.map((s) => s.property)).toContain("double-descent");
    expect(TOUR.map((s) => s.property)).not.toContain("double-descent");
    expect(() => selectStops(["double-descent"])).toThrow(/double-descent is beyond the seven: add --beyond/);
    expect(() => selectStops(["forgetting"], "beyond")).toThrow(/forgetting is in the seven: drop --beyond/);
    const dir = mkdtempSync(join(tmpdir(), "quirklab-tour-beyond-"));
    const t = await runTour({ preset: "quick", seed: 1, part: "beyond", only: ["double-descent"], outDir: dir, backend, data: new NodeDataSource() });
    expect(t.part).toBe("beyond");
    expect(t.rows.map((r) => [r.experiment, r.status])).toEqual([["double-descent-features", "complete"]]);
    expect(readFileSync(join(dir, "report", "index.html"), "utf8")).toContain("beyond the seven");
  }, 120_000);

  it("a preset the tour's experiments do not define stops before anything runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-tour-paper-"));
    // permuted has a paper preset, batch-size none: the whole tour stops before permuted's paper-scale run starts
    const tour = runTour({ preset: "paper", seed: 1, only: ["forgetting", "sharpness"], outDir: dir, backend, data: new NodeDataSource() });
    await expect(tour).rejects.toThrow(/"paper" preset is not defined for batch-size$/);
    expect(existsSync(join(dir, "runs")) ? readdirSync(join(dir, "runs")).filter((f) => !f.startsWith(".")) : []).toEqual([]);
  });

  it("a claim the quick preset does not reproduce comes with its one-line why, in summary.json and the report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-tour-why-"));
    const t = await runTour({ preset: "quick", seed: 1, only: ["forgetting"], outDir: dir, backend, data: new NodeDataSource() });
    const reason = permuted.claim!.notAtQuickScale!;
    if (t.rows[0]!.reproduced) expect(t.notShown).toEqual([]);
    else {
      expect(t.notShown).toEqual([{ property: "forgetting", label: "7. They forget", experiment: "permuted", reason }]);
      expect(readFileSync(join(dir, "report", "summary.md"), "utf8")).toContain(`why the quick preset cannot show it: ${reason}`);
    }
  }, 300_000);

  it("runs each chosen experiment and writes summary.json, the Markdown summary and the HTML report", () => {
    expect(tour.rows.map((r) => r.experiment)).toEqual(["fgsm-sweep", "interpolation"]);
    expect(tour.failed).toEqual([]);
    for (const r of tour.rows) {
      expect(r.status).toBe("complete");
      expect(typeof r.reproduced).toBe("boolean");
      expect(r.measured).not.toBeNull();
    }
    const onDisk = JSON.parse(readFileSync(join(outDir, "summary.json"), "utf8")) as TourSummary;
    expect(onDisk.rows).toEqual(tour.rows);
    const md = readFileSync(join(outDir, "report", "summary.md"), "utf8");
    for (const r of tour.rows) expect(md).toContain(`| ${r.experiment} |`);
    // every figure is written as SVG and PNG next to the report
    for (const name of ["fgsm-sweep-fgsm-error", "interpolation-interpolation-train-loss"]) {
      expect(existsSync(join(outDir, "report", "figures", `${name}.svg`))).toBe(true);
      expect(existsSync(join(outDir, "report", "figures", `${name}.png`))).toBe(true);
    }
  });

  it.skipIf(!existsSync(CHROMIUM))("the report opens in headless Chromium: figures and images present, no error, table equals summary.json", async () => {
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("requestfailed", (r) => errors.push(`failed to load ${r.url()}`));
      await page.goto(pathToFileURL(join(outDir, "report", "index.html")).href, { waitUntil: "load" });
      const state = await page.evaluate(() => ({
        figures: Array.from(document.querySelectorAll("figure[data-figure]")).map((f) => {
          const svg = f.querySelector("svg");
          const box = svg?.getBoundingClientRect();
          return { id: f.getAttribute("data-figure"), width: box?.width ?? 0, height: box?.height ?? 0, marks: svg?.querySelectorAll("path, rect, circle").length ?? 0 };
        }),
        images: Array.from(document.images).map((img) => ({ src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0 })),
        rows: Array.from(document.querySelectorAll("table.verdicts tbody tr")).map((tr) => ({
          experiment: tr.getAttribute("data-experiment"),
          reproduced: tr.getAttribute("data-reproduced"),
          measured: tr.getAttribute("data-measured"),
          threshold: tr.getAttribute("data-threshold"),
        })),
      }));
      expect(errors).toEqual([]);
      expect(state.figures.map((f) => f.id)).toEqual(["fgsm-error", "interpolation-train-loss", "interpolation-test-error"]);
      for (const f of state.figures) {
        expect(f.width).toBeGreaterThan(200);
        expect(f.height).toBeGreaterThan(100);
        expect(f.marks).toBeGreaterThan(5);
      }
      expect(state.images.length).toBe(3); // the FGSM triplets of softmax, mlp and cnn
      expect(state.images.every((i) => i.ok)).toBe(true);
      expect(state.rows).toEqual(tour.rows.map((r) => ({ experiment: r.experiment, reproduced: String(r.reproduced), measured: String(r.measured), threshold: String(r.threshold) })));
    } finally {
      await browser.close();
    }
  });
});
