import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, join } from "node:path";
import { buildDist, exampleRepo, freePort, startLocalIndex, tempDir, twineUpload, type LocalIndex } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listProjectFiles, parseHtmlPage, parseJsonPage, sha256OfIndexFile } from "../src/index.js";

describe("listProjectFiles against a real pypiserver", () => {
  let index: LocalIndex;
  let files: string[];

  beforeAll(async () => {
    index = await startLocalIndex();
    files = buildDist(exampleRepo("hatch-static")).files;
    twineUpload(index, files);
  });
  afterAll(() => index?.stop());

  it("lists every uploaded file with its sha256 and version, under any spelling of the name", async () => {
    const listed = await listProjectFiles(index.simpleUrl, "Hatch_Static.Demo");
    expect(listed.found).toBe(true);
    const expected = files.map((f) => ({
      filename: basename(f),
      sha256: createHash("sha256").update(readFileSync(f)).digest("hex"),
      version: "0.1.0",
    }));
    expect(listed.files.map(({ filename, sha256, version }) => ({ filename, sha256, version })).sort((a, b) => a.filename.localeCompare(b.filename))).toEqual(expected);
    for (const f of listed.files) expect(f.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it("hashes a file the index serves, by downloading it (for indexes that list no hash)", async () => {
    const listed = await listProjectFiles(index.simpleUrl, "hatch-static-demo");
    for (const file of listed.files) expect(await sha256OfIndexFile(file.url)).toBe(file.sha256);
    await expect(sha256OfIndexFile(`${index.baseUrl}/packages/no-such-file.whl`)).rejects.toMatchObject({ code: "IDX_UNREACHABLE", exitCode: 2 });
  });

  it("keeps the downloaded bytes with saveTo, hashed as they were written", async () => {
    const [file] = (await listProjectFiles(index.simpleUrl, "hatch-static-demo")).files;
    const saveTo = join(tempDir("ic-download-"), file!.filename);
    expect(await sha256OfIndexFile(file!.url, { saveTo })).toBe(file!.sha256);
    expect(createHash("sha256").update(readFileSync(saveTo)).digest("hex")).toBe(file!.sha256);
  });

  it("a saveTo path that cannot be written is this machine's error, not the index's (IDX_SAVE_FAILED, not retried as unreachable)", async () => {
    const [file] = (await listProjectFiles(index.simpleUrl, "hatch-static-demo")).files;
    // Its parent is a regular file: no directory can be made or written there, even as root.
    const notADir = join(tempDir("ic-download-"), "a-file");
    writeFileSync(notADir, "");
    const saveTo = join(notADir, file!.filename);
    const failure = { code: "IDX_SAVE_FAILED", exitCode: 2, message: expect.stringContaining(`cannot save ${file!.url} to ${saveTo}: ENOTDIR`) };
    await expect(sha256OfIndexFile(file!.url, { saveTo })).rejects.toMatchObject(failure);
    // The file fails to open while the download waits for its next chunk (not for 'drain'): still this error,
    // never an unhandled 'error' event.
    const slowBody = (): Response =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            await new Promise((resolve) => setTimeout(resolve, 50));
            controller.enqueue(new Uint8Array(1024));
          },
        }),
      );
    await expect(sha256OfIndexFile(file!.url, { saveTo, fetch: async () => slowBody() })).rejects.toMatchObject(failure);
  });

  it("reports a project the index does not have as not found", async () => {
    expect(await listProjectFiles(index.simpleUrl, "no-such-project")).toEqual({ found: false, files: [] });
  });
});

