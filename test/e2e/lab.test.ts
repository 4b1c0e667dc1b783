/**
 * The browser lab end to end: the built lab served on 127.0.0.1 by `quirklab lab`'s server, driven by Debian's
 * chromium through playwright-core. The page loads without a console error, the adversarial and forgetting panels
 * run their quick experiments to a verdict in the page's worker, the FGSM slider recomputes, the URL hash
 * round-trips a config, and a screenshot of each panel is saved under out/lab/.
 * Runs once (in the wasm pass of `npm test`): the page chooses its own backend, whatever the suite's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { buildLab, labBuildReason, PACKAGE_ROOT, serveStatic } from "../../src/cli/lab.js";
import { join } from "node:path";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = join(PACKAGE_ROOT, "out", "lab");
const skip = !existsSync(CHROMIUM) || process.env.QUIRKLAB_TEST_BACKEND === "native";

describe.skipIf(skip)("browser lab", () => {
  let server: Server;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    if (labBuildReason()) await buildLab();
    ({ server, url } = await serveStatic(join(PACKAGE_ROOT, "web", "dist"), 0));
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(hash = ""): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("requestfailed", (r) => errors.push(`failed to load ${r.url()}`));
    await page.goto(url + hash);
    await page.waitForSelector("[data-backend]:not([data-backend=''])", { timeout: 60_000 });
    return { page, errors };
  }

  it("loads with no console error, on webgl or wasm, and shows every property's panel", async () => {
    const { page, errors } = await open();
    const backend = await page.getAttribute("[data-backend]", "data-backend");
    expect(["webgl", "wasm"]).toContain(backend);
    const tabs = await page.$$eval("nav button", (b) => b.map((x) => x.getAttribute("data-property")));
    expect(tabs).toEqual(["visualization", "adversarial", "loss-landscape", "sharpness", "memorization", "initialization", "forgetting", "double-descent", "lottery-tickets", "mode-connectivity", "grokking", "neural-collapse", "edge-of-stability", "linear-probes", "foundation", "inspect"]);
    for (const property of tabs) {
      await page.click(`nav button[data-property="${property}"]`);
      await page.waitForSelector(`section[data-panel="${property}"] select[name="experiment"] option`, { state: "attached" });
      // every panel's form is built from its schema: at least the data fields are there (inspect draws one set)
      expect(await page.$(`section[data-panel="${property}"] [name="${property === "inspect" ? "data.size" : "data.trainSize"}"]`)).not.toBeNull();
      await page.screenshot({ path: join(SHOTS, `${property}.png`), fullPage: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("runs the adversarial panel's quick FGSM sweep to a verdict, then the epsilon slider recomputes the attack", async () => {
    const { page, errors } = await open("#fgsm-sweep?seed=1&preset=quick&backend=wasm");
    expect(await page.$eval('select[name="experiment"]', (s) => (s as HTMLSelectElement).value)).toBe("fgsm-sweep");
    await page.click('button[data-action="run"]');
    await page.waitForSelector(".live-chart", { timeout: 60_000 }); // learning curves while the models train
    await page.waitForSelector("[data-verdict]", { timeout: 300_000 });
    expect(["reproduced", "not-reproduced"]).toContain(await page.getAttribute("[data-verdict]", "data-verdict"));
    expect(await page.$$eval("figure.chart svg", (s) => s.length)).toBeGreaterThan(0);
    // Goodfellow et al.'s figures beside this run's: one row per figure the claim declares
    expect(await page.$$eval("table[data-paper-figures] tr", (rows) => rows.length)).toBe(1 + 6);
    expect(await page.textContent("table[data-paper-figures]")).toContain("89.4%");
    await page.waitForSelector('canvas.triplets[data-epsilon="0.1"]', { timeout: 60_000 });
    await page.$eval('input[name="epsilon"]', (el) => {
      const input = el as HTMLInputElement;
      input.value = "0.25";
      input.dispatchEvent(new Event("change"));
    });
    await page.waitForSelector('canvas.triplets[data-epsilon="0.25"]', { timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, "adversarial-run.png"), fullPage: true });
    // exports: the result as JSON (the verdict the page shows), a figure as SVG and as PNG
    const [json] = await Promise.all([page.waitForEvent("download"), page.click('button[data-action="export-json"]')]);
    const exported = JSON.parse(readFileSync((await json.path())!, "utf8")) as { experiment: string; verdict: { reproduced: boolean }; metrics: Record<string, number> };
    expect(exported.experiment).toBe("fgsm-sweep");
    expect(exported.verdict.reproduced ? "reproduced" : "not-reproduced").toBe(await page.getAttribute("[data-verdict]", "data-verdict"));
    expect(Object.keys(exported.metrics).length).toBeGreaterThan(5);
    const [svg] = await Promise.all([page.waitForEvent("download"), page.click("figure.chart button:text('SVG')")]);
    expect(readFileSync((await svg.path())!, "utf8")).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const [png] = await Promise.all([page.waitForEvent("download"), page.click("figure.chart button:text('PNG')")]);
    expect(readFileSync((await png.path())!).subarray(1, 4).toString()).toBe("PNG");
    expect(errors).toEqual([]);
    await page.close();
  }, 420_000);

  it("runs the forgetting panel's quick experiment to a verdict, the accuracy matrix growing task by task", async () => {
    const { page, errors } = await open("#permuted?seed=1&preset=quick&backend=wasm");
    await page.click('button[data-action="run"]');
    await page.waitForSelector("table[data-matrix]", { timeout: 240_000 });
    await page.waitForSelector("[data-verdict]", { timeout: 400_000 });
    expect(["reproduced", "not-reproduced"]).toContain(await page.getAttribute("[data-verdict]", "data-verdict"));
    const matrices = await page.$$eval("table[data-matrix]", (t) => t.map((x) => x.querySelectorAll("tbody tr").length));
    expect(matrices.length).toBeGreaterThan(1); // one per strategy
    expect(Math.min(...matrices)).toBeGreaterThan(1); // a row per task trained
    await page.screenshot({ path: join(SHOTS, "forgetting-run.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 480_000);

  it("looks inside: after the black-box panel's quick run, a drawn digit and a test digit show every layer and a prediction", async () => {
    const { page, errors } = await open("#units-vs-directions?seed=1&preset=quick&backend=wasm");
    await page.click('button[data-action="run"]');
    await page.waitForSelector("[data-verdict]", { timeout: 300_000 });
    await page.waitForSelector(".inspection[data-predicted]", { timeout: 60_000 }); // the first test digit
    expect(await page.textContent(".inspection")).toMatch(/label \d/);
    const layers = await page.$$eval(".inspection .layer", (l) => l.length);
    expect(layers).toBeGreaterThanOrEqual(5); // input, saliency, hidden layers, output, prediction
    // draw a "1": one vertical stroke on the pad
    await page.$eval(".inspection", (el) => el.removeAttribute("data-predicted"));
    const box = (await page.$("canvas[data-pad]"))!;
    // mouse coordinates are the viewport's: a pad below the fold would receive nothing
    await box.scrollIntoViewIfNeeded();
    const b = (await box.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * 0.15);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(b.x + b.width * 0.5, b.y + b.height * (0.15 + 0.07 * k));
    await page.mouse.up();
    await page.waitForSelector(".inspection[data-predicted]", { timeout: 30_000 });
    expect(await page.textContent(".inspection")).toContain("your drawing");
    await page.screenshot({ path: join(SHOTS, "visualization-inspect.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 420_000);

  it("fills the 2-D loss surface cell by cell in the non-convex panel (a small grid from a partial link)", async () => {
    const config = { data: { trainSize: 500, testSize: 200 }, smallEpochs: 3, largeEpochs: 6, grid: { points: 5, examples: 500 } };
    const { page, errors } = await open(`#surface-2d?seed=1&preset=quick&backend=wasm&config=${encodeURIComponent(JSON.stringify(config))}`);
    expect(await page.$eval('[name="grid.points"]', (i) => (i as HTMLInputElement).value)).toBe("5");
    expect(await page.$eval('[name="smallBatch"]', (i) => (i as HTMLInputElement).value)).toBe("32"); // from the preset
    await page.click('button[data-action="run"]');
    await page.waitForSelector('figure[data-surface="small batch"][data-cells="25"]', { timeout: 180_000 });
    await page.waitForSelector("[data-verdict]", { timeout: 180_000 });
    expect(await page.$$eval("figure.live-surface", (f) => f.map((x) => x.getAttribute("data-cells")))).toEqual(["25", "25"]);
    expect(await page.$$eval("figure.chart[data-figure^='surface-']", (f) => f.length)).toBe(3);
    await page.screenshot({ path: join(SHOTS, "loss-landscape-surface.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 400_000);

  it("inspects a dropped model: an ONNX file from PyTorch, measured in the page's worker, every section reported", async () => {
    const config = {
      data: { size: 200 },
      robustness: { examples: 50, epsilons: [0, 0.1, 0.2], pgdSteps: 3, deepfoolExamples: 10 },
      curvature: { examples: 100, lanczosSteps: 5, hutchinsonSamples: 3, keskarSteps: 2, linePoints: 5, surfacePoints: 3 },
      saliency: { examples: 4, smoothGradSamples: 4 },
      units: { randomDirections: 5 },
    };
    const { page, errors } = await open(`#inspect?seed=1&preset=quick&backend=wasm&config=${encodeURIComponent(JSON.stringify(config))}`);
    await page.waitForSelector("[data-dropzone]");
    await page.setInputFiles('input[name="model-files"]', join(PACKAGE_ROOT, "test", "fixtures", "onnx", "mlp.onnx"));
    await page.waitForSelector('[data-model-loaded="mlp.onnx"]', { timeout: 60_000 });
    expect(await page.textContent("[data-model-loaded]")).toContain("pytorch");
    await page.click('button[data-action="run"]');
    await page.waitForSelector('[data-verdict="none"]', { timeout: 300_000 });
    const findings = await page.$$eval("[data-finding]", (f) => f.map((x) => x.getAttribute("data-finding")));
    expect(findings).toEqual(["Accuracy", "Calibration", "Robustness", "Curvature", "What it looks at", "How much of it is needed", "Comparison"]);
    expect(await page.textContent('[data-finding="Comparison"]')).toContain("could not be trained");
    const figures = await page.$$eval("figure.chart", (f) => f.map((x) => x.getAttribute("data-figure")));
    expect(figures).toEqual(expect.arrayContaining(["confusion", "reliability", "robustness", "loss-slice", "pruning"]));
    expect(await page.$$eval(".images img", (i) => i.length)).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, "inspect-run.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 400_000);

  it("round-trips a config through the URL hash", async () => {
    const config = { attack: { epsilons: [0.05, 0.2] } };
    const { page, errors } = await open(`#fgsm-sweep?seed=7&preset=quick`);
    // a link names a whole config; start from the quick preset's, change one list, and open it
    const base = await page.evaluate(() => decodeURIComponent(location.hash));
    expect(base).toContain("fgsm-sweep");
    const full = JSON.parse(new URLSearchParams(base.slice(base.indexOf("?") + 1)).get("config") ?? "null") ?? (await page.$eval("quirk-form", (f) => (f as unknown as { value: unknown }).value));
    const linked = { ...full, attack: { ...full.attack, ...config.attack } };
    await page.goto(`${url}#fgsm-sweep?seed=7&config=${encodeURIComponent(JSON.stringify(linked))}`);
    await page.reload();
    await page.waitForSelector('[name="attack.epsilons"]');
    expect(await page.$eval('input[name="seed"]', (i) => (i as HTMLInputElement).value)).toBe("7");
    expect(await page.$eval('[name="attack.epsilons"]', (i) => (i as HTMLInputElement).value)).toBe("0.05, 0.2");
    // an edit in the form goes into the hash, and the reloaded page shows it
    await page.fill('[name="train.epochs"]', "3");
    await page.press('[name="train.epochs"]', "Tab");
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes('"epochs":3'));
    await page.reload();
    await page.waitForSelector('[name="train.epochs"]');
    expect(await page.$eval('[name="train.epochs"]', (i) => (i as HTMLInputElement).value)).toBe("3");
    expect(await page.$eval('[name="attack.epsilons"]', (i) => (i as HTMLInputElement).value)).toBe("0.05, 0.2");
    expect(errors).toEqual([]);
    await page.close();
  });
});
