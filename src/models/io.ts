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
import { Activation, ACTIVATIONS, AvgPool2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Reshape, type ActivationName } from "./layers.js";
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
  return layer.kind === "MaxPool2D" ? "MaxPooling2D" : layer.kind === "AvgPool2D" ? "AveragePooling2D" : layer.kind;
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
  if (layer instanceof MaxPool2D || layer instanceof AvgPool2D) {
    return { ...base, pool_size: [layer.poolSize, layer.poolSize], strides: [layer.poolSize, layer.poolSize], padding: "valid", data_format: "channels_last" };
  }
  if (layer instanceof Reshape) return { ...base, target_shape: layer.targetShape };
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
  BatchNormalization: z.looseObject({ epsilon: z.number().nonnegative().optional() }),
  Reshape: z.looseObject({ target_shape: z.array(positiveInt).min(1) }),
};

const SUPPORTED = "Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Reshape, Activation, Dropout and BatchNormalization (folded into the layer before it)";

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `field ${issue.path.length ? issue.path.join(".") : "(top level)"}: ${issue.message}`;
}

/** The declared input shape: Keras 2's batch_input_shape, Keras 3's batch_shape, or a Keras 3 build_config. */
function declaredInput(layers: KerasLayer[]): unknown {
  const inputLayer = layers.find((l) => l.class_name === "InputLayer");
  const first = layers.find((l) => l.class_name !== "InputLayer");
  const build = (first as { build_config?: { input_shape?: unknown } } | undefined)?.build_config?.input_shape;
  return first?.config.batch_input_shape ?? inputLayer?.config.batch_input_shape ?? inputLayer?.config.batch_shape ?? inputLayer?.config.batchInputShape ?? build;
}

/**
 * A layer's weight by its Keras name: `dense_1/kernel` (tfjs, Keras 2) or any manifest name ending in it (Keras 3 and
 * the converter may prefix the model's name: `sequential/dense_1/kernel`, or suffix `:0`).
 */
function weightLookup(values: Map<string, Float32Array>, source: string) {
  return (layer: string, weight: string): Float32Array | undefined => {
    const want = `${layer}/${weight}`;
    const exact = values.get(want) ?? values.get(`${want}:0`);
    if (exact) return exact;
    const matches = [...values.keys()].filter((k) => k.endsWith(`/${want}`) || k.endsWith(`/${want}:0`));
    if (matches.length > 1) throw new DataError(`${source}: several weights match ${want} (${matches.join(", ")})`);
    return matches.length ? values.get(matches[0]!) : undefined;
  };
}

/**
 * Builds a quirklab model from a tfjs layers model.json and its weight bytes (concatenated in manifest order): what
 * tfjs-layers and quirklab write, and what Keras' tensorflowjs converter writes for Keras 2 and Keras 3 Sequential
 * models. A final softmax is dropped (quirklab models output logits) and reported in `droppedSoftmax`; a
 * BatchNormalization is folded into the Dense or Conv2D before it (inference mode: its moving statistics). The JSON and
 * the bytes are checked before anything is built: an error names the file, the field or layer, and what was expected.
 */
