/**
 * The defects of the reliability review, each reproduced: results for other data reused, a damaged summary.json
 * blocking everything, a full disk leaving a half-written run, two identical runs corrupting each other, a killed
 * owner, two Ctrl-C, raw stack traces, misreported sizes, argument parsing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { run } from "../support/spawn.js";
import type { BackendInfo } from "../../src/engine/backend.js";
import { ConfigError, DataError } from "../../src/core/errors.js";
import { NodeDataSource } from "../../src/data/node-source.js";
import { runExperiment } from "../../src/run/runner.js";
import { currentFileSystem, readJsonLines, useFileSystem } from "../../src/store/files.js";
import { readRunSummary } from "../../src/store/summary-schema.js";
import { folderState } from "../../src/store/folders.js";
import { LOCK_FILE } from "../../src/store/lock.js";
import type { RunSummary } from "../../src/store/summary.js";
import { initTestBackend, repeatPass, testBackendChoice } from "../backend.js";
import { writeIdxFolder } from "../support/idx-folder.js";

const tiny = ["data.trainSize=300", "data.testSize=200", "train.epochs=2", "model.hidden=[32]"];
const root = join(import.meta.dirname, "..", "..");
const cli = ["--import", "tsx", join(root, "src", "cli", "main.ts")];
const env = { ...process.env, CI: "true" };

function quirklab(args: string[]) {
  return run(process.execPath, [...cli, ...args], { env });
}

/** One "error:" line and a "fix:" line, and no stack trace. */
function expectCleanError(stderr: string, pattern: RegExp) {
  expect(stderr).toMatch(pattern);
  expect(stderr).toMatch(/^error: /m);
  expect(stderr).not.toMatch(/^\s+at /m);
}

function runIdOf(stderr: string): string {
  return /-> .*\/([0-9a-f]{12})/.exec(stderr)![1]!;
}

