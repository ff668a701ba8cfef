import { execFile } from "node:child_process";
import { cpSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO, removeScratch, scratchDir, sharedTools } from "./support.js";

afterAll(() => removeScratch());

const DIST = join(import.meta.dirname, "..", "dist");

describe("the published package (dist/ copied outside this repository)", () => {
  it("ships the workflows and the pinned requirements it runs, identical to their sources", () => {
    for (const file of ["build.yml", "testpypi.yml", "pypi.yml", "release.yml"]) {
      expect(readFileSync(join(DIST, "assets", "workflows", file), "utf8"), file).toBe(readFileSync(join(REPO, ".github", "workflows", file), "utf8"));
    }
    expect(readFileSync(join(DIST, "assets", "requirements.txt"), "utf8")).toBe(readFileSync(join(REPO, "tools", "python", "requirements.txt"), "utf8"));
  });

  it("finds its assets, installs the tools venv into the cache home from the shipped requirements, starts the index", async () => {
    const installed = join(scratchDir("pw-published-"), "node_modules", "pypi-workflows", "dist");
    cpSync(DIST, installed, { recursive: true });
    const published = (await import(join(installed, "index.js"))) as typeof import("../src/index.js");
    const assets = published.locateAssets(new URL(`file://${join(installed, "index.js")}`).href);
    expect(assets).toEqual({ workflowsDir: join(installed, "assets", "workflows"), requirements: join(installed, "assets", "requirements.txt") });
    // Offline: pip installs the pinned, hashed requirements from this repository's wheelhouse, never from PyPI.
    const cache = scratchDir("pw-cache-");
    const env = {
      ...process.env, PYPI_WORKFLOWS_CACHE: cache, PIP_NO_INDEX: "1", PIP_FIND_LINKS: (await sharedTools()).wheelhouse!,
      PYPI_WORKFLOWS_PYTHON: "python3",
    };
    const tools = await published.ensurePythonTools(assets, env);
    expect(tools.venv.startsWith(join(cache, "python-tools-"))).toBe(true);
    expect(tools.wheelhouse).toBeUndefined();
    expect(readdirSync(tools.venv)).toContain(".installed");
    const index = await published.startThrowawayIndex({ pypiServer: tools.bin("pypi-server"), python: tools.python });
    try {
      expect((await fetch(index.simpleUrl)).status).toBe(200);
      expect(index.password).toMatch(/^[0-9a-f]{48}$/);
    } finally {
      await index.stop();
    }
    // The second use finds the venv ready (the marker), without pip.
    const again = await published.ensurePythonTools(assets, { ...env, PIP_FIND_LINKS: "/nonexistent" });
    expect(again.venv).toBe(tools.venv);
  });

  it("the CLI (dist/bin/cli.cjs) finds its shipped assets from a directory whose path holds # and %", async () => {
    const installed = join(scratchDir("pw-published-"), "a #1 100%", "node_modules", "pypi-workflows", "dist");
    cpSync(DIST, installed, { recursive: true });
    const project = scratchDir("pw-published-project-");
    writeFileSync(join(project, "pyproject.toml"), '[project]\nname = "demo"\nversion = "1.0.0"\n');
    for (const args of [["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "initial"]]) {
      await promisify(execFile)("git", args, { cwd: project });
    }
    // Stopped where the tools venv would be made (no such Python): by then the shipped requirements were read.
    const env = { ...process.env, PYPI_WORKFLOWS_CACHE: scratchDir("pw-cache-"), PYPI_WORKFLOWS_PYTHON: "/nonexistent/python3" };
    const run = await promisify(execFile)(process.execPath, [join(installed, "bin", "cli.cjs"), project], { env }).catch((error) => error);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/PW_TOOLS: cannot prepare the Python tools venv: .*\/nonexistent\/python3/);
    expect(run.stderr).not.toContain("requirements.txt");
  });
});
