import { tf } from "./src/engine/tf.js";
import { initBackend } from "./src/engine/backend.js";
import { nodeNativeProvider } from "./src/engine/native.js";
import { makeWorkload } from "./bench/workloads.js";
await initBackend("native", nodeNativeProvider());
const name = (process.argv[2] ?? "d") as "a" | "d";
const w = makeWorkload(name);
for (let i = 0; i < 30; i++) w.step();
const agg = new Map<string, {ms: number, n: number}>();
const reps = 20;
let total = 0;
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const info = await tf.profile(() => { w.step(); });
  total += performance.now() - t0;
  for (const k of info.kernels) { const e = agg.get(k.name) ?? {ms: 0, n: 0}; e.ms += Number(k.kernelTimeMs); e.n++; agg.set(k.name, e); }
}
let sum = 0; for (const e of agg.values()) sum += e.ms;
console.log(name, "profiled ms/step", (total/reps).toFixed(2), "kernel ms/step", (sum/reps).toFixed(2));
[...agg].sort((a,b)=>b[1].ms-a[1].ms).slice(0,15).forEach(([k,e])=>console.log(k.padEnd(22), (e.ms/reps).toFixed(3), "ms", (e.n/reps).toFixed(0), "calls"));
