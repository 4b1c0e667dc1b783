/** Property 11 (beyond the seven): generalization long after memorization. */
import { defineProperty } from "../property.js";
import { grokkingMnist } from "./grokking-mnist.js";
import { grokkingModular } from "./grokking-modular.js";

export const grokkingProperty = defineProperty({
  id: "grokking",
  number: 11,
  name: "Grokking",
  title: "Generalization long after memorization: test accuracy arrives many times later than the fit",
  question: "If a network has fitted its training set and its training loss is flat, how can its test accuracy still be about to rise?",
  group: "beyond",
  tourExperiment: "grokking-mnist",
  experiments: [grokkingMnist, grokkingModular],
});
