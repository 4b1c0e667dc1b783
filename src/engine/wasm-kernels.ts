/**
 * Kernels the tfjs wasm backend lacks or gets wrong, as direct NHWC loops in plain JS over the backend's heap:
 * slower than native, correct, and enough for the small CNNs quirklab trains on wasm (the browser lab included).
 * - Conv2DBackpropFilter is not registered for wasm in tfjs 4.22: without it no CNN trains there.
 * - wasm's MaxPoolGrad routes gradients to the wrong elements for some shapes (found by our float64 oracle test:
 *   [4,4,4,1] input, 2x2 pool); the replacement follows the cpu backend: each window's first maximum gets its dy.
 */
import { tf } from "./tf.js";

type TensorInfo = import("@tensorflow/tfjs").TensorInfo;

interface WasmBackendLike {
  readSync(dataId: object): ArrayLike<number>;
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

let registered = false;

export function registerWasmExtraKernels(): void {
  if (registered) return;
  registered = true;
  const has = (name: string) => tf.getKernelsForBackend("wasm").some((k) => k.kernelName === name);
  if (has("MaxPoolGrad")) tf.unregisterKernel("MaxPoolGrad", "wasm");
  tf.registerKernel({
    kernelName: "MaxPoolGrad",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, input } = inputs as unknown as Record<"dy" | "input", { dataId: object; shape: number[] }>;
      const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as {
        filterSize: [number, number] | number;
        strides: [number, number] | number;
        pad: "valid" | "same" | number;
        dimRoundingMode?: "floor" | "round" | "ceil";
      };
      const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
      const wasm = backend as unknown as WasmBackendLike;
      const xs = wasm.readSync(input.dataId) as Float32Array;
      const dys = wasm.readSync(dy.dataId) as Float32Array;
      const out = wasm.makeOutput(input.shape, "float32");
      const dx = wasm.typedArrayFromHeap(out);
      dx.fill(0);
      maxPoolGradient(xs, dys, dx, info);
      return out;
    },
  });
  if (has("Conv2DBackpropFilter")) return;
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as unknown as Record<"x" | "dy", { dataId: object; shape: number[] }>;
      const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
        strides: [number, number] | number;
        pad: "valid" | "same" | number;
        dataFormat: "NHWC" | "NCHW";
        dimRoundingMode?: "floor" | "round" | "ceil";
        filterShape: [number, number, number, number];
      };
      if (dataFormat !== "NHWC") throw new Error("quirklab's wasm Conv2DBackpropFilter supports NHWC only");
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        strides,
        1,
        pad,
        dimRoundingMode,
        false,
        "channelsLast",
      );
      const wasm = backend as unknown as WasmBackendLike;
      const xs = wasm.readSync(x.dataId) as Float32Array;
      const dys = wasm.readSync(dy.dataId) as Float32Array;
      const out = wasm.makeOutput(filterShape, "float32");
      const dw = wasm.typedArrayFromHeap(out);
      dw.fill(0);
      conv2dFilterGradient(xs, dys, dw, info);
      return out;
    },
  });
}

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

/** dW[fh,fw,ci,co] = sum over batch and output positions of x[b, ih, iw, ci] * dy[b, oh, ow, co]. */
export function conv2dFilterGradient(x: Float32Array, dy: Float32Array, dw: Float32Array, info: ConvInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let fh = 0; fh < filterHeight; fh++) {
          const ih = oh * strideHeight + fh * dilationHeight - top;
          if (ih < 0 || ih >= inHeight) continue;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw * dilationWidth - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xBase = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const wBase = (fh * filterWidth + fw) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xv = x[xBase + ci]!;
              if (xv === 0) continue;
              const row = wBase + ci * outChannels;
              for (let co = 0; co < outChannels; co++) dw[row + co]! += xv * dy[dyBase + co]!;
            }
          }
        }
      }
    }
  }
}

/** dx gets each output's dy at the first maximum (row-major within the window) of that output's window. */
export function maxPoolGradient(x: Float32Array, dy: Float32Array, dx: Float32Array, info: ConvInfo): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  for (let b = 0; b < batchSize; b++)
    for (let oh = 0; oh < outHeight; oh++)
      for (let ow = 0; ow < outWidth; ow++)
        for (let c = 0; c < inChannels; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let fh = 0; fh < filterHeight; fh++) {
            const ih = oh * strideHeight + fh - top;
            if (ih < 0 || ih >= inHeight) continue;
            for (let fw = 0; fw < filterWidth; fw++) {
              const iw = ow * strideWidth + fw - left;
              if (iw < 0 || iw >= inWidth) continue;
              const index = ((b * inHeight + ih) * inWidth + iw) * inChannels + c;
              if (x[index]! > best || at < 0) {
                best = x[index]!;
                at = index;
              }
            }
          }
          if (at >= 0) dx[at]! += dy[((b * outHeight + oh) * outWidth + ow) * inChannels + c]!;
        }
}
