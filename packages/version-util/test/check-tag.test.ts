import { commit, exampleRepo, git, tag, tempDir } from "@pypi-workflows/testkit";
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectCopy, runVersionUtil, setuptoolsScmVersion, testEnv } from "./helpers.js";

async function checkTag(dir: string, tagName: string) {
  return runVersionUtil(["check-tag", tagName, "--project", dir, "--json"], { env: testEnv() });
}

describe("check-tag: static versions", () => {
  it("exit 0 when the tag's version equals the project's (normalized)", async () => {
    const dir = exampleRepo("hatch-static");
    const run = await checkTag(dir, "refs/tags/v0.1.0");
    expect(run.code).toBe(0);
    expect(run.json).toEqual({ tag: "v0.1.0", version: "0.1.0", isPrerelease: false, source: "project", projectVersion: "0.1.0" });
    const text = await runVersionUtil(["check-tag", "V0.1.0", "--project", dir], { env: testEnv() });
    expect(text.stdout).toBe("ok: tag V0.1.0 is version 0.1.0 and matches the project's version ([project] version)\n");
  });

  it("a pre-release tag in SemVer spelling matches the PEP 440 version", async () => {
    const dir = projectCopy("rich-static", { git: false });
    await runVersionUtil(["bump", "2.0.0rc1", "--project", dir], { env: testEnv() });
    const run = await checkTag(dir, "v2.0.0-rc.1");
    expect([run.code, run.json.isPrerelease]).toEqual([0, true]);
  });

  it("exit 1 on a mismatch, naming both versions and the fix", async () => {
    const dir = exampleRepo("hatch-static");
    const run = await checkTag(dir, "v0.2.0");
    expect([run.code, run.json.error.code]).toEqual([1, "VU_TAG_MISMATCH"]);
    expect(run.json.error.message).toBe('the tag "v0.2.0" stands for 0.2.0, but the project\'s version is 0.1.0 (from pyproject.toml (project))');
    expect(run.json.error.hint).toContain("version-util bump 0.2.0");
    expect(run.json.error.hint).toContain("tag v0.1.0 instead");
  });

  it("checks the version file of hatch path projects", async () => {
    const run = await checkTag(projectCopy("hatch-path", { git: false }), "v2.3.4");
    expect(run.code).toBe(0);
    const wrong = await checkTag(projectCopy("hatch-path", { git: false }), "v2.3.5");
    expect([wrong.code, wrong.json.error.code]).toEqual([1, "VU_TAG_MISMATCH"]);
    expect(wrong.json.error.message).toContain("(from src/hatch_path_demo/__about__.py (hatch-path))");
  });

  it.each([
    ["garbage", "VU_INVALID_TAG"],
    ["v0.1", "VU_TAG_TOO_SHORT"],
    ["v0.1.0+local", "VU_TAG_LOCAL_VERSION"],
  ])("rejects the tag %s before reading the project (%s)", async (tagName, code) => {
    const run = await checkTag(exampleRepo("hatch-static"), tagName);
    expect([run.code, run.json.error.code]).toEqual([1, code]);
  });
});

describe("check-tag: versions from git tags", () => {
  it("exit 0 when the valid tag points at HEAD", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v1.0.0");
    const run = await checkTag(dir, "v1.0.0");
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ version: "1.0.0", source: "setuptools-scm" });
  });

  it("exit 1 when the tag points at another commit", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v1.0.0");
    commit(dir, "fix: after the tag");
    const run = await checkTag(dir, "v1.0.0");
    expect([run.code, run.json.error.code]).toEqual([1, "VU_TAG_NOT_AT_HEAD"]);
    expect(run.json.error.message).toMatch(/points at [0-9a-f]{12}, but HEAD is [0-9a-f]{12}/);
  });

  it("exit 1 when tracked files have uncommitted changes: setuptools-scm would build a .dev0, not the tag", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v1.0.0");
    appendFileSync(join(dir, "README.md"), "changed by a CI step\n");
    expect(setuptoolsScmVersion(dir)).toBe("1.0.1.dev0");
    const run = await checkTag(dir, "v1.0.0");
    expect([run.code, run.json.error.code]).toEqual([1, "VU_DIRTY_WORKTREE"]);
    expect(run.json.error.message).toBe("tracked files have uncommitted changes (README.md): setuptools-scm would build 1.0.1.dev0, not the tag's 1.0.0");
    expect(run.json.error.hint).toContain("Commit or stash");
    expect(run.json.error.hint).toContain("In CI, a step before this one modified tracked files");
    git(dir, ["add", "README.md"]);
    expect((await checkTag(dir, "v1.0.0")).json.error.code).toBe("VU_DIRTY_WORKTREE");
  });

  it("a staged deletion in a hatch-vcs project is refused too", async () => {
    const dir = projectCopy("hatch-vcs");
    tag(dir, "v2.0.0");
    git(dir, ["rm", "-q", "--cached", "pyproject.toml"]);
    const run = await checkTag(dir, "v2.0.0");
    expect([run.code, run.json.error.code, run.json.error.data.changed]).toEqual([1, "VU_DIRTY_WORKTREE", ["pyproject.toml"]]);
    expect(run.json.error.message).toContain("hatch-vcs would build 2.0.1.dev0");
  });

  it("untracked files do not count, as in setuptools-scm", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v1.0.0");
    writeFileSync(join(dir, "build.log"), "untracked\n");
    expect(setuptoolsScmVersion(dir)).toBe("1.0.0");
    expect((await checkTag(dir, "v1.0.0")).code).toBe(0);
  });

  it("exit 1 when the tag does not exist", async () => {
    const run = await checkTag(projectCopy("hatch-vcs"), "v1.0.0");
    expect([run.code, run.json.error.code]).toEqual([1, "VU_TAG_NOT_FOUND"]);
    expect(run.json.error.hint).toContain("fetch-depth: 0");
  });

  it("exit 2 in a shallow clone", async () => {
    const origin = exampleRepo("scm-dynamic");
    commit(origin, "fix: two");
    tag(origin, "v1.0.0");
    const clone = join(tempDir(), "clone");
    git(tempDir(), ["-c", "advice.detachedHead=false", "clone", "-q", "--depth", "1", "--branch", "v1.0.0", `file://${origin}`, clone]);
    const run = await checkTag(clone, "v1.0.0");
    expect([run.code, run.json.error.code]).toEqual([2, "VU_SHALLOW_CLONE"]);
  });
});
