import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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
    ["a file size limit that is no number", [project, "--max-file-size", "200MB"], {}, /--max-file-size must be a positive number of MiB, got "200MB"[\s\S]*--max-file-size 200/],
    ["a project size limit of zero", [project, "--max-project-size", "0"], {}, /--max-project-size must be a positive number of GiB, got "0"/],
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
    writeFileSync(join(empty, "setup.py"), "from setuptools import setup\nsetup()\n");
    const legacy = await cli([empty]);
    expect(legacy.stderr).toMatch(/PW_NO_PROJECT: \S+ has setup\.py but no pyproject\.toml[\s\S]*needs a pyproject\.toml with its \[build-system\]/);
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

/** A closed loopback port: a user's index that is never reached (the rehearsal stops before any upload). */
const UNUSED_INDEX = ["--index-url", "http://127.0.0.1:9/simple/", "--upload-url", "http://127.0.0.1:9/"];

interface CliError {
  code: string;
  exitCode: number;
  message: string;
  hint?: string;
}

/** The CLI's --json error, after checking the exit status says the same. */
function jsonError(result: { code: number; stdout: string }): CliError {
  const { error } = JSON.parse(result.stdout) as { error: CliError };
  expect(result.code, result.stdout).toBe(error.exitCode);
  return error;
}

describe("rehearse: the tools, the helpers or the tag cannot be prepared (stops before any workflow runs)", () => {
  it("PW_TOOLS: tools/python/setup.sh cannot make the venv (an interpreter that does not exist): exit 2", async () => {
    const project = makeProject({ name: "pw-no-tools", version: "1.0.0" });
    const scratch = scratchDir("pw-tools-");
    const python = join(scratch, "no-such-python3");
    const result = await cli([project, "--helpers", "npm", "--json"], {
      PYPI_WORKFLOWS_TOOLS_VENV: join(scratch, "venv"), PYPI_WORKFLOWS_PYTHON: python,
    });
    const error = jsonError(result);
    expect(error).toMatchObject({ code: "PW_TOOLS", exitCode: 2, hint: ERROR_CODES.PW_TOOLS.fix });
    expect(error.message).toMatch(/^cannot prepare the Python tools venv: /);
    expect(error.message).toContain(`${python}: No such file or directory`);
  });

  it("PW_HELPERS: the workspace's helpers cannot be served (npm offline cannot install the local registry): exit 2", async () => {
    const project = makeProject({ name: "pw-no-helpers", version: "1.0.0" });
    const scratch = scratchDir("pw-helpers-");
    const result = await cli([project, "--helpers", "workspace", ...UNUSED_INDEX, "--json"], {
      TWINE_PASSWORD: "unused-password-5e0b", PYPI_WORKFLOWS_CACHE: join(scratch, "cache"),
      npm_config_offline: "true", npm_config_cache: join(scratch, "npm-cache"),
    });
    const error = jsonError(result);
    expect(error).toMatchObject({ code: "PW_HELPERS", exitCode: 2, hint: ERROR_CODES.PW_HELPERS.fix });
    expect(error.message).toMatch(new RegExp(`^cannot serve this workspace's helpers: cannot install verdaccio into ${join(scratch, "cache")}/verdaccio-`));
    expect(error.message).toMatch(/ENOTCACHED/);
  });

  it.each(["v1.0..0", "v1.*"])("PW_BAD_TAG: --tag %j, which git refuses as a tag name: exit 2 before anything is cloned", async (tag) => {
    const project = makeProject({ name: "pw-bad-tag", version: "1.0.0" });
    const result = await cli([project, "--event", "tag", "--tag", tag, "--helpers", "npm", ...UNUSED_INDEX, "--json"], {
      TWINE_PASSWORD: "unused-password-5e0b",
    });
    const error = jsonError(result);
    expect(error).toMatchObject({ code: "PW_BAD_TAG", exitCode: 2, hint: ERROR_CODES.PW_BAD_TAG.fix });
    expect(error.message).toBe(`--tag ${JSON.stringify(tag)} is not a name git accepts for a tag`);
    expect((await run("git", ["tag", "--list"], { cwd: project })).stdout).toBe("");
  });
});

