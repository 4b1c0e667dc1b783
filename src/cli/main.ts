#!/usr/bin/env node
/** The quirklab command line: thin wiring from flags to the runner; no science here. */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, InterruptedError, QuirkError } from "../core/errors.js";
import { BACKEND_CHOICES, initBackend, type BackendChoice } from "../engine/backend.js";
import { nodeNativeProvider } from "../engine/native.js";
import { tf } from "../engine/tf.js";
import { BUILT_IN_DATASETS, NodeDataSource } from "../data/node-source.js";
import { NodeModelSource } from "../run/model-source.js";
import { experiments, findExperiment } from "../phenomena/registry.js";
import { paperComparison } from "../phenomena/paper-figures.js";
import { paperTableMarkdown } from "../report/markdown.js";
import type { PresetName } from "../phenomena/experiment.js";
import { PRESETS, resolveConfig } from "../run/config.js";
import { getExperiment, runExperiment, validateSeed } from "../run/runner.js";
import { parseSeeds, runSeeds } from "../run/seeds.js";
import { createReporter } from "../run/progress.js";
import { readJsonLines } from "../store/files.js";
import { readRunSummary, readSummary } from "../store/summary-schema.js";
import { describeSystemError, folderState, interruptRunsOwnedBy } from "../store/folders.js";
import { runningOwner } from "../store/lock.js";
import type { AggregateSummary, RunSummary } from "../store/summary.js";
import { QUIRKLAB_VERSION } from "../run/version.js";
import { formatComparison, formatSummary, formatVerdictTable } from "./format.js";
import { runTour, selectStops } from "../run/tour.js";
import { writeReport, writeRunReport } from "../report/write.js";
import { compareRuns } from "../run/compare.js";
import { PACKAGE_ROOT, buildLab, labBuildReason, serveStatic } from "./lab.js";

const DEFAULT_RUNS_DIR = "runs";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseDataDirs(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq <= 0 || eq === entry.length - 1) throw new ConfigError(`--data-dir "${entry}" is not name=folder`, "write it like --data-dir my-set=/path/to/idx-files");
    const name = entry.slice(0, eq);
    if (name in out) throw new ConfigError(`--data-dir names "${name}" twice`, "give each folder its own name");
    out[name] = resolve(entry.slice(eq + 1));
  }
  return out;
}

function readConfigFile(path: string | undefined): Record<string, unknown> | undefined {
  if (!path) return undefined;
  if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    const why = describeSystemError(error) ?? `not valid JSON: ${(error as Error).message}`;
    throw new ConfigError(`config file ${path}: ${why}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ConfigError(`config file ${path} must hold a JSON object of config fields`, `\`quirklab list --config <experiment>\` shows the fields`);
  return parsed as Record<string, unknown>;
}

/**
 * SIGINT aborts the run gracefully (the run folder is marked interrupted); a second one exits at once, after marking
 * this process's unfinished runs (worker threads' too) interrupted, so no folder is left "running".
 */
function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.on("SIGINT", () => {
    if (controller.signal.aborted) {
      const marked = interruptRunsOwnedBy("interrupted by a second Ctrl-C before the current step finished");
      process.stderr.write(`\ninterrupt: stopped at once${marked.length ? `; marked interrupted: ${marked.join(", ")}` : ""}\n`);
      process.exit(130);
    }
    process.stderr.write("\ninterrupt: finishing the current step and marking the run interrupted (Ctrl-C again to quit now)\n");
    controller.abort("SIGINT");
  });
  return controller.signal;
}

const program = new Command()
  .name("quirklab")
  .description("Make neural networks show the counter-intuitive behaviour the literature reports, measure it, and judge the claim.")
  .version(QUIRKLAB_VERSION);

