import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  buildDist,
  commit,
  exampleRepo,
  freePort,
  git,
  startLocalIndex,
  tag,
  tempDir,
  twineUpload,
  type LocalIndex,
} from "@pypi-workflows/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseBase, existingDevNumbers } from "../src/dev-version.js";
import { projectCopy, runVersionUtil, testEnv } from "./helpers.js";

let index: LocalIndex;

/** Builds a copy of an example at `version` with the real build backends and uploads it with the real twine. */
function publish(example: "hatch-static" | "scm-dynamic", version: string): void {
  const dir = exampleRepo(example);
  if (example === "hatch-static") {
    const file = join(dir, "pyproject.toml");
    writeFileSync(file, readFileSync(file, "utf8").replace('version = "0.1.0"', `version = "${version}"`));
  }
  const { files } = buildDist(dir, example === "scm-dynamic" ? { SETUPTOOLS_SCM_PRETEND_VERSION: version } : {});
  twineUpload(index, files);
}

async function devVersion(dir: string, ...args: string[]) {
  return runVersionUtil(["dev-version", "--project", dir, "--index-url", index.simpleUrl, "--json", ...args], { env: testEnv() });
}

beforeAll(async () => {
  index = await startLocalIndex();
  // What earlier pushes left on the index: static 0.1.1.dev5 and scm 0.1.1.dev4.
  publish("hatch-static", "0.1.1.dev5");
  publish("scm-dynamic", "0.1.1.dev4");
});

afterAll(async () => {
  await index?.stop();
});

describe("dev-version against a real local index", () => {
  it("static project not above the last tag: next patch, dev number past the index's largest", async () => {
    const dir = exampleRepo("hatch-static");
    tag(dir, "v0.1.0");
    for (const n of [1, 2, 3]) commit(dir, `fix: ${n}`);
    const run = await devVersion(dir);
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ version: "0.1.1.dev6", base: "0.1.1", devNumber: 6, distance: 3, existing: [5], apply: "write" });
  });

  it("--write sets the static version in the working copy; the build then carries it", async () => {
    const dir = exampleRepo("hatch-static");
    tag(dir, "v0.1.0");
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) commit(dir, `fix: ${n}`);
    const before = readFileSync(join(dir, "pyproject.toml"), "utf8");
    const run = await devVersion(dir, "--write");
    expect(run.json).toMatchObject({ version: "0.1.1.dev8", devNumber: 8, written: "pyproject.toml" });
    expect(readFileSync(join(dir, "pyproject.toml"), "utf8")).toBe(before.replace('version = "0.1.0"', 'version = "0.1.1.dev8"'));
    const { files } = buildDist(dir);
    expect(files.map((f) => f.split("/").pop())).toEqual(["hatch_static_demo-0.1.1.dev8-py3-none-any.whl", "hatch_static_demo-0.1.1.dev8.tar.gz"]);
  });

  it("a re-run after the push was published picks the next number (unique on the index, sorts after it)", async () => {
    const first = exampleRepo("hatch-static");
    tag(first, "v0.3.0");
    commit(first, "fix: one");
    const published = await devVersion(first, "--write");
    expect(published.json.version).toBe("0.3.1.dev1");
    const { files } = buildDist(first);
    twineUpload(index, files);
    // The same commit distance again (a re-run, a force push, another branch): commit distance alone would repeat.
    const again = exampleRepo("hatch-static");
    tag(again, "v0.3.0");
    commit(again, "fix: other");
    expect((await devVersion(again)).json).toMatchObject({ version: "0.3.1.dev2", existing: [1] });
  });

  it("a project the index has never seen (404), versioned in a hatch path file: --write edits that file", async () => {
    const dir = projectCopy("hatch-path");
    const run = await devVersion(dir, "--write");
    expect(run.json).toMatchObject({ version: "2.3.4.dev1", base: "2.3.4", existing: [], written: "src/hatch_path_demo/__about__.py" });
    expect(readFileSync(join(dir, "src/hatch_path_demo/__about__.py"), "utf8")).toContain("__version__ = '2.3.4.dev1'  # keep single quotes");
  });

  it("static project above the last tag: its own version is the base", async () => {
    const dir = exampleRepo("hatch-static");
    tag(dir, "v0.0.9");
    commit(dir, "feat: more");
    const run = await devVersion(dir);
    expect(run.json).toMatchObject({ version: "0.1.0.dev1", base: "0.1.0", devNumber: 1, existing: [] });
  });

  it("scm project: SETUPTOOLS_SCM_PRETEND_VERSION to apply, never a local version", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v0.1.0");
    commit(dir, "fix: one");
    commit(dir, "fix: two");
    const run = await runVersionUtil(["dev-version", "--project", dir, "--index-url", index.simpleUrl], { env: testEnv() });
    expect(run.stdout).toBe(
      "0.1.1.dev5\nbase 0.1.1, dev number 5 (2 commits since v0.1.0; index has dev 4)\napply: build with SETUPTOOLS_SCM_PRETEND_VERSION=0.1.1.dev5\n",
    );
    const json = await devVersion(dir);
    expect(json.json).toMatchObject({ apply: "env", envName: "SETUPTOOLS_SCM_PRETEND_VERSION", version: "0.1.1.dev5" });
    expect(json.json.version).not.toContain("+");
    expect((await devVersion(dir, "--write")).json.written).toBeUndefined();
  });

  it("scm project without tags: 0.0.1 and the commit count", async () => {
    const dir = exampleRepo("scm-dynamic");
    commit(dir, "fix: one");
    expect((await devVersion(dir)).json).toMatchObject({ version: "0.0.1.dev2", base: "0.0.1", distance: 2 });
  });

  it("outputs version, base, dev-number, apply and env-name in GitHub Actions", async () => {
    const dir = exampleRepo("scm-dynamic");
    const output = join(tempDir(), "output");
    writeFileSync(output, "");
    const previous = process.env.GITHUB_OUTPUT;
    process.env.GITHUB_OUTPUT = output;
    try {
      await runVersionUtil(["dev-version", "--project", dir, "--index-url", index.simpleUrl], {
        env: testEnv({ GITHUB_ACTIONS: "true", GITHUB_OUTPUT: output }),
      });
    } finally {
      if (previous === undefined) delete process.env.GITHUB_OUTPUT;
      else process.env.GITHUB_OUTPUT = previous;
    }
    const text = readFileSync(output, "utf8");
    for (const line of ["0.0.1.dev1", "0.0.1", "1", "env", "SETUPTOOLS_SCM_PRETEND_VERSION"]) expect(text).toContain(`\n${line}\n`);
    for (const key of ["version", "base", "dev-number", "apply", "env-name"]) expect(text).toContain(`${key}<<`);
  });
});

