import { beforeAll, describe, expect, it } from "vitest";
import { tf } from "../../src/engine/tf.js";
import { initTestBackend } from "../backend.js";
import { Rng } from "../../src/core/rng.js";
import { DivergenceError, InterruptedError } from "../../src/core/errors.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { Dense } from "../../src/models/layers.js";
import { Sequential } from "../../src/models/sequential.js";
import { trainSpec, trainSpecWith } from "../../src/training/schema.js";
import { sequentialOrder } from "../../src/training/batches.js";
import { plateauStop } from "../../src/training/early-stop.js";
import { createOptimizer } from "../../src/training/optimizers.js";
import { learningRateAt, stepsPerEpochOf, totalStepsOf } from "../../src/training/schedule.js";
import { divergenceGuard, train, type TrainPlugin } from "../../src/training/loop.js";
import { epochOrder } from "../../src/training/batches.js";

/** Two Gaussian blobs per class in 8-D: learnable in a few epochs. */
function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const centres = Array.from({ length: 3 }, () => Array.from({ length: 8 }, () => rng.normal(0, 2)));
  const y = Int32Array.from({ length: n }, () => rng.int(3));
  const x = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) for (let j = 0; j < 8; j++) x[i * 8 + j] = centres[y[i]!]![j]! + rng.normal(0, 1);
  return makeDataset("blobs", x, y, [8], 3);
}

describe("optimizers match their textbook updates", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  function oneParamModel(w: number[]) {
    const layer = new Dense("d", 2, 1, { kind: "zero" }, new Rng(0), false);
    layer.params[0]!.variable.assign(tf.tensor2d(w, [2, 1]));
    return layer.params;
  }

  it("sgd, momentum and nesterov", () => {
    const g1 = [0.5, -1];
    const g2 = [0.25, 2];
    const cases = [
      { optimizer: "sgd", expect: (w: number, a: number, b: number) => w - 0.1 * a - 0.1 * b },
      { optimizer: "momentum", expect: (w: number, a: number, b: number) => w - 0.1 * a - 0.1 * (0.9 * a + b) },
      { optimizer: "nesterov", expect: (w: number, a: number, b: number) => w - 0.1 * (a + 0.9 * a) - 0.1 * (b + 0.9 * (0.9 * a + b)) },
    ] as const;
    for (const c of cases) {
      const params = oneParamModel([1, 2]);
      const opt = createOptimizer(trainSpec.parse({ optimizer: c.optimizer, lr: 0.1, momentum: 0.9 }));
      opt.step(params, [tf.tensor2d(g1, [2, 1])], 0.1);
      opt.step(params, [tf.tensor2d(g2, [2, 1])], 0.1);
      const w = params[0]!.variable.dataSync();
      expect(w[0]).toBeCloseTo(c.expect(1, g1[0]!, g2[0]!), 6);
      expect(w[1]).toBeCloseTo(c.expect(2, g1[1]!, g2[1]!), 6);
    }
  });

  it("adam with bias correction, and L2 weight decay", () => {
    const params = oneParamModel([1, -1]);
    const opt = createOptimizer(trainSpec.parse({ optimizer: "adam", lr: 0.01, weightDecay: 0.1 }));
    const grads = [[0.3, -0.2], [0.1, 0.4]];
    let m = [0, 0];
    let v = [0, 0];
    let w = [1, -1];
    grads.forEach((g, t) => {
      opt.step(params, [tf.tensor2d(g, [2, 1])], 0.01);
      w = w.map((wi, i) => {
        const gi = g[i]! + 0.1 * wi;
        m[i] = 0.9 * m[i]! + 0.1 * gi;
        v[i] = 0.999 * v[i]! + 0.001 * gi * gi;
        const mh = m[i]! / (1 - 0.9 ** (t + 1));
        const vh = v[i]! / (1 - 0.999 ** (t + 1));
        return wi - (0.01 * mh) / (Math.sqrt(vh) + 1e-8);
      });
    });
    const got = params[0]!.variable.dataSync();
    expect(got[0]).toBeCloseTo(w[0]!, 6);
    expect(got[1]).toBeCloseTo(w[1]!, 6);
  });

  it("step counts: a partial last batch is a step; train.steps overrides whole epochs, as the loop runs them", async () => {
    expect(stepsPerEpochOf(1000, 128)).toBe(8);
    expect(stepsPerEpochOf(1024, 128)).toBe(8);
    expect(totalStepsOf(trainSpec.parse({ batchSize: 128, epochs: 3 }), 1000)).toBe(24);
    expect(totalStepsOf(trainSpec.parse({ batchSize: 128, epochs: 3, steps: 10 }), 1000)).toBe(10);
    // the loop takes exactly that many steps over 30 examples in batches of 8 for 2 epochs: 4 + 4
    const model = buildModel(mlpSpec.parse({ hidden: [3] }), { input: [2], classes: 2 }, new Rng(1));
    const data = makeDataset("tiny", Float32Array.from({ length: 60 }, (_, i) => (i % 7) / 7), Int32Array.from({ length: 30 }, (_, i) => i % 2), [2], 2);
    let steps = 0;
    await train(model, data, trainSpec.parse({ batchSize: 8, epochs: 2, optimizer: "sgd" }), { order: new Rng(2), onStep: () => void steps++ });
    model.dispose();
    expect(steps).toBe(totalStepsOf(trainSpec.parse({ batchSize: 8, epochs: 2 }), 30));
  });

  it("schedules: warm-up, step, cosine and linear", () => {
    const base = trainSpec.parse({ lr: 1, warmupSteps: 4 });
    expect(learningRateAt(base, 0, 100, 10)).toBe(0.25);
    expect(learningRateAt(base, 10, 100, 10)).toBe(1);
    const step = trainSpec.parse({ lr: 1, schedule: "step", stepEvery: 2, stepGamma: 0.5 });
    expect(learningRateAt(step, 39, 100, 10)).toBe(0.5);
    const cos = trainSpec.parse({ lr: 1, schedule: "cosine" });
    expect(learningRateAt(cos, 50, 100, 10)).toBeCloseTo(0.5, 12);
    const lin = trainSpec.parse({ lr: 1, schedule: "linear" });
    expect(learningRateAt(lin, 75, 100, 10)).toBeCloseTo(0.25, 12);
  });
});

