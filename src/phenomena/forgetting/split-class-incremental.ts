/**
 * Experiment 7c: split MNIST, class-incremental — five tasks of two digits each, one 10-way head, no task label at
 * test time. Fine-tuning keeps only the last pair; EWC hardly helps in this scenario; replay does (van de Ven &
 * Tolias 2019). Both sides shown: EWC "works" on permuted MNIST (7a) and fails here.
 */
import { defineExperiment } from "../experiment.js";
import { splitSchema } from "./split-class-incremental.schema.js";
import { splitClaim } from "./split-class-incremental.claim.js";
import { permutedFigures } from "./figures.js";
import { runSplit } from "./split-protocol.js";
import { sequenceDetails } from "./specs.js";

export const split = defineExperiment({
  id: "split-class-incremental",
  title: "Forgetting depends on the scenario: split MNIST, one head",
  property: "forgetting",
  description: "Learns digit pairs 0/1 ... 8/9 in sequence with one 10-way head: fine-tuning, EWC, replay and joint training.",
  schema: splitSchema,
  presets: {
    quick: { data: { trainSize: 4000, testSize: 1000 }, validationSize: 500, train: { epochs: 2 }, strategies: ["naive", "replay"], replay: { bufferSize: 500 } },
    standard: {},
  },
  claim: splitClaim,
  details: sequenceDetails,
  figures: (r) => permutedFigures(r.details),
  run: (config, ctx) => runSplit(config, ctx),
});