program
  .command("list")
  .description("list the experiments, or the config fields of one")
  .option("--config <experiment>", "print one experiment's config (with its preset values) and JSON schema")
  .option("--preset <preset>", "preset to show with --config", "standard")
  .option("--json", "print JSON")
  .action((opts) => {
    if (opts.config) {
      const def = getExperiment(opts.config);
      const config = resolveConfig(def, { preset: opts.preset as PresetName });
      const out = { experiment: def.id, preset: opts.preset, presets: Object.keys(def.presets), config, schema: z.toJSONSchema(def.schema, { io: "input" }) };
      process.stdout.write(`${JSON.stringify(opts.json ? out : { ...out, schema: undefined }, null, 2)}\n`);
      return;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(experiments.map((e) => ({ id: e.id, property: e.property, title: e.title, presets: Object.keys(e.presets), claim: e.claim?.statement })), null, 2)}\n`);
      return;
    }
    for (const e of experiments) {
      process.stdout.write(`${e.id.padEnd(24)} ${e.property.padEnd(14)} ${e.title}\n${"".padEnd(40)}presets: ${Object.keys(e.presets).join(", ")}\n`);
    }
  });

program
  .command("run")
  .description("run an experiment and write its run folder")
  .argument("<experiment>", "experiment id (see `quirklab list`)")
  .addOption(new Option("--preset <preset>", "config preset").choices(PRESETS).default("standard" as const))
  .option("--set <key=value>", "override a config field (repeatable), e.g. --set train.lr=0.01", collect, [] as string[])
  .option("--config <file>", "a JSON file with config fields")
  .option("--seed <n>", "run seed", "1")
  .option("--seeds <list>", "several seeds in worker threads, e.g. 1,2,3 or 1..5; writes an aggregate summary")
  .addOption(new Option("--backend <backend>", "tensor backend").choices(BACKEND_CHOICES).default("auto" as const))
  .option("--runs-dir <dir>", "where run folders go", DEFAULT_RUNS_DIR)
  .option("--data-dir <name=folder>", "an extra dataset folder: IDX, .npz/.npy, CIFAR-10 batches or class folders of images (repeatable)", collect, [] as string[])
  .option("--force", "run again even if an identical complete run exists")
  .option("--json", "print the summary JSON on stdout (progress stays on stderr)")
  .option("--quiet", "no progress output")
  .action(async (experiment, opts) => {
    const signal = interruptSignal();
    const configFile = readConfigFile(opts.config);
    const dataDirs = parseDataDirs(opts.dataDir);
    const runsDir = resolve(opts.runsDir);
    let summary: RunSummary | AggregateSummary;
    if (opts.seeds) {
      getExperiment(experiment);
      summary = await runSeeds({
        experiment,
        preset: opts.preset,
        sets: opts.set,
        configFile,
        seeds: parseSeeds(opts.seeds),
        runsDir,
        backend: opts.backend as BackendChoice,
        dataDirs,
        force: opts.force ?? false,
        quiet: opts.quiet ?? false,
        signal,
        reporter: createReporter({ quiet: opts.quiet }),
      });
    } else {
      const reporter = createReporter({ quiet: opts.quiet });
      const seed = validateSeed(opts.seed);
      const backend = await initBackend(opts.backend as BackendChoice, nodeNativeProvider());
      reporter.line(`backend: ${backend.name} — ${backend.reason}`);
      summary = await runExperiment({ experiment, preset: opts.preset, sets: opts.set, configFile, seed, runsDir, backend, data: new NodeDataSource(dataDirs), force: opts.force ?? false, signal, reporter });
    }
    process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\nrun folder: ${join(runsDir, summary.runId)}\n`);
  });

/**
 * `--data` of inspect: a dataset name (built in, or given with --data-dir) or a path to a data folder, which gets a
 * name of its own from the folder's name.
 */
function inspectData(data: string, dataDirs: Record<string, string>): { dataset: string; dataDirs: Record<string, string> } {
  const named = (BUILT_IN_DATASETS as readonly string[]).includes(data) || data in dataDirs;
  if (named || !/[\\/.]/.test(data)) return { dataset: data, dataDirs };
  const folder = resolve(data);
  if (!existsSync(folder)) throw new ConfigError(`--data ${data}: no such file or folder`, "pass mnist, fashion-mnist, or the path of a data folder");
  let name = basename(folder).replace(/[^A-Za-z0-9_-]/g, "-") || "data";
  if ((BUILT_IN_DATASETS as readonly string[]).includes(name)) name = `my-${name}`;
  return { dataset: name, dataDirs: { ...dataDirs, [name]: folder } };
}

