/**
 * The verdict kit: a claim is a list of checks, each a measured figure against a bound; the kit decides pass or fail
 * the same way for every claim, writes the note in one format, and picks the headline figure. A claim file says what
 * is measured and against what, never how to print it.
 */
import type { Verdict } from "./experiment.js";

export type Bound = { atLeast: number } | { atMost: number } | { above: number } | { below: number } | { within: readonly [number, number] };

export interface CheckOptions {
  /** How the measured value prints (default: 3 decimals). */
  format?: (value: number) => string;
  /** How the bound prints (default: the number as written in the schema). */
  formatBound?: (value: number) => string;
  /** Why the bound is what it is, printed after it (e.g. "no gap size required: ..."). */
  because?: string;
  /** What prints when the figure was not measured (default "n/a"). */
  missing?: string;
}

export interface Check {
  label: string;
  measured: number | undefined;
  /** Absent for a criterion no single bound expresses (see checkThat). */
  bound?: Bound;
  pass: boolean;
  /** The check as the note prints it. */
  text: string;
}

/** A comparison that fails for NaN, as the claims always have (a measured Infinity passes an atLeast). */
export function satisfies(value: number, bound: Bound): boolean {
  if ("atLeast" in bound) return value >= bound.atLeast;
  if ("atMost" in bound) return value <= bound.atMost;
  if ("above" in bound) return value > bound.above;
  if ("below" in bound) return value < bound.below;
  return value >= bound.within[0] && value <= bound.within[1];
}

/** The number a verdict reports as its threshold: the bound itself, or a range's lower end. */
export function boundValue(bound: Bound): number {
  if ("atLeast" in bound) return bound.atLeast;
  if ("atMost" in bound) return bound.atMost;
  if ("above" in bound) return bound.above;
  if ("below" in bound) return bound.below;
  return bound.within[0];
}

const fixed3 = (v: number) => v.toFixed(3);

/** The checks made while a verdict is computed, innermost call first (see collectChecks). */
const collectors: Check[][] = [];

function made(c: Check): Check {
  collectors.at(-1)?.push(c);
  return c;
}

/**
 * Runs `verdict` and returns, beside its result, every check it made, in order: what assess() compares to tell a
 * threshold a preset relaxed from one it tightened, without each claim having to say which config field feeds which
 * bound.
 */
export function collectChecks<T>(verdict: () => T): { result: T; checks: Check[] } {
  const checks: Check[] = [];
  collectors.push(checks);
  try {
    return { result: verdict(), checks };
  } finally {
    collectors.pop();
  }
}

/**
 * How a bound moved from `own` (the schema's) to `given`: "relaxed" when every figure that passed before still passes,
 * "tightened" the other way round, "mixed" otherwise (a range moved, or the kind of bound changed).
 */
export function boundMove(given: Bound, own: Bound): "relaxed" | "tightened" | "mixed" | "same" {
  if (JSON.stringify(given) === JSON.stringify(own)) return "same";
  const lower = (b: Bound) => ("atLeast" in b ? b.atLeast : "above" in b ? b.above : undefined);
  const upper = (b: Bound) => ("atMost" in b ? b.atMost : "below" in b ? b.below : undefined);
  const kind = (b: Bound) => Object.keys(b)[0];
  if (kind(given) !== kind(own)) return "mixed";
  if ("within" in given && "within" in own) {
    const [[gl, gh], [ol, oh]] = [given.within, own.within];
    if (gl <= ol && gh >= oh) return "relaxed";
    if (gl >= ol && gh <= oh) return "tightened";
    return "mixed";
  }
  const [gl, ol, gu, ou] = [lower(given), lower(own), upper(given), upper(own)];
  if (gl !== undefined && ol !== undefined) return gl < ol ? "relaxed" : "tightened";
  if (gu !== undefined && ou !== undefined) return gu > ou ? "relaxed" : "tightened";
  return "mixed";
}

export function check(label: string, measured: number | undefined, bound: Bound, options: CheckOptions = {}): Check {
  const format = options.format ?? fixed3;
  const formatBound = options.formatBound ?? ((v: number) => String(v));
  const needs =
    "atLeast" in bound ? `>= ${formatBound(bound.atLeast)}`
    : "atMost" in bound ? `<= ${formatBound(bound.atMost)}`
    : "above" in bound ? `> ${formatBound(bound.above)}`
    : "below" in bound ? `< ${formatBound(bound.below)}`
    : `in [${formatBound(bound.within[0])}, ${formatBound(bound.within[1])}]`;
  const pass = measured !== undefined && satisfies(measured, bound);
  const shown = measured === undefined ? (options.missing ?? "n/a") : format(measured);
  return made({ label, measured, bound, pass, text: `${label} ${shown} (needs ${needs}${options.because ? `: ${options.because}` : ""}) ${pass ? "ok" : "FAIL"}` });
}

/**
 * A criterion that no single bound expresses (e.g. "diverged, or accuracy <= 0.2"): the claim decides `pass` and says
 * in `needs` what it asked; the note prints the same way as a bounded check's.
 */
export function checkThat(label: string, measured: number | undefined, needs: string, pass: boolean, options: Pick<CheckOptions, "format" | "missing"> = {}): Check {
  const shown = measured === undefined ? (options.missing ?? "n/a") : (options.format ?? fixed3)(measured);
  return made({ label, measured, pass, text: `${label} ${shown} (needs ${needs}) ${pass ? "ok" : "FAIL"}` });
}

export interface JudgeOptions {
  /** The headline check (default: the first). */
  primary?: Check;
  /** Figures reported beside the checks, not judged. */
  reported?: string[];
  /** Overrides of the headline figure or threshold, where a claim reports one that is not a check's own. */
  measured?: number;
  threshold?: number;
}

/** Reproduced when there is at least one check and every check passes. */
export function judge(checks: Check[], options: JudgeOptions = {}): Verdict {
  const primary = options.primary ?? checks[0];
  return {
    reproduced: checks.length > 0 && checks.every((c) => c.pass),
    measured: options.measured ?? primary?.measured ?? Number.NaN,
    threshold: options.threshold ?? (primary?.bound ? boundValue(primary.bound) : Number.NaN),
    note: [...checks.map((c) => c.text), ...(options.reported ?? [])].join("; "),
  };
}

/** Formats the notes share. */
export const formats = {
  fixed: (digits: number) => (v: number) => v.toFixed(digits),
  percent: (digits = 1) => (v: number) => `${(v * 100).toFixed(digits)}%`,
  points: (digits = 2) => (v: number) => `${(v * 100).toFixed(digits)} pp`,
};

/** a / b when both were measured and b is not zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b !== 0 ? a / b : undefined;
}

/** a - b when both were measured. */
export function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? a - b : undefined;
}
