/** Model builders from serializable specs: the MLP, a LeNet-style CNN and a dense autoencoder. */
import { z } from "zod";
import type { Rng } from "../core/rng.js";
import { Activation, ACTIVATIONS, Conv2D, Dense, Dropout, Flatten, MaxPool2D, type ActivationName } from "./layers.js";
import { parseInit } from "./init.js";
import { Sequential } from "./sequential.js";
import type { Layer } from "../engine/module.js";

const initString = z.string().refine(
  (text) => {
    try {
      parseInit(text);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an initializer: "he", "xavier", "standard" (each may be scaled, e.g. "he*3"), "zero" or "normal(<sigma>)"' },
);

export const mlpSpec = z.strictObject({
  kind: z.literal("mlp").default("mlp"),
  hidden: z.array(z.number().int().min(1).max(65536)).max(64).default([256]),
  activation: z.enum(ACTIVATIONS).default("relu"),
  init: initString.default("he"),
  dropout: z.number().min(0).max(0.95).default(0),
});

export const cnnSpec = z.strictObject({
  kind: z.literal("cnn"),
  filters: z.array(z.number().int().min(1).max(1024)).min(1).max(8).default([32, 64]),
  kernelSize: z.number().int().min(1).max(11).default(5),
  padding: z.enum(["same", "valid"]).default("same"),
  dense: z.array(z.number().int().min(1).max(65536)).max(8).default([1024]),
  activation: z.enum(ACTIVATIONS).default("relu"),
  init: initString.default("he"),
  dropout: z.number().min(0).max(0.95).default(0),
});

export const autoencoderSpec = z.strictObject({
  kind: z.literal("autoencoder"),
  encoder: z.array(z.number().int().min(1).max(65536)).min(1).max(16).default([256, 64]),
  activation: z.enum(ACTIVATIONS).default("sigmoid"),
  init: initString.default("xavier"),
});

export const modelSpec = z.discriminatedUnion("kind", [mlpSpec, cnnSpec, autoencoderSpec]);
export type ModelSpec = z.infer<typeof modelSpec>;
export type MlpSpec = z.infer<typeof mlpSpec>;

export interface Shape {
  /** Input shape without the batch axis: [28, 28, 1] for MNIST images. */
  input: number[];
  classes: number;
}

/** Builds a model; every initial weight comes from `rng` (the run's `init` stream). */
export function buildModel(spec: ModelSpec, shape: Shape, rng: Rng): Sequential {
  const names = new NameCounter();
  const layers: Layer[] = [];
  const inputSize = shape.input.reduce((a, b) => a * b, 1);
  const denseStack = (widths: number[], from: number, act: ActivationName, init: string, dropout: number) => {
    let width = from;
    for (const units of widths) {
      layers.push(new Dense(names.next("dense"), width, units, parseInit(init), rng));
      layers.push(new Activation(names.next("activation"), act));
      if (dropout > 0) layers.push(new Dropout(names.next("dropout"), dropout));
      width = units;
    }
    return width;
  };
  switch (spec.kind) {
    case "mlp": {
      const width = denseStack(spec.hidden, inputSize, spec.activation, spec.init, spec.dropout);
      layers.push(new Dense(names.next("dense"), width, shape.classes, parseInit(spec.init), rng));
      return new Sequential(layers, [inputSize]);
    }
    case "autoencoder": {
      const widths = [...spec.encoder, ...spec.encoder.slice(0, -1).reverse()];
      const width = denseStack(widths, inputSize, spec.activation, spec.init, 0);
      // Logits of the reconstruction: train with the sigmoid-bce loss against the input.
      layers.push(new Dense(names.next("dense"), width, inputSize, parseInit(spec.init), rng));
      return new Sequential(layers, [inputSize]);
    }
    case "cnn": {
      const imageShape = shape.input.length === 3 ? shape.input : [28, 28, 1];
      let [h, w, c] = imageShape as [number, number, number];
      for (const filters of spec.filters) {
        const conv = new Conv2D(names.next("conv2d"), c, filters, spec.kernelSize, 1, spec.padding, parseInit(spec.init), rng);
        [h, w, c] = conv.outputShape([h, w, c]) as [number, number, number];
        layers.push(conv, new Activation(names.next("activation"), spec.activation));
        if (h >= 2 && w >= 2) {
          const pool = new MaxPool2D(names.next("max_pooling2d"), 2);
          [h, w, c] = pool.outputShape([h, w, c]) as [number, number, number];
          layers.push(pool);
        }
      }
      layers.push(new Flatten(names.next("flatten")));
      const width = denseStack(spec.dense, h * w * c, spec.activation, spec.init, spec.dropout);
      layers.push(new Dense(names.next("dense"), width, shape.classes, parseInit(spec.init), rng));
      return new Sequential(layers, imageShape);
    }
  }
}

/** tfjs-layers style names: dense_1, dense_2, activation_1 ... */
export class NameCounter {
  private counts = new Map<string, number>();
  next(prefix: string): string {
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    return `${prefix}_${n}`;
  }
}