program
  .command("inspect")
  .description("measure your own model: accuracy, calibration, robustness, curvature, saliency, pruning (one report)")
  .argument("<model>", "an .onnx file, or a folder with model.json (tfjs layers format, Keras via tensorflowjs), or the model.json itself; also runs/<id>/artifacts/models/<name>")
  .option("--data <name|path>", "mnist, fashion-mnist, a name given with --data-dir, or a data folder", "mnist")
  .addOption(new Option("--preset <preset>", "how much to measure").choices(["quick", "standard"] as const).default("quick" as const))
  .addOption(new Option("--reference <reference>", "compare with quirklab's baseline network on built-in data").choices(["auto", "none"] as const).default("auto" as const))
  .option("--set <key=value>", "override a config field (repeatable), e.g. --set robustness.examples=500", collect, [] as string[])
  .option("--seed <n>", "seed of the data draw, attack starts and random directions", "1")
  .addOption(new Option("--backend <backend>", "tensor backend").choices(BACKEND_CHOICES).default("auto" as const))
  .option("--runs-dir <dir>", "where run folders go", DEFAULT_RUNS_DIR)
  .option("--data-dir <name=folder>", "an extra dataset folder: IDX, .npz/.npy, CIFAR-10 batches or class folders of images (repeatable)", collect, [] as string[])
  .option("--force", "measure again even if an identical complete inspection exists")
  .option("--json", "print the summary JSON on stdout (progress stays on stderr)")
  .option("--quiet", "no progress output")
  .action(async (modelPath, opts) => {
    const signal = interruptSignal();
    const { dataset, dataDirs } = inspectData(opts.data, parseDataDirs(opts.dataDir));
    const runsDir = resolve(opts.runsDir);
    const reporter = createReporter({ quiet: opts.quiet });
    const seed = validateSeed(opts.seed);
    const backend = await initBackend(opts.backend as BackendChoice, nodeNativeProvider());
    reporter.line(`backend: ${backend.name} — ${backend.reason}`);
    const data = new NodeDataSource(dataDirs);
    const models = new NodeModelSource({ runsDir, backend, data, reporter, signal });
    const sets = [`model=${resolve(modelPath)}`, `data.dataset=${dataset}`, `reference=${opts.reference}`, ...opts.set];
    const summary = await runExperiment({ experiment: "inspect", preset: opts.preset, sets, seed, runsDir, backend, data, models, force: opts.force ?? false, signal, reporter });
    const dir = join(runsDir, summary.runId);
    process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\nreport: ${join(dir, "report", "index.html")}\nrun folder: ${dir}\n`);
  });

/** A run id under runsDir, or a run folder path; stops with a clear error when there is no summary.json. */
function runFolder(run: string, runsDir: string): string {
  const dir = existsSync(run) && statSync(run).isDirectory() ? run : join(runsDir, run);
  if (!existsSync(join(dir, "summary.json"))) {
    if (existsSync(dir) && statSync(dir).isDirectory() && readdirSync(dir).length > 0) {
      const { state, owner } = runningOwner(dir);
      if (state === "alive" || state === "unknown-host") throw new QuirkError(`run ${dir} is starting (pid ${owner!.pid}) and has no summary yet`, "try again in a moment");
      throw new QuirkError(`run ${dir} is interrupted (owner gone): it stopped before it wrote summary.json`, "run the same command again to redo it");
    }
    throw new QuirkError(`no run at ${dir} (summary.json missing)`, "pass a run id printed by `quirklab run`, or a run folder path (with --runs-dir for another runs folder)");
  }
  return dir;
}

program
  .command("show")
  .description("print a run's summary (a run id under --runs-dir, or a run folder path)")
  .argument("<run>", "run id or folder")
  .option("--runs-dir <dir>", "where run folders are", DEFAULT_RUNS_DIR)
  .option("--json", "print summary.json")
  .option("--paper-table", "print only the paper's figures beside ours, as a Markdown table (what the property READMEs show)")
  .action((run, opts) => {
    const dir = runFolder(run, opts.runsDir);
    const summary = readSummary(join(dir, "summary.json"))!;
    const state = folderState(dir, summary.status);
    if (opts.paperTable) {
      const rows = paperComparison(findExperiment(summary.experiment)?.claim?.paperFigures, summary.metrics);
      if (rows.length === 0) throw new QuirkError(`${summary.experiment} declares no paper figures`, "its claim has no numbers from the paper to set beside ours (see its README)");
      const seeds = summary.kind === "aggregate" ? `seeds ${summary.seeds.join(", ")}` : `seed ${summary.seed}`;
      process.stdout.write(`${summary.experiment}, ${summary.preset} preset, ${seeds}: ${summary.verdict ? (summary.verdict.reproduced ? "reproduced" : "not reproduced") : "no verdict"}\n\n${paperTableMarkdown(rows)}\n`);
      return;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ...summary, status: state.status }, null, 2)}\n`);
      return;
    }
    process.stdout.write(`${formatSummary(summary, state.label)}\n`);
    if (state.label === "interrupted (owner gone)") {
      process.stdout.write("the process that ran it stopped without recording why (killed, or its disk filled up); run the same command again to redo it\n");
    }
    const epochs = readJsonLines(join(dir, "metrics.jsonl")).filter((e) => e.type === "epoch");
    if (epochs.length) {
      process.stdout.write("epoch  train loss  train acc  test loss  test acc  seconds\n");
      for (const e of epochs) {
        const n = (k: string, d = 4) => (typeof e[k] === "number" ? (e[k] as number).toFixed(d) : "-");
        process.stdout.write(`${String(e.epoch).padStart(5)}  ${n("trainLoss").padStart(10)}  ${n("trainAccuracy").padStart(9)}  ${n("testLoss").padStart(9)}  ${n("testAccuracy").padStart(8)}  ${n("seconds", 2).padStart(7)}\n`);
      }
    }
  });

