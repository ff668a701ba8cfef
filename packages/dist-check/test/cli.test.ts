import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeSdist, writeWheel } from "./support/generate.js";
import { runDistCheckCli, toolsPython } from "./support/run.js";

function goodDist(): string {
  const dir = tempDir("dc-cli-");
  writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl");
  writeSdist(dir, "demo_pkg-1.0.0.tar.gz");
  return dir;
}

afterEach(() => vi.unstubAllEnvs());

describe("dist-check CLI", () => {
  it("checks dist/ by default, prints the files with hashes and writes the manifest", async () => {
    const root = tempDir("dc-cli-root-");
    const dist = join(root, "dist");
    mkdirSync(dist);
    writeWheel(dist, "demo_pkg-1.0.0-py3-none-any.whl");
    writeSdist(dist, "demo_pkg-1.0.0.tar.gz");
    const r = await runDistCheckCli(["--manifest", "manifest.json", "--python", toolsPython()], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^demo-pkg 1\.0\.0: 2 file\(s\) checked\n {2}demo_pkg-1\.0\.0-py3-none-any\.whl {2}wheel {2}[\d.]+ KiB {2}sha256:[0-9a-f]{64}\n/);
    const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
    expect(manifest).toEqual({
      name: "demo-pkg",
      version: "1.0.0",
      files: [
        { filename: "demo_pkg-1.0.0-py3-none-any.whl", kind: "wheel", size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { filename: "demo_pkg-1.0.0.tar.gz", kind: "sdist", size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
    });
    expect(manifest.files[1].sha256).toBe(createHash("sha256").update(readFileSync(join(dist, "demo_pkg-1.0.0.tar.gz"))).digest("hex"));
  });

  it("prints one FILE: CODE severity message line per finding, exits 1 and writes no manifest", async () => {
    const dir = tempDir("dc-cli-bad-");
    writeWheel(dir, "demo_pkg-1.0.0+g1-py3-none-any.whl", { fields: { Version: "1.0.0+g1" }, distInfo: "demo_pkg-1.0.0+g1.dist-info" });
    const r = await runDistCheckCli([dir, "--manifest", join(dir, "m.json")], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")[0]).toBe("demo_pkg-1.0.0+g1-py3-none-any.whl: DC_VERSION_LOCAL error Version 1.0.0+g1 has the local part +g1");
    expect(r.stdout).toContain("failed: 1 error(s), 0 warning(s), 0 info");
    expect(r.stdout).toContain('next steps:\n  DC_VERSION_LOCAL: With setuptools-scm/hatch-vcs set local_scheme = "no-local-version"');
    expect(existsSync(join(dir, "m.json"))).toBe(false);
  });

  it("passes warnings unless --strict", async () => {
    const dir = tempDir("dc-cli-warn-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files: { "demo_pkg/__init__.py": "", "tests/test_x.py": "" } });
    const loose = await runDistCheckCli([dir], dir);
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain("DC_LAYOUT_TOPLEVEL_NAME warning");
    const strict = await runDistCheckCli([dir, "--strict", "--manifest", join(dir, "m.json")], dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("failed (--strict: warnings count)");
    expect(existsSync(join(dir, "m.json"))).toBe(false);
  });

  it("answers --json with findings, files and the manifest path", async () => {
    const dir = goodDist();
    const r = await runDistCheckCli([dir, "--json", "--manifest", join(dir, "m.json"), "--python", toolsPython()], dir);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ ok: true, name: "demo-pkg", version: "1.0.0", findings: [], manifest: join(dir, "m.json"), counts: { error: 0, warning: 0, info: 0 } });
    expect(data.files).toHaveLength(2);
  });

  it("exits 2 for a missing path, an unknown option and an unusable --python; JSON errors with --json", async () => {
    const dir = tempDir("dc-cli-usage-");
    const missing = await runDistCheckCli([join(dir, "nope")], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error DC_PATH_MISSING:");
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    expect((await runDistCheckCli([dir, "--frobnicate"], dir)).code).toBe(2);
    const rst = tempDir("dc-cli-rst-");
    writeWheel(rst, "demo_pkg-1.0.0-py3-none-any.whl", { fields: { "Description-Content-Type": "text/x-rst" } });
    const badPython = await runDistCheckCli([rst, "--python", join(dir, "no-python"), "--json"], dir);
    expect(badPython.code).toBe(2);
    expect(JSON.parse(badPython.stdout).error.code).toBe("DC_PYTHON_UNUSABLE");
  });

  it("warns that reStructuredText was not rendered when no Python with readme_renderer is found", async () => {
    const dir = tempDir("dc-cli-nopy-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { fields: { "Description-Content-Type": "text/x-rst" } });
    const r = await runDistCheckCli([dir], dir, { ...process.env, PATH: join(dir, "empty-bin") });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("DC_DESCRIPTION_NOT_RENDERED warning the reStructuredText description was not rendered");
  });

  it("refuses --index-url values that are not http(s) URLs and unknown --target names (exit 2)", async () => {
    const dir = goodDist();
    expect((await runDistCheckCli([dir, "--index-url", "ftp://example.com/simple"], dir)).code).toBe(2);
    expect((await runDistCheckCli([dir, "--target", "warehouse"], dir)).code).toBe(2);
  });

  it("exits 2 when the manifest cannot be written", async () => {
    const dir = goodDist();
    const r = await runDistCheckCli([dir, "--python", toolsPython(), "--manifest", join(dir, "no-such-dir", "m.json")], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error DC_MANIFEST_UNWRITABLE");
  });

  it("writes step outputs and a job summary in GitHub Actions", async () => {
    const dir = goodDist();
    const runner = tempDir("dc-runner-");
    const outputFile = join(runner, "output.txt");
    const summaryFile = join(runner, "summary.md");
    writeFileSync(outputFile, "");
    writeFileSync(summaryFile, "");
    vi.stubEnv("GITHUB_ACTIONS", "true");
    vi.stubEnv("GITHUB_OUTPUT", outputFile);
    vi.stubEnv("GITHUB_STEP_SUMMARY", summaryFile);
    const r = await runDistCheckCli([dir, "--manifest", join(dir, "m.json"), "--python", toolsPython()], dir, process.env);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const outputs = readFileSync(outputFile, "utf8");
    for (const [name, value] of [["name", "demo-pkg"], ["version", "1.0.0"], ["files", "2"], ["already-published", "0"], ["manifest", join(dir, "m.json")], ["index-url", ""], ["upload-url", ""]]) {
      expect(outputs).toMatch(new RegExp(`${name}<<(\\S+)\\n${value!.replace(/[.]/g, "\\.")}\\n\\1`));
    }
    const summary = readFileSync(summaryFile, "utf8");
    expect(summary).toContain("### dist-check: passed (demo-pkg 1.0.0)");
    expect(summary).toMatch(/\| demo_pkg-1\.0\.0\.tar\.gz \| sdist \| \d+ \| `[0-9a-f]{64}` \|/);
  });
});
