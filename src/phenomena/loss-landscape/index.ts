/** Property 3: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { interpolation } from "./interpolation.js";
import { filterNormalization } from "./filter-normalization.js";
import { surface2d } from "./surface-2d.js";
import { indexVsError } from "./index-vs-error.js";

export const lossLandscapeProperty = defineProperty({
  id: "loss-landscape",
  number: 3,
  name: "Strangely non-convex",
  title: "Strangely non-convex, yet the straight path meets no obstacle",
  question: "If the loss is not convex, why does gradient descent find good solutions so easily?",
  group: "seven",
  tourExperiment: "interpolation",
  experiments: [interpolation, filterNormalization, surface2d, indexVsError],
});
