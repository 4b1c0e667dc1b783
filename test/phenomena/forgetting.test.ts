import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tf } from "../../src/engine/tf.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { getExperiment, runExperiment } from "../../src/run/runner.js";
import { resolveConfig } from "../../src/run/config.js";
import { ConfigError } from "../../src/core/errors.js";
import type { ExperimentDefinition } from "../../src/phenomena/experiment.js";
import type { streamSchema } from "../../src/phenomena/forgetting/stream.schema.js";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/data/dataset.js";
import { buildModel, mlpSpec } from "../../src/models/builders.js";
import { continualMetrics } from "../../src/analysis/continual/metrics.js";
import { diagonalFisher } from "../../src/analysis/continual/fisher.js";
import { EpisodicMemory, ReservoirBuffer } from "../../src/analysis/continual/buffer.js";
import { agemPlugin, anchorPenaltyPlugin, lwfPlugin, mergeAnchors } from "../../src/analysis/continual/plugins.js";
import { parameterGradients } from "../../src/engine/gradients.js";
import { initTestBackend } from "../backend.js";
import { evaluate } from "../../src/training/evaluate.js";

describe("forgetting", () => {
  let backend: BackendInfo;
  beforeAll(async () => {
    backend = await initTestBackend();
  });

  it("stream: a train.lr that the strategies' own rates would override is refused, naming them; a per-strategy rate is taken", () => {
    const def = getExperiment("stream") as unknown as ExperimentDefinition<typeof streamSchema>;
    expect(() => resolveConfig(def, { preset: "quick", sets: ["train.lr=0.05"] })).toThrow(ConfigError);
    expect(() => resolveConfig(def, { preset: "quick", sets: ["train.lr=0.05"] })).toThrow(/train\.lr: 0\.05 would not be used by naive, agem: .*learningRates \(naive 0\.03, agem 0\.1/);
    const perStrategy = resolveConfig(def, { preset: "quick", sets: ["learningRates.naive=0.05"] });
    expect(perStrategy.learningRates.naive).toBe(0.05);
    // train.lr is taken where it is used: by a strategy without a rate of its own, or matching the rates given
    expect(resolveConfig(def, { preset: "quick", sets: ["train.lr=0.05", 'strategies=["replay"]'] }).train.lr).toBe(0.05);
    expect(resolveConfig(def, { preset: "quick", sets: ["train.lr=0.05", "learningRates.naive=0.05", "learningRates.agem=0.05"] }).train.lr).toBe(0.05);
  });

  it("ACC, BWT, FWT and forgetting of a hand-made matrix equal the GEM formulas", () => {
    const R = [
      [0.9, 0.2, 0.1],
      [0.6, 0.95, 0.15],
      [0.5, 0.7, 0.97],
    ];
    const b = [0.1, 0.12, 0.08];
    const m = continualMetrics(R, b);
    expect(m.acc).toBeCloseTo((0.5 + 0.7 + 0.97) / 3, 12);
    expect(m.bwt).toBeCloseTo((0.5 - 0.9 + (0.7 - 0.95)) / 2, 12);
    expect(m.fwt).toBeCloseTo((0.2 - 0.12 + (0.15 - 0.08)) / 2, 12);
    expect(m.forgetting[0]).toBeCloseTo(0.4, 12);
    expect(m.forgetting[1]).toBeCloseTo(0.25, 12);
    expect(m.forgetting[2]).toBe(0);
    expect(() => continualMetrics([[1, 2]], [0])).toThrow(/square/);
  });

  it("the diagonal Fisher of softmax regression equals the closed form mean of (x (p - e_y))^2", () => {
    const rng = new Rng(21);
    const n = 6;
    const xs = Float32Array.from({ length: n * 3 }, () => rng.normal());
    const ys = Int32Array.from({ length: n }, (_, i) => i % 4);
    const data = makeDataset("toy", xs, ys, [3], 4);
    const model = buildModel(mlpSpec.parse({ hidden: [], init: "xavier" }), { input: [3], classes: 4 }, new Rng(22));
    const [W, bias] = model.params().map((p) => Array.from(p.variable.dataSync()));
    const fisher = diagonalFisher(model, data, n, "empirical", new Rng(1));
    const expected = new Float64Array(3 * 4 + 4);
    for (let i = 0; i < n; i++) {
      const x = Array.from(xs.subarray(i * 3, i * 3 + 3));
      const logits = [0, 1, 2, 3].map((k) => bias![k]! + x.reduce((s, v, d) => s + v * W![d * 4 + k]!, 0));
      const max = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - max));
      const z = e.reduce((a, b) => a + b, 0);
      const delta = e.map((v, k) => v / z - (k === ys[i] ? 1 : 0));
      for (let d = 0; d < 3; d++) for (let k = 0; k < 4; k++) expected[d * 4 + k]! += (x[d]! * delta[k]!) ** 2 / n;
      for (let k = 0; k < 4; k++) expected[12 + k]! += delta[k]! ** 2 / n;
    }
    for (let j = 0; j < expected.length; j++) expect(fisher[j]).toBeCloseTo(expected[j]!, 5);
    // the sampled Fisher draws labels from the model and is seeded
    expect(Array.from(diagonalFisher(model, data, n, "sampled", new Rng(3)))).toEqual(Array.from(diagonalFisher(model, data, n, "sampled", new Rng(3))));
    model.dispose();
  });

  it("the reservoir holds a uniform sample of everything offered (chi-square, fixed seed)", () => {
    const offered = 100;
    const counts = new Array<number>(offered).fill(0);
    const trials = 2000;
    const rng = new Rng(5);
    for (let t = 0; t < trials; t++) {
      const buffer = new ReservoirBuffer(10, 1, rng);
      for (let i = 0; i < offered; i++) buffer.offer(Float32Array.of(i), i);
      expect(buffer.size).toBe(10);
      for (const y of buffer.y) counts[y]!++;
    }
    const expected = (trials * 10) / offered;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 99 degrees of freedom: the 99.9% quantile is 148.2; a sampler biased to early or late items fails by far
    expect(chi2).toBeLessThan(148.2);
    expect(Math.abs(counts.slice(0, 50).reduce((a, b) => a + b, 0) - counts.slice(50).reduce((a, b) => a + b, 0))).toBeLessThan(0.05 * trials * 10);
  });

  it("the anchor penalty is lambda/2 sum F (theta - theta*)^2, and online EWC merges importances", () => {
    const model = buildModel(mlpSpec.parse({ hidden: [3] }), { input: [2], classes: 2 }, new Rng(9));
    const theta = model.getFlat();
    const size = theta.length;
    const anchorTheta = theta.map((v, i) => v + 0.1 * ((i % 3) - 1));
    const importance = Float32Array.from({ length: size }, (_, i) => (i % 5) / 5);
    const plugin = anchorPenaltyPlugin(model, [{ theta: anchorTheta, importance }], 4);
    const value = tf.tidy(() => (plugin.lossTerms!({} as never, {} as never, tf.scalar(0)) as tf.Tensor).dataSync()[0]!);
    let expected = 0;
    for (let i = 0; i < size; i++) expected += importance[i]! * (theta[i]! - anchorTheta[i]!) ** 2;
    expect(value).toBeCloseTo(2 * expected, 5);
    plugin.dispose();
    // three anchors, combined into one quadratic, give the same penalty as the three summed, wherever theta is
    const anchors = [0.1, -0.3, 0.7].map((shift, k) => ({
      theta: theta.map((v, i) => v + shift * (((i + k) % 4) - 1.5)),
      importance: Float32Array.from({ length: size }, (_, i) => ((i * (k + 2)) % 7) / 7),
    }));
    const three = anchorPenaltyPlugin(model, anchors, 3);
    const single = anchors.map((a) => anchorPenaltyPlugin(model, [a], 3));
    const penalty = (p: typeof three) => tf.tidy(() => (p.lossTerms!({} as never, {} as never, tf.scalar(0)) as tf.Tensor).dataSync()[0]!);
    for (const step of [0, 0.2, -0.5]) {
      model.setFlat(theta.map((v, i) => v + step * Math.sin(i)));
      const summed = single.reduce((s, p) => s + penalty(p), 0);
      expect(penalty(three)).toBeCloseTo(summed, 4);
      const now = model.getFlat();
      let direct = 0;
      for (const a of anchors) for (let i = 0; i < size; i++) direct += a.importance[i]! * (now[i]! - a.theta[i]!) ** 2;
      expect(penalty(three)).toBeCloseTo(1.5 * direct, 4);
    }
    [three, ...single].forEach((p) => p.dispose());
    model.setFlat(theta);
    const merged = mergeAnchors({ theta: anchorTheta, importance }, theta, importance, 0.5);
    expect(merged.theta).toBe(theta);
    expect(merged.importance[4]).toBeCloseTo(1.5 * importance[4]!, 6);
    model.dispose();
  });

  it("quick preset: the accuracy matrix is filled and the verdict follows the measured drops", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-permuted-"));
    const summary = await runExperiment({ experiment: "permuted", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m["naive.task1After"]!).toBeGreaterThan(0.8);
    expect(m["naive.task1Drop"]!).toBeGreaterThan(0.05); // it forgets
    expect(m["naive.lastTask"]!).toBeGreaterThan(0.8);
    expect(m["ewc.task1Drop"]!).toBeLessThan(m["naive.task1Drop"]!); // EWC forgets less
    expect([10, 30]).toContain(m["ewc.lambda"]);
    const R = (summary.details!.naive as { R: number[][] }).R;
    expect(R.length).toBe(3);
    expect(R.every((row) => row.length === 3)).toBe(true);
    const v = summary.verdict!;
    expect(v.measured).toBe(m["naive.task1Drop"]);
    expect(v.reproduced).toBe(m["naive.task1Drop"]! >= 0.25 && m["naive.bwt"]! <= -0.15 && m["ewc.task1Drop"]! <= 0.1 && m["ewc.acc"]! - m["naive.acc"]! >= 0.1);
  });

  it("split MNIST quick preset: fine-tuning forgets the earlier pairs, replay keeps most of them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-split-"));
    const summary = await runExperiment({ experiment: "split-class-incremental", preset: "quick", seed: 1, runsDir: dir, backend, data: new NodeDataSource() });
    expect(summary.status).toBe("complete");
    const m = summary.metrics;
    expect(m["naive.lastTask"]!).toBeGreaterThan(0.9);
    expect(m["naive.oldTasks"]!).toBeLessThan(0.1);
    expect(m["replay.oldTasks"]!).toBeGreaterThan(m["naive.oldTasks"]! + 0.3);
    expect(summary.verdict!.reproduced).toBe(m["naive.oldTasks"]! <= 0.05 && m["replay.acc"]! >= 0.7);
  });
});

