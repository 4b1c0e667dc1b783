/**
 * The README's library example, run as written: `import ... from "quirklab"` (the built package, resolved by name)
 * and `initBackend("auto")` with no provider, which must find the native kernel pack when it is built.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../support/spawn.js";
import { repeatPass } from "../backend.js";

const root = join(import.meta.dirname, "..", "..");

function newestSource(dir: string): number {
  return readdirSync(dir).reduce((newest, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return Math.max(newest, stat.isDirectory() ? newestSource(path) : stat.mtimeMs);
  }, 0);
}

/** The README's library block: the first ```ts block under "## The library". */
function readmeExample(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The library"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error("README.md has no ```ts block under ## The library");
  return match[1]!;
}

describe.skipIf(repeatPass)("the README's library example", () => {
  it("runs as written and picks the native kernel pack by itself when it is built", async () => {
    const built = join(root, "dist", "index.js");
    if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(root, "src"))) {
      // `npm install` builds dist/; a source edited since then is built again so the example runs today's code
      const tsc = await run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { cwd: root });
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    }
    const example = readmeExample();
    expect(example).toMatch(/from "quirklab"/);
    expect(example).toMatch(/await initBackend\("auto"\);/);
    mkdirSync(join(root, "out"), { recursive: true });
    const script = join(root, "out", "readme-library-example.mjs");
    writeFileSync(script, `${example}\nimport { currentBackend as readmeTestBackend } from "quirklab";\nconsole.log("backend:", readmeTestBackend().name);\n`);
    const out = await run(process.execPath, [script], { cwd: root, timeoutMs: 300_000 });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/accuracy/);
    const nativeBuilt = existsSync(join(root, "native", "build", "Release", "quirklab_native.node"));
    expect(out.stdout).toMatch(nativeBuilt ? /backend: native/ : /backend: wasm/);
  });
});
