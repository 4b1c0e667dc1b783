#!/usr/bin/env node
// Builds quirklab's native kernel pack with node-gyp against this Node's own headers (offline). Never fails the
// install: without a compiler quirklab runs on the tfjs wasm backend and says so.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

if (process.env.QUIRKLAB_SKIP_NATIVE === "1") {
  console.error("quirklab: QUIRKLAB_SKIP_NATIVE=1, not building the native kernel pack");
  process.exit(0);
}
const prefix = dirname(dirname(process.execPath));
const headers = join(prefix, "include", "node", "node_api.h");
const nodedir = existsSync(headers) ? prefix : null;

function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"),
  ];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(require.resolve("node-gyp/bin/node-gyp.js"));
  } catch {
    // not installed as a package; npm's bundled copy is used
  }
  return candidates.find((c) => c && existsSync(c));
}

const gyp = findNodeGyp();
if (!gyp) {
  console.error("quirklab: node-gyp not found; the native kernel pack is not built (quirklab will use wasm)");
  process.exit(0);
}
const args = [gyp, "rebuild", "--directory=native", "--jobs=2", ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const started = Date.now();
const result = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
if (result.status === 0) {
  console.error(`quirklab: native kernel pack built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} else {
  console.error(result.stdout.slice(-4000));
  console.error(result.stderr.slice(-4000));
  console.error("quirklab: the native kernel pack failed to build; quirklab will run on the tfjs wasm backend");
}
