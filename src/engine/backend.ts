/**
 * Backend selection: the only place that decides where tensors live. `native` is quirklab's kernel pack over the
 * tfjs `cpu` backend (provided by a NativeProvider, Node only); `auto` prefers it and otherwise takes wasm, which is
 * about 5x faster than stock `cpu` for MLPs and does not print tfjs's banner.
 */
import "@tensorflow/tfjs-backend-wasm";
import { QuirkError } from "../core/errors.js";
import { tf } from "./tf.js";
import { registerWasmExtraKernels } from "./wasm-kernels.js";

export const BACKEND_CHOICES = ["auto", "native", "wasm", "cpu"] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** The seam for the native kernel pack: something that can re-register the hot `cpu` kernels. */
export interface NativeProvider {
  /** Tries to load the addon; never throws. */
  probe(): { available: boolean; reason: string };
  /** Registers the native kernels over tfjs `cpu`; returns the kernel names registered. */
  install(): string[];
  /** Threads and CPU features, for `quirklab info` and manifests. */
  describe(): Record<string, unknown>;
}

export interface BackendInfo {
  /** What the user asked for. */
  requested: BackendChoice | WebBackendChoice;
  /** The backend actually running: `native` means tfjs `cpu` with quirklab's kernels registered over it. */
  name: "native" | "wasm" | "cpu" | "webgl";
  /** The tfjs backend name underneath. */
  tfjsBackend: string;
  /** One line a person can read: which backend and why. */
  reason: string;
  nativeKernels: string[];
}

let current: BackendInfo | null = null;
let defaultNative: NativeProvider | undefined;

/**
 * The provider `initBackend` uses when the caller passes none. The Node entry point (src/index.ts) sets Node's, so a
 * library user's `initBackend("auto")` finds the kernel pack; the browser build never imports it.
 */
export function setDefaultNativeProvider(provider: NativeProvider | undefined): void {
  defaultNative = provider;
}

export function currentBackend(): BackendInfo | null {
  return current;
}

export async function initBackend(requested: BackendChoice, native: NativeProvider | undefined = defaultNative): Promise<BackendInfo> {
  if (!BACKEND_CHOICES.includes(requested)) {
    throw new QuirkError(`unknown backend "${String(requested)}"`, `use one of ${BACKEND_CHOICES.join(", ")}`);
  }
  if (current && current.requested === requested) return current;
  const probe = native ? native.probe() : { available: false, reason: "no native kernel pack in this environment" };
  let info: BackendInfo;
  if (requested === "native" || (requested === "auto" && probe.available)) {
    if (!probe.available || !native) {
      throw new QuirkError(`backend "native" is not available: ${probe.reason}`, "build it with `npm run build:native`, or use --backend wasm");
    }
    await setTf("cpu");
    const kernels = native.install();
    info = { requested, name: "native", tfjsBackend: "cpu", reason: `native kernel pack loaded (${kernels.length} kernels)`, nativeKernels: kernels };
  } else if (requested === "cpu") {
    await setTf("cpu");
    info = { requested, name: "cpu", tfjsBackend: "cpu", reason: "stock tfjs cpu backend, as requested", nativeKernels: [] };
  } else {
    registerWasmExtraKernels();
    await setTf("wasm");
    const why = requested === "wasm" ? "as requested" : `native kernel pack unavailable: ${probe.reason}`;
    info = { requested, name: "wasm", tfjsBackend: "wasm", reason: `tfjs wasm backend (${why})`, nativeKernels: [] };
  }
  current = info;
  return info;
}

export const WEB_BACKEND_CHOICES = ["auto", "webgl", "wasm", "cpu"] as const;
export type WebBackendChoice = (typeof WEB_BACKEND_CHOICES)[number];

/**
 * The browser's backends: `auto` takes WebGL when the page (or worker, through OffscreenCanvas) has it and otherwise
 * wasm. The wasm binaries must have been located with `setWasmPaths` before this is called.
 */
export async function initWebBackend(requested: WebBackendChoice): Promise<BackendInfo> {
  if (!WEB_BACKEND_CHOICES.includes(requested)) {
    throw new QuirkError(`unknown backend "${String(requested)}"`, `use one of ${WEB_BACKEND_CHOICES.join(", ")}`);
  }
  if (current && current.requested === requested) return current;
  let webglFailure = "";
  if (requested === "auto" || requested === "webgl") {
    try {
      await setTf("webgl");
      const info: BackendInfo = { requested, name: "webgl", tfjsBackend: "webgl", reason: requested === "webgl" ? "tfjs webgl backend, as requested" : "tfjs webgl backend (WebGL available)", nativeKernels: [] };
      current = info;
      return info;
    } catch (error) {
      if (requested === "webgl") throw error;
      webglFailure = (error as Error).message;
    }
  }
  const name = requested === "cpu" ? "cpu" : "wasm";
  if (name === "wasm") registerWasmExtraKernels();
  await setTf(name);
  const why = requested === "auto" ? `WebGL unavailable: ${webglFailure}` : "as requested";
  const info: BackendInfo = { requested, name, tfjsBackend: name, reason: `tfjs ${name} backend (${why})`, nativeKernels: [] };
  current = info;
  return info;
}

async function setTf(name: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch {
    ok = false;
  }
  if (!ok || tf.getBackend() !== name) throw new QuirkError(`could not start the tfjs ${name} backend`, "try --backend cpu");
}
