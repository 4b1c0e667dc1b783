/**
 * One owner per run folder. `run.lock` in the folder is created exclusively (O_EXCL) and names its owner: pid, host,
 * a token and the start time. A second process that asks for the same run waits for the owner and then reads its
 * result; a lock whose owner is gone (killed, the machine restarted) is stale and is taken over. Locks of another
 * host cannot be checked, so they count as alive: a shared runs folder waits rather than guesses.
 */
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { throwIfInterrupted } from "../core/interrupt.js";

export const LOCK_FILE = "run.lock";

export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  startedAt: string;
}

export type OwnerState = "alive" | "gone" | "unknown-host";

/** Tokens of the locks this process holds (a lock naming this pid but another token is a dead process's). */
const held = new Set<string>();

export function readLockOwner(dir: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as LockOwner;
    return Number.isInteger(owner.pid) && typeof owner.token === "string" ? owner : { pid: -1, host: "", token: "", startedAt: "" };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    // torn or unreadable: an owner that died while writing it
    return { pid: -1, host: "", token: "", startedAt: "" };
  }
}

export function ownerState(owner: LockOwner): OwnerState {
  if (owner.pid <= 0) return "gone";
  if (owner.host !== hostname()) return "unknown-host";
  if (owner.pid === process.pid) return held.has(owner.token) ? "alive" : "gone";
  try {
    process.kill(owner.pid, 0);
    return "alive";
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" ? "alive" : "gone";
  }
}

export interface RunLock {
  owner: LockOwner;
  /** Removes the lock if it is still this process's. Safe to call twice. */
  release(): void;
}

function tryCreate(dir: string): RunLock | null {
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(8).toString("hex"), startedAt: new Date().toISOString() };
  let fd: number;
  try {
    fd = openSync(join(dir, LOCK_FILE), "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(owner));
  } finally {
    closeSync(fd);
  }
  held.add(owner.token);
  return {
    owner,
    release() {
      if (!held.delete(owner.token)) return;
      if (readLockOwner(dir)?.token === owner.token) rmSync(join(dir, LOCK_FILE), { force: true });
    },
  };
}

/** Removes a stale lock so that exactly one of several waiters can create the next one. */
function breakStale(dir: string, stale: LockOwner): void {
  const aside = join(dir, `${LOCK_FILE}.stale-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    // rename is atomic: of two processes breaking the same lock, one moves it and the other finds it gone
    if (readLockOwner(dir)?.token !== stale.token) return;
    renameSync(join(dir, LOCK_FILE), aside);
  } catch {
    return;
  }
  rmSync(aside, { force: true });
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Called once when the lock is busy, with its owner. */
  onWait?(owner: LockOwner, state: OwnerState): void;
  /** Called when a stale lock is taken over. */
  onStale?(owner: LockOwner): void;
  pollMs?: number;
}

/** Waits until this process owns the run folder `dir` (which must exist). */
export async function acquireRunLock(dir: string, options: AcquireOptions = {}): Promise<RunLock> {
  let announced = false;
  for (;;) {
    const lock = tryCreate(dir);
    if (lock) return lock;
    const owner = readLockOwner(dir);
    if (!owner) continue;
    const state = ownerState(owner);
    if (state === "gone") {
      options.onStale?.(owner);
      breakStale(dir, owner);
      continue;
    }
    if (!announced) {
      options.onWait?.(owner, state);
      announced = true;
    }
    throwIfInterrupted(options.signal);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

/** Whether a folder's recorded "running" status has a live owner behind it. */
export function runningOwner(dir: string): { owner: LockOwner | null; state: OwnerState | "none" } {
  const owner = readLockOwner(dir);
  return owner ? { owner, state: ownerState(owner) } : { owner: null, state: "none" };
}
