/**
 * The lab's data path and in-memory runs, in Node: the bundle builder's IDX files read back through FetchDataSource
 * equal the source examples; the link format round-trips; an in-memory run gives the numbers a folder run gives.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildLabData } from "../../scripts/build-lab-data.js";
import { FetchDataSource } from "../../src/data/fetch-source.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { classCounts } from "../../src/data/dataset.js";
import { decodeHash, encodeHash } from "../../web/src/hash.js";
import { parseNumberList } from "../../web/src/form-values.js";
import { runInMemory } from "../../src/run/memory-run.js";
import { runExperiment } from "../../src/run/runner.js";
import { resolveConfig } from "../../src/run/config.js";
import { baseline } from "../../src/phenomena/baseline/baseline.js";
import { initTestBackend } from "../backend.js";

/** A fetch over a folder, as the page's fetch is over the served one. */
function fileFetch(root: string) {
  return async (url: string) => {
    const path = join(root, url.replace(/^lab:\/\//, ""));
    try {
      const bytes = readFileSync(path);
      return { ok: true, status: 200, arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), json: async () => JSON.parse(bytes.toString("utf8")) as unknown };
    } catch {
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0), json: async () => null };
    }
  };
}

describe("lab data bundle", () => {
  it("holds a class-stratified subset of MNIST whose every image is an image of the full set, read back exactly", async () => {
    const out = mkdtempSync(join(tmpdir(), "quirklab-labdata-"));
    const index = await buildLabData(out, { train: 200, test: 50 });
    const mnist = index.datasets.find((d) => d.name === "mnist")!;
    expect(mnist).toMatchObject({ train: 200, test: 50 });
    const source = new FetchDataSource("lab://", fileFetch(out));
    expect(await source.available()).toContain("mnist");
    const train = await source.load("mnist", "train");
    expect(train.n).toBe(200);
    expect(train.shape).toEqual([28, 28, 1]);
    expect(classCounts(train)).toEqual(new Array(10).fill(20));
    // each bundled image equals some image of the full training set with the same label
    const full = await new NodeDataSource().load("mnist", "train");
    const key = (x: Float32Array, i: number) => Array.from(x.subarray(i * 784 + 300, i * 784 + 340), (v) => Math.round(v * 255)).join(",");
    const fullKeys = new Map<string, number>();
    for (let i = 0; i < full.n; i++) fullKeys.set(key(full.x, i), full.y[i]!);
    for (let i = 0; i < train.n; i += 17) expect(fullKeys.get(key(train.x, i))).toBe(train.y[i]);
    await expect(source.load("cifar", "train")).rejects.toThrow(/not in the lab's data bundle/);
    await expect(new FetchDataSource("lab://nowhere/", fileFetch(out)).available()).rejects.toThrow(/HTTP 404/);
  });
});

describe("lab links", () => {
  it("round-trip experiment, seed, backend and config; report what they cannot read", () => {
    const location = { experiment: "fgsm-sweep", seed: 7, backend: "wasm", config: { attack: { epsilons: [0.05, 0.2] }, name: "a&b=c#d" } };
    expect(decodeHash(encodeHash(location))).toEqual({ ...location, errors: [] });
    const bad = decodeHash("#permuted?seed=-1&config=%7Bnot");
    expect(bad.experiment).toBe("permuted");
    expect(bad.seed).toBeUndefined();
    expect(bad.errors).toHaveLength(2);
    expect(decodeHash("")).toEqual({ errors: [] });
  });

  it("reads the form's comma-separated number lists, and names what is not a number", () => {
    expect(parseNumberList("0.01, 0.1 0.25", false)).toEqual([0.01, 0.1, 0.25]);
    expect(() => parseNumberList("1, 2.5", true)).toThrow(/"2.5" is not an integer/);
    expect(() => parseNumberList("1, x", false)).toThrow(/"x" is not a number/);
  });
});

describe("in-memory runs (the lab's runner)", () => {
  it("give the numbers a run folder gives for the same config and seed", async () => {
    const backend = await initTestBackend();
    const data = new NodeDataSource();
    const sets = ["data.trainSize=300", "data.testSize=100", "train.epochs=2", "model.hidden=[16]"];
    const dir = mkdtempSync(join(tmpdir(), "quirklab-memrun-"));
    const folder = await runExperiment({ experiment: "baseline", preset: "quick", sets, seed: 3, runsDir: dir, backend, data, report: false });
    const config = resolveConfig(baseline, { preset: "quick", sets }) as Record<string, unknown>;
    const events: string[] = [];
    const memory = await runInMemory(baseline, config, { seed: 3, backend, data, onEvent: (e) => events.push(e.type) });
    expect(memory.metrics).toEqual(folder.metrics);
    expect(events).toContain("epoch");
    await expect(runInMemory(baseline, { ...config, train: { epochs: -1 } }, { seed: 3, backend, data })).rejects.toThrow(/train\.epochs/);
  });
});

describe("drawn digits", () => {
  it("are framed like MNIST: ink fits 20x20 and its centre of mass sits at the centre", async () => {
    const { mnistFrame, downsample } = await import("../../web/src/digit.js");
    // a small off-centre bar, drawn on a 224 x 224 pad
    const pad = new Float32Array(224 * 224);
    for (let y = 10; y < 70; y++) for (let x = 150; x < 165; x++) pad[y * 224 + x] = 1;
    const framed = mnistFrame(downsample(pad, 224, 28), 28);
    let mass = 0, cx = 0, cy = 0, top = 28, bottom = -1;
    framed.forEach((v, i) => {
      mass += v;
      cx += v * (i % 28);
      cy += v * Math.floor(i / 28);
      if (v > 0.05) {
        top = Math.min(top, Math.floor(i / 28));
        bottom = Math.max(bottom, Math.floor(i / 28));
      }
    });
    expect(Math.abs(cx / mass - 13.5)).toBeLessThan(1);
    expect(Math.abs(cy / mass - 13.5)).toBeLessThan(1);
    expect(bottom - top + 1).toBeGreaterThanOrEqual(19);
    expect(bottom - top + 1).toBeLessThanOrEqual(21);
    expect(mnistFrame(new Float32Array(28 * 28), 28).every((v) => v === 0)).toBe(true);
  });
});