export function fromArtifacts(modelJson: ModelJson, weightBytes: Uint8Array, source = "model.json"): { model: Sequential; droppedSoftmax: boolean } {
  const checked = modelJsonSchema.safeParse(modelJson);
  if (!checked.success) throw new DataError(`${source}: not a tfjs layers model: ${firstIssue(checked.error)}`, "pass the model.json that tfjs or quirklab wrote (format layers-model)");
  const topology = modelJson.modelTopology;
  if (topology.class_name !== "Sequential") {
    throw new DataError(`${source}: only Sequential tfjs layers models are supported (found ${topology.class_name})`, "rebuild the model as keras.Sequential, or export it to ONNX");
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
  const weight = weightLookup(values, source);
  const kerasLayers = topology.config.layers;
  const declared = declaredInput(kerasLayers);
  if (!declared) throw new DataError(`${source}: the first layer declares no batch_input_shape (nor an InputLayer its batch_shape)`);
  if (!Array.isArray(declared) || declared.length < 2 || !declared.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0)) {
    throw new DataError(`${source}: batch_input_shape ${JSON.stringify(declared)} is not [null, positive integers...]`);
  }
  const inputShape = declared.slice(1) as number[];
  const rng = new Rng(0); // unused: layers are built with zero init and then given the file's weights
  const layers: Layer[] = [];
  let shape = inputShape;
  let droppedSoftmax = false;
  const activationLayer = (name: string, activation: unknown, isLast: boolean): Layer | null => {
    if (activation === undefined || activation === null || activation === "linear") return null;
    if (activation === "softmax" && isLast) {
      droppedSoftmax = true;
      return null;
    }
    if (!ACTIVATIONS.includes(activation as ActivationName)) throw new DataError(`${source}: layer ${name}: unsupported activation ${JSON.stringify(activation)}`, `quirklab's activations: ${ACTIVATIONS.join(", ")} (and softmax last)`);
    return new Activation(name, activation as ActivationName);
  };
  const push = (layer: Layer) => {
    layers.push(layer);
    try {
      shape = layer.outputShape(shape);
    } catch (error) {
      throw new DataError(`${source}: layer ${layer.name} (${layer.kind}) does not fit its input: ${(error as Error).message}`);
    }
  };
  const assign = (layer: Layer, kerasName: string, names: string[]) => {
    // a bias added for a folded BatchNormalization stays zero when the file has none
    layer.params.slice(0, names.length).forEach((p, i) => {
      const v = weight(kerasName, names[i]!);
      if (!v) throw new DataError(`${source}: no weights for ${kerasName}/${names[i]} in the manifest`);
      if (v.length !== p.variable.size) throw new DataError(`${source}: weights ${kerasName}/${names[i]} have ${v.length} values, expected ${p.variable.size}`);
      p.variable.assign(tf.tensor(v, p.variable.shape, "float32"));
    });
  };
  kerasLayers.forEach((kl, index) => {
    const c = kl.config;
    const isLast = index === kerasLayers.length - 1;
    const name = c.name;
    const next = kerasLayers[index + 1];
    // a layer a BatchNormalization folds into needs a bias, even when the file has none
    const foldsNext = next?.class_name === "BatchNormalization";
    switch (kl.class_name) {
      case "InputLayer":
        return;
      case "Dense":
      case "Conv2D": {
        const hasBias = c.use_bias !== false;
        if (foldsNext && c.activation !== undefined && c.activation !== "linear") {
          throw new DataError(`${source}: layer ${next!.config.name} (BatchNormalization) follows ${name}'s ${String(c.activation)} activation`, "quirklab folds a BatchNormalization only into a linear Dense or Conv2D before it (activation after the normalization)");
        }
        let layer: Dense | Conv2D;
        if (kl.class_name === "Dense") {
          if (shape.length !== 1) throw new DataError(`${source}: layer ${name} (Dense) gets an input of shape ${shape.join("x")}`, "put a Flatten before it (quirklab's Dense acts on vectors)");
          layer = new Dense(name, shape[0]!, Number(c.units), { kind: "zero" }, rng, hasBias || foldsNext);
        } else {
          const k = pair(c.kernel_size, "kernel_size", name, source);
          const st = pair(c.strides ?? 1, "strides", name, source);
          if ((c.data_format ?? "channels_last") !== "channels_last") throw new DataError(`${source}: layer ${name}: only channels_last is supported`);
          if (pair(c.dilation_rate ?? 1, "dilation_rate", name, source) !== 1) throw new DataError(`${source}: layer ${name}: dilated convolutions are not supported`);
          if ((c.groups ?? 1) !== 1) throw new DataError(`${source}: layer ${name}: grouped convolutions are not supported`);
          layer = new Conv2D(name, shape[2]!, Number(c.filters), k, st, (c.padding as "same" | "valid") ?? "valid", { kind: "zero" }, rng, hasBias || foldsNext);
        }
        assign(layer, name, hasBias ? ["kernel", "bias"] : ["kernel"]);
        push(layer);
        const activation = activationLayer(`${name}_activation`, c.activation, isLast);
        if (activation) push(activation);
        return;
      }
      case "BatchNormalization": {
        const previous = layers.at(-1);
        if (!(previous instanceof Dense || previous instanceof Conv2D) || kerasLayers[index - 1]?.config.name !== previous.name) {
          throw new DataError(`${source}: layer ${name} (BatchNormalization) does not follow a Dense or Conv2D layer`, "quirklab folds a BatchNormalization into the linear layer before it; other placements are not supported");
        }
        const axis = c.axis;
        if (!(axis === undefined || axis === -1 || (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === shape.length)) || axis === shape.length)) {
          throw new DataError(`${source}: layer ${name}: BatchNormalization over axis ${JSON.stringify(axis)}; only the last (channels) axis is supported`);
        }
        const units = shape.at(-1)!;
        const get = (w: string, fallback: number, used: boolean) => {
          if (!used) return new Float32Array(units).fill(fallback);
          const v = weight(name, w);
          if (!v || v.length !== units) throw new DataError(`${source}: layer ${name}: ${v ? `${w} has ${v.length} values, expected ${units}` : `no ${w} weights in the manifest`}`);
          return v;
        };
        foldBatchNorm(previous, {
          gamma: get("gamma", 1, c.scale !== false),
          beta: get("beta", 0, c.center !== false),
          mean: get("moving_mean", 0, true),
          variance: get("moving_variance", 1, true),
          epsilon: typeof c.epsilon === "number" ? c.epsilon : 1e-3,
        });
        return;
      }
      case "MaxPooling2D":
      case "AveragePooling2D": {
        const p = pair(c.pool_size ?? 2, "pool_size", name, source);
        const st = pair(c.strides ?? p, "strides", name, source);
        if (st !== p || (c.padding ?? "valid") !== "valid") throw new DataError(`${source}: layer ${name}: only non-overlapping valid pooling (strides = pool_size) is supported`);
        if ((c.data_format ?? "channels_last") !== "channels_last") throw new DataError(`${source}: layer ${name}: only channels_last is supported`);
        push(kl.class_name === "MaxPooling2D" ? new MaxPool2D(name, p) : new AvgPool2D(name, p));
        return;
      }
      case "Flatten":
        push(new Flatten(name));
        return;
      case "Reshape":
        push(new Reshape(name, (c.target_shape as number[]).slice()));
        return;
      case "Activation": {
        const activation = activationLayer(name, c.activation, isLast);
        if (activation) push(activation);
        return;
      }
      case "Softmax":
        if (!isLast) throw new DataError(`${source}: layer ${name}: a softmax is supported only as the last layer`);
        droppedSoftmax = true;
        return;
      case "Dropout":
        push(new Dropout(name, Number(c.rate)));
        return;
      default:
        throw new DataError(`${source}: layer ${name}: unsupported layer class ${kl.class_name}`, `quirklab loads ${SUPPORTED}`);
    }
  });
  try {
    return { model: new Sequential(layers, inputShape), droppedSoftmax };
  } catch (error) {
    throw new DataError(`${source}: ${(error as Error).message}`, "the model must end in one vector of class scores per example");
  }
}