describe("dev-version: bad input", () => {
  it("index unreachable: exit 2, never a guess", async () => {
    const dir = exampleRepo("hatch-static");
    const port = await freePort();
    const run = await runVersionUtil(["dev-version", "--project", dir, "--index-url", `http://127.0.0.1:${port}/simple/`, "--json"], {
      env: testEnv(),
    });
    expect([run.code, run.json.error.code]).toEqual([2, "IDX_UNREACHABLE"]);
    expect(run.json.version).toBeUndefined();
  });

  it("no index given, or an unknown target: exit 2", async () => {
    const dir = exampleRepo("hatch-static");
    expect((await runVersionUtil(["dev-version", "--project", dir], { env: testEnv() })).code).toBe(2);
    expect((await runVersionUtil(["dev-version", "--project", dir, "--target", "pypy"], { env: testEnv() })).stderr).toContain('unknown --target "pypy"');
  });

  it("shallow clone: exit 2, says fetch-depth: 0", async () => {
    const origin = exampleRepo("hatch-static");
    commit(origin, "fix: one");
    const clone = join(tempDir(), "clone");
    git(tempDir(), ["clone", "-q", "--depth", "1", `file://${origin}`, clone]);
    const run = await devVersion(clone);
    expect([run.code, run.json.error.code]).toEqual([2, "VU_SHALLOW_CLONE"]);
    expect(run.json.error.hint).toContain("fetch-depth: 0");
  });
});

describe("dev-version rules", () => {
  it.each([
    ["1.3.0", "1.2.9", "1.3.0"],
    ["1.3.0.dev2", "1.2.9", "1.3.0"],
    ["1.2.9", "1.2.9", "1.2.10"],
    ["1.0.0", "1.2.9", "1.2.10"],
    [undefined, "1.3.0rc1", "1.3.0rc2"],
    [undefined, undefined, "0.0.1"],
    ["2.0.0", undefined, "2.0.0"],
    // Numbers past 2^53 stay exact (Python's ints do): not 1.2.3rc9007199254740992 or 1e+23.
    [undefined, "1.2.3rc9007199254740993", "1.2.3rc9007199254740994"],
    [undefined, "1.2.3rc99999999999999999999999", "1.2.3rc100000000000000000000000"],
    ["9007199254740993.0.dev4", "1.0", "9007199254740993.0"],
  ])("project %s, last tag %s -> base %s", (project, lastTag, base) => {
    expect(chooseBase(project, lastTag)).toBe(base);
  });

  it("counts only dev releases of the same base", () => {
    expect(existingDevNumbers(["1.0.1.dev3", "1.0.1.dev10", "1.0.1", "1.0.1rc1.dev20", "1.0.2.dev30", "1.0.1.dev3", undefined, "junk"], "1.0.1")).toEqual([3, 10]);
    expect(existingDevNumbers(["1.9007199254740993.dev7", "1.9007199254740992.dev8"], "1.9007199254740993")).toEqual([7]);
  });
});
