/**
 * `npm run bench:lab`: the training throughput of workload (a) (MLP 784-256-256-10, batch 128) in the browser lab's
 * worker, on wasm and on webgl, in Debian's headless chromium (--disable-gpu: WebGL is SwiftShader, software), against
 * the same workload in this Node process on wasm and native, measured in the same run. Prints examples/s and ratios.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { buildLab, labBuildReason, PACKAGE_ROOT, serveStatic } from "../src/cli/lab.js";
import { initBackend, type BackendChoice } from "../src/engine/backend.js";
import { nodeNativeProvider } from "../src/engine/native.js";
import { tf } from "../src/engine/tf.js";
import { makeWorkload } from "../src/training/workloads.js";

const SECONDS = Number(process.env.QUIRKLAB_BENCH_SECONDS ?? 5);
const CHROMIUM = "/usr/bin/chromium";

async function nodeThroughput(choice: BackendChoice): Promise<number | null> {
  try {
    await initBackend(choice, nodeNativeProvider());
  } catch {
    return null;
  }
  const workload = makeWorkload("a");
  for (let i = 0; i < 3; i++) workload.step();
  const start = performance.now();
  let steps = 0;
  while (performance.now() - start < SECONDS * 1000) {
    workload.step();
    steps++;
  }
  const rate = (steps * workload.batch) / ((performance.now() - start) / 1000);
  workload.dispose();
  return rate;
}

if (!existsSync(CHROMIUM)) {
  console.log(`bench:lab skipped: ${CHROMIUM} is missing (apt-get install chromium)`);
  process.exit(0);
}
if (labBuildReason()) buildLab(PACKAGE_ROOT, console.log);
const { server, url } = await serveStatic(join(PACKAGE_ROOT, "web", "dist"), 0);
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
const rows: { where: string; rate: number | null; note: string }[] = [];
try {
  for (const backend of ["wasm", "webgl"]) {
    const page = await browser.newPage();
    await page.goto(`${url}#baseline?seed=1&backend=${backend}`);
    await page.waitForSelector("[data-backend]:not([data-backend=''])", { timeout: 60_000 });
    const actual = await page.getAttribute("[data-backend]", "data-backend");
    await page.click('button[data-action="throughput"]');
    await page.waitForSelector(".throughput[data-examples-per-second]:not([data-examples-per-second=''])", { timeout: 120_000 });
    const rate = Number(await page.getAttribute(".throughput", "data-examples-per-second"));
    rows.push({ where: `chromium worker, ${backend}`, rate: actual === backend ? rate : null, note: actual === backend ? "" : `the page fell back to ${actual}` });
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
}
const nodeWasm = await nodeThroughput("wasm");
rows.push({ where: "node, wasm (baseline)", rate: nodeWasm, note: "" });
rows.push({ where: "node, native", rate: await nodeThroughput("native"), note: "" });
console.log(`\nworkload (a): MLP 784-256-256-10, batch 128, train step; ${SECONDS} s each, tfjs ${tf.version.tfjs}`);
for (const r of rows) {
  const ratio = r.rate && nodeWasm ? (r.rate / nodeWasm).toFixed(2) : "-";
  console.log(`${r.where.padEnd(28)} ${r.rate ? `${Math.round(r.rate).toLocaleString("en").padStart(8)} examples/s` : "     n/a".padEnd(20)}  x${ratio} vs node wasm ${r.note}`);
}
process.exit(0);
