import { execFileSync } from "node:child_process";
import { chmodSync, lstatSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, pythonTools, tag, tempDir, writeTree } from "@pypi-workflows/testkit";
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

/** A project whose version is declared in two places that must agree. */
function twoDeclarations(files: Record<string, string> = {}): string {
  const dir = tempDir("vu-two-");
  writeTree(dir, {
    "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"  # release\n',
    "src/demo/__init__.py": '"""Demo."""\n__version__ = "1.0.0"\n',
    ...files,
  });
  return dir;
}

describe("bump keeps every declaration that must agree in step", () => {
  it("[project] version and a literal __version__: both written, and current accepts the result", async () => {
    const dir = twoDeclarations();
    const run = await runVersionUtil(["bump", "patch", "--project", dir], { env: testEnv() });
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toContain("wrote pyproject.toml, src/demo/__init__.py\n");
    expect(run.stdout).toContain('git commit -m "Release 1.0.1" -- pyproject.toml src/demo/__init__.py');
    expect(read(dir, "pyproject.toml")).toBe('[project]\nname = "demo"\nversion = "1.0.1"  # release\n');
    expect(read(dir, "src/demo/__init__.py")).toBe('"""Demo."""\n__version__ = "1.0.1"\n');
    const after = await runVersionUtil(["current", "--project", dir, "--json"], { env: testEnv() });
    expect([after.code, after.json.version]).toEqual([0, "1.0.1"]);
  });

  it("[project] and [tool.poetry] version: both written, nothing else; --dry-run names both and writes nothing", async () => {
    const pyproject = '[project]\nname = "demo"\nversion = "1.0.0"\n\n[tool.poetry]\nversion = "1.0.0"\n\n[tool.commitizen]\nversion = "1.0.0"\n';
    const dir = twoDeclarations({ "pyproject.toml": pyproject });
    const dry = await bump(dir, "minor", "--dry-run");
    expect(dry.json).toMatchObject({ file: "pyproject.toml", files: ["pyproject.toml", "src/demo/__init__.py"], written: false });
    expect([read(dir, "pyproject.toml"), read(dir, "src/demo/__init__.py")]).toEqual([pyproject, '"""Demo."""\n__version__ = "1.0.0"\n']);
    const run = await bump(dir, "minor");
    expect(run.json).toMatchObject({ version: "1.1.0", files: ["pyproject.toml", "src/demo/__init__.py"], written: true });
    expect(read(dir, "pyproject.toml")).toBe(pyproject.replace('version = "1.0.0"', 'version = "1.1.0"').replace('version = "1.0.0"', 'version = "1.1.0"'));
    expect((await runVersionUtil(["current", "--project", dir, "--json"], { env: testEnv() })).json.version).toBe("1.1.0");
  });

  it("a second declaration the editor cannot place: exit 1, no file written", async () => {
    const pyproject = '[project]\nname = "demo"\nversion = "1.0.0"\n\n[tool]\npoetry = { version = "1.0.0" }\n';
    const dir = twoDeclarations({ "pyproject.toml": pyproject });
    const run = await bump(dir, "patch");
    expect([run.code, run.json.error.code]).toEqual([1, "VU_EDIT_FAILED"]);
    expect(run.json.error.message).toContain("[tool.poetry] version in pyproject.toml");
    expect([read(dir, "pyproject.toml"), read(dir, "src/demo/__init__.py")]).toEqual([pyproject, '"""Demo."""\n__version__ = "1.0.0"\n']);
  });

  it("a second file that cannot be written: exit 2, neither file changed, no temp file left", async () => {
    const dir = twoDeclarations();
    chmodSync(join(dir, "src/demo/__init__.py"), 0o444);
    const run = await bump(dir, "patch");
    expect([run.code, run.json.error.code]).toEqual([2, "VU_WRITE_FAILED"]);
    expect(run.json.error.message).toContain("src/demo/__init__.py: the file is read-only; nothing was changed");
    expect(read(dir, "pyproject.toml")).toBe('[project]\nname = "demo"\nversion = "1.0.0"  # release\n');
    expect(read(dir, "src/demo/__init__.py")).toBe('"""Demo."""\n__version__ = "1.0.0"\n');
    expect([...readdirSync(dir), ...readdirSync(join(dir, "src/demo"))].filter((f) => f.endsWith(".tmp"))).toEqual([]);
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

  it("triple quotes inside ordinary strings and comments open no multi-line string", async () => {
    const dir = tempDir("vu-quotes-");
    const pyproject = [
      "[project]",
      `description = "uses triple ''' quotes"`,
      "name = 'say \"\"\"hi\"\"\"'  # and a comment with ''' in it",
      'readme = """escaped \\""" inside, closed with an extra quote""""',
      "extra = [",
      '  ["nested", "array"]',
      "]",
      'version = "1.0.0"',
      "",
      "[tool.other]",
      'version = "1.0.0"',
      "",
    ].join("\n");
    writeTree(dir, { "pyproject.toml": pyproject });
    const run = await bump(dir, "patch");
    expect([run.code, run.json.version]).toEqual([0, "1.0.1"]);
    expect(read(dir, "pyproject.toml")).toBe(pyproject.replace('version = "1.0.0"', 'version = "1.0.1"'));
    const tomllib = execFileSync(pythonTools().python, ["-c", "import sys, tomllib; print(tomllib.load(open(sys.argv[1], 'rb'))['project']['version'])", join(dir, "pyproject.toml")]);
    expect(tomllib.toString().trim()).toBe("1.0.1");
  });

  it("a version the editor cannot place safely is refused, not guessed", () => {
    const text = '[project]\nname = "x"\nversion = "1.0"\n[project]\nversion = "2.0"\n';
    expect(() => setTomlVersion(text, ["project"], "1.1", "pyproject.toml")).toThrow(/cannot find exactly one \[project\] version/);
    const inline = 'project = { name = "x", version = "1.0" }\n';
    expect(() => setTomlVersion(inline, ["project"], "1.1", "pyproject.toml")).toThrow(expect.objectContaining({ code: "VU_EDIT_FAILED" }));
  });
});
