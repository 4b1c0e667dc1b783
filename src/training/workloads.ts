/**
 * The five reference workloads of quirklab's bench, on quirklab's own engine (one step each, float32): measured by
 * `npm run bench` against PyTorch and by the lab's "measure speed" in the page, so they live in the product.
 */
import { tf } from "../engine/tf.js";
import { lossValue } from "../engine/loss.js";
import { inputGradient } from "../engine/gradients.js";
import { signStep } from "../engine/fused-kernels.js";
import { hessianVectorProduct } from "../engine/hvp.js";
import { Rng } from "../core/rng.js";
import { buildModel, cnnSpec, mlpSpec } from "../models/builders.js";
import { createOptimizer } from "./optimizers.js";
import { trainSpec } from "./schema.js";
import type { Sequential } from "../models/sequential.js";

export const WORKLOADS = {
  a: "MLP 784-256-256-10, batch 128, train step",
  b: "MLP 784-1200-1200-10, batch 100, train step",
  c: "CNN conv5x5x32-pool-conv5x5x64-pool-1024-10, batch 64, train step",
  d: "FGSM on (a): input gradient + sign/clip, batch 256",
  e: "exact Hessian-vector product on (a), 1,000 examples",
} as const;
export type WorkloadName = keyof typeof WORKLOADS;

export interface Workload {
  batch: number;
  step(): void;
  dispose(): void;
}

/**
 * Reads one element, as the PyTorch reference reads float(t[0, 0]) (the train steps read their scalar loss). Reading
 * the whole array would hand it to the caller for good: the engine could not recycle it (a user may hold what dataSync
 * returned), so every step would allocate, page-fault and GC a fresh output that neither side of the comparison needs.
 */
function firstValue(t: tf.Tensor): number {
  return tf.tidy(() => tf.gather(tf.reshape(t, [-1]), [0]).dataSync()[0]!);
}

function randomBatch(model: Sequential, batch: number, rng: Rng) {
  const x = tf.tensor2d(Float32Array.from({ length: batch * 784 }, () => rng.next()), [batch, 784]);
  const y = tf.tensor1d(Int32Array.from({ length: batch }, () => rng.int(10)), "int32");
  return { x: model.shapeInput(x), y, raw: x };
}

export function makeWorkload(name: WorkloadName): Workload {
  const rng = new Rng(1);
  const shape = { input: [28, 28, 1], classes: 10 };
  const model =
    name === "b"
      ? buildModel(mlpSpec.parse({ hidden: [1200, 1200] }), shape, rng)
      : name === "c"
        ? buildModel(cnnSpec.parse({ kind: "cnn", filters: [32, 64], kernelSize: 5, padding: "same", dense: [1024] }), shape, rng)
        : buildModel(mlpSpec.parse({ hidden: [256, 256] }), shape, rng);
  const batch = { a: 128, b: 100, c: 64, d: 256, e: 1000 }[name];
  const { x, y, raw } = randomBatch(model, batch, rng);
  const params = model.params();
  const variables = params.map((p) => p.variable);
  const optimizer = createOptimizer(trainSpec.parse({ optimizer: "sgd", lr: 0.01 }));
  const v = params.map((p) => tf.randomNormal(p.variable.shape, 0, 1, "float32", rng.nextSeed()));
  const steps: Record<WorkloadName, () => void> = {
    a: trainStep,
    b: trainStep,
    c: trainStep,
    d: () => {
      // the library's FGSM step, as LinfFgsm and adversarial training take it
      const adv = tf.tidy(() => signStep(x, inputGradient(model, x, y, "softmax-ce", "sum").grad, 0.1, 0, 1));
      firstValue(adv);
      adv.dispose();
    },
    e: () => {
      const hv = hessianVectorProduct(model, x, y, "softmax-ce", v);
      firstValue(hv[0]!);
      tf.dispose(hv);
    },
  };
  function trainStep() {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => lossValue("softmax-ce", model.forward(x, { training: true }), y) as tf.Scalar, variables);
      value.dataSync();
      optimizer.step(params, variables.map((variable) => grads[variable.name]!), 0.01);
    });
  }
  return {
    batch,
    step: steps[name],
    dispose() {
      tf.dispose([x, y, raw, ...v]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

/** Samples per second over `blocks` timed blocks of at least `minBlockSeconds`, after a warm-up. */
export function measure(workload: Workload, blocks: number, minBlockSeconds: number, warmupSeconds: number): number[] {
  const now = () => performance.now() / 1000;
  const start = now();
  while (now() - start < warmupSeconds) workload.step();
  const rates: number[] = [];
  for (let b = 0; b < blocks; b++) {
    let n = 0;
    const t0 = now();
    let elapsed = 0;
    do {
      workload.step();
      n++;
      elapsed = now() - t0;
    } while (elapsed < minBlockSeconds);
    rates.push((n * workload.batch) / elapsed);
  }
  return rates;
}

export function median(values: number[]): number {
  const s = [...values].sort((p, q) => p - q);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
