/**
 * The epsilon slider: FGSM on the last run's saved models, recomputed in the worker at each epsilon, drawn as
 * clean / adversarial / perturbation rows with the model's prediction and confidence under each adversarial digit.
 */
import type { FromWorker } from "./protocol.js";

type FgsmReply = Extract<FromWorker, { kind: "fgsm" }>;

function drawDigit(ctx: CanvasRenderingContext2D, pixels: Float32Array, offset: number, shape: number[], left: number, top: number, scale: number, map: (v: number) => number): void {
  const [h, w] = shape as [number, number];
  const image = ctx.createImageData(w, h);
  for (let i = 0; i < h * w; i++) {
    const g = Math.round(255 * Math.max(0, Math.min(1, map(pixels[offset + i]!))));
    image.data.set([g, g, g, 255], i * 4);
  }
  const tile = document.createElement("canvas");
  tile.width = w;
  tile.height = h;
  tile.getContext("2d")!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, left, top, w * scale, h * scale);
}

export function drawTriplets(canvas: HTMLCanvasElement, reply: FgsmReply): void {
  const [h, w] = reply.shape as [number, number];
  const n = reply.labels.length;
  const scale = 3;
  const cell = w * scale + 6;
  const rowHeight = h * scale + 22;
  canvas.width = n * cell + 90;
  canvas.height = rowHeight * 3;
  const ctx = canvas.getContext("2d")!;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#222";
  ctx.font = "12px sans-serif";
  const rows = ["clean", `FGSM ε=${reply.epsilon.toFixed(2)}`, "perturbation"];
  rows.forEach((r, i) => ctx.fillText(r, 2, i * rowHeight + (h * scale) / 2));
  const size = h * w;
  const eps = reply.epsilon || 1;
  for (let k = 0; k < n; k++) {
    const left = 90 + k * cell;
    drawDigit(ctx, reply.clean, k * size, reply.shape, left, 0, scale, (v) => v);
    drawDigit(ctx, reply.adversarial, k * size, reply.shape, left, rowHeight, scale, (v) => v);
    const delta = new Float32Array(size);
    for (let i = 0; i < size; i++) delta[i] = reply.adversarial[k * size + i]! - reply.clean[k * size + i]!;
    drawDigit(ctx, delta, 0, reply.shape, left, 2 * rowHeight, scale, (v) => 0.5 + v / (2 * eps));
    ctx.fillStyle = "#222";
    ctx.fillText(`${reply.labels[k]}`, left, h * scale + 14);
    const wrong = reply.predictions[k] !== reply.labels[k];
    ctx.fillStyle = wrong ? "#c00" : "#060";
    ctx.fillText(`${reply.predictions[k]} ${Math.round(reply.confidences[k]! * 100)}%`, left, rowHeight + h * scale + 14);
  }
}
