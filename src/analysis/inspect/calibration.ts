/**
 * Calibration (Guo et al. 2017, "On calibration of modern neural networks"): does a predicted confidence of 0.9 mean
 * right 90% of the time? Predictions are binned by their top-class probability into equal-width bins; the expected
 * calibration error is the bin-size-weighted mean gap between each bin's accuracy and its mean confidence, the
 * maximum calibration error the largest gap.
 */
import { tf } from "../../engine/tf.js";
import { featureSize, type Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";

export interface Predictions {
  /** Softmax probabilities, n x classes, row-major. */
  probabilities: Float32Array;
  predicted: Int32Array;
  classes: number;
}

/** The model's softmax outputs on every example, in chunks (evaluation mode). */
export function predictAll(model: Sequential, data: Dataset, chunk = 1000): Predictions {
  const size = featureSize(data);
  const classes = model.numOutputs;
  const probabilities = new Float32Array(data.n * classes);
  const predicted = new Int32Array(data.n);
  for (let start = 0; start < data.n; start += chunk) {
    const count = Math.min(chunk, data.n - start);
    const p = tf.tidy(() => tf.softmax(model.predict(tf.tensor2d(data.x.subarray(start * size, (start + count) * size), [count, size]))));
    probabilities.set(p.dataSync() as Float32Array, start * classes);
    p.dispose();
  }
  for (let i = 0; i < data.n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[i * classes + c]! > probabilities[i * classes + best]!) best = c;
    predicted[i] = best;
  }
  return { probabilities, predicted, classes };
}

export interface ReliabilityBin {
  /** The bin's confidence range [lower, upper). */
  lower: number;
  upper: number;
  count: number;
  /** NaN for an empty bin. */
  confidence: number;
  accuracy: number;
}

export interface Calibration {
  /** Expected calibration error: sum over bins of (count / n) |accuracy - confidence|. */
  ece: number;
  /** Maximum calibration error over non-empty bins. */
  mce: number;
  meanConfidence: number;
  accuracy: number;
  bins: ReliabilityBin[];
}

/** Calibration of predictions against labels, with `binCount` equal-width confidence bins over [0, 1]. */
export function calibration(predictions: Predictions, labels: Int32Array, binCount = 15): Calibration {
  const { probabilities, predicted, classes } = predictions;
  const n = labels.length;
  if (predicted.length !== n) throw new RangeError(`calibration: ${predicted.length} predictions but ${n} labels`);
  if (!(Number.isInteger(binCount) && binCount >= 1)) throw new RangeError(`calibration: bins must be an integer >= 1, got ${binCount}`);
  const count = new Float64Array(binCount);
  const confidenceSum = new Float64Array(binCount);
  const correctSum = new Float64Array(binCount);
  let confidenceTotal = 0;
  let correctTotal = 0;
  for (let i = 0; i < n; i++) {
    const confidence = probabilities[i * classes + predicted[i]!]!;
    const correct = predicted[i] === labels[i] ? 1 : 0;
    // a confidence of exactly 1 belongs to the last bin
    const b = Math.min(binCount - 1, Math.floor(confidence * binCount));
    count[b]!++;
    confidenceSum[b]! += confidence;
    correctSum[b]! += correct;
    confidenceTotal += confidence;
    correctTotal += correct;
  }
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const c = count[b]!;
    const confidence = c ? confidenceSum[b]! / c : Number.NaN;
    const accuracy = c ? correctSum[b]! / c : Number.NaN;
    if (c) {
      const gap = Math.abs(accuracy - confidence);
      ece += (c / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: b / binCount, upper: (b + 1) / binCount, count: c, confidence, accuracy });
  }
  return { ece, mce, meanConfidence: confidenceTotal / n, accuracy: correctTotal / n, bins };
}

/** counts[true][predicted]. */
export function confusionMatrix(labels: Int32Array, predicted: Int32Array, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) matrix[labels[i]!]![predicted[i]!]!++;
  return matrix;
}
