/**
 * Dinh et al. 2017: a ReLU network computes the same function when one layer is scaled by c > 0 and the next layer's
 * weights by 1/c (relu(c z) = c relu(z)), yet its curvature changes — sharpness is not a property of the function.
 */
import type { Sequential } from "../../models/sequential.js";
import { flatLayout } from "../../engine/flat.js";

/**
 * Scales the kernel and bias of the `dense`-th Dense layer (0-based, in model order) by c and the next Dense layer's
 * kernel by 1/c, in place. Only valid when the layers between them are positively homogeneous (ReLU, linear, max-pool).
 */
export function rescaleAdjacentLayers(model: Sequential, dense: number, c: number): void {
  if (!(c > 0)) throw new RangeError(`the rescaling factor must be positive, got ${c}`);
  const denseLayers = model.layers.map((l, i) => ({ l, i })).filter(({ l }) => l.kind === "Dense");
  const first = denseLayers[dense];
  const second = denseLayers[dense + 1];
  if (!first || !second) throw new RangeError(`the model has ${denseLayers.length} Dense layers: cannot rescale ${dense} and ${dense + 1}`);
  for (const between of model.layers.slice(first.i + 1, second.i)) {
    const act = (between as { activation?: string }).activation;
    if (between.kind === "Activation" && act !== "relu" && act !== "linear") throw new RangeError(`layer ${between.name} (${act}) is not positively homogeneous: rescaling would change the function`);
  }
  const theta = model.getFlat();
  const slots = flatLayout(model.params());
  for (const slot of slots) {
    const isFirst = first.l.params.some((p) => p.name === slot.name);
    const isSecondKernel = second.l.params.some((p) => p.name === slot.name) && slot.role === "kernel";
    const factor = isFirst ? c : isSecondKernel ? 1 / c : 1;
    if (factor !== 1) for (let i = slot.offset; i < slot.offset + slot.size; i++) theta[i] = theta[i]! * factor;
  }
  model.setFlat(theta);
}
