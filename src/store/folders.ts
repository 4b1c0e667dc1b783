/**
 * The runs folder as a whole: creating it with an error a person can act on, the state of a folder as `show` should
 * report it, and marking this process's runs interrupted when it is about to exit without finishing them.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { QuirkError } from "../core/errors.js";
import { appendJsonLine, writeJsonAtomic } from "./files.js";
import { LOCK_FILE, readLockOwner, runningOwner } from "./lock.js";
import { readRunSummary } from "./summary-schema.js";
import type { RunSummary } from "./summary.js";

/** A folder the run store cannot create or write: names the path and the fix. */
export class StorageError extends QuirkError {}

const SYSTEM_REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a file of that name is in the way",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EISDIR: "it is a folder, not a file",
  ENOENT: "no such file or folder",
};

/** One line for a Node file-system error (EACCES, ENOSPC...): what happened to which path. */
export function describeSystemError(error: unknown): string | null {
  const e = error as NodeJS.ErrnoException;
  if (!e || typeof e.code !== "string" || !(e.code in SYSTEM_REASONS)) return null;
  return `${SYSTEM_REASONS[e.code]}${e.path ? `: ${e.path}` : ""} (${e.code}${e.syscall ? ` during ${e.syscall}` : ""})`;
}

const runsDirs = new Set<string>();

/**
 * Creates `dir` (and its parents) or stops with the path and the fix. A runs folder is remembered, so that
 * `interruptRunsOwnedBy` can look through it; a single run's folder (`register: false`) is not.
 */
export function ensureRunsDir(dir: string, options: { register?: boolean } = {}): void {
  if (options.register ?? true) runsDirs.add(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new StorageError(`${dir} is a file, not a folder`, "pick another folder with --runs-dir (or --out for the tour)");
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const why = describeSystemError(error) ?? (error as Error).message;
    throw new StorageError(`cannot create the run folder ${dir}: ${why}`, "pick a folder you can write with --runs-dir (or --out for the tour)");
  }
}

export type FolderState = { status: RunSummary["status"]; label: string };

/** A folder's status as recorded, corrected by its lock: "running" without a live owner was interrupted. */
export function folderState(dir: string, recorded: RunSummary["status"]): FolderState {
  if (recorded !== "running") return { status: recorded, label: recorded };
  const { owner, state } = runningOwner(dir);
  if (state === "alive") return { status: "running", label: `running (pid ${owner!.pid})` };
  if (state === "unknown-host") return { status: "running", label: `running on host ${owner!.host} (pid ${owner!.pid}), as far as this machine can tell` };
  return { status: "interrupted", label: "interrupted (owner gone)" };
}

/**
 * Marks every run under the known runs folders whose lock names `pid` (this process by default) as interrupted and
 * removes the lock. For an exit that cannot wait for the runs to stop themselves: a second Ctrl-C, say. Synchronous.
 */
export function interruptRunsOwnedBy(reason: string, pid = process.pid): string[] {
  const marked: string[] = [];
  for (const root of runsDirs) {
    if (!existsSync(root)) continue;
    for (const id of readdirSync(root)) {
      const dir = join(root, id);
      const owner = readLockOwner(dir);
      if (!owner || owner.pid !== pid) continue;
      try {
        const summary = readRunSummary(join(dir, "summary.json"));
        if (summary && summary.status === "running") {
          summary.status = "interrupted";
          summary.error = { name: "InterruptedError", message: reason };
          summary.timing = { ...summary.timing, finishedAt: new Date().toISOString() };
          appendJsonLine(join(dir, "metrics.jsonl"), { type: "end", status: "interrupted" });
          writeJsonAtomic(join(dir, "summary.json"), summary);
        }
        rmSync(join(dir, LOCK_FILE), { force: true });
      } catch {
        // leave it: without a live owner the folder reads as "interrupted (owner gone)" anyway
      }
      marked.push(dir);
    }
  }
  return marked;
}
