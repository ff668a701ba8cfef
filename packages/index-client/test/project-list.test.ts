import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { buildDist, exampleRepo, freePort, startLocalIndex, twineUpload } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { scanProjectNames } from "../src/index.js";

/** A local index root answering with `handler`; the requests' Accept headers are recorded. */
async function serveRoot(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; accepts: string[]; close: () => void }> {
  const accepts: string[] = [];
  const server = createServer((req, res) => {
    accepts.push(String(req.headers.accept));
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/simple/`, accepts, close: () => server.close() };
}

/** Writes `body` in pieces of `size` bytes, each flushed on its own, so entries are split across chunks. */
async function writeInPieces(res: ServerResponse, body: string, size: number): Promise<void> {
  const bytes = Buffer.from(body);
  for (let at = 0; at < bytes.length; at += size) {
    if (!res.write(bytes.subarray(at, at + size))) await new Promise((r) => res.once("drain", r));
  }
  res.end();
}

const NAMES = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `Pkg_${i}.Extra` : i % 3 === 1 ? `pkg-${i}` : `PKG${i}`));

describe("scanProjectNames", () => {
  it("lists every project of a real pypiserver (PEP 503 HTML root)", async () => {
    const index = await startLocalIndex();
    try {
      twineUpload(index, buildDist(exampleRepo("hatch-static")).files);
      const names: string[] = [];
      expect(await scanProjectNames(index.simpleUrl, (n) => names.push(n))).toBe(1);
      expect(names).toEqual(["hatch-static-demo"]);
    } finally {
      await index.stop();
    }
  }, 120_000);

  it("reads PEP 691 JSON as PyPI serves it, in pieces that split entries, asking for JSON first", async () => {
    const body = JSON.stringify({ meta: { "_last-serial": 31, "api-version": "1.1" }, projects: NAMES.map((name, i) => ({ "_last-serial": i, name })) });
    const root = await serveRoot((_req, res) => {
      res.setHeader("content-type", "application/vnd.pypi.simple.v1+json");
      void writeInPieces(res, body, 7);
    });
    try {
      const names: string[] = [];
      expect(await scanProjectNames(root.url, (n) => names.push(n))).toBe(NAMES.length);
      expect(names).toEqual(NAMES);
      expect(root.accepts[0]).toMatch(/^application\/vnd\.pypi\.simple\.v1\+json/);
    } finally {
      root.close();
    }
  });

  it("reads a PEP 503 HTML root in pieces, entities decoded", async () => {
    const anchors = NAMES.map((n) => `    <a href="/simple/${n.toLowerCase()}/">${n}</a><br/>\n`).join("");
    const body = `<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"></head><body>\n${anchors}<a href="/simple/a-b/">a&amp;b</a></body></html>`;
    const root = await serveRoot((_req, res) => {
      res.setHeader("content-type", "text/html; charset=utf-8");
      void writeInPieces(res, body, 11);
    });
    try {
      const names: string[] = [];
      expect(await scanProjectNames(root.url, (n) => names.push(n))).toBe(NAMES.length + 1);
      expect(names).toEqual([...NAMES, "a&b"]);
    } finally {
      root.close();
    }
  });

  it("a root page that fails, refuses or breaks off is an error (exit 2), never a short list", async () => {
    const root = await serveRoot((req, res) => {
      if (req.url?.startsWith("/forbidden/")) {
        res.statusCode = 403;
        res.end("no");
      } else if (req.url?.startsWith("/broken/")) {
        res.setHeader("content-type", "application/vnd.pypi.simple.v1+json");
        res.write('{"projects": [{"name": "first"}, {"na');
        setTimeout(() => res.destroy(), 50);
      } else {
        res.statusCode = 503;
        res.end("down");
      }
    });
    try {
      const base = root.url.replace(/simple\/$/, "");
      await expect(scanProjectNames(root.url, () => {})).rejects.toMatchObject({ code: "IDX_UNREACHABLE", exitCode: 2, message: expect.stringContaining("HTTP 503") });
      await expect(scanProjectNames(`${base}forbidden/`, () => {})).rejects.toMatchObject({ code: "IDX_UNAUTHORIZED", exitCode: 2 });
      const seen: string[] = [];
      await expect(scanProjectNames(`${base}broken/`, (n) => seen.push(n))).rejects.toMatchObject({ code: "IDX_UNREACHABLE", message: expect.stringContaining("broke off") });
      expect(seen).toEqual(["first"]);
    } finally {
      root.close();
    }
    const port = await freePort();
    await expect(scanProjectNames(`http://127.0.0.1:${port}/simple/`, () => {}, { timeoutMs: 2000 })).rejects.toMatchObject({ code: "IDX_UNREACHABLE", exitCode: 2 });
  });
});
