import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, type LocalIndex, pythonTools, startLocalIndex, tempDir } from "@pypi-workflows/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { writeSdist, writeWheel } from "./support/generate.js";
import { runDistCheckCli } from "./support/run.js";

let index: LocalIndex;

function upload(files: string[]): void {
  const tools = pythonTools();
  execFileSync(tools.bin("twine"), ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", index.uploadUrl, ...files], {
    env: { ...process.env, PATH: tools.path(), TWINE_USERNAME: index.username, TWINE_PASSWORD: index.password },
    stdio: "pipe",
  });
}

function dist(name: string, build: (dir: string) => void): string {
  const dir = join(tempDir(`dc-idx-${name}-`), "dist");
  mkdirSync(dir);
  build(dir);
  return dir;
}

beforeAll(async () => {
  index = await startLocalIndex();
  const published = dist("published", (dir) => {
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl");
    writeSdist(dir, "demo_pkg-1.0.0.tar.gz");
  });
  upload([join(published, "demo_pkg-1.0.0-py3-none-any.whl"), join(published, "demo_pkg-1.0.0.tar.gz")]);
}, 120_000);

afterAll(() => index?.stop());

describe("comparing with the index (--index-url)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("hands the resolved index on as step outputs (build.yml gives callers' publish jobs their URLs)", async () => {
    const dir = dist("outputs", (d) => writeWheel(d, "demo_pkg-1.0.0-py3-none-any.whl"));
    const outputFile = join(tempDir("dc-out-"), "output");
    writeFileSync(outputFile, "");
    vi.stubEnv("GITHUB_ACTIONS", "true");
    vi.stubEnv("GITHUB_OUTPUT", outputFile);
    const r = await runDistCheckCli([dir, "--index-url", index.simpleUrl], dir, process.env);
    expect(r.code).toBe(0);
    const outputs = readFileSync(outputFile, "utf8");
    expect(outputs).toMatch(new RegExp(`index-url<<(\\S+)\\n${index.simpleUrl}\\n\\1`));
    expect(outputs).toMatch(/upload-url<<(\S+)\n\n\1/);
  });

  it("reports identical files as already published (info, exit 0) so re-runs converge", async () => {
    const dir = dist("same", (d) => {
      writeWheel(d, "demo_pkg-1.0.0-py3-none-any.whl");
      writeSdist(d, "demo_pkg-1.0.0.tar.gz");
    });
    const r = await runDistCheckCli([dir, "--index-url", index.simpleUrl, "--json"], dir);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.findings.map((f: { file: string; code: string; severity: string }) => `${f.file} ${f.code} ${f.severity}`).sort()).toEqual([
      "demo_pkg-1.0.0-py3-none-any.whl DC_ALREADY_PUBLISHED info",
      "demo_pkg-1.0.0.tar.gz DC_ALREADY_PUBLISHED info",
    ]);
    expect(data.alreadyPublished).toBe(2);
  });

  it("refuses the same file name with different bytes, telling to bump the version", async () => {
    const dir = dist("changed", (d) => writeWheel(d, "demo_pkg-1.0.0-py3-none-any.whl", { files: { "demo_pkg/__init__.py": "# changed\n" } }));
    const r = await runDistCheckCli([dir, "--index-url", index.simpleUrl, "--json"], dir);
    expect(r.code).toBe(1);
    const [finding] = JSON.parse(r.stdout).findings;
    expect(finding).toMatchObject({ code: "DC_FILENAME_TAKEN", severity: "error", hint: expect.stringContaining("bump the version") });
  });

  it("refuses a second sdist for a release that already has one under another name", async () => {
    const legacy = dist("legacy", (d) => writeSdist(d, "clash-pkg-2.0.tar.gz", { fields: { Name: "clash-pkg", Version: "2.0" }, top: "clash-pkg-2.0" }));
    upload([join(legacy, "clash-pkg-2.0.tar.gz")]);
    const dir = dist("clash", (d) => writeSdist(d, "clash_pkg-2.0.tar.gz", { fields: { Name: "clash-pkg", Version: "2.0" }, top: "clash_pkg-2.0" }));
    const r = await runDistCheckCli([dir, "--index-url", index.simpleUrl], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("clash_pkg-2.0.tar.gz: DC_SDIST_EXISTS error the index already has the sdist clash-pkg-2.0.tar.gz for clash-pkg 2.0");
  });

  it("passes a project the index does not know yet", async () => {
    const dir = dist("new", (d) => writeWheel(d, "fresh_pkg-0.1-py3-none-any.whl", { fields: { Name: "fresh-pkg", Version: "0.1" }, distInfo: "fresh_pkg-0.1.dist-info" }));
    const r = await runDistCheckCli([dir, "--index-url", index.simpleUrl], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("ok: 0 error(s), 0 warning(s), 0 info");
  });

  it("exits 2 when the index cannot be reached", async () => {
    const dir = dist("down", (d) => writeWheel(d, "demo_pkg-1.0.0-py3-none-any.whl"));
    const port = await freePort();
    const r = await runDistCheckCli([dir, "--index-url", `http://127.0.0.1:${port}/simple/`], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error IDX_UNREACHABLE");
  });
});
