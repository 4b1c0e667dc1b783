import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import { initTestBackend } from "../backend.js";
import { fromOnnx, decodeOnnx } from "../../src/models/onnx.js";
import { DataError } from "../../src/core/errors.js";
import protobuf from "protobufjs";
import { ONNX_PROTO } from "../../src/models/onnx-schema.js";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "onnx");

interface Fixture {
  torch: string;
  inputShape: number[];
  inputs: number[][];
  scores: number[][];
}

/** A channels-first (C, H, W) image as quirklab's channels-last rows. */
function channelsLast(row: number[], [c, h, w]: number[]): number[] {
  const out = new Array<number>(row.length);
  for (let ch = 0; ch < c!; ch++) for (let p = 0; p < h! * w!; p++) out[p * c! + ch] = row[ch * h! * w! + p]!;
  return out;
}

describe("ONNX import (fixtures written by torch.onnx.export: test/fixtures/onnx/make_fixtures.py)", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it.each([
    ["mlp", ["Dense", "Activation", "Dense"]],
    ["cnn", ["Conv2D", "Activation", "MaxPool2D", "Conv2D", "Activation", "AvgPool2D", "Flatten", "Dense", "Activation", "Dense"]],
    ["view-mlp", ["Flatten", "Dense", "Activation", "Dense"]],
  ])("%s: PyTorch's class scores within 1e-5", (name, kinds) => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8")) as Fixture;
    const { model, droppedSoftmax, description } = fromOnnx(new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`))), `${name}.onnx`);
    expect(droppedSoftmax).toBe(true);
    expect(description).toMatch(/pytorch 1\.13/);
    expect(model.layers.map((l) => l.kind)).toEqual(kinds);
    const image = fixture.inputShape.length === 3;
    const rows = fixture.inputs.map((r) => (image ? channelsLast(r, fixture.inputShape) : r));
    const x = tf.tensor2d(rows.flat(), [rows.length, rows[0]!.length]);
    const scores = model.predict(x).arraySync() as number[][];
    let worst = 0;
    scores.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - fixture.scores[i]![j]!)))));
    expect(worst).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });

  it("reads MatMul + Add (another exporter's Linear) as the Gemm it replaces: the same class scores", () => {
    const type = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType("onnx.ModelProto");
    const original = decodeOnnx(new Uint8Array(readFileSync(join(FIXTURES, "mlp.onnx"))), "mlp.onnx");
    const graph = original.graph!;
    const gemm = graph.node![0]!;
    expect(gemm.op_type).toBe("Gemm");
    const weight = graph.initializer!.find((t) => t.name === gemm.input![1])!;
    const [rows, cols] = weight.dims!.map(Number) as [number, number];
    const values = new Float32Array(new Uint8Array(weight.raw_data!).buffer.slice(0));
    const transposed = new Float32Array(values.length);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) transposed[j * rows + i] = values[i * cols + j]!;
    const product = `${gemm.output![0]}_matmul`;
    const rewritten = {
      ...original,
      graph: {
        ...graph,
        initializer: [...graph.initializer!.filter((t) => t !== weight), { name: "w_t", dims: [cols, rows], data_type: 1, raw_data: new Uint8Array(transposed.buffer) }],
        node: [
          { op_type: "MatMul", name: "matmul_0", input: [gemm.input![0], "w_t"], output: [product] },
          { op_type: "Add", name: "add_0", input: [product, gemm.input![2]], output: gemm.output },
          ...graph.node!.slice(1),
        ],
      },
    };
    const { model } = fromOnnx(type.encode(type.fromObject(rewritten)).finish(), "matmul.onnx");
    expect(model.layers.map((l) => l.kind)).toEqual(["Dense", "Activation", "Dense"]);
    const fixture = JSON.parse(readFileSync(join(FIXTURES, "mlp.json"), "utf8")) as Fixture;
    const scores = model.predict(tf.tensor2d(fixture.inputs.flat(), [fixture.inputs.length, 784])).arraySync() as number[][];
    scores.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - fixture.scores[i]![j]!)).toBeLessThan(1e-5)));
    model.dispose();
  });

  it("names the node and operator it cannot import, and the file it cannot read", () => {
    const type = protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType("onnx.ModelProto");
    const original = decodeOnnx(new Uint8Array(readFileSync(join(FIXTURES, "mlp.onnx"))), "mlp.onnx");
    const graph = original.graph!;
    const withLstm = { ...original, graph: { ...graph, node: [{ ...graph.node![0]!, op_type: "LSTM", name: "lstm_0" }, ...graph.node!.slice(1)] } };
    const bytes = type.encode(type.fromObject(withLstm)).finish();
    expect(() => fromOnnx(bytes, "lstm.onnx")).toThrow(/lstm\.onnx: node lstm_0 \(LSTM\): this operator is not supported/);
    expect(() => fromOnnx(new TextEncoder().encode("definitely not protobuf"), "junk.onnx")).toThrow(DataError);
    expect(() => fromOnnx(new TextEncoder().encode("definitely not protobuf"), "junk.onnx")).toThrow(/junk\.onnx/);
  });
});
