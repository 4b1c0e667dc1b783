/** Property 2: its experiments, in the order the registry, the lab and the reports list them. */
import { defineProperty } from "../property.js";
import { fgsmSweep } from "./fgsm-sweep.js";
import { minimumDistortion } from "./minimum-distortion.js";
import { transferMatrix } from "./transfer-matrix.js";
import { adversarialTraining } from "./adversarial-training.js";

export const adversarialProperty = defineProperty({
  id: "adversarial",
  number: 2,
  name: "Dumb errors",
  title: "Adversarial examples: imperceptible changes flip predictions",
  question: "How far must a digit move before the network calls it something else?",
  group: "seven",
  tourExperiment: "fgsm-sweep",
  experiments: [fgsmSweep, minimumDistortion, transferMatrix, adversarialTraining],
});
