/** A model: a chain of quirklab layers with named parameters, usable by every algorithm in engine/. */
import { tf, type Tensor } from "../engine/tf.js";
import type { ForwardMode, Layer, Param, SequentialModel } from "../engine/module.js";
import { getFlat, setFlat } from "../engine/flat.js";
import { Activation, Dense } from "./layers.js";

export class Sequential implements SequentialModel {
  readonly numOutputs: number;
  constructor(
    readonly layers: Layer[],
    readonly inputShape: number[],
  ) {
    let shape = inputShape;
    for (const layer of layers) shape = layer.outputShape(shape);
    if (shape.length !== 1) throw new RangeError(`model output must be a vector per example, got shape [${shape.join(", ")}]`);
    this.numOutputs = shape[0]!;
  }

  params(): Param[] {
    return this.layers.flatMap((l) => l.params);
  }

  /** Reshapes flat rows to the model's input shape when needed (datasets store images as 784-vectors). */
  shapeInput(x: Tensor): Tensor {
    const want = [x.shape[0]!, ...this.inputShape];
    return x.shape.length === want.length && x.shape.every((d, i) => d === want[i]) ? x : tf.reshape(x, want);
  }

  forward(x: Tensor, mode: ForwardMode): Tensor {
    return tf.tidy(() => {
      let a = this.shapeInput(x);
      for (let i = 0; i < this.layers.length; i++) {
        const layer = this.layers[i]!;
        const next = this.layers[i + 1];
        const params = layer.params.map((p) => p.variable);
        if (layer instanceof Dense && next instanceof Activation && next.activation === "relu") {
          // the same function in one kernel instead of two (engine/fused-dense.ts)
          a = layer.forwardActivated(a, params, "relu");
          i++;
          continue;
        }
        const seed = mode.dropoutSeed === undefined ? undefined : (mode.dropoutSeed + i * 7919) >>> 0;
        a = layer.forward(a, params, { training: mode.training, dropoutSeed: seed });
      }
      return a;
    });
  }

  /** Logits in evaluation mode. */
  predict(x: Tensor): Tensor {
    return this.forward(x, { training: false });
  }

  /** The output of every layer for a batch, in evaluation mode (caller disposes). */
  layerOutputs(x: Tensor): { name: string; kind: string; output: Tensor }[] {
    const outputs: { name: string; kind: string; output: Tensor }[] = [];
    tf.tidy(() => {
      let a = this.shapeInput(x);
      for (const layer of this.layers) {
        a = layer.forward(a, layer.params.map((p) => p.variable), { training: false });
        outputs.push({ name: layer.name, kind: layer.kind, output: tf.keep(a) });
      }
    });
    return outputs;
  }

  getFlat(): Float32Array {
    return getFlat(this.params());
  }

  setFlat(vector: Float32Array): void {
    setFlat(this.params(), vector);
  }

  parameterCount(): number {
    return this.params().reduce((n, p) => n + p.variable.size, 0);
  }

  dispose(): void {
    for (const p of this.params()) p.variable.dispose();
  }

  toString(): string {
    const parts = this.layers.map((l) => `${l.kind}(${l.name})`);
    return `Sequential[${this.inputShape.join("x")} -> ${parts.join(" -> ")}; ${this.parameterCount()} params]`;
  }
}