describe("A-GEM", () => {
  it("projects a conflicting gradient onto the memory gradient's half-space and leaves an agreeing one alone", async () => {
    await initTestBackend();
    const rng = new Rng(11);
    const data = makeDataset("mem", Float32Array.from({ length: 30 * 6 }, () => rng.normal()), Int32Array.from({ length: 30 }, (_, i) => i % 3), [6], 3);
    const model = buildModel(mlpSpec.parse({ hidden: [4] }), { input: [6], classes: 3 }, new Rng(12));
    const memory = new EpisodicMemory(10);
    memory.addTask(data);
    expect(memory.size).toBe(10);
    // the reference gradient the plugin will compute: the same draw from the memory, the same model
    const reference = (seed: number) => {
      const s = memory.sample(8, new Rng(seed));
      return tf.tidy(() => parameterGradients(model, tf.tensor2d(s.x, [8, 6]), tf.tensor1d(s.y, "int32"), "softmax-ce").grads.map((g) => Array.from(g.dataSync())));
    };
    const ref = reference(5);
    const flat = (gs: number[][]) => gs.flat();
    const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    const run = (grads: number[][]) => {
      const plugin = agemPlugin(model, memory, 8, new Rng(5));
      const out = tf.tidy(() => {
        const shaped = model.params().map((p, i) => tf.tensor(grads[i]!, p.variable.shape));
        const result = plugin.transformGradients!({} as never, shaped) ?? shaped;
        return result.map((g) => Array.from(g.dataSync()));
      });
      return { out, stats: plugin.stats() };
    };
    // a gradient pointing against the memory's: g = -ref + small orthogonal-ish part
    const against = ref.map((r, i) => r.map((v, j) => -v + 0.01 * Math.sin(i * 7 + j)));
    const projected = run(against);
    expect(projected.stats).toEqual({ steps: 1, projected: 1 });
    expect(dot(flat(projected.out), flat(ref))).toBeCloseTo(0, 5); // on the boundary of the half-space
    const g = flat(against);
    const k = dot(g, flat(ref)) / dot(flat(ref), flat(ref));
    flat(projected.out).forEach((v, i) => expect(v).toBeCloseTo(g[i]! - k * flat(ref)[i]!, 5));
    // an agreeing gradient passes unchanged
    const along = ref.map((r) => r.map((v) => 2 * v));
    const kept = run(along);
    expect(kept.stats).toEqual({ steps: 1, projected: 0 });
    expect(flat(kept.out)).toEqual(flat(along).map((v) => Math.fround(v)));
    model.dispose();
  });

  it("the episodic memory keeps the last examples of each task and samples across all of them", () => {
    const memory = new EpisodicMemory(3);
    memory.addTask(makeDataset("a", Float32Array.from({ length: 5 }, (_, i) => i), Int32Array.from([0, 1, 2, 0, 1]), [1], 3));
    memory.addTask(makeDataset("b", Float32Array.from({ length: 4 }, (_, i) => 10 + i), Int32Array.from([2, 2, 2, 2]), [1], 3));
    expect(memory.size).toBe(6);
    const s = memory.sample(600, new Rng(1));
    const seen = new Set(Array.from(s.x));
    expect([...seen].sort((a, b) => a - b)).toEqual([2, 3, 4, 11, 12, 13]);
    expect(() => new EpisodicMemory(0)).toThrow(/positive integer/);
  });

  it("stream quick preset: single-pass SGD against A-GEM, verdict computed from BWT and ACC; same run, same numbers", async () => {
    const backend = await initTestBackend();
    const run = () => runExperiment({ experiment: "stream", preset: "quick", seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-stream-")), backend, data: new NodeDataSource() });
    const summary = await run();
    const m = summary.metrics;
    expect(summary.details!.naive).toBeDefined();
    expect((summary.details!.agem as { R: number[][] }).R).toHaveLength(5);
    expect(m["agem.projectedSteps"]!).toBeGreaterThan(0);
    expect(m["agem.bwt"]!).toBeGreaterThan(m["naive.bwt"]!); // memory constraints forget less
    expect(summary.verdict!.reproduced).toBe(m["agem.bwt"]! - m["naive.bwt"]! >= 0.1 && m["agem.acc"]! > m["naive.acc"]!);
    expect((await run()).metrics).toEqual(m);
  });
});

describe("LwF", () => {
  it("pulls the old classes' outputs back to the teacher's: zero gradient at the teacher, blind to the new classes", async () => {
    await initTestBackend();
    const rng = new Rng(21);
    const x = tf.tensor2d(Float32Array.from({ length: 12 * 5 }, () => rng.normal()), [12, 5]);
    const model = buildModel(mlpSpec.parse({ hidden: [6] }), { input: [5], classes: 4 }, new Rng(22));
    const teacher = buildModel(mlpSpec.parse({ hidden: [6] }), { input: [5], classes: 4 }, new Rng(23));
    teacher.setFlat(model.getFlat());
    const plugin = lwfPlugin(teacher, [0, 1], 1, 2);
    const gradNorm = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => plugin.lossTerms!({} as never, { x, y: tf.zeros([12], "int32"), indices: new Int32Array(12) }, model.predict(x)) as tf.Scalar, model.params().map((p) => p.variable));
        return Math.sqrt(Object.values(grads).reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0]!, 0));
      });
    expect(gradNorm()).toBeLessThan(1e-5); // the student equals the teacher: nothing to correct
    // move only the bias of classes 2 and 3 (new classes): the old-class soft targets do not see it
    const theta = model.getFlat();
    const shifted = theta.slice();
    shifted[theta.length - 1]! += 3;
    shifted[theta.length - 2]! -= 3;
    model.setFlat(shifted);
    expect(gradNorm()).toBeLessThan(1e-5);
    // move an old class's bias: now the term pulls it back
    shifted[theta.length - 4]! += 3;
    model.setFlat(shifted);
    expect(gradNorm()).toBeGreaterThan(1e-2);
    tf.dispose(x);
    model.dispose();
    teacher.dispose();
  });
});

