import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { AdversarialTrainingConfig } from "./adversarial-training.schema.js";

export const key = (model: "plain" | "adversarial", what: "clean" | "fgsm" | "pgd") => `${model}.${what}Error`;

export const adversarialTrainingClaim: Claim<AdversarialTrainingConfig> = {
  statement: "Training on FGSM examples makes a network resist FGSM at little cost in clean accuracy — though PGD can still break it.",
  citation: "Goodfellow, Shlens & Szegedy 2015, Explaining and Harnessing Adversarial Examples; Madry et al. 2018 (PGD)",
  verdict(metrics, config) {
    const pct = formats.percent(1);
    const shown = (v: number | undefined) => (v === undefined ? "-" : pct(v));
    const cleanIncrease = (metrics[key("adversarial", "clean")] ?? Number.NaN) - (metrics[key("plain", "clean")] ?? Number.NaN);
    return judge(
      [
        check(`FGSM error at eps ${config.epsilon} after adversarial training (plain: ${shown(metrics[key("plain", "fgsm")])})`, metrics[key("adversarial", "fgsm")], { atMost: config.claim.maxFgsmError }, { format: pct, formatBound: pct, missing: "-" }),
        check(`clean error increase (${shown(metrics[key("plain", "clean")])} -> ${shown(metrics[key("adversarial", "clean")])})`, cleanIncrease, { atMost: config.claim.maxCleanErrorIncrease }, { format: formats.points(1), formatBound: formats.points(1) }),
      ],
      { reported: [`PGD (${config.attack.pgdSteps} x ${config.attack.pgdStepsize}) error ${shown(metrics[key("plain", "pgd")])} plain, ${shown(metrics[key("adversarial", "pgd")])} adversarially trained`] },
    );
  },
  paperFigures: [
    { label: "plain model: FGSM error at eps 0.25", metric: key("plain", "fgsm"), paper: 0.894, unit: "percent", source: "Goodfellow et al. 2015, Sec. 4 (maxout net)" },
    { label: "adversarially trained: FGSM error at eps 0.25", metric: key("adversarial", "fgsm"), paper: 0.179, unit: "percent", source: "Goodfellow et al. 2015, Sec. 6", note: "theirs maxout, 1600 units per layer, early-stopped on adversarial validation error" },
    { label: "plain model: clean error", metric: key("plain", "clean"), paper: 0.0094, unit: "percent", source: "Goodfellow et al. 2015, Sec. 6 (maxout + dropout)" },
    { label: "adversarially trained: clean error", metric: key("adversarial", "clean"), paper: 0.00782, unit: "percent", source: "Goodfellow et al. 2015, Sec. 6 (1600 units per layer; 0.84% at 240)" },
  ],
  notAtQuickScale:
    "Five epochs of adversarial training of a 128-unit MLP on 2,000 digits leave FGSM error at eps 0.25 near 75% (seed 1); Goodfellow et al.'s 17.9% came from a maxout network trained to convergence on all 60,000 digits with the adversarial objective.",
};
