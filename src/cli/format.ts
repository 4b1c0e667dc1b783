/** Human-readable renderings of summaries for the terminal. */
import type { AggregateSummary, RunSummary } from "../run/summary.js";

function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 || Math.abs(value) < 1e-3 ? value.toExponential(3) : value.toFixed(4);
}

export function formatSummary(s: RunSummary | AggregateSummary): string {
  const lines: string[] = [];
  const seeds = s.kind === "aggregate" ? `seeds ${s.seeds.join(",")}` : `seed ${s.seed}`;
  lines.push(`${s.experiment}  run ${s.runId}  ${s.status}  (${s.preset}, ${seeds}, backend ${s.backend})`);
  const width = Math.max(8, ...Object.keys(s.metrics).map((k) => k.length));
  for (const [key, value] of Object.entries(s.metrics)) {
    if (typeof value === "number") lines.push(`  ${key.padEnd(width)}  ${fmt(value)}`);
    else lines.push(`  ${key.padEnd(width)}  ${fmt(value.mean)} ± ${fmt(value.sd)}  (95% CI ${fmt(value.ci95[0])} .. ${fmt(value.ci95[1])}, n=${value.n})`);
  }
  if (s.claim) lines.push(`claim: ${s.claim.statement}`);
  if (s.verdict) lines.push(`verdict: ${s.verdict.reproduced ? "REPRODUCED" : "NOT reproduced"} — measured ${fmt(s.verdict.measured)}, threshold ${fmt(s.verdict.threshold)}; ${s.verdict.note}`);
  const seconds = s.timing.seconds;
  if (typeof seconds === "number") lines.push(`time: ${seconds.toFixed(1)} s${typeof s.timing.secondsPerEpoch === "number" ? ` (${s.timing.secondsPerEpoch.toFixed(2)} s/epoch)` : ""}`);
  if (s.kind === "run" && s.error) lines.push(`error: ${s.error.message}`);
  return lines.join("\n");
}
