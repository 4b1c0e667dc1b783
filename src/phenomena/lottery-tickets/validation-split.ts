/** The lottery experiments' data: a validation set for the early-stopping criterion, carved out of the training draw. */
import { ConfigError } from "../../core/errors.js";
import { select, type Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The first `validationSize` digits of the (already random) training draw validate, the rest train. */
export function splitValidation(drawn: Dataset, validationSize: number): { train: Dataset; validation: Dataset } {
  if (validationSize >= drawn.n) throw new ConfigError(`validationSize (${validationSize}) must be below data.trainSize (${drawn.n}): the validation digits come out of the training draw`, "lower validationSize or raise data.trainSize");
  return { validation: select(drawn, range(0, validationSize), "validation"), train: select(drawn, range(validationSize, drawn.n), "fit") };
}

/** What the early-stopping tracker reads at each evaluation: validation loss, and the test accuracy it reports. */
export function earlyStopEvaluation(validation: Dataset, test: Dataset): (model: Sequential) => { validationLoss: number; testAccuracy: number } {
  return (model) => ({ validationLoss: evaluate(model, validation).loss, testAccuracy: evaluate(model, test).accuracy });
}