program
  .command("tour")
  .description("run one experiment per property on MNIST, print the verdict table and write the report")
  .addOption(new Option("--preset <preset>", "config preset").choices(PRESETS).default("quick" as const))
  .option("--only <list>", "only these properties or experiments, comma-separated (e.g. adversarial,forgetting)")
  .option("--beyond", "tour the properties found since the seven (double descent, ...) instead of the seven")
  .option("--seed <n>", "seed of every run", "1")
  .option("--out <dir>", "where the runs, the report and summary.json go (default quirklab-tour, or quirklab-tour-beyond)")
  .addOption(new Option("--backend <backend>", "tensor backend").choices(BACKEND_CHOICES).default("auto" as const))
  .option("--force", "run again even where an identical complete run exists")
  .option("--json", "print summary.json on stdout instead of the table")
  .action(async (opts) => {
    const signal = interruptSignal();
    const reporter = createReporter();
    const seed = validateSeed(opts.seed);
    const only = opts.only ? opts.only.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
    const part = opts.beyond ? "beyond" : "seven";
    selectStops(only, part);
    const backend = await initBackend(opts.backend as BackendChoice, nodeNativeProvider());
    reporter.line(`backend: ${backend.name} — ${backend.reason}`);
    const outDir = resolve(opts.out ?? (opts.beyond ? "quirklab-tour-beyond" : "quirklab-tour"));
    const tour = await runTour({ preset: opts.preset, seed, ...(only ? { only } : {}), part, outDir, backend, data: new NodeDataSource(), force: opts.force ?? false, signal, reporter });
    if (opts.json) process.stdout.write(`${JSON.stringify(tour, null, 2)}\n`);
    else {
      process.stdout.write(`\n${formatVerdictTable(tour.rows)}\n\n`);
      for (const m of tour.missing) process.stdout.write(`${m.label}: ${m.reason}\n`);
      for (const n of tour.notShown) process.stdout.write(`${n.label}, not at the quick preset: ${n.reason}\n`);
      const reproduced = tour.rows.filter((r) => r.reproduced === true).length;
      process.stdout.write(`${reproduced} of ${tour.rows.length} claims reproduced at the ${tour.preset} preset in ${tour.seconds.toFixed(0)} s\nreport: ${tour.report.html}\nsummary: ${join(outDir, "summary.json")}\n`);
    }
    if (tour.failed.length) {
      process.stderr.write(`error: ${tour.failed.length} experiment(s) failed: ${tour.failed.map((f) => `${f.experiment} (${f.message})`).join("; ")}\n`);
      process.exitCode = 1;
    }
  });

