/**
 * Cancellation points for long loops. A signal's abort (Ctrl-C, a Stop button) is delivered by the event loop, so a
 * loop that never yields never sees it: `checkpoint` yields, then throws InterruptedError if the run was aborted.
 */
import { InterruptedError } from "./errors.js";

export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError(String(signal.reason ?? "interrupted"));
}

/** Yields to the event loop (so an abort can be delivered), then stops if the signal was aborted. */
export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfInterrupted(signal);
}
