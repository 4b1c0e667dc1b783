/**
 * The run store's file writes. Whole files are written to a temp file in the same folder and renamed into place, so a
 * reader never sees half a file; a failed write removes its temp file and rethrows the original error. Every write
 * goes through `fileSystem`, the seam tests use to inject ENOSPC or a crash at a chosen write.
 */
import * as fs from "node:fs";
import { dirname } from "node:path";

export interface FileSystem {
  writeFileSync(path: string, data: Uint8Array | string): void;
  appendFileSync(path: string, data: string): void;
  renameSync(from: string, to: string): void;
  mkdirSync(path: string): void;
}

const realFileSystem: FileSystem = {
  writeFileSync: (path, data) => fs.writeFileSync(path, data),
  appendFileSync: (path, data) => fs.appendFileSync(path, data),
  renameSync: (from, to) => fs.renameSync(from, to),
  mkdirSync: (path) => void fs.mkdirSync(path, { recursive: true }),
};

let fileSystem: FileSystem = realFileSystem;

/** Replaces the file writer (tests); returns a function that restores the previous one. */
export function useFileSystem(replacement: FileSystem): () => void {
  const previous = fileSystem;
  fileSystem = replacement;
  return () => {
    fileSystem = previous;
  };
}

/** The writer in use, for a replacement that wraps it. */
export function currentFileSystem(): FileSystem {
  return fileSystem;
}

let counter = 0;

export function writeAtomic(path: string, data: Uint8Array | string): void {
  fileSystem.mkdirSync(dirname(path));
  const temp = `${path}.tmp-${process.pid}-${counter++}`;
  try {
    fileSystem.writeFileSync(temp, data);
    fileSystem.renameSync(temp, path);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** One whole line per call: a crash leaves at most the last line incomplete, and readers skip it. */
export function appendJsonLine(path: string, value: unknown): void {
  fileSystem.appendFileSync(path, `${JSON.stringify(value)}\n`);
}

/** Parses metrics.jsonl, ignoring a torn last line. */
export function readJsonLines(path: string): Record<string, unknown>[] {
  if (!fs.existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of fs.readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === "object" && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    } catch {
      // torn line from an interrupted write
    }
  }
  return out;
}
