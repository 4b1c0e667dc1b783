/**
 * Runs every experiment's quick preset (seed 1) and records what a refactor must not change: each run's metrics and
 * verdict in full, a hash of its details, and a hash of the figures drawn from the summary as written to disk (the
 * path the report takes). Timing and run ids are left out.
 *
 *   npx tsx scripts/quick-diff.ts --out before.json [--backend native] [--only a,b]
 *   npx tsx scripts/quick-diff.ts --out after.json --compare before.json     (exit 1 on any difference)
 *   ... --allow-note-changes: a verdict's note may change its wording (printed), its figures may not
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stableId } from "../src/core/hash.js";
import { initBackend, type BackendChoice } from "../src/engine/backend.js";
import { nodeNativeProvider } from "../src/engine/native.js";
import { NodeDataSource } from "../src/data/node-source.js";
import { experiments } from "../src/phenomena/registry.js";
import { assess } from "../src/phenomena/assess.js";
import { runExperiment } from "../src/run/runner.js";

interface Fingerprint {
  status: string;
  metrics: Record<string, number>;
  verdict: unknown;
  details: string | null;
  /** Absent in files written before figures were fingerprinted: then not compared. */
  figures?: string;
  seconds: number;
}

const { values } = parseArgs({ options: { out: { type: "string" }, compare: { type: "string" }, backend: { type: "string", default: "native" }, only: { type: "string" }, "allow-note-changes": { type: "boolean", default: false } } });
if (!values.out) throw new Error("usage: quick-diff.ts --out FILE [--compare FILE] [--backend native|wasm|cpu] [--only a,b]");
const only = values.only?.split(",");
const backend = await initBackend(values.backend as BackendChoice, nodeNativeProvider());
const data = new NodeDataSource();
const runsDir = mkdtempSync(join(tmpdir(), "quirklab-quick-diff-"));
const results: Record<string, Fingerprint> = {};
for (const def of experiments) {
  if (!def.presets.quick || (only && !only.includes(def.id))) continue;
  const started = Date.now();
  try {
    const s = await runExperiment({ experiment: def.id, preset: "quick", seed: 1, runsDir, backend, data, report: false });
    // JSON round trip: NaN metrics compare as null, as summary.json stores them
    // the figures from the summary as stored (NaN written as null), the way the report and `quirklab show` draw them
    const stored = JSON.parse(JSON.stringify(s)) as typeof s;
    const figures = assess(def, stored.config, { metrics: stored.metrics, ...(stored.details ? { details: stored.details } : {}) }).figures;
    results[def.id] = JSON.parse(JSON.stringify({ status: s.status, metrics: s.metrics, verdict: s.verdict ?? null, details: s.details ? stableId(s.details, 16) : null, figures: `${figures.length}:${stableId(figures, 16)}`, seconds: (Date.now() - started) / 1000 }));
  } catch (error) {
    results[def.id] = { status: `error: ${(error as Error).message}`, metrics: {}, verdict: null, details: null, seconds: (Date.now() - started) / 1000 };
  }
  process.stderr.write(`${def.id}: ${results[def.id]!.status} in ${results[def.id]!.seconds.toFixed(1)} s\n`);
}
writeFileSync(values.out, `${JSON.stringify({ backend: backend.name, results }, null, 2)}\n`);

if (values.compare) {
  const before = (JSON.parse(readFileSync(values.compare, "utf8")) as { results: Record<string, Fingerprint> }).results;
  const differences: string[] = [];
  // with --only, the experiments not run are not compared
  for (const id of new Set([...Object.keys(before).filter((k) => !only || only.includes(k)), ...Object.keys(results)])) {
    const a = before[id];
    const b = results[id];
    if (!a || !b) {
      differences.push(`${id}: only in ${a ? "before" : "after"}`);
      continue;
    }
    const strip = (f: Fingerprint) => {
      const { seconds: _s, ...rest } = a.figures === undefined || b.figures === undefined ? { ...f, figures: undefined } : f;
      const verdict = rest.verdict as { note?: string } | null;
      return values["allow-note-changes"] && verdict ? { ...rest, verdict: { ...verdict, note: undefined } } : rest;
    };
    const [left, right] = [strip(a), strip(b)];
    if (JSON.stringify(left) !== JSON.stringify(right)) differences.push(`${id}: ${JSON.stringify(left).slice(0, 300)}\n   vs ${JSON.stringify(right).slice(0, 300)}`);
    else if (JSON.stringify(a.verdict) !== JSON.stringify(b.verdict)) {
      process.stdout.write(`${id}: note reworded\n   ${(a.verdict as { note: string }).note}\n   ${(b.verdict as { note: string }).note}\n`);
    }
  }
  process.stdout.write(differences.length ? `${differences.length} experiment(s) differ:\n${differences.join("\n")}\n` : `identical: ${Object.keys(results).length} experiments, metrics, verdicts, details${Object.values(before).some((f) => f.figures !== undefined) ? " and figures" : ""}\n`);
  process.exit(differences.length ? 1 : 0);
}
process.exit(0);
