/**
 * Config resolution: schema defaults <- preset <- config file <- --set key=value, then validation. Every error names
 * the field, what was wrong, and how to fix it.
 */
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { deepMerge, isPlainObject } from "../core/merge.js";
import type { ExperimentDefinition, PresetName } from "../phenomena/experiment.js";

export const PRESETS: PresetName[] = ["quick", "standard", "paper"];

type Json = Record<string, unknown>;

/** Keys that would reach an object's prototype instead of a field: never config fields. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export { deepMerge, isPlainObject } from "../core/merge.js";

/** Parses "a.b.c=value" into a nested object; the value is JSON when it parses as JSON, else a string. */
export function parseSet(assignment: string): Json {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new ConfigError(`--set "${assignment}" is not key=value`, "write it like --set train.lr=0.01");
  const path = assignment.slice(0, eq).trim().split(".");
  if (path.some((p) => p === "")) throw new ConfigError(`--set "${assignment}": empty key segment`, "write keys like train.lr");
  const forbidden = path.find((p) => FORBIDDEN_KEYS.has(p));
  if (forbidden) throw new ConfigError(`--set "${assignment}": "${forbidden}" is not a config field`, "`quirklab list --config <experiment>` shows the fields");
  const raw = assignment.slice(eq + 1).trim();
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a bare word such as relu or adam stays a string
  }
  const root: Json = {};
  let node = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else node = node[key] = {} as Json;
  });
  return root;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length ? issue.path.join(".") : "(config)";
  switch (issue.code) {
    case "unrecognized_keys":
      return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => (issue.path.length ? `${field}.${k}` : k)).join(", ")}`;
    case "too_small":
      return `${field}: ${issue.message} (allowed: ${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)})`;
    case "too_big":
      return `${field}: ${issue.message} (allowed: ${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)})`;
    default:
      return `${field}: ${issue.message}`;
  }
}

/** Validates a raw config against an experiment's schema, throwing a ConfigError that lists every bad field. */
export function validateConfig<S extends z.ZodType>(def: ExperimentDefinition<S>, raw: Json): z.output<S> {
  const parsed = def.schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(describeIssue);
  throw new ConfigError(
    `invalid config for ${def.id}:\n  - ${lines.join("\n  - ")}`,
    `fix the field with --set <field>=<value>; \`quirklab list --config ${def.id}\` shows every field and its default`,
  );
}

export interface ConfigRequest {
  preset?: PresetName;
  /** A config object, e.g. read from a --config file. */
  file?: Json;
  sets?: string[];
}

export function resolveConfig<S extends z.ZodType>(def: ExperimentDefinition<S>, request: ConfigRequest = {}): z.output<S> {
  const preset = request.preset ?? "standard";
  if (!PRESETS.includes(preset)) throw new ConfigError(`unknown preset "${preset}"`, `use one of ${PRESETS.join(", ")}`);
  const presetValues = def.presets[preset];
  if (!presetValues) {
    throw new ConfigError(`${def.id} has no "${preset}" preset`, `use one of ${Object.keys(def.presets).join(", ")}`);
  }
  let raw: Json = deepMerge({}, presetValues as Json);
  if (request.file) {
    if (!isPlainObject(request.file)) throw new ConfigError("the config file must hold a JSON object");
    raw = deepMerge(raw, request.file);
  }
  for (const s of request.sets ?? []) raw = deepMerge(raw, parseSet(s));
  return validateConfig(def, raw);
}
