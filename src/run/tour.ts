/**
 * `quirklab tour`: one experiment per property, run in sequence on the embedded MNIST, then a verdict table, a
 * report (HTML with figures, Markdown) and summary.json. The tour "ran" when every experiment finished, whatever the
 * verdicts; an experiment that fails is recorded, the others still run, and the caller gets a non-zero exit code.
 */
import { join } from "node:path";
import { readdirSync, statSync } from "node:fs";
import { ConfigError, QuirkError } from "../core/errors.js";
import { findExperiment } from "../phenomena/registry.js";
import type { BackendInfo } from "../engine/backend.js";
import type { DataSource } from "../data/dataset.js";
import { PROPERTIES, PROPERTY_MODULES, type PropertyInfo } from "../phenomena/properties.js";
import type { PresetName } from "../phenomena/experiment.js";
import { imagesOf, writeReport } from "../report/write.js";
import type { VerdictRow } from "../report/sections.js";
import { writeJsonAtomic } from "../store/files.js";
import { readRunSummary } from "../store/summary-schema.js";
import type { ProgressReporter } from "./progress.js";
import { runExperiment } from "./runner.js";
import { ensureRunsDir } from "../store/folders.js";
import type { RunSummary } from "../store/summary.js";
import { QUIRKLAB_VERSION } from "./version.js";

export interface TourStop {
  property: string;
  /** The property as the mission statement names it. */
  label: string;
  /** The experiment that shows it most convincingly, or null while none is built. */
  experiment: string | null;
}

const stopOf = (p: PropertyInfo): TourStop => ({ property: p.id, label: `${p.number}. ${p.name}`, experiment: p.tourExperiment });

/** One stop per property of the mission: the experiment its module names for the tour. */
export const TOUR: TourStop[] = PROPERTIES.map(stopOf);

/** `quirklab tour --beyond`: one stop per property found since the seven (double descent, ...). */
export const BEYOND_TOUR: TourStop[] = PROPERTY_MODULES.filter((m) => m.group === "beyond").map(stopOf);

export type TourPart = "seven" | "beyond";

export interface TourRequest {
  preset: PresetName;
  seed: number;
  /** Restrict to these properties or experiment ids. */
  only?: string[];
  /** The seven properties of the mission (default), or those found since. */
  part?: TourPart;
  outDir: string;
  backend: BackendInfo;
  data: DataSource;
  force?: boolean;
  signal?: AbortSignal;
  reporter?: ProgressReporter;
}

export interface TourSummary {
  kind: "tour";
  part: TourPart;
  quirklabVersion: string;
  preset: string;
  seed: number;
  backend: string;
  startedAt: string;
  seconds: number;
  rows: (VerdictRow & { label: string })[];
  /** Properties the tour could not show yet, with why. */
  missing: { property: string; label: string; reason: string }[];
  /**
   * Properties whose claim did not reproduce at a quick tour, with the claim's own reason why the quick scale cannot
   * show it (its `notAtQuickScale`, written from measured figures and checked by the claims tests).
   */
  notShown: { property: string; label: string; experiment: string; reason: string }[];
  failed: { experiment: string; message: string }[];
  report: { html: string; markdown: string };
}

export function selectStops(only: string[] | undefined, part: TourPart = "seven"): TourStop[] {
  const pool = part === "beyond" ? BEYOND_TOUR : TOUR;
  if (!only || only.length === 0) return pool;
  const known = new Set(pool.flatMap((s) => [s.property, s.experiment ?? ""]));
  const unknown = only.filter((o) => !known.has(o));
  if (unknown.length) {
    const other = (part === "beyond" ? TOUR : BEYOND_TOUR).flatMap((s) => [s.property, s.experiment ?? ""]);
    const hint = unknown.every((u) => other.includes(u)) ? ` (${unknown.join(", ")} ${part === "beyond" ? "is in the seven: drop --beyond" : "is beyond the seven: add --beyond"})` : "";
    throw new QuirkError(`--only: unknown ${unknown.join(", ")}${hint}`, `use property names (${pool.map((s) => s.property).join(", ")}) or their experiments (${pool.flatMap((s) => (s.experiment ? [s.experiment] : [])).join(", ")})`);
  }
  return pool.filter((s) => only.includes(s.property) || (s.experiment !== null && only.includes(s.experiment)));
}

