/**
 * The run store's parts on their own: validated summary reads, atomic writes that clean up after a failure, the run
 * lock (exclusive, waits, stale owners taken over), and marking a process's unfinished runs interrupted.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir, hostname } from "node:os";
import { join } from "node:path";
import { parseSummary, readRunSummary, readSummary, RunFileError } from "../../src/store/summary-schema.js";
import { currentFileSystem, useFileSystem, writeAtomic, writeJsonAtomic } from "../../src/store/files.js";
import { acquireRunLock, LOCK_FILE, ownerState, readLockOwner, runningOwner } from "../../src/store/lock.js";
import { ensureRunsDir, folderState, interruptRunsOwnedBy, StorageError } from "../../src/store/folders.js";
import { repeatPass } from "../backend.js";

const summary = {
  runId: "abc",
  kind: "run",
  experiment: "baseline",
  status: "complete",
  quirklabVersion: "0.1.0",
  seed: 1,
  preset: "quick",
  config: {},
  backend: "native",
  metrics: { testAccuracy: 0.9, nan: null },
  timing: { seconds: 1 },
};

/** A pid that no process has: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe.skipIf(repeatPass)("run store", () => {
  it("reads a valid summary back (NaN metrics were written as null) and names the file and the fix for a damaged one", () => {
    const text = JSON.stringify(summary);
    const parsed = parseSummary("R/abc/summary.json", text);
    expect(parsed.kind).toBe("run");
    expect(Number.isNaN(parsed.metrics.nan as number)).toBe(true);
    const truncated = () => parseSummary("R/abc/summary.json", text.slice(0, 100));
    expect(truncated).toThrow(RunFileError);
    expect(truncated).toThrow(/R\/abc\/summary\.json: not valid JSON .*cut short/);
    try {
      truncated();
    } catch (error) {
      expect((error as RunFileError).hint).toMatch(/--force/);
    }
    const { metrics: _m, ...noMetrics } = summary;
    expect(() => parseSummary("s.json", JSON.stringify(noMetrics))).toThrow(/s\.json: is not a valid run summary: field metrics/);
    const { kind: _k, ...noKind } = summary;
    expect(() => parseSummary("s.json", JSON.stringify(noKind))).toThrow(/not a quirklab run summary \(kind is undefined/);
    expect(() => parseSummary("s.json", "[1,2]")).toThrow(/does not hold a JSON object/);
    expect(() => parseSummary("s.json", JSON.stringify({ ...summary, status: "done" }))).toThrow(/field status/);
    const dir = mkdtempSync(join(tmpdir(), "quirklab-summary-"));
    expect(readSummary(join(dir, "none.json"))).toBeNull();
    writeFileSync(join(dir, "agg.json"), JSON.stringify({ ...summary, kind: "aggregate", seeds: [1], runs: ["a"], metrics: {} }));
    expect(() => readRunSummary(join(dir, "agg.json"))).toThrow(/is an aggregate over seeds/);
  });

  it("a failed write leaves no temp file and throws the write's own error", () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-enospc-"));
    const real = currentFileSystem();
    const restore = useFileSystem({
      ...real,
      writeFileSync(path, data) {
        real.writeFileSync(path, typeof data === "string" ? data.slice(0, 3) : data.subarray(0, 3)); // a partial write, then the disk is full
        throw Object.assign(new Error(`ENOSPC: no space left on device, write`), { code: "ENOSPC", path });
      },
    });
    try {
      expect(() => writeAtomic(join(dir, "weights.bin"), new Uint8Array(100))).toThrow(/ENOSPC/);
    } finally {
      restore();
    }
    expect(readdirSync(dir)).toEqual([]);
    writeJsonAtomic(join(dir, "ok.json"), { a: 1 });
    expect(readdirSync(dir)).toEqual(["ok.json"]);
  });

  it("the run lock is exclusive: a second owner waits for the first, then gets it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-lock-"));
    const first = await acquireRunLock(dir);
    expect(readLockOwner(dir)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(ownerState(first.owner)).toBe("alive");
    let waitedFor: number | null = null;
    let second: Awaited<ReturnType<typeof acquireRunLock>> | null = null;
    const pending = acquireRunLock(dir, { pollMs: 10, onWait: (owner) => (waitedFor = owner.pid) }).then((l) => (second = l));
    await new Promise((r) => setTimeout(r, 60));
    expect(second).toBeNull();
    expect(waitedFor).toBe(process.pid);
    first.release();
    await pending;
    expect(second!.owner.token).not.toBe(first.owner.token);
    first.release(); // a second release of an old lock must not remove the new owner's
    expect(readLockOwner(dir)?.token).toBe(second!.owner.token);
    second!.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it("a lock whose owner is gone is taken over; so is a torn one and one naming this pid with a token it does not hold", async () => {
    for (const content of [
      JSON.stringify({ pid: deadPid(), host: hostname(), token: "dead", startedAt: "x" }),
      '{"pid": 12',
      JSON.stringify({ pid: process.pid, host: hostname(), token: "not-ours", startedAt: "x" }),
    ]) {
      const dir = mkdtempSync(join(tmpdir(), "quirklab-stale-"));
      writeFileSync(join(dir, LOCK_FILE), content);
      expect(runningOwner(dir).state).toBe("gone");
      expect(folderState(dir, "running")).toEqual({ status: "interrupted", label: "interrupted (owner gone)" });
      let stale = false;
      const lock = await acquireRunLock(dir, { onStale: () => (stale = true) });
      expect(stale).toBe(true);
      expect(folderState(dir, "running").label).toBe(`running (pid ${process.pid})`);
      lock.release();
      expect(readdirSync(dir)).toEqual([]);
    }
    const elsewhere = mkdtempSync(join(tmpdir(), "quirklab-remote-"));
    writeFileSync(join(elsewhere, LOCK_FILE), JSON.stringify({ pid: 1, host: "another-host", token: "t", startedAt: "x" }));
    expect(folderState(elsewhere, "running").label).toMatch(/running on host another-host/);
    expect(folderState(elsewhere, "complete").label).toBe("complete");
  });

  it("waiting for a lock stops on interrupt", async () => {
    const dir = mkdtempSync(join(tmpdir(), "quirklab-lockint-"));
    const lock = await acquireRunLock(dir);
    const controller = new AbortController();
    setTimeout(() => controller.abort("SIGINT"), 30);
    await expect(acquireRunLock(dir, { signal: controller.signal, pollMs: 10 })).rejects.toThrow(/SIGINT/);
    lock.release();
  });

  it("marks this process's unfinished runs interrupted and frees their folders", async () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-owned-"));
    ensureRunsDir(root);
    const mine = join(root, "mine");
    const done = join(root, "done");
    const other = join(root, "other");
    for (const d of [mine, done, other]) mkdirSync(d);
    await acquireRunLock(mine);
    writeJsonAtomic(join(mine, "summary.json"), { ...summary, status: "running" });
    await acquireRunLock(done);
    writeJsonAtomic(join(done, "summary.json"), summary);
    writeFileSync(join(other, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), token: "t", startedAt: "x" }));
    writeJsonAtomic(join(other, "summary.json"), { ...summary, status: "running" });
    expect(interruptRunsOwnedBy("second Ctrl-C").sort()).toEqual([done, mine].sort());
    expect(readSummary(join(mine, "summary.json"))).toMatchObject({ status: "interrupted", error: { message: "second Ctrl-C" } });
    expect(readFileSync(join(mine, "metrics.jsonl"), "utf8")).toMatch(/"type":"end","status":"interrupted"/);
    expect(readSummary(join(done, "summary.json"))!.status).toBe("complete");
    expect(existsSync(join(mine, LOCK_FILE))).toBe(false);
    expect(readSummary(join(other, "summary.json"))!.status).toBe("running"); // not this process's
  });

  it("a runs folder that cannot be created is one line naming the path", () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-notdir-"));
    writeFileSync(join(root, "file"), "x");
    expect(() => ensureRunsDir(join(root, "file", "runs"))).toThrow(StorageError);
    expect(() => ensureRunsDir(join(root, "file", "runs"))).toThrow(/cannot create the run folder .*file\/runs: a part of the path is a file, not a folder/);
    expect(() => ensureRunsDir(join(root, "file"))).toThrow(/is a file, not a folder/);
  });
});