function waitFor(child: ChildProcess, pattern: RegExp, onMatch: () => void): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  let fired = false;
  return new Promise((resolve) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!fired && pattern.test(stderr)) {
        fired = true;
        onMatch();
      }
    });
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(repeatPass)("reliability (backend-independent: the first pass only)", () => {
  let backend: BackendInfo;
  const mnist = new NodeDataSource();
  let full: { train: Awaited<ReturnType<NodeDataSource["load"]>>; test: Awaited<ReturnType<NodeDataSource["load"]>> };
  beforeAll(async () => {
    backend = await initTestBackend();
    full = { train: await mnist.load("mnist", "train"), test: await mnist.load("mnist", "test") };
  });

  it("a run id covers the data's content: other data under the same name is never reused; a user folder cannot shadow mnist", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-data-id-"));
    const folder = writeIdxFolder(mkdtempSync(join(tmpdir(), "quirklab-idx-")), full, { n: 400 }, { n: 200 });
    const sets = [...tiny, "data.dataset=mine"];
    const first = await runExperiment({ experiment: "baseline", preset: "quick", sets, seed: 1, runsDir, backend, data: new NodeDataSource({ mine: folder }), report: false });
    expect(first.data!.mine).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(JSON.parse(readFileSync(join(runsDir, first.runId, "manifest.json"), "utf8")).data).toEqual(first.data);
    // same name, other content: the labels rotated
    writeIdxFolder(folder, full, { n: 400, relabel: (y) => (y + 1) % 10 }, { n: 200, relabel: (y) => (y + 1) % 10 });
    const lines: string[] = [];
    const reporter = { update() {}, stop() {}, line: (t: string) => lines.push(t) };
    const second = await runExperiment({ experiment: "baseline", preset: "quick", sets, seed: 1, runsDir, backend, data: new NodeDataSource({ mine: folder }), report: false, reporter });
    expect(second.runId).not.toBe(first.runId);
    expect(second.data!.mine).not.toBe(first.data!.mine);
    expect(lines.join("\n")).not.toMatch(/reusing/);
    const onMnist = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir, backend, data: mnist, report: false });
    expect([first.runId, second.runId]).not.toContain(onMnist.runId);
    expect(() => new NodeDataSource({ mnist: folder })).toThrow(ConfigError);
    expect(() => new NodeDataSource({ mnist: folder })).toThrow(/"mnist" is a built-in dataset/);
    const shadow = await quirklab(["run", "baseline", "--preset", "quick", "--data-dir", `mnist=${folder}`, "--runs-dir", runsDir]);
    expect(shadow.status).toBe(2);
    expectCleanError(shadow.stderr, /built-in dataset[\s\S]*fix: .*--data-dir my-mnist=/);
  });

  it("a damaged summary.json never blocks a run, and show / report / compare name the file and the fix", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-damaged-"));
    const run = () => runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir, backend, data: mnist, report: false });
    const first = await run();
    const summaryPath = join(runsDir, first.runId, "summary.json");
    truncateSync(summaryPath, 300);
    for (const command of ["show", "report"]) {
      const out = await quirklab([command, first.runId, "--runs-dir", runsDir]);
      expect(out.status).toBe(1);
      expectCleanError(out.stderr, /summary\.json: not valid JSON[\s\S]*fix: .*--force/);
    }
    // the same request runs again instead of failing on the damaged file
    const again = await run();
    expect(again.status).toBe("complete");
    expect(again.metrics).toEqual(first.metrics);
    const { metrics: _m, kind: _k, ...withoutFields } = again;
    writeFileSync(summaryPath, JSON.stringify(withoutFields));
    const compare = await quirklab(["compare", first.runId, first.runId, "--runs-dir", runsDir]);
    expect(compare.status).toBe(1);
    expectCleanError(compare.stderr, /summary\.json: is not a quirklab run summary/);
    expect(compare.stderr).not.toMatch(/is an aggregate/);
  });

  it("a full disk: the write's own ENOSPC is reported, no temp file is left, and the folder reads as interrupted until a rerun completes it", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-full-"));
    const real = currentFileSystem();
    let full = false;
    const enospc = (path: string) => Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC", syscall: "write", path });
    const restore = useFileSystem({
      ...real,
      writeFileSync(path, data) {
        if (path.includes("weights.bin")) full = true;
        if (full) {
          real.writeFileSync(path, typeof data === "string" ? data.slice(0, 10) : data.subarray(0, 10));
          throw enospc(path);
        }
        real.writeFileSync(path, data);
      },
      appendFileSync(path, data) {
        if (full) throw enospc(path);
        real.appendFileSync(path, data);
      },
    });
    let error: NodeJS.ErrnoException | null = null;
    try {
      await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir, backend, data: mnist, report: false });
    } catch (e) {
      error = e as NodeJS.ErrnoException;
    } finally {
      restore();
    }
    expect(error?.code).toBe("ENOSPC");
    expect(error?.path).toMatch(/weights\.bin\.tmp-/);
    const [id] = readdirSync(runsDir);
    const dir = join(runsDir, id!);
    const everything = readdirSync(dir, { recursive: true }).map(String);
    expect(everything.filter((f) => f.includes(".tmp-"))).toEqual([]);
    expect(everything).not.toContain(LOCK_FILE);
    const recorded = readRunSummary(join(dir, "summary.json"))!;
    expect(folderState(dir, recorded.status).label).toBe("interrupted (owner gone)");
    const show = await quirklab(["show", id!, "--runs-dir", runsDir]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/interrupted \(owner gone\)[\s\S]*run the same command again/);
    const rerun = await runExperiment({ experiment: "baseline", preset: "quick", sets: tiny, seed: 1, runsDir, backend, data: mnist, report: false });
    expect(rerun.runId).toBe(id);
    expect(rerun.status).toBe("complete");
    expect(existsSync(join(dir, "artifacts", "model", "weights.bin"))).toBe(true);
  });

  it("two identical runs at once: the second waits for the first and reuses its result", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-twice-"));
    const args = [...cli, "run", "baseline", "--preset", "quick", "--set", "data.trainSize=20000", "--set", "data.testSize=200", "--set", "train.epochs=8", "--runs-dir", runsDir, "--backend", testBackendChoice()];
    const first = spawn(process.execPath, args, { env });
    let second: ChildProcess | null = null;
    let secondDone: Promise<{ code: number | null; stderr: string }> | null = null;
    // the second starts as soon as the first owns the folder; its start-up takes seconds, the first's 8 epochs longer
    const firstDone = await waitFor(first, /-> /, () => {
      second = spawn(process.execPath, args, { env });
      secondDone = waitFor(second, /$^/, () => {});
    });
    const secondResult = await secondDone!;
    expect(firstDone.code).toBe(0);
    expect(secondResult.code).toBe(0);
    expect(secondResult.stderr).toMatch(/is being run by pid \d+ .*waiting for it to finish/);
    expect(secondResult.stderr).toMatch(/completed by the process it waited for: reusing its result/);
    const id = runIdOf(firstDone.stderr);
    const events = readJsonLines(join(runsDir, id, "metrics.jsonl"));
    expect(events.filter((e) => e.type === "start")).toHaveLength(1);
    expect(events.filter((e) => e.type === "end")).toHaveLength(1);
    expect(events.filter((e) => e.type === "epoch").map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("an owner killed mid-run (SIGKILL) leaves a folder that reads interrupted (owner gone); the same command takes it over", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-killed-"));
    const args = ["run", "baseline", "--preset", "quick", "--set", "data.trainSize=1000", "--set", "data.testSize=200", "--set", "train.epochs=3", "--runs-dir", runsDir, "--backend", testBackendChoice()];
    const child = spawn(process.execPath, [...cli, ...args], { env });
    const killed = await waitFor(child, /epoch 1\/3/, () => child.kill("SIGKILL"));
    expect(killed.code).toBeNull();
    const id = runIdOf(killed.stderr);
    const show = await quirklab(["show", id, "--runs-dir", runsDir, "--json"]);
    expect(JSON.parse(show.stdout).status).toBe("interrupted");
    expect((await quirklab(["show", id, "--runs-dir", runsDir])).stdout).toMatch(/interrupted \(owner gone\)/);
    const rerun = await quirklab(args);
    expect(rerun.status).toBe(0);
    expect(rerun.stderr).toMatch(/previous owner \(pid \d+\) is gone; taking the folder over/);
    expect(readRunSummary(join(runsDir, id, "summary.json"))!.status).toBe("complete");
  });

  it("two Ctrl-C leave the folder interrupted, with one end event", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-twoint-"));
    const child = spawn(process.execPath, [...cli, "run", "baseline", "--preset", "quick", "--set", "data.trainSize=2000", "--set", "train.epochs=200", "--runs-dir", runsDir, "--backend", testBackendChoice()], { env });
    const { code, stderr } = await waitFor(child, /epoch 1\/200/, () => {
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGINT"), 5);
    });
    expect(code).toBe(130);
    const id = runIdOf(stderr);
    const summary = readRunSummary(join(runsDir, id, "summary.json"))!;
    expect(summary.status).toBe("interrupted");
    expect(existsSync(join(runsDir, id, LOCK_FILE))).toBe(false);
    expect(readJsonLines(join(runsDir, id, "metrics.jsonl")).filter((e) => e.type === "end")).toHaveLength(1);
  });

  it("a runs folder under a file, an IDX path that is a folder, and train and test of different shapes are one-line errors", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "quirklab-paths-"));
    writeFileSync(join(scratch, "a-file"), "x");
    const notDir = await quirklab(["run", "baseline", "--preset", "quick", ...tiny.flatMap((s) => ["--set", s]), "--runs-dir", join(scratch, "a-file", "runs")]);
    expect(notDir.status).toBe(1);
    expectCleanError(notDir.stderr, /cannot create the run folder .*a-file\/runs: a part of the path is a file, not a folder[\s\S]*fix: /);
    const runsDir = join(scratch, "runs");
    const isDir = join(scratch, "is-dir");
    writeIdxFolder(isDir, full, { n: 300 }, { n: 200 });
    const images = join(isDir, "train-images-idx3-ubyte");
    rmSync(images); // the file becomes a folder of the same name
    mkdirSync(images);
    await expect(runExperiment({ experiment: "baseline", preset: "quick", sets: [...tiny, "data.dataset=d"], seed: 1, runsDir, backend, data: new NodeDataSource({ d: isDir }) })).rejects.toThrow(/is a folder, not an IDX file/);
    const mixed = writeIdxFolder(join(scratch, "mixed"), full, { n: 300 }, { n: 200, side: 20 });
    const error = await runExperiment({ experiment: "baseline", preset: "quick", sets: [...tiny, "data.dataset=m"], seed: 1, runsDir, backend, data: new NodeDataSource({ m: mixed }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(/m\/train holds 28x28x1 examples of 10 classes, but m\/test holds 20x20x1/);
  });

  it("a config describes what runs: a test set smaller than testSize and a batch larger than the training set are refused", async () => {
    const runsDir = mkdtempSync(join(tmpdir(), "quirklab-sizes-"));
    const small = writeIdxFolder(mkdtempSync(join(tmpdir(), "quirklab-small-")), full, { n: 600 }, { n: 500 });
    const data = new NodeDataSource({ small });
    const testSize = await runExperiment({ experiment: "baseline", preset: "quick", sets: ["data.dataset=small", "data.trainSize=300", "data.testSize=1000"], seed: 1, runsDir, backend, data }).catch((e: unknown) => e);
    expect(testSize).toBeInstanceOf(ConfigError);
    expect((testSize as ConfigError).message).toMatch(/data\.testSize is 1000, but small\/test holds only 500 examples/);
    expect((testSize as ConfigError).hint).toMatch(/--set data\.testSize=500/);
    const batch = await runExperiment({ experiment: "baseline", preset: "quick", sets: ["data.trainSize=2000", "data.testSize=100", "train.batchSize=5000"], seed: 1, runsDir, backend, data: mnist }).catch((e: unknown) => e);
    expect(batch).toBeInstanceOf(ConfigError);
    expect((batch as ConfigError).message).toMatch(/batchSize 5000 is larger than the 2000 training examples/);
    const out = await quirklab(["run", "baseline", "--preset", "quick", "--set", "data.trainSize=2000", "--set", "train.batchSize=5000", "--runs-dir", runsDir, "--backend", testBackendChoice()]);
    expect(out.status).toBe(2);
    expectCleanError(out.stderr, /batchSize 5000 is larger than the 2000 training examples/);
  });

  it("a config whose fields disagree (a claim depth the sweep leaves out) exits 2 naming both fields and the fix", async () => {
    const out = await quirklab(["run", "pretraining", "--preset", "quick", "--set", "depths=[4]", "--runs-dir", mkdtempSync(join(tmpdir(), "quirklab-cross-field-")), "--backend", testBackendChoice()]);
    expect(out.status).toBe(2);
    expectCleanError(out.stderr, /claim\.shallowDepth \(1\) must be one of depths \[4\][\s\S]*fix: add 1 to depths, or set claim\.shallowDepth to one of them/);
  });

  it("usage errors exit 2 with the value and the fix: seeds, --seed, --set into a prototype, an unknown option", async () => {
    const cases: [string[], RegExp][] = [
      [["run", "baseline", "--seeds", "1,5..3"], /the range 5\.\.3 runs backwards[\s\S]*fix: write it ascending: 3\.\.5/],
      [["run", "baseline", "--seeds", "a,b"], /"a" is not a seed/],
      [["run", "baseline", "--seed", ""], /seed must be an integer .*got ""/],
      [["run", "baseline", "--seed", "1.5"], /seed must be an integer .*got "1\.5"/],
      [["run", "baseline", "--set", "__proto__.x=1"], /"__proto__" is not a config field/],
      [["tour", "--seed", "x"], /seed must be an integer/],
    ];
    const outs = await Promise.all(cases.map(([args]) => quirklab(args)));
    for (const [i, [args, pattern]] of cases.entries()) {
      expect(outs[i]!.status, args.join(" ")).toBe(2);
      expectCleanError(outs[i]!.stderr, pattern);
    }
    const unknown = await quirklab(["run", "baseline", "--bogus"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--bogus'/);
    expect((await quirklab(["--version"])).status).toBe(0);
  });
});
