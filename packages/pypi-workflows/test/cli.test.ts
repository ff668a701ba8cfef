import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runCaptured } from "@pypi-workflows/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_SPEC, ERROR_CODES, depsIndexFor, prepareClone, provideHelpers, rehearseCommand } from "../src/index.js";
import { GUARD_ENV, REPO, commitChange, makeProject, removeScratch, scratchDir, sharedTools, startIndex } from "./support.js";

const run = promisify(execFile);
const SRC = join(import.meta.dirname, "..", "src");
const SECRET = "canary-cli-password-77e0aa";

afterAll(() => removeScratch());

function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCaptured(rehearseCommand, argv, { env: { ...process.env, ...env }, secrets: env.TWINE_PASSWORD ? [env.TWINE_PASSWORD] : [] });
}

describe("the error catalog", () => {
  it("lists every code src/ can throw, each with a summary and a fix", () => {
    const thrown = new Set<string>();
    for (const file of readdirSync(SRC)) {
      for (const [, code] of readFileSync(join(SRC, file), "utf8").matchAll(/"(PW_[A-Z_]+)"/g)) thrown.add(code!);
    }
    for (const code of ["USAGE", "INTERNAL", "LOCAL_INDEX_FAILED", "JR_REGISTRY", "JR_INPUT_INVALID"]) thrown.add(code);
    expect(thrown.size).toBeGreaterThanOrEqual(10);
    const catalog = ERROR_CODES as Record<string, { summary: string; fix: string }>;
    expect([...thrown].filter((code) => !catalog[code])).toEqual([]);
    for (const [code, entry] of Object.entries(catalog)) {
      expect(entry.summary.length, code).toBeGreaterThan(10);
      expect(entry.fix.length, code).toBeGreaterThan(10);
    }
  });
});

