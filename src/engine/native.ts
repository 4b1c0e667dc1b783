/**
 * Node's loader for the native kernel pack (N-API, built from native/ by node-gyp during `npm install`). When the
 * addon is missing or fails to load, this says why and `auto` falls back to wasm. Node-only: the browser never
 * imports it.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import type { NativeProvider } from "./backend.js";
import { registerNativeKernels, type NativeAddon } from "./native-kernels.js";

const here = dirname(fileURLToPath(import.meta.url));
// src/engine or dist/engine -> repository root
const addonPath = join(here, "..", "..", "native", "build", "Release", "quirklab_native.node");

/** The loaded addon itself (tests and benchmarks), or null. */
export function loadNativeAddon(): NativeAddon | null {
  if (!existsSync(addonPath)) return null;
  try {
    return createRequire(import.meta.url)(addonPath) as NativeAddon;
  } catch {
    return null;
  }
}

export function nodeNativeProvider(): NativeProvider {
  let addon: NativeAddon | null = null;
  let failure = "";
  const load = (): NativeAddon | null => {
    if (addon || failure) return addon;
    if (!existsSync(addonPath)) {
      failure = `kernel pack not built (${addonPath} is missing)`;
      return null;
    }
    try {
      addon = createRequire(import.meta.url)(addonPath) as NativeAddon;
    } catch (error) {
      failure = `kernel pack failed to load: ${(error as Error).message}`;
    }
    return addon;
  };
  return {
    probe: () => {
      const loaded = load();
      return loaded ? { available: true, reason: "loaded" } : { available: false, reason: failure };
    },
    install: () => {
      const loaded = load();
      if (!loaded) throw new Error(failure);
      // the addon reads the process environment; a worker thread's env (set by --seeds) only JS can see
      const threads = Number(process.env.QUIRKLAB_THREADS);
      if (Number.isInteger(threads) && threads > 0) loaded.setThreads(threads);
      return registerNativeKernels(loaded);
    },
    describe: () => {
      const loaded = load();
      return loaded ? { available: true, path: addonPath, ...loaded.describe() } : { available: false, reason: failure };
    },
  };
}
