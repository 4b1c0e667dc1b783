/**
 * Activation maximization (Erhan et al. 2009; Simonyan et al. 2014; Yosinski et al. 2015): gradient ascent on the
 * input to make an objective large — a class logit, a unit of any layer, or a weighted sum of those. Without
 * regularization the images are high-frequency patterns that the model loves and nothing else recognizes; Yosinski's
 * regularizers (L2 decay, Gaussian blur every few steps, jitter, clipping of small pixels) make them look like data.
 */
import { tf, type Tensor } from "../../engine/tf.js";
import type { Rng } from "../../core/rng.js";
import type { Sequential } from "../../models/sequential.js";
import { findLayer } from "./activations.js";

/**
 * One term of an objective: `weight` x (the layer's output at `unit`, or its projection on `direction` — e.g. a
 * random direction, Szegedy et al.'s comparison); the layer by name or last:<Kind>; "logits" = the model output.
 */
export interface ObjectiveTerm {
  layer: string;
  unit?: number;
  direction?: Float32Array;
  weight?: number;
}

/** Parses "layer:unit" terms joined by "+", each optionally "weight*layer:unit", e.g. "logits:3" or "0.5*dense_2:7+logits:1". */
export function parseObjective(text: string): ObjectiveTerm[] {
  return text.split("+").map((part) => {
    const m = /^\s*(?:([0-9.eE+-]+)\s*\*\s*)?([\w:]+?):(\d+)\s*$/.exec(part);
    if (!m) throw new RangeError(`objective term "${part}" is not [weight*]layer:unit (e.g. logits:3 or 0.5*dense_2:7)`);
    return { layer: m[2]!, unit: Number(m[3]), ...(m[1] !== undefined ? { weight: Number(m[1]) } : {}) };
  });
}

/** The objective's value per example (a [N] tensor) for inputs x. */
export function objectiveValue(model: Sequential, x: Tensor, terms: ObjectiveTerm[]): Tensor {
  return tf.tidy(() => {
    const outputs = terms.some((t) => t.layer !== "logits") ? model.layerOutputs(x) : [];
    let total: Tensor = tf.zeros([x.shape[0]!]);
    for (const t of terms) {
      const out = t.layer === "logits" ? model.predict(x) : outputs[findLayer(model, t.layer)]!.output;
      const flat = tf.reshape(out, [x.shape[0]!, -1]);
      const width = flat.shape[1]!;
      let value: Tensor;
      if (t.direction) {
        if (t.direction.length !== width) throw new RangeError(`objective: layer ${t.layer} has ${width} units, the direction ${t.direction.length}`);
        value = tf.squeeze(tf.matMul(flat, tf.tensor2d(t.direction, [width, 1])), [1]);
      } else {
        if (t.unit === undefined || t.unit >= width) throw new RangeError(`objective: layer ${t.layer} has ${width} units, asked for unit ${t.unit}`);
        value = tf.squeeze(tf.slice(flat, [0, t.unit], [-1, 1]), [1]);
      }
      total = tf.add(total, tf.mul(value, t.weight ?? 1));
    }
    tf.dispose(outputs.map((o) => o.output));
    return total;
  });
}

export interface Regularizers {
  /** Multiply the image by (1 - decay) every step (toward black, the MNIST background). */
  l2Decay?: number;
  /** Blur with a Gaussian of this sd (pixels) every `blurEvery` steps; 0 = never. */
  blurSigma?: number;
  blurEvery?: number;
  /** Shift the image by up to this many pixels before each gradient and back after (seeded). */
  jitter?: number;
  /** Zero the pixels whose value is below this percentile of the image's values (Yosinski's small-norm clipping). */
  clipPercentile?: number;
}

export interface MaximizeOptions {
  steps?: number;
  /** Step size: the gradient is scaled so that its largest pixel moves by `stepSize`. */
  stepSize?: number;
  regularizers?: Regularizers;
  /** Image height and width (inputs are flat rows). */
  height: number;
  width: number;
}

