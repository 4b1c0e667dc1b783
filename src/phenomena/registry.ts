/** Every experiment quirklab can run, by id, in the order of the seven properties. */
import type { ExperimentDefinition } from "./experiment.js";
import { baseline } from "./baseline/experiment.js";
import { fgsmSweep } from "./adversarial/fgsm-sweep.js";
import { transferMatrix } from "./adversarial/transfer-matrix.js";
import { adversarialTraining } from "./adversarial/adversarial-training.js";
import { minimumDistortion } from "./adversarial/minimum-distortion.js";
import { interpolation } from "./loss-landscape/interpolation.js";
import { randomization } from "./memorization/randomization.js";
import { distillation } from "./memorization/distillation.js";
import { omittedClass } from "./memorization/omitted-class.js";
import { pruning } from "./memorization/pruning.js";
import { regularizers } from "./memorization/regularizers.js";
import { compressibility } from "./memorization/compressibility.js";
import { initScale } from "./initialization/init-scale.js";
import { earlyExamples } from "./initialization/early-examples.js";
import { pretraining } from "./initialization/pretraining.js";
import { orderVsInit } from "./initialization/order-vs-init.js";
import { permuted } from "./forgetting/permuted.js";
import { split, splitTask } from "./forgetting/split.js";
import { stream } from "./forgetting/stream.js";
import { unitsVsDirections } from "./visualization/units-vs-directions.js";
import { activationMaximization } from "./visualization/activation-maximization.js";
import { batchSize } from "./sharpness/batch-size.js";
import { reparametrization } from "./sharpness/reparametrization.js";
import { sam } from "./sharpness/sam.js";
import { sbLbInterpolation } from "./sharpness/sb-lb-interpolation.js";
import { filterNormalization } from "./loss-landscape/filter-normalization.js";
import { surface2d } from "./loss-landscape/surface-2d.js";
import { indexVsError } from "./loss-landscape/index-vs-error.js";

export const experiments: ExperimentDefinition[] = [
  baseline,
  // 1. black box
  unitsVsDirections,
  activationMaximization,
  // 2. dumb errors
  fgsmSweep,
  minimumDistortion,
  transferMatrix,
  adversarialTraining,
  // 3. non-convex yet easy
  interpolation,
  filterNormalization,
  surface2d,
  indexVsError,
  // 4. flat and sharp minima
  batchSize,
  sbLbInterpolation,
  reparametrization,
  sam,
  // 5. memorize and compress
  randomization,
  distillation,
  omittedClass,
  pruning,
  regularizers,
  compressibility,
  // 6. initialization and first examples
  initScale,
  earlyExamples,
  pretraining,
  orderVsInit,
  // 7. forgetting
  permuted,
  stream,
  split,
  splitTask,
] as unknown as ExperimentDefinition[];

export function findExperiment(id: string): ExperimentDefinition | undefined {
  return experiments.find((e) => e.id === id);
}
