/** `quirklab lab`'s static server: the right MIME types (wasm must be application/wasm), nothing outside its folder. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
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

  it("says why the lab needs building", () => {
    const root = mkdtempSync(join(tmpdir(), "quirklab-unbuilt-"));
    expect(labBuildReason(root)).toMatch(/not been built/);
  });
});