function gaussianKernel(sigma: number): Tensor {
  const radius = Math.max(1, Math.ceil(2 * sigma));
  const size = 2 * radius + 1;
  const k = new Float32Array(size * size);
  let sum = 0;
  for (let y = -radius; y <= radius; y++)
    for (let x = -radius; x <= radius; x++) {
      const v = Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
      k[(y + radius) * size + (x + radius)] = v;
      sum += v;
    }
  return tf.tensor4d(k.map((v) => v / sum), [size, size, 1, 1]);
}

/** Cyclic shift of every image (rows of [N, h*w]) by (dy, dx) pixels. */
function roll(img: Tensor, dy: number, dx: number, h: number, w: number): Tensor {
  const src = img.dataSync();
  const n = img.shape[0]!;
  const out = new Float32Array(src.length);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) out[i * h * w + (((y + dy) % h) + h) % h * w + ((((x + dx) % w) + w) % w)] = src[i * h * w + y * w + x]!;
  return tf.tensor2d(out, [n, h * w]);
}

/**
 * Gradient ascent on the objective from `start` (rows of [N, h*w]), pixels kept in [0, 1]. Returns the images; the
 * jitter offsets come from `rng`.
 */
export function maximize(model: Sequential, start: Tensor, terms: ObjectiveTerm[], rng: Rng, options: MaximizeOptions): Tensor {
  const { height: h, width: w } = options;
  const r = options.regularizers ?? {};
  const steps = options.steps ?? 300;
  const stepSize = options.stepSize ?? 0.05;
  const kernel = r.blurSigma ? gaussianKernel(r.blurSigma) : null;
  let x = tf.clone(start);
  try {
    for (let s = 1; s <= steps; s++) {
      const [dy, dx] = r.jitter ? [rng.int(2 * r.jitter + 1) - r.jitter, rng.int(2 * r.jitter + 1) - r.jitter] : [0, 0];
      const moved = dy || dx ? roll(x, dy, dx, h, w) : tf.clone(x);
      const g0 = tf.grad((input: Tensor) => tf.sum(objectiveValue(model, input, terms)))(moved);
      const g = dy || dx ? roll(g0, -dy, -dx, h, w) : tf.clone(g0);
      tf.dispose([moved, g0]);
      const next = tf.tidy(() => {
        const scale = tf.maximum(tf.max(tf.abs(g), 1, true), 1e-12);
        let y = tf.add(x, tf.mul(tf.div(g, scale), stepSize));
        if (r.l2Decay) y = tf.mul(y, 1 - r.l2Decay);
        if (kernel && r.blurEvery && s % r.blurEvery === 0) y = tf.reshape(tf.conv2d(tf.reshape(y, [-1, h, w, 1]) as tf.Tensor4D, kernel as tf.Tensor4D, 1, "same"), [-1, h * w]);
        return tf.clipByValue(y, 0, 1);
      });
      g.dispose();
      x.dispose();
      x = next;
      if (r.clipPercentile) {
        const values = x.arraySync() as number[][];
        const clipped = values.map((row) => {
          const sorted = [...row].sort((a, b) => a - b);
          const cut = sorted[Math.floor((r.clipPercentile! / 100) * (sorted.length - 1))]!;
          return row.map((v) => (v < cut ? 0 : v));
        });
        x.dispose();
        x = tf.tensor2d(clipped);
      }
    }
    return x;
  } finally {
    kernel?.dispose();
  }
}

/** Mean squared discrete Laplacian per image: high-frequency energy (docs/criteria.md 1b). */
export function laplacianEnergy(images: Float32Array, n: number, h: number, w: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let y = 1; y < h - 1; y++)
      for (let x = 1; x < w - 1; x++) {
        const at = (yy: number, xx: number) => images[i * h * w + yy * w + xx]!;
        const lap = at(y - 1, x) + at(y + 1, x) + at(y, x - 1) + at(y, x + 1) - 4 * at(y, x);
        sum += lap * lap;
      }
    total += sum / ((h - 2) * (w - 2));
  }
  return total / n;
}
