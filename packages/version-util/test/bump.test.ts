import { chmodSync, lstatSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, tag } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { setTomlVersion } from "../src/edit-toml.js";
import { projectCopy, runVersionUtil, testEnv } from "./helpers.js";

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");

async function bump(dir: string, ...args: string[]) {
  return runVersionUtil(["bump", ...args, "--project", dir, "--json"], { env: testEnv() });
}

describe("bump writes the version where it lives and changes no other byte", () => {
  it("pyproject.toml: comments, quote style, key order, multi-line strings and other tables' version keys stay", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const before = read(dir, "pyproject.toml");
    const run = await bump(dir, "minor,rc");
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({ previous: "1.2.3", version: "1.3.0rc0", file: "pyproject.toml", written: true, tag: "v1.3.0rc0" });
    expect(read(dir, "pyproject.toml")).toBe(before.replace("version = '1.2.3'   # bumped", "version = '1.3.0rc0'   # bumped"));
  });

  it("keeps CRLF line endings", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const crlf = read(dir, "pyproject.toml").replace(/\n/g, "\r\n");
    writeFileSync(join(dir, "pyproject.toml"), crlf);
    expect((await bump(dir, "patch")).code).toBe(0);
    expect(read(dir, "pyproject.toml")).toBe(crlf.replace("version = '1.2.3'   #", "version = '1.2.4'   #"));
  });

  it("Poetry: [tool.poetry] version, not [tool.commitizen] version", async () => {
    const dir = projectCopy("poetry", { git: false });
    const before = read(dir, "pyproject.toml");
    expect((await bump(dir, "major")).json).toMatchObject({ previous: "1.4.0", version: "2.0.0", source: "poetry" });
    expect(read(dir, "pyproject.toml")).toBe(before.replace('version = "1.4.0"', 'version = "2.0.0"'));
  });

  it.each([
    ["hatch-path", "src/hatch_path_demo/__about__.py", "'2.3.4'", "'2.3.5'", "2.3.5"],
    ["setuptools-attr", "src/attr_demo/__init__.py", '"0.5.0"', '"0.5.1"', "0.5.1"],
    ["setuptools-file", "VERSION", "3.1.4\n", "3.1.5\n", "3.1.5"],
  ])("%s: only the version in %s", async (fixture, file, from, to, version) => {
    const dir = projectCopy(fixture, { git: false });
    const before = read(dir, file);
    const pyproject = read(dir, "pyproject.toml");
    const run = await bump(dir, "patch");
    expect(run.json).toMatchObject({ version, file });
    expect(read(dir, file)).toBe(before.replace(from, to));
    expect(read(dir, "pyproject.toml")).toBe(pyproject);
  });

  it("prints old -> new and the next steps (commit, tag, push)", async () => {
    const dir = exampleRepo("hatch-static");
    const run = await runVersionUtil(["bump", "minor", "--project", dir], { env: testEnv() });
    expect(run.stdout).toBe(
      [
        "0.1.0 -> 0.2.0",
        "wrote pyproject.toml",
        "next steps:",
        '  git commit -m "Release 0.2.0" -- pyproject.toml',
        "  git tag v0.2.0",
        "  git push origin HEAD v0.2.0",
        "",
      ].join("\n"),
    );
    expect((await runVersionUtil(["current", "--project", dir, "--json"], { env: testEnv() })).json.version).toBe("0.2.0");
  });

  it("--dry-run writes nothing", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const before = read(dir, "pyproject.toml");
    const run = await bump(dir, "major", "--dry-run");
    expect(run.json).toMatchObject({ version: "2.0.0", written: false, dryRun: true });
    expect(read(dir, "pyproject.toml")).toBe(before);
  });

  it("scm projects: exit 0, nothing changed, the tag to create printed", async () => {
    const dir = exampleRepo("scm-dynamic");
    tag(dir, "v0.3.1");
    const before = read(dir, "pyproject.toml");
    const run = await runVersionUtil(["bump", "minor", "--project", dir], { env: testEnv() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("0.3.1 -> 0.4.0");
    expect(run.stdout).toContain("git tag v0.4.0");
    expect(read(dir, "pyproject.toml")).toBe(before);
  });
});

describe("bump: how the file is replaced", () => {
  it("a symlinked pyproject.toml stays a symlink; its target gets the new version", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const target = join(dir, "real-pyproject.toml");
    renameSync(join(dir, "pyproject.toml"), target);
    symlinkSync("real-pyproject.toml", join(dir, "pyproject.toml"));
    expect((await bump(dir, "patch")).code).toBe(0);
    expect(lstatSync(join(dir, "pyproject.toml")).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toContain("version = '1.2.4'");
  });

  it("keeps the file's mode", async () => {
    const dir = projectCopy("rich-static", { git: false });
    chmodSync(join(dir, "pyproject.toml"), 0o640);
    await bump(dir, "patch");
    expect(statSync(join(dir, "pyproject.toml")).mode & 0o777).toBe(0o640);
  });
});

describe("bump: bad input", () => {
  it("an unwritable file: exit 2 and nothing half written", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const file = join(dir, "pyproject.toml");
    const before = read(dir, "pyproject.toml");
    chmodSync(file, 0o444);
    const run = await bump(dir, "patch");
    expect([run.code, run.json.error.code]).toEqual([2, "VU_WRITE_FAILED"]);
    expect(run.json.error.message).toContain("nothing was changed");
    expect(read(dir, "pyproject.toml")).toBe(before);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("an unknown segment and a lower explicit version: exit 1 with the accepted segments", async () => {
    const dir = projectCopy("rich-static", { git: false });
    const unknown = await bump(dir, "bigger");
    expect([unknown.code, unknown.json.error.code]).toEqual([1, "VU_BAD_BUMP"]);
    expect(unknown.json.error.hint).toContain("minor,rc");
    const lower = await bump(dir, "1.0.0");
    expect(lower.json.error.message).toBe("version 1.0.0 is not higher than the current version 1.2.3");
  });

  it("a version the editor cannot place safely is refused, not guessed", () => {
    const text = '[project]\nname = "x"\nversion = "1.0"\n[project]\nversion = "2.0"\n';
    expect(() => setTomlVersion(text, ["project"], "1.1", "pyproject.toml")).toThrow(/cannot find exactly one \[project\] version/);
    const inline = 'project = { name = "x", version = "1.0" }\n';
    expect(() => setTomlVersion(inline, ["project"], "1.1", "pyproject.toml")).toThrow(expect.objectContaining({ code: "VU_EDIT_FAILED" }));
  });
});
