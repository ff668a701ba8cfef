import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions } from "../src/index.js";
import { writeSdist, writeWheel } from "./support/generate.js";
import { toolsPython } from "./support/run.js";

const check = (dir: string, paths = [dir]) => checkDistributions({ paths, cwd: dir, env: process.env, python: toolsPython() });
const codes = (r: Awaited<ReturnType<typeof check>>) => r.findings.map((f) => `${f.file}: ${f.code}`);

describe("the set of files", () => {
  it("refuses an empty directory (exit 1, not usage)", async () => {
    const dir = tempDir("dc-empty-");
    const result = await check(dir);
    expect(codes(result)).toEqual([".: DC_NO_FILES"]);
    expect(result.ok).toBe(false);
  });

  it("lists and refuses anything besides .whl and .tar.gz, and reports a legacy .zip sdist", async () => {
    const dir = tempDir("dc-other-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl");
    writeFileSync(join(dir, "notes.txt"), "x");
    writeFileSync(join(dir, "demo_pkg-1.0.0.zip"), "x");
    mkdirSync(join(dir, "build"));
    const result = await check(dir);
    expect(codes(result)).toEqual(["build: DC_NOT_DISTRIBUTION", "demo_pkg-1.0.0.zip: DC_LEGACY_ZIP_SDIST", "notes.txt: DC_NOT_DISTRIBUTION"]);
  });

  it("refuses two sdists and files of different versions or projects", async () => {
    const dir = tempDir("dc-mixed-");
    writeSdist(dir, "demo_pkg-1.0.0.tar.gz");
    writeSdist(dir, "demo_pkg-1.0.1.tar.gz", { fields: { Version: "1.0.1" }, top: "demo_pkg-1.0.1" });
    writeWheel(dir, "other-2.0-py3-none-any.whl", { fields: { Name: "other", Version: "2.0" }, distInfo: "other-2.0.dist-info" });
    const result = await check(dir);
    expect(codes(result)).toEqual([".: DC_MULTIPLE_SDISTS", ".: DC_MIXED_RELEASE", ".: DC_MIXED_RELEASE"]);
    expect(result.findings.map((f) => f.message).join("\n")).toContain("demo-pkg, other");
  });

  it("reports a file that cannot be opened (a dangling link) instead of failing", async () => {
    const dir = tempDir("dc-unreadable-");
    symlinkSync(join(dir, "gone.whl"), join(dir, "demo_pkg-1.0.0-py3-none-any.whl"));
    const result = await check(dir);
    expect(codes(result)).toEqual(["demo_pkg-1.0.0-py3-none-any.whl: DC_UNREADABLE"]);
  });

  it("names a file with spaces or non-ASCII characters and still checks its content", async () => {
    const dir = tempDir("dc-names-");
    writeWheel(dir, "demo pkg-1.0.0-py3-none-any.whl");
    writeSdist(dir, "démo_pkg-1.0.0.tar.gz");
    const result = await check(dir);
    expect(codes(result)).toContain("demo pkg-1.0.0-py3-none-any.whl: DC_FILENAME_INVALID");
    expect(codes(result)).toContain("démo_pkg-1.0.0.tar.gz: DC_FILENAME_INVALID");
    expect(result.files.map((f) => f.filename).sort()).toEqual(["demo pkg-1.0.0-py3-none-any.whl", "démo_pkg-1.0.0.tar.gz"]);
  });

  it("refuses a wheel name over 246 characters (PyPI adds .metadata to it) and takes one of 246", async () => {
    const dir = tempDir("dc-long-");
    const named = (length: number) => `demo_pkg-1.0.0-1${"b".repeat(length - "demo_pkg-1.0.0-1-py3-none-any.whl".length)}-py3-none-any.whl`;
    writeWheel(dir, named(247));
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.message}`)).toEqual([expect.stringMatching(/^DC_FILENAME_INVALID the file name is 247 characters long; PyPI refuses a wheel name over 246/)]);
    const ok = tempDir("dc-long-ok-");
    writeWheel(ok, named(246));
    expect((await check(ok)).findings).toEqual([]);
  });

  it("accepts members with unicode names and spaces inside a wheel", async () => {
    const dir = tempDir("dc-members-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files: { "demo_pkg/__init__.py": "", "demo_pkg/données/été 2024.txt": "x\n" } });
    const result = await check(dir);
    expect(result.findings).toEqual([]);
  });

  it("reads long (pax) and unicode member names in an sdist", async () => {
    const dir = tempDir("dc-pax-");
    const long = `demo_pkg-1.0.0/src/demo_pkg/${"deeply/".repeat(20)}module.py`;
    writeSdist(dir, "demo_pkg-1.0.0.tar.gz", { mutate: (e) => [...e, { name: long, data: "x = 1\n" }, { name: "demo_pkg-1.0.0/données été.txt", data: "x\n" }] });
    const result = await check(dir);
    expect(result.findings).toEqual([]);
    writeSdist(dir, "demo_pkg-1.0.0.tar.gz", { mutate: (e) => [...e, { name: `demo_pkg-1.0.0/${"../".repeat(40)}etc/evil`, data: "x" }] });
    expect(codes(await check(dir))).toContain("demo_pkg-1.0.0.tar.gz: DC_UNSAFE_PATH");
  });

  it("folds many findings of one code into one line", async () => {
    const dir = tempDir("dc-fold-");
    const files = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`demo_pkg/m${i}.py`, `x = ${i}\n`]));
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files, mutateRecord: (lines) => lines.map((l) => l.replace(/sha256=[^,]+/, "sha256=AAAA")) });
    const result = await check(dir);
    const mismatches = result.findings.filter((f) => f.code === "DC_RECORD_HASH_MISMATCH");
    expect(mismatches).toHaveLength(21);
    expect(mismatches.at(-1)?.message).toMatch(/and 3\d more DC_RECORD_HASH_MISMATCH findings/);
  });
});
