/**
 * `quirklab lab`: builds the browser lab when its sources are newer than the build (or it was never built), then
 * serves web/dist as static files on 127.0.0.1 only. No server-side computation: the page does the science.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { QuirkError } from "../core/errors.js";

/** The package root: src/cli and dist/cli both sit two levels below it. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

const MIME: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  // instantiateStreaming refuses wasm served under any other type
  ".wasm": "application/wasm",
  ".gz": "application/gzip",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Why the lab must be (re)built, or null when web/dist is newer than every source it is built from. */
export function labBuildReason(root = PACKAGE_ROOT): string | null {
  const built = join(root, "web", "dist", "index.html");
  if (!existsSync(built)) return "the lab has not been built yet";
  if (!existsSync(join(root, "web", "dist", "data", "index.json"))) return "the lab's data bundle is missing";
  const builtAt = statSync(built).mtimeMs;
  const sources = ["src", "web/src", "web/index.html", "web/vite.config.ts"].map((p) => join(root, p));
  const stale = sources.find((p) => newestMtime(p) > builtAt);
  return stale ? `${stale.slice(root.length + 1)} changed since the last build` : null;
}

/**
 * Builds the lab's data bundle, page and worker. Asynchronous on purpose: a build of half a minute or more must not
 * block the event loop of the process that asked for it (the lab's server answers meanwhile; a test worker keeps
 * talking to its runner).
 */
export async function buildLab(root = PACKAGE_ROOT, log: (line: string) => void = () => {}): Promise<void> {
  const bin = (name: string) => join(root, "node_modules", ".bin", name);
  if (!existsSync(bin("vite")) || !existsSync(bin("tsx"))) {
    throw new QuirkError("the lab needs building, and its build tools (vite, tsx) are not installed", "run `npm install` in the quirklab folder (they are dev dependencies), then `npm run build:lab`");
  }
  for (const [what, cmd, args] of [
    ["data bundle", bin("tsx"), ["scripts/build-lab-data.ts"]],
    ["page and worker", bin("vite"), ["build", "web", "--logLevel", "warn"]],
  ] as const) {
    log(`building the lab: ${what}…`);
    const status = await new Promise<number | null>((resolvePromise, reject) => {
      const child = spawn(cmd, [...args], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
      child.on("error", reject);
      child.on("close", (code) => resolvePromise(code));
    });
    if (status !== 0) throw new QuirkError(`building the lab's ${what} failed (exit ${status})`, "run `npm run build:lab` to see the whole error");
  }
}

function serveFile(root: string, url: string, method: string, res: ServerResponse): void {
  if (method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { "content-type": "text/plain", allow: "GET, HEAD" }).end("only GET and HEAD");
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, "http://x").pathname);
  } catch {
    res.writeHead(400, { "content-type": "text/plain" }).end("bad request: malformed URL");
    return;
  }
  if (path.includes("\0")) {
    res.writeHead(400, { "content-type": "text/plain" }).end("bad request: NUL in path");
    return;
  }
  const file = normalize(join(root, path.endsWith("/") ? `${path}index.html` : path));
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end("forbidden");
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
    return;
  }
  const body = readFileSync(file);
  res.writeHead(200, { "content-type": MIME[extname(file)] ?? "application/octet-stream", "cache-control": "no-cache", "content-length": body.length });
  res.end(method === "HEAD" ? undefined : body);
}

/** Serves `dir` on host:port (port 0: any free port); resolves once listening. Paths outside `dir` are refused. */
export function serveStatic(dir: string, port: number, host = "127.0.0.1"): Promise<{ server: Server; url: string }> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    // A request never takes the server down: anything unexpected is a 500 for that request alone.
    try {
      serveFile(root, req.url ?? "/", req.method ?? "GET", res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(`internal error: ${(error as Error).message}`);
    }
  });
  // malformed HTTP (not just a malformed path) is answered 400 by Node; the socket error must not be fatal either
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    else socket.destroy();
  });
  return new Promise((resolveListen, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new QuirkError(`port ${port} on ${host} is in use`, "pick another with --port, or --port 0 for any free port") : error),
    );
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address ? address.port : port;
      resolveListen({ server, url: `http://${host}:${actual}/` });
    });
  });
}