program
  .command("report")
  .description("(re)render a run's HTML report into its report/ folder")
  .argument("<run>", "run id or folder")
  .option("--runs-dir <dir>", "where run folders are", DEFAULT_RUNS_DIR)
  .option("--no-png", "skip the PNG renderings of the figures")
  .action(async (run, opts) => {
    const dir = runFolder(run, opts.runsDir);
    const summary = readSummary(join(dir, "summary.json"))!;
    const png = opts.png;
    if (summary.kind === "aggregate") {
      const parent = resolve(dir, "..");
      const members = summary.runs
        .map((id) => ({ summary: readRunSummary(join(parent, id, "summary.json")), runDir: join(parent, id) }))
        .filter((m): m is { summary: RunSummary; runDir: string } => m.summary !== null);
      const paperTable = {
        heading: `The paper's figures beside ours: mean ± sd over seeds ${summary.seeds.join(", ")} (${summary.preset} preset)`,
        rows: paperComparison(findExperiment(summary.experiment)?.claim?.paperFigures, summary.metrics),
      };
      const written = await writeReport(join(dir, "report"), `quirklab: ${summary.experiment}, seeds ${summary.seeds.join(", ")}`, `quirklab ${summary.quirklabVersion} · ${summary.preset} preset · backend ${summary.backend}`, members, { png, paperTable });
      process.stdout.write(`report: ${written.html}\n`);
      return;
    }
    const written = await writeRunReport(dir, summary, { png });
    process.stdout.write(`report: ${written.html}\n`);
  });

program
  .command("compare")
  .description("put runs side by side: every metric and the verdicts (e.g. two seeds, or quick vs standard)")
  .argument("<runs...>", "run ids or folders")
  .option("--runs-dir <dir>", "where run folders are", DEFAULT_RUNS_DIR)
  .option("--json", "print JSON")
  .action((runs, opts) => {
    const summaries = runs.map((r) => readRunSummary(join(runFolder(r, opts.runsDir), "summary.json"))!);
    const table = compareRuns(summaries);
    process.stdout.write(opts.json ? `${JSON.stringify(table, null, 2)}\n` : `${formatComparison(table)}\n`);
  });

program
  .command("lab")
  .description("serve the browser lab on 127.0.0.1 (building it first when its sources changed)")
  .option("--port <port>", "port to listen on (0: any free port)", "5178")
  .option("--rebuild", "build the lab even if it looks up to date")
  .action(async (opts) => {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be an integer in [0, 65535], got "${opts.port}"`, "e.g. --port 5178");
    // Listen before building: a port in use is reported at once, not after half a minute of building.
    const { server, url } = await serveStatic(join(PACKAGE_ROOT, "web", "dist"), port);
    const reason = opts.rebuild ? "--rebuild" : labBuildReason();
    if (reason) {
      process.stdout.write(`${reason}: building the lab (about half a minute)\n`);
      try {
        await buildLab(PACKAGE_ROOT, (line) => process.stdout.write(`${line}\n`));
      } catch (error) {
        server.close();
        throw error;
      }
    }
    process.stdout.write(`the lab is at ${url} (127.0.0.1 only; Ctrl-C stops it)\n`);
    await new Promise<void>((done) => process.once("SIGINT", () => server.close(() => done())));
  });

program
  .command("info")
  .description("print the backend quirklab would use, its kernels and the machine")
  .addOption(new Option("--backend <backend>", "tensor backend").choices(BACKEND_CHOICES).default("auto" as const))
  .action(async (opts) => {
    const native = nodeNativeProvider();
    const backend = await initBackend(opts.backend as BackendChoice, native);
    const info = {
      quirklab: QUIRKLAB_VERSION,
      node: process.version,
      tfjs: tf.version.tfjs,
      backend,
      native: native.describe(),
      datasets: await new NodeDataSource().available(),
    };
    process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
  });

/**
 * Exit codes: 0 done (whatever the verdicts), 1 a run or a file failed (data, divergence, a damaged run folder, the
 * disk), 2 a usage error (an unknown command or option, a bad flag value or config: nothing was run), 130 interrupted.
 */
const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

program.exitOverride();
program.commands.forEach((c) => c.exitOverride());

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
    // worker threads of the tfjs wasm backend or piscina may hold the event loop open
    process.exit(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message; --help and --version are not errors
      process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    }
    if (error instanceof InterruptedError) {
      process.stderr.write(`interrupted: ${error.message}\n`);
      process.exit(EXIT.interrupted);
    }
    if (error instanceof QuirkError) {
      process.stderr.write(`error: ${error.message}\n${error.hint ? `fix: ${error.hint}\n` : ""}`);
      process.exit(error instanceof ConfigError ? EXIT.usage : EXIT.failed);
    }
    const system = describeSystemError(error);
    if (system) {
      process.stderr.write(`error: ${system}\n`);
      process.exit(EXIT.failed);
    }
    throw error;
  }
}

await main();