describe("prepareClone: a repository the rehearsal cannot clone or tag (exit 2, no clone left behind)", () => {
  /** Runs `body` with TMPDIR (where clones go) set to a fresh directory, and returns what is left in it. */
  async function inFreshTmp(body: () => Promise<unknown>): Promise<{ error: CliError; left: string[] }> {
    const tmp = scratchDir("pw-tmp-");
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const error = (await body().then(() => undefined, (e: unknown) => e)) as CliError;
      expect(error, "expected a rejection").toBeDefined();
      return { error, left: readdirSync(tmp) };
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  }

  it("PW_BAD_TAG: a tag v1.0.0/rc in the repository leaves no room for v1.0.0: git's words, the clone removed", async () => {
    const project = makeProject({ name: "pw-tag-room", version: "1.0.0" });
    await run("git", ["tag", "v1.0.0/rc"], { cwd: project });
    const { error, left } = await inFreshTmp(() => prepareClone(project, "v1.0.0", process.env));
    expect(error).toMatchObject({ code: "PW_BAD_TAG", exitCode: 2, hint: ERROR_CODES.PW_BAD_TAG.fix });
    expect(error.message).toMatch(/^cannot create tag v1\.0\.0 in the rehearsal's clone: fatal: .*refs\/tags\/v1\.0\.0/);
    expect(left).toEqual([]);
    expect((await run("git", ["tag", "--list"], { cwd: project })).stdout).toBe("v1.0.0/rc\n");
  });

  it("PW_BAD_TAG: a tag git tag would read as an option (-d) is refused before anything is cloned", async () => {
    const project = makeProject({ name: "pw-dash-tag", version: "1.0.0" });
    const { error, left } = await inFreshTmp(() => prepareClone(project, "-d", process.env));
    expect(error).toMatchObject({ code: "PW_BAD_TAG", exitCode: 2, message: '--tag "-d" is not a name git accepts for a tag' });
    expect(left).toEqual([]);
  });

  it("PW_GIT_FAILED: HEAD's commit object is missing (a damaged repository): git's words, exit 2, never INTERNAL", async () => {
    const project = makeProject({ name: "pw-damaged", version: "1.0.0" });
    const sha = (await run("git", ["rev-parse", "HEAD"], { cwd: project })).stdout.trim();
    rmSync(join(project, ".git", "objects", sha.slice(0, 2), sha.slice(2)));
    const { error, left } = await inFreshTmp(() => prepareClone(project, undefined, process.env));
    expect(error).toMatchObject({ code: "PW_GIT_FAILED", exitCode: 2, hint: ERROR_CODES.PW_GIT_FAILED.fix });
    expect(error.message).toMatch(new RegExp(`^git status .* failed in ${project}: fatal: bad object HEAD`));
    expect(left).toEqual([]);
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
  // The rehearsal removes its clone when it ends; a test that only prepares one removes it itself.
  const clones: string[] = [];
  afterAll(() => {
    for (const repo of clones) rmSync(dirname(repo), { recursive: true, force: true });
  });

  it("warns about uncommitted work, rehearses HEAD, and creates a missing tag only in the clone", async () => {
    const project = makeProject({ name: "pw-clone", version: "1.0.0" });
    commitChange(project, "CHANGES.md", "one\n");
    writeFileSync(join(project, "README.md"), "uncommitted\n");
    mkdirSync(join(project, "new"));
    writeFileSync(join(project, "new", "file.py"), "x = 1\n");
    const clone = await prepareClone(project, "v1.0.0", process.env);
    clones.push(clone.repo);
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
    clones.push(clone.repo);
    expect(clone.workingDirectory).toBe("packages/lib");
    expect(clone.warnings).toEqual([]);
  });
});

describe("the built CLI (dist/bin/cli.cjs), end to end", () => {
  it("a user's index refusing the credentials: exit 1 naming the failing job and step, the password never printed", async () => {
    const tools = await sharedTools();
    const index = await startIndex("the-real-password-4c1d");
    try {
      const project = makeProject({ name: "pw-smoke", version: "1.0.0" });
      const bin = join(import.meta.dirname, "..", "dist", "bin", "cli.cjs");
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
