/**
 * Save and load in tfjs's standard layers format (model.json with a Keras Sequential topology and a weights
 * manifest, plus weights.bin), so tf.loadLayersModel and other tools read quirklab's models, and quirklab loads a
 * user's tfjs models built from Dense / Conv2D / MaxPooling2D / Flatten / Activation / Dropout layers. Pure: the
 * caller reads and writes the bytes.
 */
import { tf } from "../engine/tf.js";
import type { Layer } from "../engine/module.js";
import { Rng } from "../core/rng.js";
import { z } from "zod";
import { DataError } from "../core/errors.js";
import { Activation, ACTIVATIONS, Conv2D, Dense, Dropout, Flatten, MaxPool2D, type ActivationName } from "./layers.js";
import { Sequential } from "./sequential.js";

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: "float32";
}

export interface ModelJson {
  format: "layers-model";
  generatedBy: string;
  convertedBy: null;
  modelTopology: { class_name: "Sequential"; config: { name: string; layers: KerasLayer[] }; keras_version: string; backend: string };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown> & { name: string };
}

export const WEIGHTS_FILE = "weights.bin";

export function toArtifacts(model: Sequential, generatedBy = "quirklab"): { modelJson: ModelJson; weights: Uint8Array } {
  const layers: KerasLayer[] = model.layers.map((layer, i) => {
    const config = kerasConfig(layer);
    if (i === 0) config.batch_input_shape = [null, ...model.inputShape];
    return { class_name: kerasClass(layer), config };
  });
  const specs: WeightSpec[] = [];
  const chunks: Float32Array[] = [];
  for (const p of model.params()) {
    specs.push({ name: p.name, shape: p.variable.shape.slice(), dtype: "float32" });
    chunks.push(p.variable.dataSync() as Float32Array);
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const c of chunks) {
    flat.set(c, offset);
    offset += c.length;
  }
  return {
    modelJson: {
      format: "layers-model",
      generatedBy,
      convertedBy: null,
      modelTopology: {
        class_name: "Sequential",
        config: { name: "sequential", layers },
        keras_version: `tfjs-layers ${tf.version_layers}`,
        backend: "tensor_flow.js",
      },
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
    },
    weights: new Uint8Array(flat.buffer),
  };
}

function kerasClass(layer: Layer): string {
  return layer.kind === "MaxPool2D" ? "MaxPooling2D" : layer.kind;
}

function kerasConfig(layer: Layer): KerasLayer["config"] {
  const base = { name: layer.name, trainable: true, dtype: "float32" };
  if (layer instanceof Dense) return { ...base, units: layer.units, activation: "linear", use_bias: layer.useBias };
  if (layer instanceof Conv2D) {
    return {
      ...base,
      filters: layer.filters,
      kernel_size: [layer.kernelSize, layer.kernelSize],
      strides: [layer.strides, layer.strides],
      padding: layer.padding,
      data_format: "channels_last",
      dilation_rate: [1, 1],
      activation: "linear",
      use_bias: layer.useBias,
    };
  }
  if (layer instanceof MaxPool2D) {
    return { ...base, pool_size: [layer.poolSize, layer.poolSize], strides: [layer.poolSize, layer.poolSize], padding: "valid", data_format: "channels_last" };
  }
  if (layer instanceof Flatten) return base;
  if (layer instanceof Activation) return { ...base, activation: layer.activation };
  if (layer instanceof Dropout) return { ...base, rate: layer.rate };
  throw new Error(`cannot save layer kind ${layer.kind}`);
}

const positiveInt = z.number().int().positive();
const layerSchema = z.looseObject({ class_name: z.string().min(1), config: z.looseObject({ name: z.string().min(1) }) });
const modelJsonSchema = z.looseObject({
  modelTopology: z.looseObject({
    class_name: z.string(),
    config: z.looseObject({ layers: z.array(layerSchema).min(1) }),
  }),
  weightsManifest: z
    .array(
      z.looseObject({
        paths: z.array(z.string().min(1)),
        weights: z.array(z.looseObject({ name: z.string().min(1), shape: z.array(z.number().int().nonnegative()), dtype: z.string() })),
      }),
    )
    .min(1),
});

/** Per layer class, the fields that must be numbers in range (a "units": "ten" must not become NaN). */
const LAYER_FIELDS: Record<string, z.ZodType> = {
  Dense: z.looseObject({ units: positiveInt }),
  Conv2D: z.looseObject({ filters: positiveInt }),
  Dropout: z.looseObject({ rate: z.number().min(0).lt(1) }),
};

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `field ${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`;
}

/**
 * Builds a quirklab model from a tfjs layers model.json and its weight bytes (concatenated in manifest order).
 * A final softmax is dropped (quirklab models output logits) and reported in `droppedSoftmax`. The JSON and the
 * bytes are checked before anything is built: an error names the file, the field or layer, and what was expected.
 */