/**
 * Folds inference-mode batch normalization, gamma (z - mean) / sqrt(var + eps) + beta per output channel, into the
 * linear layer before it: its kernel's output columns scale by s = gamma / sqrt(var + eps), its bias becomes
 * s (b - mean) + beta. The function is the same; the model has one layer fewer.
 */
export function foldBatchNorm(layer: Dense | Conv2D, bn: { gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array; epsilon: number }): void {
  const [kernel, bias] = layer.params;
  if (!bias) throw new Error(`${layer.name}: folding a batch normalization needs a bias`);
  const units = bias.variable.size;
  const k = kernel!.variable.dataSync() as Float32Array;
  const b = bias.variable.dataSync() as Float32Array;
  const newK = new Float32Array(k.length);
  const newB = new Float32Array(units);
  for (let j = 0; j < units; j++) {
    const s = bn.gamma[j]! / Math.sqrt(bn.variance[j]! + bn.epsilon);
    newB[j] = s * (b[j]! - bn.mean[j]!) + bn.beta[j]!;
    // the output channel is the last axis of both kernels ([in, out] and [kh, kw, in, out])
    for (let i = j; i < k.length; i += units) newK[i] = k[i]! * s;
  }
  kernel!.variable.assign(tf.tensor(newK, kernel!.variable.shape, "float32"));
  bias.variable.assign(tf.tensor(newB, bias.variable.shape, "float32"));
}

function pair(value: unknown, field: string, layer: string, source: string): number {
  const arr = Array.isArray(value) ? value : [value, value];
  if (arr.length !== 2 || arr[0] !== arr[1] || !Number.isInteger(arr[0])) {
    throw new DataError(`${source}: layer ${layer}: ${field} ${JSON.stringify(value)} is not supported (square sizes only)`);
  }
  return arr[0] as number;
}
