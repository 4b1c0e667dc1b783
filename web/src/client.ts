/** The page's handle on the lab worker: one request at a time, replies as callbacks; stopping a run ends the worker. */
import type { FromWorker, ToWorker } from "./protocol.js";
import type { WebBackendChoice } from "../../src/engine/backend.js";
import wasmPlain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreaded from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

type Listener = (message: FromWorker) => void;

export class LabClient {
  private worker: Worker | null = null;
  private listeners = new Set<Listener>();
  ready: Promise<Extract<FromWorker, { kind: "ready" }>> | null = null;

  constructor(private backend: WebBackendChoice) {}

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts (or restarts) the worker on `backend`; resolves when its catalog and data index have arrived. */
  start(backend: WebBackendChoice = this.backend): Promise<Extract<FromWorker, { kind: "ready" }>> {
    this.worker?.terminate();
    this.backend = backend;
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.listeners.forEach((l) => l(e.data));
    this.ready = new Promise((resolve, reject) => {
      const off = this.on((m) => {
        if (m.kind === "ready") {
          off();
          resolve(m);
        } else if (m.kind === "error") {
          off();
          reject(new Error(m.hint ? `${m.message} (${m.hint})` : m.message));
        }
      });
      worker.onerror = (e) => reject(new Error(`the lab's worker failed to start: ${e.message}`));
    });
    const dataBase = new URL("data/", document.baseURI).href;
    const wasmPaths = {
      "tfjs-backend-wasm.wasm": new URL(wasmPlain, document.baseURI).href,
      "tfjs-backend-wasm-simd.wasm": new URL(wasmSimd, document.baseURI).href,
      "tfjs-backend-wasm-threaded-simd.wasm": new URL(wasmThreaded, document.baseURI).href,
    };
    this.send({ kind: "init", backend, dataBase, wasmPaths });
    return this.ready;
  }

  send(message: ToWorker): void {
    if (!this.worker) throw new Error("the lab's worker is not started");
    this.worker.postMessage(message);
  }

  /** Stops whatever runs by ending the worker, then starts a fresh one (tfjs has no safe mid-kernel cancel). */
  restart(): Promise<Extract<FromWorker, { kind: "ready" }>> {
    return this.start(this.backend);
  }
}
