import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { initTestBackend } from "../backend.js";
import { Rng } from "../../src/core/rng.js";
import { fromArtifacts } from "../../src/models/io.js";

function maxDiff(a: tf.Tensor, b: tf.Tensor) {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** A tfjs-layers model's artifacts, as tfjs (and Keras 2's tensorflowjs converter) write them. */
async function artifactsOf(seq: tf.LayersModel) {
  const saved = await new Promise<tf.io.ModelArtifacts>((resolve) => {
    void seq.save(tf.io.withSaveHandler(async (artifacts) => {
      resolve(artifacts);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }));
  });
  return { json: { format: "layers-model", generatedBy: "test", convertedBy: null, modelTopology: saved.modelTopology, weightsManifest: [{ paths: ["w"], weights: saved.weightSpecs }] }, weights: new Uint8Array(saved.weightData as ArrayBuffer) };
}

/** Gives every batch normalization non-trivial moving statistics, so folding them is tested, not skipped. */
function randomizeBatchNorms(seq: tf.Sequential, rng: Rng) {
  for (const layer of seq.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    // the moving variance is the last weight (gamma and beta are absent when scale or center is off): keep it positive
    const weights = layer.getWeights();
    layer.setWeights(weights.map((w, i) => tf.tensor(Float32Array.from({ length: w.size }, () => (i === weights.length - 1 ? 0.5 + rng.next() : rng.normal(0, 0.5))), w.shape)));
  }
}

describe("model import (tfjs layers format: tfjs, Keras 2 and Keras 3 converters)", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("folds batch normalization into the layer before it and reads average pooling and reshape: same outputs", async () => {
    const rng = new Rng(11);
    const seq = tf.sequential({
      layers: [
        tf.layers.reshape({ inputShape: [784], targetShape: [28, 28, 1] }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", useBias: false }),
        tf.layers.batchNormalization({ epsilon: 1e-3 }),
        tf.layers.activation({ activation: "relu" }),
        tf.layers.averagePooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 16 }),
        tf.layers.batchNormalization({ center: false }),
        tf.layers.activation({ activation: "tanh" }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 10, activation: "softmax" }),
      ],
    });
    randomizeBatchNorms(seq, rng);
    const { json, weights } = await artifactsOf(seq);
    const { model, droppedSoftmax } = fromArtifacts(json as never, weights);
    expect(droppedSoftmax).toBe(true);
    expect(model.layers.map((l) => l.kind)).toEqual(["Reshape", "Conv2D", "Activation", "AvgPool2D", "Flatten", "Dense", "Activation", "Dropout", "Dense"]);
    const x = tf.tensor2d(Float32Array.from({ length: 5 * 784 }, () => rng.next()), [5, 784]);
    expect(maxDiff(tf.softmax(model.predict(x)), seq.predict(x) as tf.Tensor)).toBeLessThan(1e-5);
    model.dispose();
    seq.dispose();
  });

  it("reads a Keras 3 converter's model.json: InputLayer batch_shape, dtype policies, prefixed weight names", () => {
    // written in the layout tensorflowjs' converter gives a Keras 3 Sequential model (keras 3.x, `module`, `registered_name`,
    // `build_config`, DTypePolicy objects, weights named by their path in the model)
    const policy = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };
    const json = {
      format: "layers-model",
      generatedBy: "keras v3.6.0",
      convertedBy: "TensorFlow.js Converter v4.22.0",
      modelTopology: {
        class_name: "Sequential",
        config: {
          name: "sequential",
          trainable: true,
          dtype: policy,
          layers: [
            { module: "keras.layers", class_name: "InputLayer", config: { batch_shape: [null, 4], dtype: "float32", sparse: false, name: "input_layer" }, registered_name: null },
            { module: "keras.layers", class_name: "Dense", config: { name: "dense", trainable: true, dtype: policy, units: 3, activation: "relu", use_bias: true }, registered_name: null, build_config: { input_shape: [null, 4] } },
            { module: "keras.layers", class_name: "Dense", config: { name: "dense_1", trainable: true, dtype: policy, units: 2, activation: "softmax", use_bias: true }, registered_name: null, build_config: { input_shape: [null, 3] } },
          ],
          build_input_shape: [null, 4],
        },
        keras_version: "3.6.0",
        backend: "tensorflow",
      },
      weightsManifest: [
        {
          paths: ["group1-shard1of1.bin"],
          weights: [
            { name: "sequential/dense/kernel", shape: [4, 3], dtype: "float32" },
            { name: "sequential/dense/bias", shape: [3], dtype: "float32" },
            { name: "sequential/dense_1/kernel", shape: [3, 2], dtype: "float32" },
            { name: "sequential/dense_1/bias", shape: [2], dtype: "float32" },
          ],
        },
      ],
    };
    const w1 = [1, -1, 0, 0, 2, 0, 0, 0, 1, 0.5, 0.5, 0.5];
    const b1 = [0, 0.1, -5];
    const w2 = [1, 0, 0, 1, 3, 3];
    const b2 = [0.25, -0.25];
    const { model, droppedSoftmax } = fromArtifacts(json as never, new Uint8Array(Float32Array.from([...w1, ...b1, ...w2, ...b2]).buffer));
    expect(droppedSoftmax).toBe(true);
    // x = [1, 2, 3, 4]: x W1 = [3, 5, 5], + b1 = [3, 5.1, 0], relu keeps it; logits = [3, 5.1] + b2 = [3.25, 4.85]
    const logits = model.predict(tf.tensor2d([[1, 2, 3, 4]])).dataSync();
    expect(logits[0]).toBeCloseTo(3.25, 5);
    expect(logits[1]).toBeCloseTo(4.85, 5);
    model.dispose();
  });

  it("refuses what it cannot fold or represent, naming the layer", async () => {
    const afterRelu = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "relu" }), tf.layers.batchNormalization(), tf.layers.dense({ units: 2 })] });
    const a = await artifactsOf(afterRelu);
    expect(() => fromArtifacts(a.json as never, a.weights)).toThrow(/\(BatchNormalization\) follows dense_\w+'s relu activation/);
    const elu = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "elu" }), tf.layers.dense({ units: 2 })] });
    const e = await artifactsOf(elu);
    expect(() => fromArtifacts(e.json as never, e.weights)).toThrow(/layer dense_\w+_activation: unsupported activation "elu"/);
    const overlapping = tf.sequential({ layers: [tf.layers.averagePooling2d({ inputShape: [4, 4, 1], poolSize: 2, strides: 1 }), tf.layers.flatten(), tf.layers.dense({ units: 2 })] });
    const o = await artifactsOf(overlapping);
    expect(() => fromArtifacts(o.json as never, o.weights)).toThrow(/only non-overlapping valid pooling/);
    for (const m of [afterRelu, elu, overlapping]) m.dispose();
  });
});
