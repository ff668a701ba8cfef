import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git, gitRepo, tempDir, writeTree } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../src/errors.js";
import { projectCopy, runVersionUtil, testEnv } from "./helpers.js";

const SRC = join(import.meta.dirname, "../src");

describe("the error catalog", () => {
  it("lists every code src/ can throw, each with a summary and a fix", () => {
    const thrown = new Set<string>();
    for (const file of readdirSync(SRC)) {
      for (const [, code] of readFileSync(join(SRC, file), "utf8").matchAll(/"((?:VU|IDX)_[A-Z_]+)"/g)) thrown.add(code!);
    }
    // Codes raised by the bundled cli-kit and index-client on version-util's paths.
    for (const code of ["USAGE", "PROGRAM_NOT_FOUND", "IDX_UNREACHABLE", "IDX_UNAUTHORIZED"]) thrown.add(code);
    expect(thrown.size).toBeGreaterThan(20);
    const catalog = ERROR_CODES as Record<string, { summary: string; fix: string }>;
    expect([...thrown].filter((code) => !catalog[code])).toEqual([]);
    for (const [code, entry] of Object.entries(catalog)) {
      expect(entry.summary, code).toMatch(/\.$/);
      expect(entry.fix.length, code).toBeGreaterThan(10);
    }
  });
});

async function current(dir: string, env = testEnv()) {
  return runVersionUtil(["current", "--project", dir, "--json"], { env });
}

function project(files: Record<string, string>): string {
  const dir = tempDir("vu-inline-");
  writeTree(dir, files);
  return dir;
}

describe("more bad projects", () => {
  it("a version both static and dynamic", async () => {
    const run = await current(project({ "pyproject.toml": '[project]\nname = "x"\nversion = "1.0"\ndynamic = ["version"]\n' }));
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_CONFLICT"]);
  });

  it("[project] version and [tool.poetry] version that disagree", async () => {
    const dir = projectCopy("poetry", { git: false });
    const file = join(dir, "pyproject.toml");
    writeFileSync(file, `[project]\nname = "poetry-demo"\nversion = "1.5.0"\n\n${readFileSync(file, "utf8")}`);
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_CONFLICT"]);
    expect(run.json.error.message).toBe('[project] version is "1.5.0" but [tool.poetry] version is "1.4.0"');
    expect(run.json.error.hint).toBe("remove version from [tool.poetry] (Poetry 2 reads [project] version), or set both to the same version");
  });

  it("[project] version and a literal __version__ that disagree: the hint names the file and both fixes", async () => {
    const dir = project({ "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n', "demo/__about__.py": '__version__ = "0.9"\n' });
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_CONFLICT"]);
    expect(run.json.error.hint).toBe('set __version__ in demo/__about__.py to "1.0.0" (version-util bump then keeps both), or make it read importlib.metadata.version("demo")');
  });

  it("setuptools attr: naming a module that is not there", async () => {
    const dir = project({
      "pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n[tool.setuptools.dynamic]\nversion = { attr = "missing_pkg.__version__" }\n',
    });
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_FILE"]);
    expect(run.json.error.message).toContain("missing_pkg");
  });

  it("setuptools attr: a version that is computed, not a literal", async () => {
    const dir = project({
      "pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n[tool.setuptools.dynamic]\nversion = { attr = "x.__version__" }\n',
      "x/__init__.py": "from importlib.metadata import version\n__version__ = version('x')\n",
    });
    expect((await current(dir)).json.error.code).toBe("VU_VERSION_FILE");
  });

  it("a custom hatch pattern is honoured (Python regex syntax)", async () => {
    const dir = project({
      "pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n[tool.hatch.version]\npath = "x.py"\npattern = "(?i)^RELEASE = [\\"\'](?P<version>[^\\"\']+)[\\"\']"\n',
      "x.py": 'RELEASE = "4.5.6"\n',
    });
    expect((await current(dir)).json.version).toBe("4.5.6");
  });

  it.each([
    ["an unbalanced group", "^VERSION = '(?P<version>[0-9.+)'", "cannot use the [tool.hatch.version] pattern for x.py: Invalid regular expression"],
    ["no version group", "^VERSION = '([^']+)'", "the [tool.hatch.version] pattern for x.py has no group named version"],
  ])("an invalid hatch pattern (%s): exit 1 naming the pattern", async (_what, pattern, message) => {
    const dir = project({
      "pyproject.toml": `[project]\nname = "x"\ndynamic = ["version"]\n[tool.hatch.version]\npath = "x.py"\npattern = ${JSON.stringify(pattern)}\n`,
      "x.py": "VERSION = '4.5.6'\n",
    });
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([1, "VU_VERSION_FILE"]);
    expect(run.json.error.message).toContain(message);
  });

  it("a corrupt repository (HEAD's commit object missing): exit 2, VU_GIT_FAILED with git's own message", async () => {
    const dir = gitRepo({ "pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n[tool.setuptools_scm]\n' });
    const head = git(dir, ["rev-parse", "HEAD"]).trim();
    rmSync(join(dir, ".git/objects", head.slice(0, 2), head.slice(2)));
    const run = await current(dir);
    expect([run.code, run.json.error.code]).toEqual([2, "VU_GIT_FAILED"]);
    expect(run.json.error.message).toMatch(/^git tag --merged HEAD failed in .+: .+/);
  });

  it("dev-version of a static project outside git: exit 2, VU_NOT_A_GIT_REPO", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const run = await runVersionUtil(["dev-version", "--project", dir, "--index-url", "http://127.0.0.1:9/simple/", "--json"], { env: testEnv() });
    expect([run.code, run.json.error.code]).toEqual([2, "VU_NOT_A_GIT_REPO"]);
    expect(run.json.error.message).toContain("the dev number counts commits since the last release tag");
  });

  it("dev-version without a project name", async () => {
    const dir = gitRepo({ "pyproject.toml": '[project]\nversion = "1.0.0"\n' });
    const run = await runVersionUtil(["dev-version", "--project", dir, "--index-url", "http://127.0.0.1:9/simple/", "--json"], { env: testEnv() });
    expect([run.code, run.json.error.code]).toEqual([1, "VU_NO_NAME"]);
  });

  it("git missing from PATH: exit 2 naming git", async () => {
    const dir = gitRepo({ "pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n[tool.setuptools_scm]\n' });
    const run = await current(dir, { PATH: "/nonexistent" });
    expect([run.code, run.json.error.code]).toEqual([2, "PROGRAM_NOT_FOUND"]);
  });
});
