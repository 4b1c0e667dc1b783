/**
 * ONNX import (models exported from PyTorch with torch.onnx.export): the graph is decoded with protobufjs from the
 * official onnx.proto schema (onnx-schema.ts), then read as a chain of layers into quirklab's explicit modules, so
 * gradients, input gradients and exact HVPs work on it. ONNX images are channels first (N, C, H, W); quirklab's are
 * channels last, so convolution kernels are transposed and the first dense layer after a flatten has its input rows
 * permuted: the imported model computes the same function on the same image laid out channels last.
 *
 * The graph must be a chain: each node consumes the previous node's output and constants. Supported operators: Gemm,
 * MatMul (+ Add), Conv, MaxPool, AveragePool, Flatten, Reshape (constant shape), Relu, Tanh, Sigmoid, Dropout,
 * Identity, a Pad of zeros, BatchNormalization (folded into the Conv or Gemm before it), and a last Softmax or LogSoftmax
 * (dropped).
 * Anything else stops with the node's name and operator.
 */
import protobuf from "protobufjs";
import { DataError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { tf } from "../engine/tf.js";
import type { Layer } from "../engine/module.js";
import { Activation, AvgPool2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, Reshape, type ActivationName } from "./layers.js";
import { foldBatchNorm } from "./io.js";
import { Sequential } from "./sequential.js";
import { ONNX_PROTO } from "./onnx-schema.js";

interface TensorProto {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int64_data?: number[];
  int32_data?: number[];
  double_data?: number[];
}
interface AttributeProto {
  name: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
}
interface NodeProto {
  name?: string;
  op_type: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProto[];
}
interface ValueInfoProto {
  name: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}
interface ModelProto {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: number }[];
  graph?: { node?: NodeProto[]; initializer?: TensorProto[]; input?: ValueInfoProto[]; output?: ValueInfoProto[]; name?: string };
}

let modelType: protobuf.Type | null = null;
function modelProtoType(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType("onnx.ModelProto");
  return modelType;
}

export function decodeOnnx(bytes: Uint8Array, source: string): ModelProto {
  try {
    const type = modelProtoType();
    return type.toObject(type.decode(bytes), { longs: Number, enums: Number, defaults: false, arrays: true }) as ModelProto;
  } catch (error) {
    throw new DataError(`${source}: not a readable ONNX model (${(error as Error).message})`, "export it with torch.onnx.export(model, example, path)");
  }
}

const FLOAT = 1;
const INT64 = 7;
const INT32 = 6;
const DOUBLE = 11;

/** A tensor's values as numbers (float32 for weights, int64 for shapes). */
function tensorValues(t: TensorProto, source: string): { dims: number[]; values: Float32Array | number[] } {
  const dims = (t.dims ?? []).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = t.raw_data && t.raw_data.length ? t.raw_data : null;
  switch (t.data_type) {
    case FLOAT: {
      if (raw) return { dims, values: new Float32Array(new Uint8Array(raw).buffer.slice(0), 0, count) };
      return { dims, values: Float32Array.from(t.float_data ?? []) };
    }
    case DOUBLE:
      return { dims, values: raw ? Float32Array.from(new Float64Array(new Uint8Array(raw).buffer.slice(0), 0, count)) : Float32Array.from(t.double_data ?? []) };
    case INT64:
      return { dims, values: raw ? Array.from(new BigInt64Array(new Uint8Array(raw).buffer.slice(0), 0, count), Number) : (t.int64_data ?? []).map(Number) };
    case INT32:
      return { dims, values: raw ? Array.from(new Int32Array(new Uint8Array(raw).buffer.slice(0), 0, count)) : (t.int32_data ?? []).map(Number) };
    default:
      throw new DataError(`${source}: tensor ${t.name ?? "(unnamed)"} has ONNX data type ${t.data_type}; quirklab reads float32, float64, int32 and int64 tensors`, "export the model in float32: model.float()");
  }
}

const ACTIVATION_OPS: Record<string, ActivationName> = { Relu: "relu", Tanh: "tanh", Sigmoid: "sigmoid" };

/** Where the activation is in ONNX's terms: a vector, or a channels-first image. */
type Layout = { kind: "vector"; size: number; permutation?: Int32Array } | { kind: "image"; c: number; h: number; w: number };

