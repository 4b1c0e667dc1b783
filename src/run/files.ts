/** Atomic file writes: a temp file in the same folder, then rename, so a reader never sees half a file. */
import { appendFileSync, mkdirSync, renameSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";

let counter = 0;

export function writeAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${counter++}`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** One whole line per call: a crash leaves at most the last line incomplete, and readers skip it. */
export function appendJsonLine(path: string, value: unknown): void {
  appendFileSync(path, `${JSON.stringify(value)}\n`);
}

export function readJson<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Parses metrics.jsonl, ignoring a torn last line. */
export function readJsonLines(path: string): Record<string, unknown>[] {
  if (!existsSync(path)) return [];
  const out: Record<string, unknown>[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // torn line from an interrupted write
    }
  }
  return out;
}