describe("task-incremental heads", () => {
  it("a head mask lets softmax, loss and argmax see only the example's own head", async () => {
    await initTestBackend();
    const { headMask } = await import("../../src/training/evaluate.js");
    const heads = [[0, 1], [2, 3]];
    const mask = headMask(4, heads, [1, 2]);
    expect(Array.from(mask.dataSync())).toEqual([0, 0, -1e9, -1e9, -1e9, -1e9, 0, 0]);
    mask.dispose();
    expect(() => headMask(4, [[0, 1], [1, 2]], [0])).toThrow(/two heads/);
    // a model that prefers class 3 everywhere: within head {0, 1} it must still choose between 0 and 1
    const model = buildModel(mlpSpec.parse({ hidden: [] }), { input: [2], classes: 4 }, new Rng(3));
    const theta = model.getFlat();
    theta.fill(0);
    theta[theta.length - 1] = 5; // bias of class 3
    theta[theta.length - 4] = 1; // bias of class 0
    model.setFlat(theta);
    const data = makeDataset("h", new Float32Array(4), Int32Array.from([0, 1]), [2], 4);
    expect(evaluate(model, data).accuracy).toBe(0); // one head: class 3 wins
    expect(evaluate(model, data, "softmax-ce", 1000, heads).accuracy).toBe(0.5); // its head: 0 beats 1, right for the 0
    model.dispose();
  });

  it("split-task-incremental quick preset: with a head per pair the earlier pairs survive fine-tuning; verdict from the metrics", async () => {
    const backend = await initTestBackend();
    // ~50 s on native; on wasm (several times slower) the same code runs on half the digits and one lambda
    const sets = backend.name === "native" ? [] : ["data.trainSize=2000", "ewc.lambdas=[100]"];
    const summary = await runExperiment({ experiment: "split-task-incremental", preset: "quick", sets, seed: 1, runsDir: mkdtempSync(join(tmpdir(), "quirklab-taskil-")), backend, data: new NodeDataSource() });
    const m = summary.metrics;
    expect(m["naive.oldTasks"]!).toBeGreaterThan(0.5); // class-incremental fine-tuning keeps 0% of them
    expect(summary.verdict!.reproduced).toBe(m["ewc.acc"]! >= 0.95 && m["naive.acc"]! >= 0.8);
  });
});