describe("listProjectFiles failures", () => {
  it("an index that does not answer is an environment error (exit 2), never an empty list", async () => {
    const port = await freePort();
    await expect(listProjectFiles(`http://127.0.0.1:${port}/simple/`, "x", { timeoutMs: 2000 })).rejects.toMatchObject({
      code: "IDX_UNREACHABLE",
      exitCode: 2,
    });
  });

  it("5xx and 403 answers are errors with their own codes", async () => {
    const server = createServer((req, res) => {
      res.statusCode = req.url?.includes("forbidden") ? 403 : 503;
      res.end("no");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    try {
      await expect(listProjectFiles(`http://127.0.0.1:${port}/simple/`, "x")).rejects.toMatchObject({ code: "IDX_UNREACHABLE" });
      await expect(listProjectFiles(`http://127.0.0.1:${port}/forbidden/`, "x")).rejects.toMatchObject({ code: "IDX_UNAUTHORIZED" });
    } finally {
      server.close();
    }
  });
});

describe("page parsers", () => {
  it("reads PEP 691 JSON as PyPI serves it", () => {
    const body = JSON.stringify({
      meta: { "api-version": "1.1" },
      name: "demo",
      files: [
        {
          filename: "demo-1.0.tar.gz",
          url: "../../packages/aa/demo-1.0.tar.gz",
          hashes: { sha256: "A".repeat(64) },
          "requires-python": ">=3.9",
          yanked: "broken",
        },
        { filename: "demo-1.0-py3-none-any.whl", url: "https://files.example/demo-1.0-py3-none-any.whl", hashes: {}, yanked: false, "upload-time": "2026-07-23T12:00:01.123456Z", size: 2048 },
        // Not PEP 700's form (no Z zone), and not a time at all; sizes that are not byte counts: left out, never guessed.
        { filename: "demo-1.0-cp312-none-any.whl", url: "https://files.example/demo-1.0-cp312-none-any.whl", "upload-time": "2026-07-23T12:00:01", size: -1 },
        { filename: "demo-1.0-cp313-none-any.whl", url: "https://files.example/demo-1.0-cp313-none-any.whl", "upload-time": "yesterdayZ", size: "2048" },
      ],
    });
    expect(parseJsonPage(body, "https://index.example/simple/demo/")).toEqual([
      {
        filename: "demo-1.0.tar.gz",
        url: "https://index.example/packages/aa/demo-1.0.tar.gz",
        sha256: "a".repeat(64),
        requiresPython: ">=3.9",
        yanked: true,
        version: "1.0",
      },
      { filename: "demo-1.0-py3-none-any.whl", url: "https://files.example/demo-1.0-py3-none-any.whl", yanked: false, version: "1.0", uploadTime: new Date("2026-07-23T12:00:01.123Z"), size: 2048 },
      { filename: "demo-1.0-cp312-none-any.whl", url: "https://files.example/demo-1.0-cp312-none-any.whl", yanked: false, version: "1.0" },
      { filename: "demo-1.0-cp313-none-any.whl", url: "https://files.example/demo-1.0-cp313-none-any.whl", yanked: false, version: "1.0" },
    ]);
  });

  it("reads PEP 503 HTML with hashes, entities and yanked markers", () => {
    const html = `<!DOCTYPE html><html><body>
      <a href="/files/demo-2.0.dev3.tar.gz#sha256=${"b".repeat(64)}" data-requires-python="&gt;=3.10">demo-2.0.dev3.tar.gz</a><br/>
      <a data-yanked="" href='demo_x-2.0-py3-none-any.whl'>demo_x-2.0-py3-none-any.whl</a>
    </body></html>`;
    expect(parseHtmlPage(html, "http://127.0.0.1:1/simple/demo/")).toEqual([
      {
        filename: "demo-2.0.dev3.tar.gz",
        url: "http://127.0.0.1:1/files/demo-2.0.dev3.tar.gz",
        sha256: "b".repeat(64),
        requiresPython: ">=3.10",
        yanked: false,
        version: "2.0.dev3",
      },
      { filename: "demo_x-2.0-py3-none-any.whl", url: "http://127.0.0.1:1/simple/demo/demo_x-2.0-py3-none-any.whl", yanked: true, version: "2.0" },
    ]);
  });
});
