import { check, formats, judge } from "../verdict-kit.js";
import type { Claim } from "../experiment.js";
import type { PretrainingConfig } from "./pretraining.schema.js";
import type { Condition } from "./pretraining.schema.js";

export const key = (condition: Condition, depth: number, n: number) => `${condition}.depth${depth}.n${n}`;

export const pretrainingClaim: Claim<PretrainingConfig> = {
  statement:
    "Unsupervised pre-training makes deep networks better and more reliable: without it, test error and its spread over seeds grow with depth; with it, both fall, and the pre-trained nets end in another region of function space.",
  citation: "Erhan, Bengio, Courville, Manzagol, Vincent & Bengio 2010, Why Does Unsupervised Pre-training Help Deep Learning? (JMLR), Figures 1-2 and 4-5",
  verdict(metrics, config) {
    const n = config.trainSizes[0]!;
    const { shallowDepth, deepDepth, sdRatio } = config.claim;
    const sdShallow = metrics[`${key("random", shallowDepth, n)}.errorSd`];
    const sdDeep = metrics[`${key("random", deepDepth, n)}.errorSd`];
    const r = sdShallow !== undefined && sdDeep !== undefined && sdShallow > 0 ? sdDeep / sdShallow : undefined;
    const share = { format: (v: number) => fmtPct(v), formatBound: (v: number) => fmtPct(v) };
    const spread = check(`random init: error sd at depth ${deepDepth} / depth ${shallowDepth}`, r, { atLeast: sdRatio }, { format: formats.fixed(2), formatBound: String });
    return judge(
      [
        // The criterion compares the spread of trained networks (Erhan et al.'s random-init nets reach about 2% error at
        // depth 4); nets stuck at chance vary only with the class frequencies of the test draw, which is not that spread.
        check(`random init, depth ${deepDepth}: mean training error (the nets must have trained)`, metrics[`${key("random", deepDepth, n)}.trainErrorMean`], { atMost: config.claim.trainedError }, share),
        spread,
        // each bound is the random-init nets' own figure
        check(`depth ${deepDepth}: mean error pre-trained vs random`, metrics[`${key("pretrained", deepDepth, n)}.errorMean`], { below: metrics[`${key("random", deepDepth, n)}.errorMean`] ?? Number.NaN }, share),
        check(`depth ${deepDepth}: error sd pre-trained vs random`, metrics[`${key("pretrained", deepDepth, n)}.errorSd`], { below: sdDeep ?? Number.NaN }, share),
      ],
      { primary: spread },
    );
  },
  interpret(metrics, config) {
    const n = config.trainSizes[0]!;
    const row = (c: Condition) => config.depths.map((d) => `${d}: ${fmtPct(metrics[`${key(c, d, n)}.errorMean`])} ± ${fmtPct(metrics[`${key(c, d, n)}.errorSd`])}`).join(", ");
    const nn = metrics["functionSpace.nnAgreement"];
    return (
      `Test error by depth over ${config.replicas} seeds (n = ${n}), random init — ${row("random")}; pre-trained — ${row("pretrained")}. ` +
      (nn === undefined
        ? ""
        : `In function space (the nets' output probabilities on ${config.probe} test images), a final net's nearest other net was of its own kind in ${fmtPct(nn)} of cases (50% would mean the two kinds mix). `) +
      "Erhan et al. read this as pre-training acting like a regularizer that picks the basin: the pre-trained start leads to solutions that random starts do not reach."
    );
  },
  deviations:
    "Erhan et al. trained on 50k MNIST digits (and a 10M-digit online stream), chose hyperparameters by validation, stopped early on validation error and drew about 400 seeds per setting; here a fixed budget of plain-SGD epochs on a few thousand digits, 10 seeds per setting, layers of 256 units, autoencoders with untied decoder weights trained by Adam, and a PCA of the output vectors in place of t-SNE/ISOMAP. The standard preset trains every cell at lr 0.1; the paper preset chooses each cell's fine-tuning rate by validation error (grid 0.1, 0.3, 1) and keeps only the criterion's depths 1 and 4 to fit 15 minutes per seed.",
  notAtQuickScale:
    "With 1,000 labelled digits and 10 epochs, the randomly initialized 3-layer nets have not trained (89% training error, seed 1), so neither the depth-wise growth of their spread nor the pre-trained nets' advantage can be judged.",
};

export function fmtPct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? "n/a" : `${(v * 100).toFixed(2)}%`;
}
