import { check, formats, judge, type Check } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { DistillationConfig } from "./distillation.schema.js";

export const distillationClaim: Claim<DistillationConfig> = {
  statement: "A small network trained to match a big network's softened outputs learns better than the same small network trained on the labels: the wrong-class probabilities carry knowledge.",
  citation: "Hinton, Vinyals & Dean 2015, Distilling the Knowledge in a Neural Network (NIPS workshop)",
  verdict(metrics, config) {
    const checks: Check[] = [];
    const ratios: (number | undefined)[] = [];
    for (const s of config.students) {
      const hard = metrics[`${s.name}.hardError`];
      const soft = metrics[`${s.name}.distilledError`];
      const r = hard !== undefined && soft !== undefined && hard > 0 ? soft / hard : undefined;
      ratios.push(r);
      const who = `${s.name} (${s.hidden.join("-") || "linear"}, T ${s.temperature})`;
      checks.push(check(`${who}: distilled / hard-label error (${pct(hard)} -> ${pct(soft)})`, r, { atMost: config.claim.errorRatio }));
      checks.push(check(`${who}: gap to the teacher recovered`, metrics[`${s.name}.gapRecovered`], { atLeast: config.claim.gapRecovered }, { format: formats.percent(0), formatBound: formats.percent(0) }));
    }
    // the headline is the first student whose ratio was measured
    return judge(checks, { measured: ratios.find((r) => r !== undefined) ?? Number.NaN, threshold: config.claim.errorRatio, reported: [`teacher error ${pct(metrics.teacherError)}`] });
  },
  interpret(metrics, config) {
    const s = config.students[0]!;
    return (
      `The teacher errs on ${pct(metrics.teacherError)} of the test digits. A ${s.hidden.join("-")}-unit student trained on the labels errs on ${pct(metrics[`${s.name}.hardError`])}; ` +
      `the same student, same initialization and data order, trained on the teacher's outputs softened at T = ${s.temperature}, errs on ${pct(metrics[`${s.name}.distilledError`])}. ` +
      "The soft targets tell the student which wrong answers are almost right — information the labels do not carry."
    );
  },
  paperFigures: [
    { label: "teacher test error (2 x 1200, dropout, jitter)", metric: "teacherError", paper: 0.0067, unit: "percent", source: "Hinton et al. 2015, Sec. 3: 67 test errors", note: "theirs also had weight constraints (max-norm)" },
    { label: "2 x 800 student on labels: test error", metric: "large.hardError", paperPresetOnly: true, paper: 0.0146, unit: "percent", source: "Hinton et al. 2015, Sec. 3: 146 test errors" },
    { label: "2 x 800 student distilled at T = 20: test error", metric: "large.distilledError", paperPresetOnly: true, paper: 0.0074, unit: "percent", source: "Hinton et al. 2015, Sec. 3: 74 test errors" },
    { label: "2 x 800 student: gap to the teacher recovered", metric: "large.gapRecovered", paperPresetOnly: true, paper: 72 / 79, unit: "percent", source: "Hinton et al. 2015, Sec. 3: (146 - 74) / (146 - 67)" },
  ],
  deviations:
    "The standard preset uses a 2 x 256 teacher (dropout 0.5 on hidden layers, no input dropout) and students of 30 and 100 units on 8k digits; the paper preset uses Hinton et al.'s sizes on all 60k (2 x 1200 teacher with dropout 0.5 and +-2 px jitter, 2 x 800 student at T = 20). Both train 20 epochs with Adam instead of the paper's SGD schedule, without the teacher's max-norm weight constraint or input dropout, and with a hard-label weight of 0.2 (the paper states none for MNIST).",
  notAtQuickScale:
    "A teacher trained 8 epochs on 2,000 digits errs on 12.6% of the test digits, no better than the 30-unit student trained alone (11.4%, seed 1): there is no knowledge to distil, and the distilled student does worse (15.9%).",
};

function pct(v: number | undefined): string {
  return v === undefined ? "n/a" : `${(v * 100).toFixed(2)}%`;
}
