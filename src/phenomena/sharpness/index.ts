/** Property 4: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { batchSize } from "./batch-size.js";
import { sbLbInterpolation } from "./sb-lb-interpolation.js";
import { reparametrization } from "./reparametrization.js";
import { sam } from "./sam.js";

export const sharpnessProperty = defineProperty({
  id: "sharpness",
  number: 4,
  name: "Best when badly trained",
  title: "Large batches find sharp minima; sharpness is not invariant",
  question: "Do flat minima generalize better, and is flatness even well defined?",
  group: "seven",
  tourExperiment: "batch-size",
  experiments: [batchSize, sbLbInterpolation, reparametrization, sam],
});
