/**
 * How sharp the model's minimum is, on the data given: the top Hessian eigenvalues (Lanczos), the Hessian's trace
 * (Hutchinson), Keskar et al.'s sharpness in an epsilon-box, and filter-normalized 1-D and 2-D slices of the loss
 * (Li et al. 2018), whose filter normalization makes slices comparable between networks of different scales.
 */
import type { Rng } from "../../core/rng.js";
import type { Dataset } from "../../data/dataset.js";
import type { Sequential } from "../../models/sequential.js";
import { hutchinsonTrace, keskarSharpness, lanczosEigenvalues } from "../curvature/curvature.js";
import { filterNormalize, gaussianDirection, slotsOf } from "../landscape/directions.js";
import { centredGrid, surfaceGrid, type SurfaceCell } from "../landscape/surface.js";
import { pathScan } from "../landscape/line.js";

export interface CurvatureOptions {
  lanczosSteps: number;
  eigenvalues: number;
  hutchinsonSamples: number;
  keskarEpsilon: number;
  keskarSteps: number;
  /** Points of the 1-D slice over [-radius, radius] (odd). */
  linePoints: number;
  /** Points per axis of the 2-D slice (odd); 0 leaves it out. */
  surfacePoints: number;
  radius: number;
  signal?: AbortSignal;
  onStep?(phase: string): void;
}

export interface CurvatureProfile {
  loss: number;
  /** Largest Ritz values first. */
  eigenvalues: number[];
  trace: number;
  traceStandardError: number;
  keskar: number;
  line: { alpha: number; loss: number; accuracy: number }[];
  surface: SurfaceCell[];
  surfaceAxis: number[];
}

export async function curvatureProfile(model: Sequential, data: Dataset, rng: Rng, options: CurvatureOptions): Promise<CurvatureProfile> {
  const signal = options.signal ? { signal: options.signal } : {};
  options.onStep?.("Hessian eigenvalues (Lanczos)");
  const { ritzValues } = await lanczosEigenvalues(model, data, rng, { steps: options.lanczosSteps, ...signal });
  options.onStep?.("Hessian trace (Hutchinson)");
  const trace = await hutchinsonTrace(model, data, rng, { samples: options.hutchinsonSamples, ...signal });
  options.onStep?.("Keskar sharpness");
  const keskar = await keskarSharpness(model, data, { epsilon: options.keskarEpsilon, steps: options.keskarSteps, ...signal });
  options.onStep?.("loss slices");
  const theta = model.getFlat();
  const slots = slotsOf(model);
  const d1 = filterNormalize(gaussianDirection(theta.length, rng), theta, slots);
  const d2 = filterNormalize(gaussianDirection(theta.length, rng), theta, slots);
  const alphas = centredGrid(options.radius, options.linePoints);
  const points = await pathScan(
    model,
    (alpha, point) => {
      for (let i = 0; i < point.length; i++) point[i] = theta[i]! + alpha * d1[i]!;
    },
    alphas,
    [{ name: "data", data }],
    signal,
  );
  const axis = options.surfacePoints > 0 ? centredGrid(options.radius, options.surfacePoints) : [];
  const surface = axis.length ? await surfaceGrid(model, theta, d1, d2, axis, axis, data, signal) : [];
  return {
    loss: keskar.base,
    eigenvalues: ritzValues.slice(0, options.eigenvalues),
    trace: trace.trace,
    traceStandardError: trace.standardError,
    keskar: keskar.sharpness,
    line: points.map((p) => ({ alpha: p.alpha, loss: p.loss.data!, accuracy: p.accuracy.data! })),
    surface,
    surfaceAxis: axis,
  };
}
