/** The per-task input transforms of the domain-incremental streams (permuted and rotated MNIST). */
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import { featureSize } from "../../data/dataset.js";
import { applyPixelPermutation, rotateImages } from "../../data/transforms.js";
import type { TaskTransform } from "./specs.js";

export interface TaskView {
  /** What task t does to its images, for the report ("pixels permuted", "rotated 37.2 degrees"). */
  label: string;
  apply(ds: Dataset): Dataset;
}

/** Task t's transform, drawn from `rng` (call once per task, in task order, so every strategy sees the same tasks). */
export function taskView(kind: TaskTransform, t: number, tasks: number, template: Dataset, rng: Rng): TaskView {
  if (kind === "rotation") {
    const band = 180 / tasks;
    const degrees = t * band + rng.next() * band;
    return { label: `rotated ${degrees.toFixed(1)} degrees`, apply: (ds) => rotateImages(ds, degrees) };
  }
  const size = featureSize(template);
  const permutation = t === 0 ? Int32Array.from({ length: size }, (_, i) => i) : rng.permutation(size);
  return { label: t === 0 ? "pixels in place" : "pixels permuted", apply: (ds) => applyPixelPermutation(ds, permutation) };
}
