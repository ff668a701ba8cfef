import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir, writeTree } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { backendVersion, runVersionUtil, SETUPTOOLS_PYPROJECT, testEnv } from "./helpers.js";

// A setuptools project configured in setup.cfg (pyproject.toml holding only [build-system]), held to the real
// setuptools of the tools venv: the Version build_meta writes into METADATA, or the error it raises.

const setuptools = (dir: string) => backendVersion(dir, "setuptools.build_meta");

const SRC_LAYOUT = "\n[options]\npackage_dir =\n    = src\npackages = find:\n\n[options.packages.find]\nwhere = src\n";

function project(setupCfg: string, files: Record<string, string> = { "src/cfg_demo/__init__.py": "" }): string {
  const dir = tempDir("vu-cfg-");
  writeTree(dir, { "pyproject.toml": SETUPTOOLS_PYPROJECT, "setup.cfg": setupCfg, ...files });
  return dir;
}

async function versionUtil(dir: string, ...argv: string[]) {
  return runVersionUtil([...argv, "--project", dir, "--json"], { env: testEnv() });
}

describe("setup.cfg's [metadata] version, as setuptools reads it", () => {
  it.each([
    ["the version itself", `[metadata]\nname = cfg-demo\nversion = 1.2.3\n${SRC_LAYOUT}`, {}, "setup-cfg", "setup.cfg"],
    ["':' between key and value, comments, CRLF", `# the project\r\n[metadata]\r\nname: cfg-demo\r\n; pinned\r\nversion: 2.0.0rc1\r\n${SRC_LAYOUT.replace(/\n/g, "\r\n")}`, {}, "setup-cfg", "setup.cfg"],
    ["attr: through a src package_dir", `[metadata]\nname = cfg-demo\nversion = attr: cfg_demo.__version__\n${SRC_LAYOUT}`, { "src/cfg_demo/__init__.py": '__version__ = "3.1.4"\n' }, "setup-cfg-attr", "src/cfg_demo/__init__.py"],
    ["attr: of a module, flat layout", "[metadata]\nname = cfg-demo\nversion = attr: cfg_demo.about.VERSION\n\n[options]\npackages = cfg_demo\n", { "cfg_demo/__init__.py": "", "cfg_demo/about.py": "VERSION = '4.0'\n" }, "setup-cfg-attr", "cfg_demo/about.py"],
    ["file:", `[metadata]\nname = cfg-demo\nversion = file: VERSION.txt\n${SRC_LAYOUT}`, { "src/cfg_demo/__init__.py": "", "VERSION.txt": "5.0.1\n" }, "setup-cfg-file", "VERSION.txt"],
  ])("%s", async (_what, cfg, files, source, file) => {
    const dir = project(cfg, { "src/cfg_demo/__init__.py": "", ...files });
    const run = await versionUtil(dir, "current");
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ name: "cfg-demo", source, file });
    expect(run.json.version).toBe(setuptools(dir));
  });

  it("bump edits the value in setup.cfg and no other byte; setuptools then builds that version", async () => {
    const cfg = `[metadata]\nname = cfg-demo\nversion = 1.2.3   \n\n[bdist_wheel]\nuniversal = 0\n${SRC_LAYOUT}`;
    const dir = project(cfg);
    expect((await versionUtil(dir, "bump", "minor")).json).toMatchObject({ previous: "1.2.3", version: "1.3.0", file: "setup.cfg", written: true });
    expect(readFileSync(join(dir, "setup.cfg"), "utf8")).toBe(cfg.replace("version = 1.2.3", "version = 1.3.0"));
    expect(setuptools(dir)).toBe("1.3.0");
  });

  it("refuses what setuptools refuses: a key set twice, a line outside any section; and a % interpolation", async () => {
    for (const cfg of ["[metadata]\nname = cfg-demo\nversion = 1.0\nversion = 1.1\n", "version = 1.0\n[metadata]\nname = cfg-demo\n"]) {
      const dir = project(cfg);
      expect(setuptools(dir)).toMatch(/^error/);
      expect((await versionUtil(dir, "current")).json.error).toMatchObject({ code: "VU_MALFORMED_SETUP_CFG" });
    }
    const percent = project("[metadata]\nname = cfg-demo\nversion = 1.0%\n");
    expect(setuptools(percent)).toMatch(/^error/);
    expect((await versionUtil(percent, "current")).json.error).toMatchObject({ code: "VU_VERSION_FILE" });
  });
});
