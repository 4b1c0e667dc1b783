/**
 * Content fingerprints of data files, so a run id names the data a result came from and not just its name. Hashing
 * MNIST takes about a quarter of a second, so each file's hash is cached by path, size and mtime: in this process,
 * and in a small JSON file under the user's cache folder (best effort: an unwritable cache only costs the rehash).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

interface CachedHash {
  size: number;
  mtimeMs: number;
  sha256: string;
}

const memory = new Map<string, CachedHash>();
let diskLoaded = false;

/** QUIRKLAB_CACHE_DIR, else $XDG_CACHE_HOME/quirklab, else ~/.cache/quirklab. */
function cacheDir(): string {
  if (process.env.QUIRKLAB_CACHE_DIR) return resolve(process.env.QUIRKLAB_CACHE_DIR);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "quirklab");
}

function cacheFile(): string {
  return join(cacheDir(), "file-hashes.json");
}

function loadDiskCache(): void {
  if (diskLoaded) return;
  diskLoaded = true;
  try {
    const stored = JSON.parse(readFileSync(cacheFile(), "utf8")) as Record<string, CachedHash>;
    for (const [path, entry] of Object.entries(stored)) {
      if (typeof entry?.sha256 === "string" && typeof entry.size === "number" && typeof entry.mtimeMs === "number" && !memory.has(path)) memory.set(path, entry);
    }
  } catch {
    // no cache yet, or an unreadable one: it is rebuilt as files are hashed
  }
}

function saveDiskCache(): void {
  try {
    const file = cacheFile();
    mkdirSync(dirname(file), { recursive: true });
    // unique per writer: worker threads of one process (--seeds) share its pid
    const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(memory)));
    renameSync(temp, file);
  } catch {
    // a read-only home costs a rehash next time, nothing else
  }
}

/** The SHA-256 of a file's bytes from the cache when its size and mtime have not changed; `fresh` says it was not. */
function hashOf(path: string): { sha256: string; fresh: boolean } {
  const absolute = resolve(path);
  const stat = statSync(absolute);
  loadDiskCache();
  const cached = memory.get(absolute);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return { sha256: cached.sha256, fresh: false };
  const sha256 = createHash("sha256").update(readFileSync(absolute)).digest("hex");
  memory.set(absolute, { size: stat.size, mtimeMs: stat.mtimeMs, sha256 });
  return { sha256, fresh: true };
}

/** One hash over several files' hashes, labelled, in the order given; the cache file is written once for all of them. */
export function combinedFingerprint(files: { label: string; path: string }[]): string {
  const h = createHash("sha256");
  let fresh = false;
  for (const f of files) {
    const file = hashOf(f.path);
    fresh ||= file.fresh;
    h.update(`${f.label}:${file.sha256}\n`);
  }
  if (fresh) saveDiskCache();
  return `sha256:${h.digest("hex").slice(0, 32)}`;
}
