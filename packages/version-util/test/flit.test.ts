import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, writeTree } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { backendVersion, runVersionUtil, testEnv } from "./helpers.js";

// flit_core's dynamic version (`__version__` in the module it packages), held to the real flit_core of the tools
// venv: the Version it writes into METADATA (prepare_metadata_for_build_wheel), or the error it raises.

const flit = (dir: string) => backendVersion(dir, "flit_core.buildapi");

const PYPROJECT = (extra = "") =>
  `[build-system]\nrequires = ["flit_core >=3.4,<5"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "flit-demo"\ndynamic = ["version", "description"]\n${extra}`;

function project(files: Record<string, string>, extra = ""): string {
  const dir = tempDir("vu-flit-");
  writeTree(dir, { "pyproject.toml": PYPROJECT(extra), ...files });
  return dir;
}

async function current(dir: string) {
  return runVersionUtil(["current", "--project", dir, "--json"], { env: testEnv() });
}

describe("flit_core's __version__, as flit_core reads it", () => {
  const DOC = '"""A flit demo."""\n';
  it.each([
    ["a package", { "flit_demo/__init__.py": `${DOC}__version__ = "1.5.0"\n` }, "", "flit_demo/__init__.py"],
    ["a src layout", { "src/flit_demo/__init__.py": `${DOC}__version__ = '2.0.1'  # released\n` }, "", "src/flit_demo/__init__.py"],
    ["a single module", { "flit_demo.py": `${DOC}__version__: str = "0.9"\n` }, "", "flit_demo.py"],
    ["version.py imported by __init__", { "flit_demo/__init__.py": `${DOC}from .version import __version__\n`, "flit_demo/version.py": '__version__ = "3.1.0"\n' }, "", "flit_demo/version.py"],
    ["__init__.py wins over version.py", { "flit_demo/__init__.py": `${DOC}__version__ = "4.0.0"\n`, "flit_demo/_version.py": '__version__ = "3.9.9"\n' }, "", "flit_demo/__init__.py"],
    ["the first assignment in a file", { "flit_demo/__init__.py": `${DOC}__version__ = "5.0.0"\n__version__ = "5.0.1"\n` }, "", "flit_demo/__init__.py"],
    ["an expression is not a version: the next file's", { "flit_demo/__init__.py": `${DOC}__version__ = "6" + ".0"\n`, "flit_demo/version.py": '__version__ = "6.1"\n' }, "", "flit_demo/version.py"],
    ["[tool.flit.module] name", { "other_mod/__init__.py": `${DOC}__version__ = "7.0.0rc1"\n` }, '\n[tool.flit.module]\nname = "other_mod"\n', "other_mod/__init__.py"],
    ["CRLF line ends", { "flit_demo/__init__.py": `${DOC}__version__ = "8.0.0"\r\n`.replace(/\n/g, "\r\n") }, "", "flit_demo/__init__.py"],
    ["a version flit normalizes", { "flit_demo/__init__.py": `${DOC}__version__ = "9.0.0.RC1"\n` }, "", "flit_demo/__init__.py"],
  ])("%s", async (_what, files, extra, file) => {
    const dir = project(files, extra);
    const run = await current(dir);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ name: "flit-demo", source: "flit", file });
    expect(run.json.version).toBe(flit(dir));
  });

  it("refuses, as flit does, a module in two places or in none; a version flit would import the module for is not guessed", async () => {
    const twice = project({ "flit_demo/__init__.py": '"""d."""\n__version__ = "1.0"\n', "src/flit_demo/__init__.py": '"""d."""\n__version__ = "1.0"\n' });
    expect(flit(twice)).toMatch(/^error/);
    expect((await current(twice)).json.error).toMatchObject({ code: "VU_VERSION_FILE", message: expect.stringMatching(/more than one place for module flit_demo: flit_demo, src\/flit_demo/) });
    const none = project({ "other/__init__.py": '"""d."""\n__version__ = "1.0"\n' });
    expect(flit(none)).toMatch(/^error/);
    expect((await current(none)).json.error).toMatchObject({ code: "VU_VERSION_FILE", message: expect.stringMatching(/flit finds no module flit_demo/) });
    // flit imports the module when no literal is found; version-util runs no project code and says how to fix it.
    const computed = project({ "flit_demo/__init__.py": '"""d."""\n__version__ = ".".join(["1", "2"])\n' });
    expect(flit(computed)).toBe("1.2");
    const run = await current(computed);
    expect(run.code).toBe(1);
    expect(run.json.error).toMatchObject({ code: "VU_VERSION_FILE", hint: expect.stringMatching(/plain string assignment/) });
  });

  it("bump and dev-version --write edit the file flit reads, and flit then builds that version", async () => {
    const files = { "flit_demo/__init__.py": '"""d."""\nfrom .version import __version__\n', "flit_demo/version.py": "# the version\n__version__ = '1.4.2'  # keep\n" };
    const dir = project(files);
    const bumped = await runVersionUtil(["bump", "minor", "--project", dir, "--json"], { env: testEnv() });
    expect(bumped.json).toMatchObject({ previous: "1.4.2", version: "1.5.0", file: "flit_demo/version.py", written: true });
    expect(readFileSync(join(dir, "flit_demo/version.py"), "utf8")).toBe("# the version\n__version__ = '1.5.0'  # keep\n");
    expect(readFileSync(join(dir, "flit_demo/__init__.py"), "utf8")).toBe(files["flit_demo/__init__.py"]);
    expect(flit(dir)).toBe("1.5.0");
  });
});
