/**
 * Linear probes (Alain & Bengio 2016): a softmax regression trained on a frozen layer's outputs, whose test accuracy
 * says how linearly readable the classes are at that depth. The probe is an MLP with no hidden layer trained on a
 * dataset of features, started from zero weights (the problem is convex: the start only sets the path) and shown the
 * examples in an order from quirklab's named streams like any model.
 */
import { makeDataset, type Dataset } from "../../data/dataset.js";
import { standardizeFeatures } from "../../data/transforms.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import type { TrainConfig } from "../../training/schema.js";
import type { TrainingContext } from "../context.js";
import { trainNamedModel } from "../train-named.js";
import { layerActivations } from "./activations.js";

/** The indices of a model's hidden representations: the output of every Activation layer but the last layer's. */
export function hiddenRepresentationLayers(model: Sequential): number[] {
  const last = model.layers.length - 1;
  return model.layers.flatMap((layer, i) => (layer.kind === "Activation" && i < last ? [i] : []));
}

/** The dataset of layer `index`'s outputs, with the same labels: what a probe of that layer is trained on. */
export function featureDataset(model: Sequential, data: Dataset, index: number, tag: string): Dataset {
  const { values, width } = layerActivations(model, data, index);
  return makeDataset(`${data.name}|${tag}`, values, data.y, [width], data.classes);
}

export interface ProbeResult {
  trainAccuracy: number;
  testAccuracy: number;
}

/**
 * Trains the probe `name` on `train`'s standardized features and measures it on both sets; the probe itself is not
 * kept. Standardized, because He-initialized ReLU features are several times smaller than pixels, and a probe trained
 * with the same optimizer and steps on each layer would otherwise converge further on some layers than on others — a
 * comparison of step sizes, not of representations.
 */
export async function fitProbe(ctx: TrainingContext, name: string, rawTrain: Dataset, rawTest: Dataset, config: TrainConfig): Promise<ProbeResult> {
  const { train, test } = standardizeFeatures(rawTrain, rawTest);
  const probe = await trainNamedModel(ctx, name, { kind: "mlp", hidden: [], activation: "relu", init: "zero", dropout: 0 }, train, config);
  try {
    return { trainAccuracy: evaluate(probe, train).accuracy, testAccuracy: evaluate(probe, test).accuracy };
  } finally {
    probe.dispose();
  }
}
