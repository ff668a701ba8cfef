import { appendFileSync, copyFileSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pythonTools, startFaultProxy, startLocalIndex, twineUpload, type FaultRule, type LocalIndex } from "@pypi-workflows/testkit";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { attemptedFiles, uploadDistributions, type UploadEvent, type UploadOptions } from "../src/index.js";
import { builtExample, copyDist, type BuiltDist } from "./helpers.js";
import { tempDir } from "@pypi-workflows/testkit";

/** twine behind a wrapper that counts its starts, so tests see how many processes an upload took. */
function countingTwine(): { command: string[]; starts: () => number } {
  const log = `${tempDir()}/starts`;
  const command = ["bash", "-c", 'echo start >> "$0"; exec "$1" "${@:2}"', log, pythonTools().bin("twine")];
  return { command, starts: () => readFileSync(log, "utf8").split("\n").filter(Boolean).length };
}

let dist: BuiltDist;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  dist = await builtExample();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A fresh real index behind a fault proxy, and upload options pointing at the proxy. */
async function setup(rules: FaultRule[] = [], overrides: Partial<UploadOptions> = {}) {
  const index = await startLocalIndex();
  const proxy = await startFaultProxy(index.baseUrl, rules);
  cleanups.push(index.stop, proxy.stop);
  const events: UploadEvent[] = [];
  const waits: number[] = [];
  const options: UploadOptions = {
    distDir: dist.distDir,
    manifest: dist.manifest,
    simpleUrl: `${proxy.url}/simple/`,
    uploadUrl: `${proxy.url}/`,
    username: index.username,
    password: index.password,
    twine: [pythonTools().bin("twine")],
    cwd: dist.distDir,
    env: process.env,
    backoffMs: 10,
    attemptTimeoutMs: 60_000,
    sleep: async (ms) => void waits.push(ms),
    onProgress: (e) => events.push(e),
    ...overrides,
  };
  const posts = () => proxy.requests.filter((r) => r.method === "POST");
  const stored = () => readdirSync(index.packagesDir).sort();
  return { index, proxy, options, events, waits, posts, stored };
}

const FILES = ["hatch_static_demo-0.1.0-py3-none-any.whl", "hatch_static_demo-0.1.0.tar.gz"];

