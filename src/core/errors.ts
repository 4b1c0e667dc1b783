/**
 * Every failure a user can cause or meet gets one of these, so the CLI can print a message that names the
 * field or file and the fix, instead of a stack trace.
 */
export class QuirkError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A config that does not match an experiment's schema. */
export class ConfigError extends QuirkError {}

/** A dataset file that is missing, truncated or malformed. */
export class DataError extends QuirkError {}

/** A training run whose loss became NaN, infinite, or exploded far above where it started. */
export class DivergenceError extends QuirkError {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly loss: number,
    reason = "",
  ) {
    super(
      `training diverged: loss is ${loss} at epoch ${epoch}, step ${step}${reason ? ` (${reason})` : ""}`,
      "lower the learning rate (--set train.lr=...), or add gradient clipping / a warm-up schedule",
    );
  }
}

/** Cancellation requested by the user (SIGINT, a Stop button): not a failure of the run. */
export class InterruptedError extends QuirkError {
  constructor(reason = "interrupted") {
    super(reason);
  }
}