export function fromArtifacts(modelJson: ModelJson, weightBytes: Uint8Array, source = "model.json"): { model: Sequential; droppedSoftmax: boolean } {
  const checked = modelJsonSchema.safeParse(modelJson);
  if (!checked.success) throw new DataError(`${source}: not a tfjs layers model: ${firstIssue(checked.error)}`, "pass the model.json that tfjs or quirklab wrote (format layers-model)");
  const topology = modelJson.modelTopology;
  if (topology.class_name !== "Sequential") {
    throw new DataError(`${source}: only Sequential tfjs layers models are supported (found ${topology.class_name})`);
  }
  for (const kl of topology.config.layers) {
    const fields = LAYER_FIELDS[kl.class_name]?.safeParse(kl.config);
    if (fields && !fields.success) throw new DataError(`${source}: layer ${kl.config.name} (${kl.class_name}): ${firstIssue(fields.error)}`);
  }
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const weightsSource = `${modelJson.weightsManifest.flatMap((g) => g.paths).join(" + ") || WEIGHTS_FILE} (of ${source})`;
  const expectedBytes = 4 * specs.reduce((n, spec) => n + spec.shape.reduce((a, b) => a * b, 1), 0);
  if (weightBytes.byteLength !== expectedBytes) {
    const what = weightBytes.byteLength < expectedBytes ? "shorter than" : "longer than";
    throw new DataError(`${weightsSource}: ${weightBytes.byteLength} bytes, ${what} the ${expectedBytes} the manifest describes`, "the weights file does not belong to this model.json, or it is damaged: save the model again");
  }
  const values = new Map<string, Float32Array>();
  let offset = 0;
  const aligned = new Float32Array(weightBytes.buffer.slice(weightBytes.byteOffset, weightBytes.byteOffset + weightBytes.byteLength));
  for (const spec of specs) {
    if (spec.dtype !== "float32") throw new DataError(`${source}: weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    values.set(spec.name, aligned.subarray(offset, offset + size));
    offset += size;
  }
  const kerasLayers = topology.config.layers;
  const first = kerasLayers.find((l) => l.class_name !== "InputLayer");
  const inputLayer = kerasLayers.find((l) => l.class_name === "InputLayer");
  const declared = (first?.config.batch_input_shape ?? inputLayer?.config.batch_input_shape ?? inputLayer?.config.batchInputShape) as (number | null)[] | undefined;
  if (!declared) throw new DataError(`${source}: the first layer declares no batch_input_shape`);
  if (!Array.isArray(declared) || declared.length < 2 || !declared.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new DataError(`${source}: batch_input_shape ${JSON.stringify(declared)} is not [null, positive integers...]`);
  }
  const inputShape = declared.slice(1) as number[];
  const rng = new Rng(0); // unused: layers are built with zero init and then given the file's weights
  const layers: Layer[] = [];
  let shape = inputShape;
  let droppedSoftmax = false;
  const addActivation = (name: string, activation: unknown, isLast: boolean) => {
    if (activation === undefined || activation === "linear") return;
    if (activation === "softmax" && isLast) {
      droppedSoftmax = true;
      return;
    }
    if (!ACTIVATIONS.includes(activation as ActivationName)) throw new DataError(`${source}: layer ${name}: unsupported activation ${String(activation)}`);
    layers.push(new Activation(`${name}_activation`, activation as ActivationName));
  };
  kerasLayers.forEach((kl, index) => {
    const c = kl.config;
    const isLast = index === kerasLayers.length - 1;
    const name = c.name;
    let layer: Layer;
    switch (kl.class_name) {
      case "InputLayer":
        return;
      case "Dense":
        layer = new Dense(name, shape[0]!, Number(c.units), { kind: "zero" }, rng, c.use_bias !== false);
        break;
      case "Conv2D": {
        const k = pair(c.kernel_size, "kernel_size", name, source);
        const s = pair(c.strides ?? 1, "strides", name, source);
        if ((c.data_format ?? "channels_last") !== "channels_last") throw new DataError(`${source}: layer ${name}: only channels_last is supported`);
        const dilation = pair(c.dilation_rate ?? 1, "dilation_rate", name, source);
        if (dilation !== 1) throw new DataError(`${source}: layer ${name}: dilated convolutions are not supported`);
        layer = new Conv2D(name, shape[2]!, Number(c.filters), k, s, (c.padding as "same" | "valid") ?? "valid", { kind: "zero" }, rng, c.use_bias !== false);
        break;
      }
      case "MaxPooling2D": {
        const p = pair(c.pool_size ?? 2, "pool_size", name, source);
        const s = pair(c.strides ?? p, "strides", name, source);
        if (s !== p || (c.padding ?? "valid") !== "valid") throw new DataError(`${source}: layer ${name}: only non-overlapping valid max pooling (strides = pool_size) is supported`);
        layer = new MaxPool2D(name, p);
        break;
      }
      case "Flatten":
        layer = new Flatten(name);
        break;
      case "Activation":
        if (c.activation === "softmax" && isLast) {
          droppedSoftmax = true;
          return;
        }
        if (!ACTIVATIONS.includes(c.activation as ActivationName)) throw new DataError(`${source}: layer ${name}: unsupported activation ${String(c.activation)}`);
        layer = new Activation(name, c.activation as ActivationName);
        break;
      case "Dropout":
        layer = new Dropout(name, Number(c.rate));
        break;
      default:
        throw new DataError(`${source}: layer ${name}: unsupported layer class ${kl.class_name}`, "quirklab loads Dense, Conv2D, MaxPooling2D, Flatten, Activation and Dropout layers");
    }
    layers.push(layer);
    shape = layer.outputShape(shape);
    for (const p of layer.params) {
      const v = values.get(p.name);
      if (!v) throw new DataError(`${source}: no weights for ${p.name} in the manifest`);
      if (v.length !== p.variable.size) throw new DataError(`${source}: weights ${p.name} have ${v.length} values, expected ${p.variable.size}`);
      p.variable.assign(tf.tensor(v, p.variable.shape, "float32"));
    }
    if (kl.class_name === "Dense" || kl.class_name === "Conv2D") {
      addActivation(name, c.activation, isLast);
    }
  });
  return { model: new Sequential(layers, inputShape), droppedSoftmax };
}

function pair(value: unknown, field: string, layer: string, source: string): number {
  const arr = Array.isArray(value) ? value : [value, value];
  if (arr.length !== 2 || arr[0] !== arr[1] || !Number.isInteger(arr[0])) {
    throw new DataError(`${source}: layer ${layer}: ${field} ${JSON.stringify(value)} is not supported (square sizes only)`);
  }
  return arr[0] as number;
}
