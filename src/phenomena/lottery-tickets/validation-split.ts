/** The lottery experiments' data: a validation set for the early-stopping criterion, carved out of the training draw. */
import { ConfigError } from "../../core/errors.js";
import { select, type Dataset } from "../../data/dataset.js";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** The first `validationSize` digits of the (already random) training draw validate, the rest train. */
export function splitValidation(drawn: Dataset, validationSize: number): { train: Dataset; validation: Dataset } {
  if (validationSize >= drawn.n) throw new ConfigError(`validationSize (${validationSize}) must be below data.trainSize (${drawn.n}): the validation digits come out of the training draw`, "lower validationSize or raise data.trainSize");
  return { validation: select(drawn, range(0, validationSize), "validation"), train: select(drawn, range(validationSize, drawn.n), "fit") };
}
