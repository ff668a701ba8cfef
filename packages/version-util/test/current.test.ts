import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { commit, EXAMPLES_DIR, exampleRepo, git, tag, tempDir, writeTree } from "@pypi-workflows/testkit";
import { describe, expect, it, vi } from "vitest";
import { projectCopy, runVersionUtil, SETUPTOOLS_PYPROJECT, setuptoolsScmVersion, testEnv } from "./helpers.js";

/** A setup.py that passes its version to setup(): code, which version-util does not run. */
const SETUP_PY_WITH_VERSION = "from setuptools import setup\nsetup(name='legacy-demo', version='1.0')\n";

async function current(dir: string, env: NodeJS.ProcessEnv = testEnv()) {
  return runVersionUtil(["current", "--project", dir, "--json"], { env });
}

describe("current: every version source", () => {
  it.each([
    ["poetry", "poetry-demo", "1.4.0", "poetry", "pyproject.toml"],
    ["hatch-path", "hatch-path-demo", "2.3.4", "hatch-path", "src/hatch_path_demo/__about__.py"],
    ["setuptools-attr", "attr-demo", "0.5.0", "setuptools-attr", "src/attr_demo/__init__.py"],
    ["setuptools-file", "file-demo", "3.1.4", "setuptools-file", "VERSION"],
    ["rich-static", "rich-static-demo", "1.2.3", "project", "pyproject.toml"],
  ])("%s: %s %s from %s", async (fixture, name, version, source, file) => {
    const run = await current(projectCopy(fixture, { git: false }));
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ name, version, source, file });
  });

  it("static [project] version of the hatch-static example, from a subdirectory's --project", async () => {
    const dir = exampleRepo("hatch-static");
    const run = await runVersionUtil(["current", "--project", "."], { cwd: dir, env: testEnv() });
    expect(run.stdout).toBe("hatch-static-demo 0.1.0 ([project] version in pyproject.toml)\n");
  });

  it("setuptools-scm: the same version the real setuptools-scm computes, before and at tags and between them", async () => {
    const dir = exampleRepo("scm-dynamic");
    const seen: string[] = [];
    const check = async () => {
      const run = await current(dir);
      expect(run.json.source).toBe("setuptools-scm");
      expect(run.json.version).toBe(setuptoolsScmVersion(dir));
      seen.push(run.json.version);
    };
    await check();
    tag(dir, "v0.1.0");
    await check();
    commit(dir, "fix: one");
    commit(dir, "fix: two");
    await check();
    tag(dir, "v0.2.0rc1");
    commit(dir, "fix: three");
    await check();
    expect(seen).toEqual(["0.1.dev1", "0.1.0", "0.1.1.dev2", "0.2.0rc2.dev1"]);
  });

  it("setuptools-scm: uncommitted changes to tracked files make the tagged commit a .dev0; untracked files do not", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v1.0.0");
    writeFileSync(join(dir, "notes.txt"), "untracked\n");
    const untracked = await current(dir);
    expect([untracked.json.version, untracked.json.dirty, setuptoolsScmVersion(dir)]).toEqual(["1.0.0", false, "1.0.0"]);
    writeFileSync(join(dir, "README.md"), "changed\n");
    const dirty = await current(dir);
    expect([dirty.code, dirty.json.version, dirty.json.dirty]).toEqual([0, "1.0.1.dev0", true]);
    expect(dirty.json.version).toBe(setuptoolsScmVersion(dir));
    const text = await runVersionUtil(["current", "--project", dir], { env: testEnv() });
    expect(text.stdout).toBe("scm-dynamic-demo 1.0.1.dev0 (setuptools-scm (git tags), last tag v1.0.0 + 0 commits, uncommitted changes to tracked files)\n");
    git(dir, ["add", "README.md"]);
    expect((await current(dir)).json.version).toBe(setuptoolsScmVersion(dir));
    commit(dir, "docs: readme");
    writeFileSync(join(dir, "pyproject.toml"), `${readFileSync(join(dir, "pyproject.toml"), "utf8")}# edited\n`);
    const later = await current(dir);
    expect([later.json.version, later.json.dirty]).toEqual(["1.0.1.dev1", true]);
    expect(later.json.version).toBe(setuptoolsScmVersion(dir));
  });

  it("hatch-vcs: the version from the tag", async () => {
    const dir = projectCopy("hatch-vcs");
    tag(dir, "v1.0.0");
    expect((await current(dir)).json).toMatchObject({ version: "1.0.0", source: "hatch-vcs", tag: "v1.0.0", distance: 0 });
  });

  it("scm: SETUPTOOLS_SCM_PRETEND_VERSION wins, as in setuptools-scm", async () => {
    const dir = exampleRepo("scm-dynamic");
    const run = await current(dir, testEnv({ SETUPTOOLS_SCM_PRETEND_VERSION: "0.3.0.dev7" }));
    expect(run.json.version).toBe("0.3.0.dev7");
    const text = await runVersionUtil(["current", "--project", dir], { env: testEnv({ SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SCM_DYNAMIC_DEMO: "0.4.0" }) });
    expect(text.stdout).toBe("scm-dynamic-demo 0.4.0 (setuptools-scm (git tags), from SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SCM_DYNAMIC_DEMO)\n");
  });

  it("outputs version, source and name in GitHub Actions", async () => {
    const dir = exampleRepo("hatch-static");
    const output = join(tempDir(), "output");
    writeFileSync(output, "");
    vi.stubEnv("GITHUB_OUTPUT", output);
    try {
      const run = await runVersionUtil(["current", "--project", dir], { env: testEnv({ GITHUB_ACTIONS: "true", GITHUB_OUTPUT: output }) });
      expect(run.code).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    const outputs = readFileSync(output, "utf8");
    for (const [key, value] of [["version", "0.1.0"], ["source", "project"], ["name", "hatch-static-demo"]] as const) {
      expect(outputs).toMatch(new RegExp(`${key}<<(ghadelimiter_[^\\n]+)\\n${value.replace(/\./g, "\\.")}\\n\\1`));
    }
  });
});