describe("training loop", () => {
  beforeAll(async () => {
    await initTestBackend();
  });

  it("learns separable blobs and reports per-epoch metrics", async () => {
    const data = blobs(600, 1);
    const test = blobs(300, 1);
    const model = buildModel(mlpSpec.parse({ kind: "mlp", hidden: [16] }), { input: [8], classes: 3 }, new Rng(1));
    const tensorsBefore = tf.memory().numTensors;
    const result = await train(model, data, trainSpec.parse({ epochs: 5, batchSize: 32, lr: 0.01 }), { order: new Rng(2), test });
    expect(result.history).toHaveLength(5);
    expect(result.history[4]!.trainLoss).toBeLessThan(result.history[0]!.trainLoss);
    expect(result.history[4]!.testAccuracy).toBeGreaterThan(0.9);
    expect(tf.memory().numTensors).toBe(tensorsBefore); // no tensor leaks per step
    model.dispose();
  });

  it("draws each epoch's order from the caller's stream only", () => {
    const a = epochOrder(10, 4, new Rng(5)).map((b) => Array.from(b));
    const b = epochOrder(10, 4, new Rng(5)).map((b) => Array.from(b));
    expect(a).toEqual(b);
    expect(a.map((x) => x.length)).toEqual([4, 4, 2]);
  });

  it("stops a diverging run with an error naming epoch and step", async () => {
    const data = blobs(256, 2);
    const model = buildModel(mlpSpec.parse({ kind: "mlp", hidden: [16] }), { input: [8], classes: 3 }, new Rng(1));
    const cfg = trainSpec.parse({ optimizer: "sgd", lr: 1e5, epochs: 20, batchSize: 32, divergenceFactor: 0 });
    const error = await train(model, data, cfg, { order: new Rng(1) }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as DivergenceError).message).toMatch(/loss is (NaN|Infinity|-Infinity) at epoch \d+, step \d+/);
    expect((error as DivergenceError).hint).toMatch(/lower the learning rate/);
    model.dispose();
    const fresh = buildModel(mlpSpec.parse({ kind: "mlp", hidden: [16] }), { input: [8], classes: 3 }, new Rng(1));
    const exploding = await train(fresh, data, trainSpec.parse({ optimizer: "sgd", lr: 1e3, epochs: 20, batchSize: 32 }), { order: new Rng(1) }).then(() => null, (e: unknown) => e);
    expect(exploding).toBeInstanceOf(DivergenceError);
    expect((exploding as Error).message).toMatch(/above 10000 x the first batch's loss/);
    fresh.dispose();
  });

  it("calls plugin hooks in order, adds their loss terms, and honours cancellation", async () => {
    const data = blobs(64, 3);
    const model = new Sequential([new Dense("d", 8, 3, { kind: "xavier" }, new Rng(1))], [8]);
    const calls: string[] = [];
    const controller = new AbortController();
    const plugin: TrainPlugin = {
      name: "spy",
      beforeTraining: () => void calls.push("beforeTraining"),
      beforeEpoch: (s) => void calls.push(`beforeEpoch ${s.epoch}`),
      lossTerms: () => tf.scalar(1000),
      afterBatch: (s, info) => {
        calls.push(`afterBatch ${s.step} ${info.loss > 1000 ? "with-term" : "without"}`);
        if (s.step === 3) controller.abort("test");
      },
    };
    const error = await train(model, data, trainSpec.parse({ epochs: 3, batchSize: 16 }), { order: new Rng(1), plugins: [plugin], signal: controller.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect(calls).toEqual(["beforeTraining", "beforeEpoch 1", "afterBatch 1 with-term", "afterBatch 2 with-term", "afterBatch 3 with-term"]);
    model.dispose();
  });

  it("the loop's own steps are plugins: the divergence guard stops before the update, evaluation fills the epoch's metrics before other plugins see them, transformLogits changes what the loss sees", async () => {
    const data = blobs(64, 4);
    // the guard: a loss above the limit at step 2 leaves the weights of step 1
    const model = new Sequential([new Dense("d", 8, 3, { kind: "xavier" }, new Rng(1))], [8]);
    const cfg = trainSpec.parse({ optimizer: "sgd", lr: 0.1, epochs: 1, batchSize: 16 });
    let afterFirst: Float32Array | null = null;
    const record: TrainPlugin = { name: "record", afterBatch: (s) => void (s.step === 1 ? (afterFirst = model.getFlat()) : null) };
    const guard = divergenceGuard(1.5);
    let calls = 0;
    const inflate: TrainPlugin = { name: "inflate", lossTerms: () => tf.scalar(++calls === 2 ? 1e6 : 0) };
    const error = await train(model, data, cfg, { order: new Rng(1), plugins: [record, inflate, guard] }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toMatch(/at epoch 1, step 2 \(above 1\.5 x the first batch's loss/);
    expect(Array.from(model.getFlat())).toEqual(Array.from(afterFirst!));
    model.dispose();
    // evaluation comes before the plugins' afterEpoch; a logit transform changes the loss, not the loss terms' logits
    const net = new Sequential([new Dense("d", 8, 3, { kind: "xavier" }, new Rng(2))], [8]);
    const seen: number[] = [];
    const termLogits: number[] = [];
    const plugin: TrainPlugin = {
      name: "spy",
      transformLogits: (_s, _b, logits) => tf.mul(logits, 0),
      lossTerms: (_s, _b, logits) => void termLogits.push(tf.sum(tf.abs(logits)).dataSync()[0]!),
      afterEpoch: (_s, m) => void seen.push(m.testAccuracy!),
    };
    const result = await train(net, data, trainSpec.parse({ optimizer: "sgd", lr: 0.1, epochs: 1, batchSize: 64 }), { order: new Rng(1), plugins: [plugin], test: data });
    expect(seen).toEqual([result.history[0]!.testAccuracy]);
    expect(result.history[0]!.trainLoss).toBeCloseTo(Math.log(3), 5); // all-zero logits: the loss of a uniform guess
    expect(termLogits[0]).toBeGreaterThan(0);
    net.dispose();
  });

  it("sequential order keeps the stream's order; trainSpecWith keeps protocol defaults under partial overrides", () => {
    expect(sequentialOrder(5, 2).map((b) => Array.from(b))).toEqual([[0, 1], [2, 3], [4]]);
    const spec = trainSpecWith({ optimizer: "sgd", lr: 0.1 });
    expect(spec.parse({ epochs: 3 })).toMatchObject({ optimizer: "sgd", lr: 0.1, epochs: 3 });
    expect(spec.parse({ optimizer: "adam" }).optimizer).toBe("adam");
    expect(() => trainSpecWith({ nope: 1 } as never)).toThrow(/no training field/);
  });

  it("plateau stop ends training after `patience` epochs without a 1% improvement", () => {
    const plugin = plateauStop(2);
    const state = { stop: false } as never as { stop: boolean };
    const losses = [1, 0.5, 0.499, 0.498, 0.3];
    let stoppedAt = 0;
    for (const [i, trainLoss] of losses.entries()) {
      plugin.afterEpoch!(state as never, { epoch: i + 1, trainLoss } as never);
      if (state.stop) {
        stoppedAt = i + 1;
        break;
      }
    }
    expect(stoppedAt).toBe(4);
    expect(plugin.stoppedAt).toBe(4);
  });
});
