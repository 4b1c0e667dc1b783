/** `quirklab lab`'s static server: the right MIME types (wasm must be application/wasm), nothing outside its folder. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { run } from "../support/spawn.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labBuildReason, serveStatic } from "../../src/cli/lab.js";

function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    // a raw request, so the client does not normalize ".." away before the server sees it
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: url.slice(u.origin.length), method: "GET" }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("lab server", () => {
  it("serves the folder on 127.0.0.1 with the right types and refuses paths outside it", async () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-site-"));
    mkdirSync(join(root, "site", "assets"), { recursive: true });
    writeFileSync(join(root, "site", "index.html"), "<!doctype html>lab");
    writeFileSync(join(root, "site", "assets", "x.wasm"), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(root, "secret.txt"), "secret");
    const { server, url } = await serveStatic(join(root, "site"), 0);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(await get(url)).toMatchObject({ status: 200, type: "text/html; charset=utf-8", body: "<!doctype html>lab" });
      expect((await get(`${url}assets/x.wasm`)).type).toBe("application/wasm");
      expect((await get(`${url}missing.js`)).status).toBe(404);
      for (const path of ["../secret.txt", "..%2fsecret.txt", "assets/..%2f..%2fsecret.txt"]) {
        const r = await get(url + path);
        expect(r.status === 403 || r.status === 404).toBe(true);
        expect(r.body).not.toBe("secret");
      }
    } finally {
      server.close();
    }
  });

  it("answers malformed requests with 400 and keeps serving", async () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-site-"));
    writeFileSync(join(root, "index.html"), "lab");
    const { server, url } = await serveStatic(root, 0);
    try {
      for (const path of ["%", "%E0%A4%A", "a%zz", "%00", "x%00.html"]) expect((await get(url + path)).status, path).toBe(400);
      const raw = await new Promise<string>((resolve) => {
        const u = new URL(url);
        const socket = connect(Number(u.port), u.hostname, () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
        let text = "";
        socket.on("data", (c) => (text += c.toString()));
        socket.on("close", () => resolve(text));
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400/);
      expect(await get(url)).toMatchObject({ status: 200, body: "lab" });
    } finally {
      server.close();
    }
  });

  it("`quirklab lab` on a port in use stops at once, before any build", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const out = await run(process.execPath, ["--import", "tsx", join(import.meta.dirname, "..", "..", "src", "cli", "main.ts"), "lab", "--port", String(port), "--rebuild"]);
      expect(out.status).toBe(1);
      expect(out.stderr).toMatch(new RegExp(`error: port ${port} on 127\\.0\\.0\\.1 is in use`));
      expect(out.stdout).not.toMatch(/building/);
    } finally {
      busy.close();
    }
  });

  it("says why the lab needs building", () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-unbuilt-"));
    expect(labBuildReason(root)).toMatch(/not been built/);
  });
});
