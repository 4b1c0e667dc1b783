/**
 * The contract every layer and model keeps, so that flat parameter vectors, input gradients and exact
 * Hessian-vector products work on any model. Layers are functional: parameters are passed in, so the same code runs
 * on the trainable variables (training, autodiff) and on plain tensors (the R-operator pass of the HVP).
 */
import type { Tensor, Variable } from "./tf.js";

export interface Param {
  /** Unique within the model, in tfjs-layers style: `dense_1/kernel`. */
  name: string;
  variable: Variable;
  /** `kernel` or `bias`: biases are treated differently by filter normalization and weight decay. */
  role: "kernel" | "bias";
  /** The axis whose slices are this parameter's filters (one per output unit or channel): the last axis here. */
  filterAxis: number;
  fanIn: number;
  fanOut: number;
}

export interface ForwardMode {
  training: boolean;
  /** Seed for this call's dropout masks; required when training with dropout. */
  dropoutSeed?: number;
}

export interface Layer {
  readonly kind: string;
  readonly name: string;
  readonly params: Param[];
  outputShape(inputShape: number[]): number[];
  forward(x: Tensor, params: Tensor[], mode: ForwardMode): Tensor;
  /**
   * Forward-mode tangent of the output (Pearlmutter's R-operator): the directional derivative of the output when the
   * input moves along `rx` (null: the input does not move) and the parameters along `tangents`.
   */
  jvp(x: Tensor, rx: Tensor | null, params: Tensor[], tangents: Tensor[]): Tensor;
  /** Reverse mode: given dL/dy, returns dL/dx and dL/dparams (evaluation mode: dropout is the identity). */
  vjp(x: Tensor, gy: Tensor, params: Tensor[]): { gx: Tensor; gparams: Tensor[] };
  /** dL/dx alone. */
  inputVjp(x: Tensor, gy: Tensor, params: Tensor[]): Tensor;
  /**
   * The R-operator applied to `vjp`: the tangents of gx and of the parameter gradients. With `needInput` false (the
   * first layer, whose input is data) rgx is not computed and is null.
   */
  rvjp(
    x: Tensor,
    rx: Tensor | null,
    gy: Tensor,
    rgy: Tensor,
    params: Tensor[],
    tangents: Tensor[],
    needInput?: boolean,
  ): { rgx: Tensor | null; rgparams: Tensor[] };
}

/** A model as quirklab's algorithms see it: a chain of layers with named parameters. */
export interface SequentialModel {
  readonly layers: Layer[];
  /** Input shape without the batch axis, e.g. [784] or [28, 28, 1]. */
  readonly inputShape: number[];
  readonly numOutputs: number;
  params(): Param[];
  /** A batch in the input shape its first layer takes (datasets store images as flat rows). */
  shapeInput(x: Tensor): Tensor;
  /** Logits for a batch; uses the trainable variables. */
  forward(x: Tensor, mode: ForwardMode): Tensor;
}
