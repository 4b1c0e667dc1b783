#!/usr/bin/env node
// The installed entry point runs the compiled CLI (built by `npm install` through the prepare script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write("quirklab is not built yet: run `npm install` (or `npm run build`) in the quirklab folder\n");
  process.exit(1);
}
await import(compiled.href);
