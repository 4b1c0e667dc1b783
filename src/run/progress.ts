/**
 * Progress display: a bar on a terminal; one plain line per epoch (or phase step) when stderr is not a TTY or CI is
 * set. Everything goes to stderr so stdout stays clean for --json.
 */
import cliProgress from "cli-progress";
import type { ProgressUpdate } from "../phenomena/experiment.js";

export interface ProgressReporter {
  update(update: ProgressUpdate): void;
  line(text: string): void;
  stop(): void;
}

export function isInteractive(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

export function createReporter(options: { prefix?: string; quiet?: boolean; interactive?: boolean } = {}): ProgressReporter {
  if (options.quiet) return { update() {}, line() {}, stop() {} };
  const prefix = options.prefix ? `${options.prefix} ` : "";
  if (options.interactive ?? isInteractive()) return new BarReporter(prefix);
  return new LineReporter(prefix);
}

/** Updates that drive the bar rather than print a line ("train" is how older callers marked them). */
const isFine = (u: ProgressUpdate) => u.fine === true || u.phase === "train";

/** Seconds between two plain lines of fine-grained progress. */
const FINE_LINE_SECONDS = 10;

/** Plain lines: every coarse update; of the fine ones, the last of a phase and one every few seconds. */
class LineReporter implements ProgressReporter {
  private lastFine = Date.now();
  constructor(private readonly prefix: string) {}
  update(u: ProgressUpdate): void {
    if (isFine(u)) {
      const now = Date.now();
      if (u.step < u.total && now - this.lastFine < FINE_LINE_SECONDS * 1000) return;
      this.lastFine = now;
    }
    process.stderr.write(`${this.prefix}${u.phase} ${u.step}/${u.total}${u.detail ? ` ${u.detail}` : ""}\n`);
  }
  line(text: string): void {
    process.stderr.write(`${this.prefix}${text}\n`);
  }
  stop(): void {}
}

class BarReporter implements ProgressReporter {
  private bar: cliProgress.SingleBar | null = null;
  private detail = "";
  constructor(private readonly prefix: string) {}
  update(u: ProgressUpdate): void {
    if (!isFine(u)) {
      if (u.detail) this.detail = `${u.phase} ${u.step}/${u.total} ${u.detail}`;
      this.line(`${u.phase} ${u.step}/${u.total}${u.detail ? ` ${u.detail}` : ""}`);
      return;
    }
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        { format: `${this.prefix}{bar} {percentage}% | {phase} {value}/{total} | {detail}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(u.total, 0, { detail: this.detail, phase: u.phase });
    }
    this.bar.setTotal(u.total);
    this.bar.update(u.step, { detail: this.detail, phase: u.phase });
  }
  line(text: string): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
    process.stderr.write(`${this.prefix}${text}\n`);
  }
  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
