/**
 * The backend the suite runs on: QUIRKLAB_TEST_BACKEND (npm test runs the suite once on native when the kernel pack
 * is built, and once on wasm), else auto.
 */
import { BACKEND_CHOICES, initBackend, type BackendChoice, type BackendInfo } from "../src/engine/backend.js";
import { nodeNativeProvider } from "../src/engine/native.js";

export function testBackendChoice(): BackendChoice {
  const env = process.env.QUIRKLAB_TEST_BACKEND;
  if (env && !BACKEND_CHOICES.includes(env as BackendChoice)) throw new Error(`QUIRKLAB_TEST_BACKEND=${env} is not one of ${BACKEND_CHOICES.join(", ")}`);
  return (env as BackendChoice | undefined) ?? "auto";
}

export function initTestBackend(): Promise<BackendInfo> {
  return initBackend(testBackendChoice(), nodeNativeProvider());
}

/**
 * True on `npm test`'s second pass (wasm after native): a test that never touches tfjs gives the same result on both,
 * so it runs once (`describe.skipIf(repeatPass)`).
 */
export const repeatPass = process.env.QUIRKLAB_TEST_REPEAT === "1";
