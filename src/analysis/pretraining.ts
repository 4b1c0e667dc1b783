/**
 * Greedy layer-wise pre-training with denoising autoencoders (Vincent et al. 2008; Erhan et al. 2010): hidden layer k
 * of an MLP is trained, alone, to reconstruct its own clean input from a corrupted copy, where that input is what
 * the already pre-trained layers below make of the training images. The encoder *is* the MLP's layer (the same
 * variables), so when the stack is done the MLP starts supervised training from the pre-trained weights.
 */
import { z } from "zod";
import { tf } from "../engine/tf.js";
import type { Rng } from "../core/rng.js";
import { featureSize, makeDataset, type Dataset } from "../data/dataset.js";
import { Activation, Dense } from "../models/layers.js";
import { parseInit } from "../models/init.js";
import { Sequential } from "../models/sequential.js";
import type { Batch } from "../training/batches.js";
import { train, type TrainPlugin } from "../training/loop.js";
import { trainSpecWith, type TrainConfig } from "../training/schema.js";

export const denoisingSpec = z.strictObject({
  /** Masking noise: each input value is set to 0 with this probability (Vincent et al.'s corruption). */
  corruption: z.number().min(0).max(0.95).default(0.25),
  /**
   * Reconstruction training of each layer. Our sigmoid-bce averages over the 784 inputs rather than summing them as
   * Vincent et al. did, so plain SGD would see gradients 784 times smaller; Adam is blind to that scale.
   */
  train: trainSpecWith({ optimizer: "adam", lr: 0.001, batchSize: 32, epochs: 10, loss: "sigmoid-bce", divergenceFactor: 0 }).prefault({}),
});

export type DenoisingConfig = z.output<typeof denoisingSpec>;

/** Replaces each batch's inputs by a masked copy; the target stays the clean input. */
export function maskingNoise(fraction: number, rng: Rng): TrainPlugin {
  return {
    name: "masking-noise",
    beforeBatch(_state, batch: Batch): Batch {
      const x = batch.x.dataSync();
      const masked = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) masked[i] = rng.next() < fraction ? 0 : x[i]!;
      return { x: tf.tensor2d(masked, batch.x.shape as [number, number]), y: tf.clone(batch.y), indices: batch.indices };
    },
  };
}

/** Hidden layers of an MLP built by models/builders (Dense, Activation[, Dropout] per layer, then the output Dense). */
function hiddenLayers(model: Sequential): { dense: Dense; activation: Activation; end: number }[] {
  const out: { dense: Dense; activation: Activation; end: number }[] = [];
  model.layers.forEach((layer, i) => {
    const next = model.layers[i + 1];
    if (layer instanceof Dense && next instanceof Activation) out.push({ dense: layer, activation: next, end: i + 2 });
  });
  return out;
}

/** What the first `upTo` layers of the model output for every example, as a dataset of vectors (labels kept). */
function representation(model: Sequential, data: Dataset, upTo: number, chunk = 1000): Dataset {
  const width = upToShape(model, upTo)[0]!;
  const out = new Float32Array(data.n * width);
  const size = featureSize(data);
  for (let start = 0; start < data.n; start += chunk) {
    const end = Math.min(data.n, start + chunk);
    const h = tf.tidy(() => {
      let a = model.shapeInput(tf.tensor2d(data.x.subarray(start * size, end * size), [end - start, size]));
      for (const layer of model.layers.slice(0, upTo)) a = layer.forward(a, layer.params.map((p) => p.variable), { training: false });
      return a.dataSync() as Float32Array;
    });
    out.set(h, start * width);
  }
  return makeDataset(`${data.name}|layers(${upTo})`, out, data.y, [width], data.classes);
}

function inUnitInterval(values: Float32Array): boolean {
  for (const v of values) if (!(v >= 0 && v <= 1)) return false;
  return true;
}

function upToShape(model: Sequential, count: number): number[] {
  let shape = model.inputShape;
  for (const layer of model.layers.slice(0, count)) shape = layer.outputShape(shape);
  return shape;
}

export interface LayerPretraining {
  layer: string;
  /** Mean reconstruction loss per input value, on corrupted inputs, per epoch. */
  loss: number[];
  /** "sigmoid-bce" for inputs in [0, 1], "mse" otherwise. */
  lossKind: TrainConfig["loss"];
}

export interface PretrainOptions {
  /** Draws the decoders' initial weights. */
  init: Rng;
  /** Draws the order of the examples. */
  order: Rng;
  /** Draws the masking noise. */
  noise: Rng;
  /** Decoder initializer (the encoder is the model's own, already initialized layer). */
  decoderInit?: string;
  signal?: AbortSignal;
  onLayer?: (index: number, total: number) => void;
}

/** Pre-trains every hidden layer of `model` in place, bottom up, on the inputs of `data` (labels unused). */
export async function pretrainDenoising(model: Sequential, data: Dataset, config: DenoisingConfig, options: PretrainOptions): Promise<LayerPretraining[]> {
  const layers = hiddenLayers(model);
  if (layers.length === 0) throw new RangeError("pretrainDenoising: the model has no hidden Dense + Activation layer to pre-train");
  const results: LayerPretraining[] = [];
  let previousEnd = 0;
  for (const [k, { dense, activation, end }] of layers.entries()) {
    const input = previousEnd === 0 ? data : representation(model, data, previousEnd);
    // Cross-entropy reconstruction for values in [0, 1] (pixels, sigmoid units), squared error otherwise (tanh, ReLU
    // units), as Vincent et al. 2010 do for real-valued inputs.
    const trainConfig: TrainConfig = { ...config.train, loss: inUnitInterval(input.x) ? "sigmoid-bce" : "mse" };
    const decoder = new Dense(`${dense.name}/decoder`, dense.units, dense.inputs, parseInit(options.decoderInit ?? "xavier"), options.init);
    const autoencoder = new Sequential([dense, activation, decoder], [dense.inputs]);
    try {
      const result = await train(autoencoder, input, trainConfig, {
        order: options.order,
        plugins: [maskingNoise(config.corruption, options.noise)],
        ...(options.signal ? { signal: options.signal } : {}),
      });
      results.push({ layer: dense.name, loss: result.history.map((h) => h.trainLoss), lossKind: trainConfig.loss });
    } finally {
      for (const p of decoder.params) p.variable.dispose();
    }
    previousEnd = end;
    options.onLayer?.(k + 1, layers.length);
  }
  return results;
}