describe("uploadDistributions on a real index", () => {
  it("uploads every file, wheel first; a re-run uploads nothing and converges", async () => {
    const { options, posts, stored } = await setup();
    expect(await uploadDistributions(options)).toEqual({ name: "hatch-static-demo", version: "0.1.0", uploaded: FILES, skipped: [] });
    expect(stored()).toEqual(FILES);
    const before = posts().length;
    expect(await uploadDistributions(options)).toMatchObject({ uploaded: [], skipped: FILES });
    expect(posts().length).toBe(before);
  });

  it("uploads all missing files with one twine process when nothing fails", async () => {
    const twine = countingTwine();
    const { options, stored } = await setup([], { twine: twine.command });
    expect((await uploadDistributions(options)).uploaded).toEqual(FILES);
    expect(stored()).toEqual(FILES);
    expect(twine.starts()).toBe(1);
  });

  it("after a failure inside the batch, goes on file by file from the file that failed", async () => {
    const twine = countingTwine();
    const { options, events, stored } = await setup([{ method: "POST", after: 1, times: 1, fault: { kind: "reset" } }], { twine: twine.command });
    expect((await uploadDistributions(options)).uploaded).toEqual(FILES);
    expect(stored()).toEqual(FILES);
    expect(twine.starts()).toBe(2);
    expect(events.filter((e) => e.type === "upload").map((e) => `${e.filename} ${e.attempt}`)).toEqual([
      `${FILES[0]} 1`,
      `${FILES[1]} 1`,
      `${FILES[1]} 2`,
    ]);
  });

  it("a failure on the batch's first file: the file it never reached has one attempt 1, from its own upload", async () => {
    const twine = countingTwine();
    const { options, events, stored } = await setup([{ method: "POST", times: 1, fault: { kind: "reset" } }], { twine: twine.command });
    expect((await uploadDistributions(options)).uploaded).toEqual(FILES);
    expect(stored()).toEqual(FILES);
    expect(events.filter((e) => e.type === "upload").map((e) => `${e.filename} ${e.attempt}`)).toEqual([
      `${FILES[0]} 1`,
      `${FILES[0]} 2`,
      `${FILES[1]} 1`,
    ]);
  });

  it("503 on the second file, then recovery: completes, nothing duplicated", async () => {
    const { options, stored, posts } = await setup([{ method: "POST", after: 1, times: 2, fault: { kind: "status", status: 503 } }]);
    expect((await uploadDistributions(options)).uploaded).toEqual(FILES);
    expect(stored()).toEqual(FILES);
    expect(posts().map((p) => p.status)).toEqual([200, 503, 503, 200]);
  });

  it("a connection reset is retried with backoff", async () => {
    const { options, waits, events, stored } = await setup([{ method: "POST", after: 1, times: 1, fault: { kind: "reset" } }]);
    expect((await uploadDistributions(options)).uploaded).toEqual(FILES);
    expect(waits).toEqual([10]);
    expect(events.filter((e) => e.type === "retry")).toHaveLength(1);
    expect(stored()).toEqual(FILES);
  });

  it("a response lost after a successful upload: the file is found on the index and not sent again", async () => {
    const { options, events, posts, stored } = await setup([{ method: "POST", times: 1, fault: { kind: "lose-response" } }]);
    const report = await uploadDistributions(options);
    expect(report.uploaded).toEqual([FILES[1]]);
    expect(report.skipped).toEqual([FILES[0]]);
    expect(events).toContainEqual({ type: "found-after-failure", filename: FILES[0] });
    expect(posts()).toHaveLength(2);
    expect(stored()).toEqual(FILES);
  });

  it("a hung upload times out and, after the attempts, fails with a clear error (exit 1)", async () => {
    const { options, stored } = await setup([{ method: "POST", fault: { kind: "hang" } }], { attempts: 2, attemptTimeoutMs: 1500 });
    const error = await uploadDistributions(options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UP_RETRIES_EXHAUSTED", exitCode: 1 });
    expect((error as Error).message).toMatch(/after 2 attempts: no answer within 2 s/);
    expect(stored()).toEqual([]);
  });

  it("wrong credentials: 403, one attempt, the password never in the error", async () => {
    const canary = "pypi-CANARY-0123456789abcdef";
    const { options, posts } = await setup([], { password: canary });
    const error = await uploadDistributions(options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UP_AUTH", exitCode: 1 });
    expect(posts()).toHaveLength(1);
    expect(JSON.stringify({ message: (error as Error).message, data: (error as { data?: unknown }).data })).not.toContain(canary);
  });

  // warehouse words its 400s in the reason phrase, which twine prints under the status line.
  it.each([
    ["a metadata error", "Invalid value for classifiers. Error: Classifier 'Nope :: Nope' is not a valid classifier.", /fix the project metadata, bump the version/],
    ["a new project's name", "The name 'hatch-static-demo' is too similar to an existing project. See https://pypi.org/help/#project-name for more information.", /rename the distribution/],
    ["a standard library name", "The name 'tomllib' isn't allowed (conflict with Python Standard Library module name).", /rename the distribution/],
    ["a closed release", "Uploading new files to releases older than 14 days is not allowed.", /release a new version with all its files/],
    ["a full project", "Project size too large. Limit for project 'hatch-static-demo' total size is 10 GB. See https://docs.pypi.org/project-management/storage-limits#requesting-a-project-size-limit-increase", /max-file-size, max-project-size/],
    ["a zip PyPI reads differently", "Invalid distribution file. ZIP archive not accepted: ZIP contains a data descriptor. See https://docs.pypi.org/archives for more information", /rebuild it with the build backend/],
  ])("a 400 for %s: one attempt, nothing retried or stored, PyPI's words and their own next step (UP_REJECTED)", async (_what, reason, hint) => {
    const { options, posts, stored } = await setup([{ method: "POST", fault: { kind: "status", status: 400, reason } }]);
    const error = await uploadDistributions(options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UP_REJECTED", exitCode: 1, data: { status: 400 } });
    expect((error as Error).message).toContain(`the index rejected ${FILES[0]}: `);
    expect((error as Error).message).toContain(reason.slice(0, 40));
    expect((error as { hint: string }).hint).toMatch(hint);
    expect(posts()).toHaveLength(1);
    expect(stored()).toEqual([]);
  });

  it("a file name already on the index with other bytes stops everything before the first upload", async () => {
    const first = await setup();
    await uploadDistributions(first.options);
    const changed = copyDist(dist);
    appendFileSync(join(changed, FILES[1]!), "x");
    const { withManifest } = await import("./helpers.js");
    const other = await withManifest(changed, FILES.map((f) => join(changed, f)));
    const posts = first.posts().length;
    const error = await uploadDistributions({ ...first.options, distDir: changed, manifest: other.manifest }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UP_FILE_CONFLICT", exitCode: 1 });
    expect((error as { hint: string }).hint).toMatch(/Bump the version/);
    expect(first.posts().length).toBe(posts);
  });

  it("a release that already has its sdist under another name stops everything before the first upload", async () => {
    const { index, options, posts, stored } = await setup();
    // The same sdist under its legacy (pre-PEP 625) name, as an older build of this release uploaded it.
    const legacy = join(tempDir(), "hatch-static-demo-0.1.0.tar.gz");
    copyFileSync(join(dist.distDir, FILES[1]!), legacy);
    twineUpload(index, [legacy]);
    const error = await uploadDistributions(options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "UP_SDIST_CONFLICT", exitCode: 1, data: { filename: "hatch-static-demo-0.1.0.tar.gz" } });
    expect((error as Error).message).toBe("release 0.1.0 already has the sdist hatch-static-demo-0.1.0.tar.gz");
    expect((error as { hint: string }).hint).toMatch(/one sdist/);
    // Not even the wheel, which the index lacks: a release is never left half done by this run.
    expect(posts()).toEqual([]);
    expect(stored()).toEqual(["hatch-static-demo-0.1.0.tar.gz"]);
  });

  it("files that differ from the manifest are refused before anything is uploaded", async () => {
    const changed = copyDist(dist);
    appendFileSync(join(changed, FILES[0]!), "x");
    const { options, posts } = await setup([], { distDir: changed });
    await expect(uploadDistributions(options)).rejects.toMatchObject({ code: "MANIFEST_MISMATCH" });
    expect(posts()).toHaveLength(0);
  });

  it("an index that cannot be reached is an environment error (exit 2) before any upload", async () => {
    const { options, proxy } = await setup();
    await proxy.stop();
    await expect(uploadDistributions(options)).rejects.toMatchObject({ code: "IDX_UNREACHABLE", exitCode: 2 });
  });
});

describe("attemptedFiles", () => {
  it("reads the files twine started, once each, in order (a 5xx retry repeats a name)", () => {
    const out = [
      "Uploading distributions to http://127.0.0.1:1/",
      "Uploading demo-1.0-py3-none-any.whl",
      'WARNING  Received "503: Service Unavailable"',
      "Uploading demo-1.0-py3-none-any.whl",
      "Uploading demo-1.0.tar.gz",
    ].join("\n");
    expect(attemptedFiles(out)).toEqual(["demo-1.0-py3-none-any.whl", "demo-1.0.tar.gz"]);
  });
});

export type { LocalIndex };
