/**
 * Hyperparameter choice the way the papers of the pre-training era made it (Erhan et al. 2010; Glorot & Bengio
 * 2010): train once per candidate value and keep the one with the lowest validation error. A candidate whose run
 * diverges counts as the worst, not as a failure of the whole choice.
 */
import { DivergenceError } from "../core/errors.js";

export interface ValidationChoice {
  /** The candidate with the lowest validation error; the first of them on a tie. */
  best: number;
  /** Every candidate's validation error, in grid order; Infinity where the run diverged. */
  errors: { value: number; validationError: number }[];
}

export async function selectByValidation(grid: readonly number[], validationErrorOf: (value: number) => Promise<number>): Promise<ValidationChoice> {
  if (grid.length === 0) throw new RangeError("selectByValidation needs at least one candidate");
  const errors: ValidationChoice["errors"] = [];
  for (const value of grid) {
    let validationError: number;
    try {
      validationError = await validationErrorOf(value);
    } catch (error) {
      if (!(error instanceof DivergenceError)) throw error;
      validationError = Number.POSITIVE_INFINITY;
    }
    errors.push({ value, validationError: Number.isNaN(validationError) ? Number.POSITIVE_INFINITY : validationError });
  }
  const best = errors.reduce((a, b) => (b.validationError < a.validationError ? b : a));
  return { best: best.value, errors };
}