export function fromOnnx(bytes: Uint8Array, source = "model.onnx"): { model: Sequential; droppedSoftmax: boolean; description: string } {
  const proto = decodeOnnx(bytes, source);
  const graph = proto.graph;
  if (!graph?.node?.length) throw new DataError(`${source}: the ONNX graph has no nodes`);
  const constants = new Map<string, { dims: number[]; values: Float32Array | number[] }>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? "", tensorValues(t, source));
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name));
  if (inputs.length !== 1) throw new DataError(`${source}: the graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(", ")}); quirklab reads models with one input`);
  const input = inputs[0]!;
  const dims = (input.type?.tensor_type?.shape?.dim ?? []).map((d) => (d.dim_value ? Number(d.dim_value) : null));
  if (dims.length < 2 || dims.slice(1).some((d) => d === null || !(d > 0))) {
    throw new DataError(`${source}: input ${input.name} has shape [${dims.map((d) => d ?? "?").join(", ")}]; quirklab needs every size but the batch's fixed`, "export with a fixed example shape (dynamic_axes only on the batch axis)");
  }
  const shape = dims.slice(1) as number[];
  let layout: Layout;
  let inputShape: number[];
  if (shape.length === 1) {
    layout = { kind: "vector", size: shape[0]! };
    inputShape = [shape[0]!];
  } else if (shape.length === 3) {
    layout = { kind: "image", c: shape[0]!, h: shape[1]!, w: shape[2]! };
    inputShape = [shape[1]!, shape[2]!, shape[0]!];
  } else {
    throw new DataError(`${source}: input ${input.name} has shape [N, ${shape.join(", ")}]; quirklab reads vectors (N, D) and images (N, C, H, W)`);
  }

  const rng = new Rng(0); // layers are built with zero init and then given the file's weights
  const layers: Layer[] = [];
  let current = input.name;
  let droppedSoftmax = false;
  const nodes = graph.node;
  const weightOf = (node: NodeProto, index: number, what: string) => {
    const name = node.input?.[index];
    const c = name === undefined ? undefined : constants.get(name);
    if (!c) throw new DataError(`${source}: node ${nodeName(node)} (${node.op_type}): its ${what} (${name ?? "missing"}) is not a constant of the graph`, "quirklab imports models whose weights are initializers");
    return c;
  };
  const nodeName = (node: NodeProto) => node.name || node.output?.[0] || "(unnamed)";
  const attr = (node: NodeProto, name: string) => node.attribute?.find((a) => a.name === name);
  const ints = (node: NodeProto, name: string, fallback: number[]) => attr(node, name)?.ints?.map(Number) ?? fallback;
  const int = (node: NodeProto, name: string, fallback: number) => (attr(node, name)?.i !== undefined ? Number(attr(node, name)!.i) : fallback);
  const float = (node: NodeProto, name: string, fallback: number) => attr(node, name)?.f ?? fallback;
  const unsupported = (node: NodeProto, why: string, hint?: string): never => {
    throw new DataError(`${source}: node ${nodeName(node)} (${node.op_type}): ${why}`, hint);
  };

  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!;
    const name = nodeName(node);
    if (node.op_type === "Constant") {
      const value = attr(node, "value")?.t;
      if (!value) unsupported(node, "a Constant without a tensor value");
      constants.set(node.output![0]!, tensorValues(value!, source));
      continue;
    }
    if (node.input?.[0] !== current) {
      unsupported(node, `it does not take the previous node's output (${current}) as its first input: quirklab imports chains of layers`, "export a sequential model (one path from input to output)");
    }
    const isLast = n === nodes.length - 1;
    let output = node.output?.[0] ?? "";
    switch (node.op_type) {
      case "Gemm":
      case "MatMul": {
        if (layout.kind !== "vector") unsupported(node, "a matrix product on an image", "flatten first (torch.flatten(x, 1))");
        const vector = layout as Extract<Layout, { kind: "vector" }>;
        const b = weightOf(node, 1, "weight");
        const transB = node.op_type === "Gemm" ? int(node, "transB", 0) : 0;
        if (node.op_type === "Gemm" && int(node, "transA", 0) !== 0) unsupported(node, "transA = 1 is not supported");
        const alpha = node.op_type === "Gemm" ? float(node, "alpha", 1) : 1;
        const beta = node.op_type === "Gemm" ? float(node, "beta", 1) : 1;
        if (b.dims.length !== 2) unsupported(node, `a weight of rank ${b.dims.length}`);
        const [rows, cols] = b.dims as [number, number];
        const inputs = transB ? cols : rows;
        const units = transB ? rows : cols;
        if (inputs !== vector.size) unsupported(node, `it expects ${inputs} inputs, the previous layer gives ${vector.size}`);
        const kernel = new Float32Array(inputs * units);
        for (let i = 0; i < inputs; i++) {
          // a flatten of a channels-first image: row i of ours is row permutation[i] of ONNX's
          const source_i = vector.permutation ? vector.permutation[i]! : i;
          for (let j = 0; j < units; j++) kernel[i * units + j] = alpha * (transB ? (b.values[j * inputs + source_i] as number) : (b.values[source_i * units + j] as number));
        }
        let bias: number[] | Float32Array | null = null;
        if (node.op_type === "Gemm" && node.input!.length > 2 && node.input![2]) bias = weightOf(node, 2, "bias").values;
        // MatMul followed by Add of a constant: PyTorch's Linear in some exports
        const next = nodes[n + 1];
        if (node.op_type === "MatMul" && next?.op_type === "Add" && next.input?.includes(output)) {
          const other = next.input.find((i) => i !== output)!;
          const c = constants.get(other);
          if (c && c.values.length === units) {
            bias = c.values;
            output = next.output![0]!;
            n++;
          }
        }
        const dense = new Dense(name, inputs, units, { kind: "zero" }, rng, true);
        dense.params[0]!.variable.assign(tf.tensor(kernel, [inputs, units], "float32"));
        if (bias) {
          if (bias.length !== units) unsupported(node, `a bias of ${bias.length} values for ${units} units`);
          dense.params[1]!.variable.assign(tf.tensor(Float32Array.from(bias, (v) => beta * (v as number)), [units], "float32"));
        }
        layers.push(dense);
        layout = { kind: "vector", size: units };
        break;
      }
      case "Conv": {
        if (layout.kind !== "image") unsupported(node, "a convolution of a vector");
        const image = layout as Extract<Layout, { kind: "image" }>;
        const w = weightOf(node, 1, "kernel");
        if (w.dims.length !== 4) unsupported(node, "only 2-D convolutions are supported");
        const [filters, inChannels, kh, kw] = w.dims as [number, number, number, number];
        if (kh !== kw) unsupported(node, `a ${kh}x${kw} kernel; quirklab's convolutions are square`);
        if (int(node, "group", 1) !== 1) unsupported(node, "grouped convolutions are not supported");
        if (ints(node, "dilations", [1, 1]).some((d) => d !== 1)) unsupported(node, "dilated convolutions are not supported");
        if (inChannels !== image.c) unsupported(node, `it expects ${inChannels} input channels, the previous layer gives ${image.c}`);
        const strides = ints(node, "strides", [1, 1]);
        if (strides[0] !== strides[1]) unsupported(node, `strides ${strides.join("x")}; equal strides only`);
        const stride = strides[0]!;
        const pads = ints(node, "pads", [0, 0, 0, 0]);
        const autoPad = attr(node, "auto_pad")?.s ? new TextDecoder().decode(attr(node, "auto_pad")!.s) : "NOTSET";
        let padding: "same" | "valid";
        if (autoPad === "VALID" || (autoPad === "NOTSET" && pads.every((p) => p === 0))) padding = "valid";
        else if (autoPad.startsWith("SAME") || (stride === 1 && kh % 2 === 1 && pads.every((p) => p === (kh - 1) / 2))) padding = "same";
        else return unsupported(node, `pads [${pads.join(", ")}] with stride ${stride} are neither "valid" (no padding) nor "same"`, "use padding=0, or padding=k//2 with stride 1");
        const conv = new Conv2D(name, inChannels, filters, kh, stride, padding, { kind: "zero" }, rng, true);
        // ONNX's [out, in, kh, kw] -> quirklab's [kh, kw, in, out]
        const kernel = new Float32Array(w.values.length);
        for (let o = 0; o < filters; o++)
          for (let i = 0; i < inChannels; i++)
            for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) kernel[((y * kw + x) * inChannels + i) * filters + o] = w.values[((o * inChannels + i) * kh + y) * kw + x] as number;
        conv.params[0]!.variable.assign(tf.tensor(kernel, [kh, kw, inChannels, filters], "float32"));
        if (node.input!.length > 2 && node.input![2]) conv.params[1]!.variable.assign(tf.tensor(Float32Array.from(weightOf(node, 2, "bias").values as ArrayLike<number>), [filters], "float32"));
        layers.push(conv);
        const [oh, ow] = conv.outputShape([image.h, image.w, image.c]);
        layout = { kind: "image", c: filters, h: oh!, w: ow! };
        break;
      }
      case "MaxPool":
      case "AveragePool": {
        if (layout.kind !== "image") unsupported(node, "pooling of a vector");
        const image = layout as Extract<Layout, { kind: "image" }>;
        const k = ints(node, "kernel_shape", []);
        const strides = ints(node, "strides", k);
        const pads = ints(node, "pads", [0, 0, 0, 0]);
        if (k.length !== 2 || k[0] !== k[1] || strides[0] !== k[0] || strides[1] !== k[1] || pads.some((p) => p !== 0) || int(node, "ceil_mode", 0) !== 0) {
          unsupported(node, `kernel ${k.join("x")}, strides ${strides.join("x")}, pads [${pads.join(", ")}]: only square, non-overlapping, unpadded pooling is supported`);
        }
        const pool = node.op_type === "MaxPool" ? new MaxPool2D(name, k[0]!) : new AvgPool2D(name, k[0]!);
        layers.push(pool);
        layout = { kind: "image", c: image.c, h: Math.floor(image.h / k[0]!), w: Math.floor(image.w / k[0]!) };
        break;
      }
      case "Flatten":
      case "Reshape": {
        if (node.op_type === "Flatten" && int(node, "axis", 1) !== 1) unsupported(node, "a flatten that keeps more than the batch axis");
        if (node.op_type === "Reshape") {
          const target = weightOf(node, 1, "shape").values as number[];
          const rest = target.slice(1);
          const size = layout.kind === "vector" ? layout.size : layout.c * layout.h * layout.w;
          const flat = target.length === 2 && (rest[0] === -1 || rest[0] === size) && (target[0] === -1 || target[0] === 0 || target[0]! > 0);
          const toImage = target.length === 4 && layout.kind === "vector" && rest[0] === 1 && rest[1]! * rest[2]! === layout.size;
          if (toImage) {
            // a vector to a one-channel image: the same values in either layout
            layers.push(new Reshape(name, [rest[1]!, rest[2]!, 1]));
            layout = { kind: "image", c: 1, h: rest[1]!, w: rest[2]! };
            break;
          }
          if (!flat) unsupported(node, `a reshape to [${target.join(", ")}]; quirklab reads reshapes to (N, -1) and from a vector to a one-channel image`, "flatten with torch.flatten(x, 1)");
        }
        if (layout.kind === "image") {
          const { c, h, w } = layout;
          // ONNX flattens (c, y, x) in that order, quirklab (y, x, c): our position p holds ONNX's position permutation[p]
          const permutation = new Int32Array(c * h * w);
          for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) permutation[(y * w + x) * c + ch] = (ch * h + y) * w + x;
          layers.push(new Flatten(name));
          layout = { kind: "vector", size: c * h * w, ...(c > 1 ? { permutation } : {}) };
        }
        break;
      }
      case "Relu":
      case "Tanh":
      case "Sigmoid":
        layers.push(new Activation(name, ACTIVATION_OPS[node.op_type]!));
        break;
      case "Dropout":
        layers.push(new Dropout(name, Math.min(0.95, float(node, "ratio", 0.5))));
        break;
      case "Identity":
        break;
      case "Pad": {
        // PyTorch exports AvgPool2d with an explicit Pad node, of zeros when the pool has no padding: the identity
        const pads = node.input!.length > 1 && node.input![1] ? (weightOf(node, 1, "pads").values as number[]) : ints(node, "pads", []);
        if (pads.some((p) => p !== 0)) unsupported(node, `padding [${pads.join(", ")}]; only a pad of zeros (a no-op) is supported`);
        break;
      }
      case "BatchNormalization": {
        const previous = layers.at(-1);
        if (!(previous instanceof Dense || previous instanceof Conv2D)) unsupported(node, "it does not follow a Conv or Gemm", "quirklab folds a batch normalization into the linear layer before it");
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => Float32Array.from(weightOf(node, i, ["scale", "bias", "mean", "variance"][i - 1]!).values as ArrayLike<number>));
        foldBatchNorm(previous as Dense | Conv2D, { gamma: scale!, beta: bias!, mean: mean!, variance: variance!, epsilon: float(node, "epsilon", 1e-5) });
        break;
      }
      case "Softmax":
      case "LogSoftmax":
        // softmax(log softmax(z)) = softmax(z): dropping either leaves the class scores quirklab's losses expect
        if (!isLast) unsupported(node, "a softmax before the last node");
        droppedSoftmax = true;
        break;
      default:
        unsupported(node, "this operator is not supported", "quirklab imports Gemm, MatMul(+Add), Conv, MaxPool, AveragePool, Flatten, Reshape, Relu, Tanh, Sigmoid, Dropout, BatchNormalization and a last (Log)Softmax");
    }
    current = output;
  }
  const producer = [proto.producer_name, proto.producer_version].filter(Boolean).join(" ");
  const opset = proto.opset_import?.find((o) => !o.domain)?.version;
  let model: Sequential;
  try {
    model = new Sequential(layers, inputShape);
  } catch (error) {
    throw new DataError(`${source}: ${(error as Error).message}`, "the model must end in one vector of class scores per example");
  }
  return { model, droppedSoftmax, description: `ONNX model ${source}${producer ? ` (${producer}${opset ? `, opset ${opset}` : ""})` : ""}` };
}
