/**
 * The grokking curve of one training run: accuracy and loss on the training and held-out sets and the weight norm,
 * before the first step and at each checkpoint. Both grokking experiments read their clocks from it.
 */
import { euclideanNorm } from "../../core/linalg.js";
import type { Dataset } from "../../data/dataset.js";
import type { LossKind } from "../../engine/loss.js";
import type { Sequential } from "../../models/sequential.js";
import { evaluate } from "../../training/evaluate.js";
import type { TrainPlugin } from "../../training/loop.js";
import type { CurvePoint } from "./curves.js";

export type CurveRow = CurvePoint & { trainLoss: number; testLoss: number };

function measure(model: Sequential, step: number, train: Dataset, test: Dataset, loss: LossKind): CurveRow {
  const tr = evaluate(model, train, loss);
  const te = evaluate(model, test, loss);
  return { step, trainAccuracy: tr.accuracy, testAccuracy: te.accuracy, trainLoss: tr.loss, testLoss: te.loss, weightNorm: euclideanNorm(model.getFlat()) };
}

/** `onCheckpoint` sees each row after the first (for progress lines); `rows` fills as training goes. */
export function curveRecorder(
  checkpoints: ReadonlySet<number>,
  train: Dataset,
  test: Dataset,
  loss: LossKind,
  onCheckpoint: (row: CurveRow) => void,
): { rows: CurveRow[]; plugin: TrainPlugin } {
  const rows: CurveRow[] = [];
  const plugin: TrainPlugin = {
    name: "grokking curve",
    beforeTraining(state) {
      rows.push(measure(state.model, 0, train, test, loss));
    },
    afterBatch(state) {
      if (!checkpoints.has(state.step)) return;
      const row = measure(state.model, state.step, train, test, loss);
      rows.push(row);
      onCheckpoint(row);
    },
  };
  return { rows, plugin };
}
