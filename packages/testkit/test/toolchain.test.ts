import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDist, exampleRepo, git, pythonTools, REPO_ROOT, startLocalIndex, tag, tempDir, twineUpload } from "../src/index.js";

describe("the pinned toolchain", () => {
  it("pins pnpm once: ./dev installs the version package.json names", () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { packageManager: string };
    const dev = readFileSync(join(REPO_ROOT, "dev"), "utf8");
    const pinned = /PNPM_VERSION="([^"]+)"/.exec(dev)?.[1];
    expect(manifest.packageManager).toBe(`pnpm@${pinned}`);
  });

  it("requirements.txt holds names, exact versions and hashes only (no index or URL)", () => {
    const text = readFileSync(join(REPO_ROOT, "tools/python/requirements.txt"), "utf8");
    expect(text).not.toMatch(/--(extra-)?index-url|--find-links|:\/\//);
    const requirements = text.split("\n").filter((l) => /^[a-z0-9]/i.test(l));
    expect(requirements.length).toBeGreaterThan(20);
    for (const line of requirements) expect(line).toMatch(/^[a-z0-9._-]+==[^\s]+ \\$/i);
  });
});

describe("the local index and the examples, for real", () => {
  it("builds the hatchling example, uploads it with twine, installs it with pip and runs its script", async () => {
    const tools = pythonTools();
    const index = await startLocalIndex();
    try {
      const project = exampleRepo("hatch-static");
      const { files } = buildDist(project);
      expect(files.map((f) => basename(f))).toEqual([
        "hatch_static_demo-0.1.0-py3-none-any.whl",
        "hatch_static_demo-0.1.0.tar.gz",
      ]);
      twineUpload(index, files);
      const venv = join(tempDir(), "venv");
      execFileSync(tools.python, ["-m", "venv", "--without-pip", venv]);
      execFileSync(tools.python, ["-m", "pip", "--python", join(venv, "bin/python"), "install", "-q", "--no-cache-dir",
        "--index-url", index.simpleUrl, "hatch-static-demo==0.1.0"], { stdio: "pipe" });
      const out = execFileSync(join(venv, "bin/hatch-static-demo"), ["--version"], { encoding: "utf8" });
      expect(out.trim()).toBe("hatch-static-demo 0.1.0");
    } finally {
      await index.stop();
    }
  });

  it("builds the setuptools-scm example at the version of its git tag", () => {
    const project = exampleRepo("scm-dynamic");
    tag(project, "v2.3.4");
    expect(git(project, ["describe", "--tags"]).trim()).toBe("v2.3.4");
    const { files } = buildDist(project);
    expect(files.map((f) => basename(f))).toEqual([
      "scm_dynamic_demo-2.3.4-py3-none-any.whl",
      "scm_dynamic_demo-2.3.4.tar.gz",
    ]);
  });

  it("refuses uploads with wrong credentials (403), so tests can rely on auth", async () => {
    const index = await startLocalIndex();
    try {
      const { files } = buildDist(exampleRepo("hatch-static"));
      let status = 0;
      let output = "";
      try {
        twineUpload(index, [files[0]!], { password: "wrong" });
      } catch (error) {
        status = (error as { status: number }).status;
        output = String((error as { stderr: Buffer }).stderr) + String((error as { stdout: Buffer }).stdout);
      }
      expect(status).toBe(1);
      expect(output).toMatch(/403|Forbidden|401|Unauthorized/);
    } finally {
      await index.stop();
    }
  });
});