describe("current: bad projects (clear message, stable code, next step)", () => {
  it("malformed pyproject.toml: says the line and column", async () => {
    const run = await current(projectCopy("malformed", { git: false }));
    expect(run.code).toBe(1);
    expect(run.json.error.code).toBe("VU_MALFORMED_PYPROJECT");
    expect(run.json.error.message).toMatch(/pyproject\.toml:7:\d+: /);
    expect(run.json.error.data).toMatchObject({ line: 7 });
    expect(run.json.error.hint).toMatch(/fix the TOML at line 7, column \d+/);
  });

  it("no version anywhere", async () => {
    const run = await current(projectCopy("no-version", { git: false }));
    expect([run.code, run.json.error.code]).toEqual([1, "VU_NO_VERSION"]);
    expect(run.json.error.hint).toContain('version = "0.1.0"');
  });

  it('dynamic = ["version"] without a known backend configuration', async () => {
    const run = await current(projectCopy("unknown-dynamic", { git: false }));
    expect([run.code, run.json.error.code]).toEqual([1, "VU_UNKNOWN_DYNAMIC_VERSION"]);
    expect(run.json.error.hint).toContain("[tool.setuptools_scm]");
  });

  it("two sources that disagree: [project] version vs __version__", async () => {
    const run = await current(projectCopy("conflict", { git: false }));
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_CONFLICT"]);
    expect(run.json.error.message).toBe('[project] version is "1.0.0" but __version__ in src/conflict_demo/__init__.py is "0.9.0"');
  });

  it("an invalid static version", async () => {
    const dir = projectCopy("rich-static", { git: false });
    writeFileSync(join(dir, "pyproject.toml"), '[project]\nname = "x"\nversion = "1.0-SNAPSHOT"\n');
    const run = await current(dir);
    expect([run.code, run.json.error.code, run.json.error.data.file]).toEqual([1, "VU_INVALID_VERSION", "pyproject.toml"]);
  });

  it.each([
    ["SETUPTOOLS_SCM_PRETEND_VERSION"],
    ["SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SCM_DYNAMIC_DEMO"],
  ])("an invalid pretend version names the variable (%s)", async (variable) => {
    const run = await current(exampleRepo("scm-dynamic"), testEnv({ [variable]: "banana" }));
    expect([run.code, run.json.error.code, run.json.error.data.variable]).toEqual([1, "VU_INVALID_VERSION", variable]);
    expect(run.json.error.message).toBe(`${variable} is "banana", which is not a valid PEP 440 version`);
    expect(run.json.error.hint).toContain(`unset it`);
  });

  it("a version that is not a TOML string says so, for [project] and [tool.poetry]", async () => {
    for (const [toml, where] of [
      ['[project]\nname = "x"\nversion = 1.0\n', "[project] version"],
      ['[tool.poetry]\nname = "x"\nversion = 1.0\n', "[tool.poetry] version"],
    ] as const) {
      const dir = tempDir();
      writeFileSync(join(dir, "pyproject.toml"), toml);
      const run = await current(dir);
      expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_NOT_STRING"]);
      expect(run.json.error.message).toBe(`${where} in ${join(dir, "pyproject.toml")} is a TOML number, not a string`);
      expect(run.json.error.hint).toContain('version = "1.2.3", not version = 1.2.3');
    }
  });

  it("a missing version file named by [tool.hatch.version] path", async () => {
    const dir = projectCopy("hatch-path", { git: false });
    execFileSync("rm", [join(dir, "src/hatch_path_demo/__about__.py")]);
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_FILE"]);
  });

  it("no pyproject.toml: exit 2, pass --project", async () => {
    const run = await current(tempDir());
    expect([run.code, run.json.error.code]).toEqual([2, "VU_NO_PYPROJECT"]);
    expect(run.json.error.hint).toContain("--project DIR");
  });

  it("a setuptools project with setup.py and setup.cfg but no pyproject.toml: exit 1, add [build-system]", async () => {
    const dir = tempDir();
    writeTree(dir, { "setup.cfg": "[metadata]\nname = legacy-demo\nversion = 1.4.0\n", "setup.py": "from setuptools import setup\nsetup()\n" });
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_LEGACY_SETUPTOOLS"]);
    expect(run.json.error.message).toBe(`${dir} has setup.py and setup.cfg but no pyproject.toml`);
    expect(run.json.error.hint).toContain('build-backend = "setuptools.build_meta"');
    // The fix the hint gives works: with [build-system] alone, setup.cfg's version is read.
    writeTree(dir, { "pyproject.toml": SETUPTOOLS_PYPROJECT });
    const fixed = await current(dir);
    expect([fixed.code, fixed.json.version, fixed.json.source]).toEqual([0, "1.4.0", "setup-cfg"]);
  });

  it("setup.py alone (its version is code): the same error", async () => {
    const dir = tempDir();
    writeTree(dir, { "setup.py": SETUP_PY_WITH_VERSION });
    const run = await current(dir);
    expect([run.code, run.json.error.code, run.json.error.data.files]).toEqual([1, "VU_LEGACY_SETUPTOOLS", ["setup.py"]]);
  });

  it("[build-system] only, the version in setup.py: VU_NO_VERSION says to move it to setup.cfg", async () => {
    const dir = tempDir();
    writeTree(dir, { "pyproject.toml": SETUPTOOLS_PYPROJECT, "setup.py": SETUP_PY_WITH_VERSION });
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_NO_VERSION"]);
    expect(run.json.error.message).toContain("and setup.cfg none ([metadata] version)");
    expect(run.json.error.hint).toContain("move the version out of setup.py");
  });

  it("scm project outside git: exit 2", async () => {
    const dir = join(tempDir(), "scm-dynamic");
    cpSync(join(EXAMPLES_DIR, "scm-dynamic"), dir, { recursive: true });
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([2, "VU_NOT_A_GIT_REPO"]);
    expect(run.json.error.message).toContain("setuptools-scm takes the version from git tags");
  });

  it("scm project in a shallow clone: exit 2, says fetch-depth: 0", async () => {
    const origin = exampleRepo("scm-dynamic");
    tag(origin, "v0.1.0");
    commit(origin, "fix: later");
    const clone = join(tempDir(), "clone");
    git(tempDir(), ["clone", "-q", "--depth", "1", `file://${origin}`, clone]);
    const run = await current(clone);
    expect([run.code, run.json.error.code]).toEqual([2, "VU_SHALLOW_CLONE"]);
    expect(run.json.error.hint).toContain("fetch-depth: 0");
  });
});
