import { readFileSync } from "node:fs";
import { join } from "node:path";
import { commit, git, startLocalIndex, tag, tempDir, writeTree, type LocalIndex } from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backendVersion, runVersionUtil, testEnv } from "./helpers.js";

// pdm-backend's dynamic versions ([tool.pdm.version] source = "file" or "scm"), held to the real pdm-backend of the
// tools venv: the Version it writes into METADATA (prepare_metadata_for_build_wheel), or the error it raises.

const pdm = (dir: string, env: NodeJS.ProcessEnv = {}) => backendVersion(dir, "pdm.backend", env);

const PYPROJECT = (version: string) =>
  `[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n\n[project]\nname = "pdm-demo"\ndynamic = ["version"]\n\n[tool.pdm.version]\n${version}\n`;

function project(version: string, files: Record<string, string> = {}): string {
  const dir = tempDir("vu-pdm-");
  writeTree(dir, { "pyproject.toml": PYPROJECT(version), "src/pdm_demo/__init__.py": "", ...files });
  return dir;
}

async function versionUtil(dir: string, argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runVersionUtil([...argv, "--project", dir, "--json"], { env: { ...testEnv(), ...env } });
}

describe('pdm-backend source = "file", as pdm-backend reads it', () => {
  const FILE = 'source = "file"\npath = "src/pdm_demo/__init__.py"';
  it.each([
    ["double quotes", '__version__ = "1.2.3"\n'],
    ["single quotes and a comment", "'''Doc.'''\n__version__ = '2.0.0'  # released\n"],
    ["no spaces, CRLF", 'import os\r\n__version__="3.1"\r\n'],
    ["the first of two", '__version__ = "4.0.0"\n__version__ = "4.0.1"\n'],
    ["a version pdm takes as written", '__version__ = "5.0.0.RC1"\n'],
  ])("%s", async (_what, text) => {
    const dir = project(FILE, { "src/pdm_demo/__init__.py": text });
    const run = await versionUtil(dir, ["current"]);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ name: "pdm-demo", source: "pdm-file", file: "src/pdm_demo/__init__.py" });
    expect(run.json.version).toBe(pdm(dir).replace(/^5\.0\.0\.RC1$/, "5.0.0rc1"));
  });

  it("finds no version where pdm-backend finds none (indented, followed by code, computed)", async () => {
    for (const text of ['if True:\n    __version__ = "1.0"\n', '__version__ = "1.0"; x = 1\n', '__version__ = ".".join(["1", "0"])\n']) {
      const dir = project(FILE, { "src/pdm_demo/__init__.py": text });
      expect(pdm(dir)).toMatch(/^error/);
      expect((await versionUtil(dir, ["current"])).json.error).toMatchObject({ code: "VU_VERSION_FILE" });
    }
  });

  it("bump edits that file byte for byte, and pdm-backend then builds that version", async () => {
    const dir = project(FILE, { "src/pdm_demo/__init__.py": '"""Doc."""\n__version__ = "1.4.2"  # keep\n' });
    expect((await versionUtil(dir, ["bump", "minor,rc"])).json).toMatchObject({ previous: "1.4.2", version: "1.5.0rc0", written: true });
    expect(readFileSync(join(dir, "src/pdm_demo/__init__.py"), "utf8")).toBe('"""Doc."""\n__version__ = "1.5.0rc0"  # keep\n');
    expect(pdm(dir)).toBe("1.5.0rc0");
  });

  it('refuses what it cannot read without running code: a "call" source, or no [tool.pdm.version] (pdm-backend builds 0.0.0)', async () => {
    const call = project('source = "call"\ngetter = "pdm_demo:get_version"');
    expect((await versionUtil(call, ["current"])).json.error).toMatchObject({ code: "VU_UNKNOWN_DYNAMIC_VERSION", hint: expect.stringMatching(/runs project code/) });
    const missing = tempDir("vu-pdm-");
    writeTree(missing, { "pyproject.toml": PYPROJECT("").replace("[tool.pdm.version]\n", ""), "src/pdm_demo/__init__.py": "" });
    expect(pdm(missing)).toBe("0.0.0");
    expect((await versionUtil(missing, ["current"])).json.error).toMatchObject({ code: "VU_UNKNOWN_DYNAMIC_VERSION", hint: expect.stringMatching(/0\.0\.0/) });
  });
});

describe('pdm-backend source = "scm"', () => {
  let index: LocalIndex;
  beforeAll(async () => {
    index = await startLocalIndex();
  });
  afterAll(async () => {
    await index?.stop();
  });

  function repo(): string {
    const dir = project('source = "scm"');
    git(dir, ["init", "-q", "-b", "main"]);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "feat: first"]);
    return dir;
  }

  it("at a tag, the tag's version, as pdm-backend computes it; PDM_BUILD_SCM_VERSION wins, as in pdm-backend", async () => {
    const dir = repo();
    tag(dir, "v1.3.0");
    const run = await versionUtil(dir, ["current"]);
    expect(run.json).toMatchObject({ source: "pdm-scm", version: "1.3.0" });
    expect(pdm(dir)).toBe("1.3.0");
    const pretend = { PDM_BUILD_SCM_VERSION: "1.3.1.dev7" };
    const text = await runVersionUtil(["current", "--project", dir], { env: { ...testEnv(), ...pretend } });
    expect(text.stdout).toBe("pdm-demo 1.3.1.dev7 (pdm-backend scm (git tags), from PDM_BUILD_SCM_VERSION)\n");
    expect(pdm(dir, pretend)).toBe("1.3.1.dev7");
    // setuptools-scm's variable is not pdm-backend's: it changes nothing here.
    expect((await versionUtil(dir, ["current"], { SETUPTOOLS_SCM_PRETEND_VERSION: "9.9.9" })).json.version).toBe("1.3.0");
    expect(pdm(dir, { SETUPTOOLS_SCM_PRETEND_VERSION: "9.9.9" })).toBe("1.3.0");
    expect((await versionUtil(dir, ["check-tag", "v1.3.0"])).code).toBe(0);
  });

  it("between tags and before the first: the public part of pdm-backend's version (its +g<hash> local part is never published)", async () => {
    const dir = repo();
    commit(dir, "fix: one");
    expect((await versionUtil(dir, ["current"])).json.version).toBe(pdm(dir).split("+")[0]);
    tag(dir, "v0.4.0");
    commit(dir, "fix: two");
    commit(dir, "fix: three");
    const after = (await versionUtil(dir, ["current"])).json.version;
    expect(after).toBe("0.4.1.dev2");
    expect(pdm(dir).split("+")[0]).toBe(after);
  });

  it("a push: dev-version is applied through PDM_BUILD_SCM_VERSION, and pdm-backend builds exactly it", async () => {
    const dir = repo();
    tag(dir, "v2.0.0");
    commit(dir, "fix: one");
    commit(dir, "fix: two");
    const run = await runVersionUtil(["dev-version", "--project", dir, "--index-url", index.simpleUrl, "--json"], { env: testEnv() });
    expect(run.json).toMatchObject({ version: "2.0.1.dev2", apply: "env", envName: "PDM_BUILD_SCM_VERSION", source: "pdm-scm" });
    expect(pdm(dir, { PDM_BUILD_SCM_VERSION: run.json.version })).toBe("2.0.1.dev2");
  });
});
