import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { initTestBackend } from "../backend.js";
import { Rng } from "../../src/core/rng.js";
import { buildModel, mlpSpec, cnnSpec, autoencoderSpec } from "../../src/models/builders.js";
import { fromArtifacts, toArtifacts } from "../../src/models/io.js";
import { loadModel } from "../../src/models/load.js";
import { DataError } from "../../src/core/errors.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initValues, initVariance, parseInit } from "../../src/models/init.js";
import { filterIndices, filterNorms, flatLayout } from "../../src/engine/flat.js";
import type { Sequential } from "../../src/models/sequential.js";

const shape = { input: [28, 28, 1], classes: 10 };

function inputs(n: number, rng: Rng) {
  return tf.tensor2d(Float32Array.from({ length: n * 784 }, () => rng.next()), [n, 784]);
}

function maxDiff(a: tf.Tensor, b: tf.Tensor) {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe("models", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("builds the same weights from the same init stream, different ones from another", () => {
    const spec = mlpSpec.parse({ kind: "mlp", hidden: [32] });
    const a = buildModel(spec, shape, new Rng(1));
    const b = buildModel(spec, shape, new Rng(1));
    const c = buildModel(spec, shape, new Rng(2));
    expect(Array.from(a.getFlat())).toEqual(Array.from(b.getFlat()));
    expect(Array.from(a.getFlat())).not.toEqual(Array.from(c.getFlat()));
    [a, b, c].forEach((m) => m.dispose());
  });

  it("a disposed model leaves no tensor behind (its initial values included)", () => {
    const before = tf.memory().numTensors;
    for (const spec of [mlpSpec.parse({ hidden: [8, 4] }), cnnSpec.parse({ kind: "cnn", filters: [2], dense: [4] })]) buildModel(spec, shape, new Rng(1)).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("initializers hit their variance formulas", () => {
    const rng = new Rng(11);
    for (const text of ["he", "xavier", "standard", "he*3", "xavier*0.5", "normal(0.05)"]) {
      const spec = parseInit(text);
      const values = initValues(spec, 200_000, 300, 100, rng);
      const variance = values.reduce((acc, v) => acc + v * v, 0) / values.length;
      expect(Math.abs(variance / initVariance(spec, 300, 100) - 1)).toBeLessThan(0.02);
    }
    expect(initValues(parseInit("zero"), 10, 3, 3, rng).every((v) => v === 0)).toBe(true);
    expect(() => parseInit("lecun")).toThrow(/unknown initializer/);
    expect(() => parseInit("he*0")).toThrow(/unknown initializer/);
    expect(parseInit("Glorot * 2")).toEqual({ kind: "xavier", gain: 2 });
  });

  it("getFlat/setFlat round-trip and per-filter views follow the last axis", () => {
    const m = buildModel(mlpSpec.parse({ kind: "mlp", hidden: [8] }), shape, new Rng(1));
    const flat = m.getFlat();
    const doubled = flat.map((v) => v * 2);
    m.setFlat(doubled);
    expect(Array.from(m.getFlat())).toEqual(Array.from(doubled));
    const layout = flatLayout(m.params());
    expect(layout.map((s) => s.name)).toEqual(["dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"]);
    const kernel = layout[0]!;
    expect(kernel.filters).toBe(8);
    const idx = filterIndices(kernel, 3);
    const column = Array.from(idx, (i) => doubled[i]!);
    const fromTensor = Array.from(tf.tidy(() => m.params()[0]!.variable.slice([0, 3], [784, 1]).dataSync()));
    expect(column).toEqual(fromTensor);
    expect(filterNorms(doubled, kernel)[3]).toBeCloseTo(Math.hypot(...column), 3);
    m.dispose();
  });

  const variants: [string, () => Sequential][] = [
    ["MLP with dropout", () => buildModel(mlpSpec.parse({ kind: "mlp", hidden: [16, 8], dropout: 0.3, activation: "tanh" }), shape, new Rng(3))],
    ["LeNet-style CNN", () => buildModel(cnnSpec.parse({ kind: "cnn", filters: [4, 6], dense: [12] }), shape, new Rng(3))],
    ["autoencoder", () => buildModel(autoencoderSpec.parse({ kind: "autoencoder", encoder: [32, 8] }), shape, new Rng(3))],
  ];

  it.each(variants)("%s saves in tfjs layers format that tf.loadLayersModel reads with the same outputs", async (_name, make) => {
    const model = make();
    const { modelJson, weights } = toArtifacts(model);
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology as unknown as tf.io.ModelJSON["modelTopology"], weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: weights.slice().buffer }),
    );
    const x = inputs(5, new Rng(4));
    const ours = model.predict(x);
    const theirs = loaded.predict(tf.reshape(x, [5, ...model.inputShape])) as tf.Tensor;
    expect(maxDiff(ours, theirs)).toBeLessThan(1e-5);
    const back = fromArtifacts(JSON.parse(JSON.stringify(modelJson)), weights).model;
    expect(maxDiff(back.predict(x), ours)).toBe(0);
    expect(back.toString()).toBe(model.toString());
    loaded.dispose();
    tf.dispose([x, ours, theirs]);
    model.dispose();
    back.dispose();
  });

  it("loads a model built with tfjs-layers, dropping a final softmax", async () => {
    const seq = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 3, kernelSize: 3, activation: "relu", padding: "same" }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: "softmax" }),
      ],
    });
    const saved = await new Promise<tf.io.ModelArtifacts>((resolve) => {
      void seq.save(tf.io.withSaveHandler(async (artifacts) => {
        resolve(artifacts);
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
      }));
    });
    const modelJson = { format: "layers-model", generatedBy: "test", convertedBy: null, modelTopology: saved.modelTopology, weightsManifest: [{ paths: ["w"], weights: saved.weightSpecs }] };
    const { model, droppedSoftmax } = fromArtifacts(modelJson as never, new Uint8Array(saved.weightData as ArrayBuffer));
    expect(droppedSoftmax).toBe(true);
    const x = tf.reshape(inputs(3, new Rng(5)), [3, 28, 28, 1]);
    expect(maxDiff(tf.softmax(model.predict(x)), seq.predict(x) as tf.Tensor)).toBeLessThan(1e-5);
    model.dispose();
    seq.dispose();
  });

  it("refuses layer kinds it cannot represent, naming the layer", () => {
    const json = { format: "layers-model", generatedBy: "t", convertedBy: null, weightsManifest: [{ paths: [], weights: [] }], modelTopology: { class_name: "Sequential", config: { name: "s", layers: [{ class_name: "LSTM", config: { name: "lstm_1", batch_input_shape: [null, 4, 4] } }] } } };
    expect(() => fromArtifacts(json as never, new Uint8Array())).toThrow(/layer lstm_1: unsupported layer class LSTM/);
  });

  it("model files: a short or long weights file, a missing manifest, a non-numeric field each name the file and the field", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [8] }), shape, new Rng(1));
    const { modelJson, weights } = toArtifacts(model);
    const dir = mkdtempSync(join(tmpdir(), "quirklab-model-"));
    const save = (json: unknown, bytes: Uint8Array) => {
      writeFileSync(join(dir, "model.json"), JSON.stringify(json));
      writeFileSync(join(dir, "weights.bin"), bytes);
    };
    save(modelJson, weights);
    const loaded = loadModel(dir).model;
    const x = inputs(2, new Rng(3));
    expect(maxDiff(loaded.predict(x), model.predict(x))).toBe(0);
    loaded.dispose();
    save(modelJson, weights.subarray(0, weights.length - 6));
    expect(() => loadModel(dir)).toThrow(DataError);
    expect(() => loadModel(dir)).toThrow(/weights\.bin \(of .*model\.json\): \d+ bytes, shorter than the \d+ the manifest describes/);
    save(modelJson, new Uint8Array([...weights, 0, 0, 0, 0]));
    expect(() => loadModel(dir)).toThrow(/longer than the \d+ the manifest describes/);
    const { weightsManifest: _w, ...noManifest } = modelJson;
    save(noManifest, weights);
    expect(() => loadModel(dir)).toThrow(/model\.json: not a tfjs layers model: field weightsManifest/);
    const badUnits = structuredClone(modelJson);
    (badUnits.modelTopology.config.layers.find((l) => l.class_name === "Dense")!.config as Record<string, unknown>).units = "ten";
    save(badUnits, weights);
    expect(() => loadModel(dir)).toThrow(/layer .* \(Dense\): field units: .*number/);
    writeFileSync(join(dir, "model.json"), "{ not json");
    expect(() => loadModel(dir)).toThrow(/model\.json: not valid JSON/);
    expect(() => loadModel(join(dir, "missing"))).toThrow(/model file .*missing: not found/);
    model.dispose();
  });
});