export async function runTour(request: TourRequest): Promise<TourSummary> {
  const part = request.part ?? "seven";
  const stops = selectStops(request.only, part);
  const started = new Date();
  const runsDir = join(request.outDir, "runs");
  ensureRunsDir(runsDir);
  const reporter = request.reporter;
  const done: { stop: TourStop; summary: RunSummary }[] = [];
  const failed: TourSummary["failed"] = [];
  const notShown: TourSummary["notShown"] = [];
  const missing = stops.filter((s) => s.experiment === null).map((s) => ({ property: s.property, label: s.label, reason: "no experiment built for this property yet" }));
  const runnable = stops.filter((s) => s.experiment !== null);
  const lacking = runnable.filter((s) => !findExperiment(s.experiment!)?.presets[request.preset]).map((s) => s.experiment!);
  if (lacking.length) throw new ConfigError(`the "${request.preset}" preset is not defined for ${lacking.join(", ")}`, "use --preset quick or --preset standard");
  for (const [index, stop] of runnable.entries()) {
    reporter?.line(`[${index + 1}/${runnable.length}] ${stop.label}: ${stop.experiment}`);
    try {
      const summary = await runExperiment({
        experiment: stop.experiment!,
        preset: request.preset,
        seed: request.seed,
        runsDir,
        backend: request.backend,
        data: request.data,
        force: request.force ?? false,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(reporter ? { reporter } : {}),
      });
      done.push({ stop, summary });
      const v = summary.verdict;
      reporter?.line(`    ${v ? (v.reproduced ? "reproduced" : "NOT reproduced") : "done"} in ${Number(summary.timing.seconds ?? 0).toFixed(1)} s`);
      const why = v && !v.reproduced && request.preset === "quick" ? findExperiment(stop.experiment!)?.claim?.notAtQuickScale : undefined;
      if (why) {
        notShown.push({ property: stop.property, label: stop.label, experiment: stop.experiment!, reason: why });
        reporter?.line(`    why not at the quick preset: ${why}`);
      }
    } catch (error) {
      if (request.signal?.aborted) throw error;
      const message = (error as Error).message;
      failed.push({ experiment: stop.experiment!, message });
      reporter?.line(`    failed: ${message}`);
      // The failed run's folder holds its summary (status "failed"): show it in the report too.
      const summary = latestSummary(runsDir, stop.experiment!);
      if (summary) done.push({ stop, summary });
    }
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  const notes = [
    ...missing.map((m) => `${m.label} (${m.property}): ${m.reason}.`),
    ...notShown.map((n) => `${n.label}, why the quick preset cannot show it: ${n.reason} (src/phenomena/${n.property}/README.md has the standard preset's figures)`),
  ];
  const subtitle = `quirklab ${QUIRKLAB_VERSION} · ${request.preset} preset · seed ${request.seed} · backend ${request.backend.name} · ${started.toISOString()} · ${seconds.toFixed(0)} s`;
  const written = await writeReport(
    join(request.outDir, "report"),
    part === "beyond" ? "quirklab tour, beyond the seven: properties found since" : "quirklab tour: seven surprising properties of neural networks",
    subtitle,
    done.map((d) => ({ summary: d.summary, runDir: join(runsDir, d.summary.runId), images: imagesOf(join(runsDir, d.summary.runId), d.summary) })),
    { notes },
  );
  const tour: TourSummary = {
    kind: "tour",
    part,
    quirklabVersion: QUIRKLAB_VERSION,
    preset: request.preset,
    seed: request.seed,
    backend: request.backend.name,
    startedAt: started.toISOString(),
    seconds: Number(seconds.toFixed(3)),
    rows: written.rows.map((row, i) => ({ ...row, label: done[i]!.stop.label })),
    missing,
    notShown,
    failed,
    report: { html: written.html, markdown: written.markdown },
  };
  writeJsonAtomic(join(request.outDir, "summary.json"), tour);
  return tour;
}

/** The summary of the last run of `experiment` under runsDir (used to report a failed run). */
function latestSummary(runsDir: string, experiment: string): RunSummary | null {
  // Folders are named by hash: take the newest whose summary names this experiment.
  const candidates = readdirSync(runsDir)
    .map((id) => ({ id, stat: statSync(join(runsDir, id)) }))
    .filter((c) => c.stat.isDirectory())
    .map((c) => ({ id: c.id, time: c.stat.mtimeMs }))
    .sort((a, b) => b.time - a.time);
  for (const c of candidates) {
    let s: RunSummary | null = null;
    try {
      s = readRunSummary(join(runsDir, c.id, "summary.json"));
    } catch {
      continue; // a damaged folder is not the failed run's
    }
    if (s?.experiment === experiment) return s;
  }
  return null;
}
