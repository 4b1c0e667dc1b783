import { z } from "zod";
import { ACTIVATIONS } from "../../models/layers.js";
import { trainSpecWith } from "../../training/schema.js";
import { dataSpec } from "../data.js";
import { initText } from "./specs.js";
import { measuredNumber, measuredNumbers } from "../details.js";

export const initScaleSchema = z.strictObject({
  data: dataSpec({ trainSize: 8000, testSize: 2000 }),
  /** 6a (He et al. 2015): a 30-layer ReLU MLP converges with He init and stalls with Xavier. */
  deep: z
    .strictObject({
      depth: z.number().int().min(1).max(100).default(30),
      width: z.number().int().min(1).max(4096).default(64),
      activation: z.enum(ACTIVATIONS).default("relu"),
      /** Names carry the criteria: "he" must learn; "normal(0.01)" (AlexNet-style small) and "xavier" stall; "he*3" blows up. */
      inits: z.array(initText).min(1).max(8).default(["normal(0.01)", "xavier", "he", "he*3"]),
      /** Plain SGD with momentum (Adam would partly undo a bad scale and hide the effect: docs/criteria.md §6 pitfalls). */
      train: trainSpecWith({ optimizer: "momentum", lr: 0.01, momentum: 0.9, batchSize: 64, epochs: 3, divergenceFactor: 0 }).prefault({}),
    })
    .prefault({}),
  /** 6b (Glorot & Bengio 2010): a sigmoid MLP whose top hidden layer saturates near 0 early in training. */
  saturation: z
    .strictObject({
      enabled: z.boolean().default(true),
      hidden: z.array(z.number().int().min(1).max(4096)).min(2).max(16).default([256, 256, 256, 256]),
      inits: z.array(initText).min(1).max(4).default(["standard", "xavier"]),
      /**
       * Glorot & Bengio trained with minibatches of 10 and plain SGD; their Figure 2 plots "epochs" of 20k updates and the
       * top layer saturates within the first, so the window is 20k updates (not one pass over our smaller set).
       */
      train: trainSpecWith({ optimizer: "sgd", lr: 0.1, batchSize: 10, epochs: 1, steps: 20000, divergenceFactor: 0 }).prefault({}),
      /** Measure the activations every this many updates. */
      every: z.number().int().min(1).max(100000).default(500),
    })
    .prefault({}),
  /** Test images used to measure activations and gradients. */
  probe: z.number().int().min(10).max(10000).default(500),
  claim: z
    .strictObject({
      /** docs/criteria.md 6a: He >= 70% test accuracy after 3 epochs. */
      heAccuracy: z.number().min(0).max(1).default(0.7),
      /** docs/criteria.md 6a: small normal and Xavier <= 20% (stuck near chance); 3x He diverges or <= 20%. */
      stuckAccuracy: z.number().min(0).max(1).default(0.2),
      /** docs/criteria.md 6b: with standard init the top hidden layer's mean sigmoid output falls to <= 0.1 in the first 20k updates. */
      saturatedTop: z.number().min(0).max(1).default(0.1),
      /** docs/criteria.md 6b: with normalized (Xavier) init it stays >= 0.2. */
      healthyTop: z.number().min(0).max(1).default(0.2),
    })
    .prefault({}),
});

export type InitScaleConfig = z.output<typeof initScaleSchema>;

/** What the figures read: per-layer activation spread and gradient norm of the deep nets; the sigmoid saturation traces. */
export const initScaleDetails = z.object({
  deep: z.array(z.object({ init: z.string(), activationSd: measuredNumbers, gradientNorm: measuredNumbers })).optional(),
  saturation: z.record(z.string(), z.array(z.object({ step: measuredNumber, means: measuredNumbers }))).optional(),
});
export type InitScaleDetails = z.output<typeof initScaleDetails>;
