/**
 * Look inside (the Deep Visualization Toolbox's live view): draw a digit or step through the run's test digits, and
 * see every layer's activations for it, the class probabilities, and the gradient saliency of the predicted class.
 */
import type { FromWorker } from "./protocol.js";
import { downsample, mnistFrame } from "./digit.js";

type InspectReply = Extract<FromWorker, { kind: "inspect" }>;

const PAD = 224;

/** A canvas to draw a digit on with the mouse, pen or a finger; reports the 28x28 MNIST-framed digit as it is drawn. */
export class DigitPad {
  readonly element = document.createElement("div");
  readonly canvas = document.createElement("canvas");
  private ctx: CanvasRenderingContext2D;
  private drawing = false;
  private last: { x: number; y: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly onDigit: (pixels: Float32Array) => void) {
    this.element.className = "digit-pad";
    this.canvas.width = PAD;
    this.canvas.height = PAD;
    this.canvas.dataset.pad = "digit";
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true })!;
    this.clear();
    this.canvas.addEventListener("pointerdown", (e) => {
      this.drawing = true;
      this.canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.stroke(this.last);
    });
    this.canvas.addEventListener("pointermove", (e) => {
      if (!this.drawing) return;
      this.stroke(this.point(e));
      this.schedule(120);
    });
    const end = () => {
      if (!this.drawing) return;
      this.drawing = false;
      this.last = null;
      this.schedule(0);
    };
    this.canvas.addEventListener("pointerup", end);
    this.canvas.addEventListener("pointercancel", end);
    this.element.append(this.canvas);
  }

  clear(): void {
    this.ctx.fillStyle = "#000";
    this.ctx.fillRect(0, 0, PAD, PAD);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - box.left) / box.width) * PAD, y: ((e.clientY - box.top) / box.height) * PAD };
  }

  /** Draws a stroke from the last point to `p` (exported for tests, which draw without a mouse). */
  stroke(p: { x: number; y: number }): void {
    const from = this.last ?? p;
    this.ctx.strokeStyle = "#fff";
    this.ctx.lineWidth = 18;
    this.ctx.lineCap = "round";
    this.ctx.beginPath();
    this.ctx.moveTo(from.x, from.y);
    this.ctx.lineTo(p.x + 0.01, p.y);
    this.ctx.stroke();
    this.last = p;
  }

  endStroke(): void {
    this.last = null;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onDigit(this.digit()), ms);
  }

  /** The drawing as a 28x28 digit in [0, 1], framed like MNIST. */
  digit(): Float32Array {
    const rgba = this.ctx.getImageData(0, 0, PAD, PAD).data;
    const gray = new Float32Array(PAD * PAD);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4]! / 255;
    return mnistFrame(downsample(gray, PAD, 28), 28);
  }
}

function canvasOf(width: number, height: number, paint: (image: ImageData) => void, scale: number): HTMLCanvasElement {
  const tile = document.createElement("canvas");
  tile.width = width;
  tile.height = height;
  const ctx = tile.getContext("2d")!;
  const image = ctx.createImageData(width, height);
  paint(image);
  ctx.putImageData(image, 0, 0);
  tile.style.width = `${width * scale}px`;
  tile.style.height = `${height * scale}px`;
  tile.style.imageRendering = "pixelated";
  return tile;
}

/** Gray for non-negative maps (dark = strong, like the report's tiles); blue/red for signed ones. */
function paintValues(image: ImageData, values: ArrayLike<number>, offset: number, count: number, stride = 1): void {
  let max = 0;
  let signed = false;
  for (let i = 0; i < count; i++) {
    const v = values[offset + i * stride]!;
    max = Math.max(max, Math.abs(v));
    if (v < 0) signed = true;
  }
  for (let i = 0; i < count; i++) {
    const v = max > 0 ? values[offset + i * stride]! / max : 0;
    const rgb = signed ? (v >= 0 ? [255, 255 * (1 - v), 255 * (1 - v)] : [255 * (1 + v), 255 * (1 + v), 255]) : [255 * (1 - v), 255 * (1 - v), 255 * (1 - v)];
    image.data.set([...rgb.map(Math.round), 255], i * 4);
  }
}

export function drawInspection(host: HTMLElement, reply: InspectReply): void {
  const [h, w] = reply.shape as [number, number];
  const parts: HTMLElement[] = [];
  const block = (title: string, ...content: HTMLElement[]) => {
    const div = document.createElement("div");
    div.className = "layer";
    const caption = document.createElement("div");
    caption.className = "layer-title";
    caption.textContent = title;
    div.append(caption, ...content);
    parts.push(div);
    return div;
  };
  block(reply.label >= 0 ? `input (test digit, label ${reply.label})` : "input (your drawing, MNIST-framed)", canvasOf(w, h, (img) => {
    for (let i = 0; i < h * w; i++) {
      const g = Math.round(255 * reply.pixels[i]!);
      img.data.set([g, g, g, 255], i * 4);
    }
  }, 4));
  block("saliency: d(predicted logit)/d(pixel), red raises it", canvasOf(w, h, (img) => paintValues(img, reply.saliency, 0, h * w), 4));
  for (const layer of reply.layers) {
    if (layer.kind === "Flatten" || layer.kind === "Dropout") continue;
    if (layer.shape.length === 3) {
      const [lh, lw, channels] = layer.shape as [number, number, number];
      const tiles = document.createElement("div");
      tiles.className = "tiles";
      for (let c = 0; c < Math.min(channels, 64); c++) tiles.append(canvasOf(lw, lh, (img) => paintValues(img, layer.values, c, lh * lw, channels), 2));
      block(`${layer.name} (${layer.kind}, ${lh}x${lw}x${channels})`, tiles);
    } else {
      const units = layer.values.length;
      const columns = Math.min(32, units);
      const rows = Math.ceil(units / columns);
      const padded = new Float32Array(rows * columns);
      padded.set(layer.values);
      block(`${layer.name} (${layer.kind}, ${units} units)`, canvasOf(columns, rows, (img) => paintValues(img, padded, 0, rows * columns), 9));
    }
  }
  const predicted = reply.probabilities.indexOf(Math.max(...reply.probabilities));
  const bars = document.createElement("div");
  bars.className = "probabilities";
  bars.dataset.predicted = String(predicted);
  reply.probabilities.forEach((p, k) => {
    const row = document.createElement("div");
    row.innerHTML = `<span>${k}</span><span class="bar" style="width:${Math.round(p * 160)}px;background:${k === predicted ? "#1f7a3a" : "#9ab"}"></span><span>${(p * 100).toFixed(1)}%</span>`;
    bars.append(row);
  });
  block(`prediction: ${predicted}`, bars);
  host.replaceChildren(...parts);
}
