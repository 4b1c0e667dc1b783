import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { ReparametrizationConfig } from "./reparametrization.schema.js";

const change = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && a > 0 && b > 0 ? Math.max(a / b, b / a) : undefined);

export const reparametrizationClaim: Claim<ReparametrizationConfig> = {
  statement: "Sharpness is not a property of the function a network computes: a rescaled ReLU net makes exactly the same predictions, yet its minimum looks far sharper (or flatter).",
  citation: "Dinh, Pascanu, Bengio & Bengio 2017, Sharp Minima Can Generalize For Deep Nets (ICML)",
  verdict(metrics, config) {
    const times = { format: formats.fixed(1), formatBound: String };
    const eig = check("top eigenvalue change (x)", change(metrics["rescaled.topEigenvalue"], metrics["original.topEigenvalue"]), { atLeast: config.claim.eigenvalueChange }, times);
    return judge(
      [
        check("prediction agreement on the test set", metrics.predictionAgreement, { atLeast: 1 }, { format: formats.fixed(4), formatBound: String }),
        eig,
        check("epsilon-sharpness change (x)", change(metrics["rescaled.sharpness"], metrics["original.sharpness"]), { atLeast: config.claim.sharpnessChange }, times),
      ],
      { primary: eig, reported: [`largest relative logit gap ${(metrics.logitGap ?? Number.NaN).toExponential(1)}`] },
    );
  },
  interpret(metrics, config) {
    const f = (k: string, d = 3) => (metrics[k] === undefined ? "n/a" : metrics[k]!.toFixed(d));
    return (
      `Scaling the first layer by ${config.scale} and the second layer's weights by 1/${config.scale} leaves every test prediction unchanged, but moves the top Hessian eigenvalue from ${f("original.topEigenvalue", 2)} to ${f("rescaled.topEigenvalue", 2)} ` +
      `and the epsilon-sharpness from ${f("original.sharpness")} to ${f("rescaled.sharpness")}. Any flatness measure used to explain generalization must be invariant to such rescalings (Li et al.'s filter normalization is).`
    );
  },
  deviations: "Dinh et al. argue by construction; we measure one trained MLP. The Hessian is taken with respect to all parameters, biases included.",
};