describe("rehearse: usage and environment errors (exit 2, nothing started)", () => {
  const project = makeProject({ name: "pw-cli", version: "1.0.0" });
  const cases: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ["an unknown event", [project, "--event", "release"], {}, /--event must be push or tag, got "release"/],
    ["a tag event without a tag", [project, "--event", "tag"], {}, /--event tag needs --tag/],
    ["a tag on a push", [project, "--event", "push", "--tag", "v1.0.0"], {}, /--tag is for --event tag/],
    ["--index-url without --upload-url", [project, "--index-url", "http://127.0.0.1:1/simple/"], {}, /go together/],
    ["an index URL that is not http", [project, "--index-url", "file:///x", "--upload-url", "http://127.0.0.1:1/"], { TWINE_PASSWORD: "x" }, /not an http\(s\) URL: file:\/\/\/x/],
    ["a deps index URL that is not http", [project, "--deps-index-url", "pypi.org/simple/"], {}, /--deps-index-url: not an http\(s\) URL: pypi\.org\/simple\//],
    ["a user's index without a password", [project, "--index-url", "http://127.0.0.1:1/simple/", "--upload-url", "http://127.0.0.1:1/"],
      { TWINE_PASSWORD: "", PYPI_WORKFLOWS_INDEX_PASSWORD: "" }, /no password for the index[\s\S]*PYPI_WORKFLOWS_INDEX_PASSWORD/],
    ["unknown helpers", [project, "--helpers", "pip"], {}, /--helpers must be workspace or npm/],
    ["--skip-job without --workflow", [project, "--skip-job", "lint"], {}, /--skip-job is for --workflow/],
    ["a --workflow file that does not exist", [project, "--workflow", "no-such-release.yml"], {}, /PW_NO_WORKFLOW[\s\S]*no-such-release\.yml/],
    ["a reusable workflow as --workflow", [project, "--workflow", join(REPO, ".github", "workflows", "build.yml")], {}, /reusable workflow \(on: workflow_call\)/],
    ["a --skip-job the workflow does not have", [project, "--workflow", join(REPO, "examples", "workflows", "token.yml"), "--skip-job", "lint", "--skip-job", "unit"], {},
      /--skip-job unit: .*token\.yml has no such job[\s\S]*lint, test, build, testpypi, pypi, release/],
    ["contradicting isolation flags", [project, "--build-isolation", "--no-build-isolation"], {}, /contradict/],
    ["a bad verify timeout", [project, "--verify-timeout", "soon"], {}, /--verify-timeout must be a positive whole number/],
    ["an unknown option", [project, "--fast"], {}, /fast/],
  ];
  for (const [what, argv, env, message] of cases) {
    it(what, async () => {
      const result = await cli(argv, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  }

  it("a directory without pyproject.toml, one outside git, a repository without commits", async () => {
    const empty = scratchDir("pw-empty-");
    expect((await cli([empty, "--json"])).stdout).toMatch(/"code": "PW_NO_PROJECT"/);
    const loose = scratchDir("pw-loose-");
    writeFileSync(join(loose, "pyproject.toml"), '[project]\nname = "x"\nversion = "1"\n');
    const outside = await cli([loose], { GIT_CEILING_DIRECTORIES: tmpdir() });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/PW_NOT_A_REPOSITORY[\s\S]*next step: Run `git init/);
    await run("git", ["init", "-q", loose]);
    const fresh = await cli([loose]);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toMatch(/PW_NO_COMMIT/);
  });

  it("--help describes the command", async () => {
    const result = await cli(["rehearse", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--event <EVENT>[\s\S]*--index-url <URL>[\s\S]*--helpers <SOURCE>/);
    expect(CLI_SPEC.commands.map((c) => c.name)).toEqual(["rehearse"]);
  });

  it("--helpers workspace outside this repository is a usage error", async () => {
    const error = await provideHelpers("workspace", { workflowsDir: "/x", requirements: "/x" }, process.env).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/only from a checkout of the pypi-workflows repository/);
  });
});

describe("where the project's dependencies come from", () => {
  const index = { simpleUrl: "http://127.0.0.1:1/simple/" };
  it("PyPI by default (the workflows' own default: no deps-index-url), as on GitHub; the rehearsal's index holds only the project", () => {
    expect(depsIndexFor({}, {}, index)).toBeUndefined();
  });
  it("offline in this repository (its wheelhouse): the rehearsal's index, since nothing may reach PyPI", () => {
    expect(depsIndexFor({}, { wheelhouse: "/w" }, index)).toBe(index.simpleUrl);
  });
  it("--deps-index-url wins in both cases", () => {
    for (const tools of [{}, { wheelhouse: "/w" }]) expect(depsIndexFor({ depsIndexUrl: "https://mirror.example/simple/" }, tools, index)).toBe("https://mirror.example/simple/");
  });
});

describe("the temporary clone", () => {
  it("warns about uncommitted work, rehearses HEAD, and creates a missing tag only in the clone", async () => {
    const project = makeProject({ name: "pw-clone", version: "1.0.0" });
    commitChange(project, "CHANGES.md", "one\n");
    writeFileSync(join(project, "README.md"), "uncommitted\n");
    mkdirSync(join(project, "new"));
    writeFileSync(join(project, "new", "file.py"), "x = 1\n");
    const clone = await prepareClone(project, "v1.0.0", process.env);
    expect(clone.warnings.join("\n")).toMatch(/2 uncommitted change\(s\) in \.: only committed work \(HEAD [0-9a-f]{12}\) is rehearsed/);
    expect(clone.createdTag).toBe("v1.0.0");
    expect((await run("git", ["show", "HEAD:README.md"], { cwd: clone.repo })).stdout).toBe("# pw-clone\n\nA test project.\n");
    expect((await run("git", ["rev-parse", "HEAD"], { cwd: clone.repo })).stdout.trim()).toBe(clone.sha);
    expect((await run("git", ["tag", "--list"], { cwd: project })).stdout).toBe("");
    expect((await run("git", ["tag", "--list"], { cwd: clone.repo })).stdout).toBe("v1.0.0\n");
  });

  it("a project in a subdirectory of its repository is rehearsed there (working-directory)", async () => {
    const repo = makeProject({ name: "pw-mono", version: "1.0.0" });
    const sub = join(repo, "packages", "lib");
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, "pyproject.toml"), '[project]\nname = "lib"\nversion = "1"\n');
    commitChange(repo, "packages/lib/README.md", "lib\n");
    const clone = await prepareClone(sub, undefined, process.env);
    expect(clone.workingDirectory).toBe("packages/lib");
    expect(clone.warnings).toEqual([]);
  });
});

describe("the built CLI (dist/cli.js), end to end", () => {
  it("a user's index refusing the credentials: exit 1 naming the failing job and step, the password never printed", async () => {
    const tools = await sharedTools();
    const index = await startIndex("the-real-password-4c1d");
    try {
      const project = makeProject({ name: "pw-smoke", version: "1.0.0" });
      const bin = join(import.meta.dirname, "..", "dist", "cli.js");
      const error = await run(process.execPath, [bin, "rehearse", project, "--index-url", index.simpleUrl, "--upload-url", index.uploadUrl], {
        env: { ...process.env, ...GUARD_ENV, TWINE_USERNAME: index.username, TWINE_PASSWORD: SECRET, PATH: `${join(tools.venv, "bin")}:${process.env.PATH}` },
        maxBuffer: 1 << 26,
      }).catch((e: unknown) => e);
      const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
      expect(code, stdout + stderr).toBe(1);
      expect(stderr).toMatch(/ok +[\d.]+ s +build \/ Build the sdist and the wheel, once/);
      expect(stdout).toMatch(/FAILED/);
      expect(stdout).toMatch(/failed: testpypi\.yml \/ upload \/ Upload the files TestPyPI lacks/);
      expect(stdout).toMatch(/UP_AUTH/);
      expect(stdout + stderr).not.toContain(SECRET);
      expect(readdirSync(index.packagesDir)).toEqual([]);
      // A failed rehearsal keeps its run directory for the logs, and says where.
      const kept = /run directory \(logs, artifacts, result\.json; secrets masked\): (\S+)/.exec(stdout)?.[1];
      expect(kept && existsSync(join(kept, "result.json"))).toBe(true);
      rmSync(kept!, { recursive: true, force: true });
    } finally {
      await index.stop();
    }
  });
});
