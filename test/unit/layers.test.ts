/**
 * The layers of docs/architecture.md, checked on the imports themselves: every relative import points down or
 * sideways within a layer, property folders never import each other, and the analysis layer imports no experiment.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, sep } from "node:path";
import { repeatPass } from "../backend.js";

const SRC = join(import.meta.dirname, "..", "..", "src");

/** Lower imports nothing higher: the run store sits below the report, which sits below the runner that writes it. */
const RANK: Record<string, number> = { core: 0, engine: 1, data: 2, models: 2, training: 2, analysis: 3, phenomena: 4, store: 5, report: 6, run: 7, cli: 8, "index.ts": 9 };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)].map((m) => normalize(join(dirname(file), m[1]!.replace(/\.js$/, ".ts"))));
}

const parts = (file: string) => relative(SRC, file).split(sep);

describe.skipIf(repeatPass)("layers", () => {
  const files = sources(SRC);

  it("every import points to the same layer or a lower one", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = parts(file)[0]!;
      for (const target of importsOf(file)) {
        const to = parts(target)[0]!;
        if (!(from in RANK) || !(to in RANK)) violations.push(`${relative(SRC, file)}: unknown layer of ${relative(SRC, target)}`);
        else if (RANK[to]! > RANK[from]!) violations.push(`${relative(SRC, file)} (${from}) imports ${relative(SRC, target)} (${to})`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("a property folder imports no other property folder; shared science lives in analysis/", () => {
    const violations: string[] = [];
    for (const file of files) {
      const [layer, property] = parts(file);
      if (layer !== "phenomena" || !statSync(join(SRC, "phenomena", property!)).isDirectory()) continue;
      for (const target of importsOf(file)) {
        const [toLayer, toProperty, ...rest] = parts(target);
        if (toLayer === "phenomena" && rest.length > 0 && toProperty !== property) violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
