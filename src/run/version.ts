import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));

/** The version in package.json (src/run and dist/run both sit two levels below the package root). */
export const QUIRKLAB_VERSION: string = (JSON.parse(readFileSync(join(here, "..", "..", "package.json"), "utf8")) as { version: string }).version;

export function dependencyVersion(name: string): string {
  try {
    const pkg = join(here, "..", "..", "node_modules", ...name.split("/"), "package.json");
    return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
