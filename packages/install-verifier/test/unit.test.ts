import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { IndexUnauthorizedError, IndexUnreachableError, type ProjectFiles } from "@pypi-workflows/index-client";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, test } from "vitest";
import {
  buildWheelArgv,
  chooseInstaller,
  ERROR_CODES,
  evaluatePage,
  findOnPath,
  findVersions,
  installArgv,
  parseEntryPointArgs,
  parseInstaller,
  parseTimeout,
  pipSupportsPythonOption,
  readManifest,
  sameVersion,
  venvLayout,
  waitForRelease,
  type Clock,
  type Installer,
} from "../src/index.js";
import { shellArgv } from "../src/checks.js";
import { checkEnv, installerEnv } from "../src/process-env.js";
import { uvBesidePython } from "../src/venv-layout.js";

describe("virtual environment layouts", () => {
  test("Linux and macOS: bin/", () => {
    const layout = venvLayout("/tmp/w/venv", "linux");
    expect(layout).toMatchObject({ binDir: "/tmp/w/venv/bin", python: "/tmp/w/venv/bin/python" });
    expect(layout.script("mytool")).toBe("/tmp/w/venv/bin/mytool");
    expect(layout.pathWith("/usr/bin:/bin")).toBe("/tmp/w/venv/bin:/usr/bin:/bin");
    expect(uvBesidePython("/opt/tools/bin/python", "darwin")).toBe("/opt/tools/bin/uv");
  });

  test("Windows: Scripts\\ and .exe", () => {
    const layout = venvLayout("C:\\Temp\\w\\venv", "win32");
    expect(layout).toMatchObject({ binDir: "C:\\Temp\\w\\venv\\Scripts", python: "C:\\Temp\\w\\venv\\Scripts\\python.exe" });
    expect(layout.script("mytool")).toBe("C:\\Temp\\w\\venv\\Scripts\\mytool.exe");
    expect(layout.pathWith("C:\\Windows;C:\\Python")).toBe("C:\\Temp\\w\\venv\\Scripts;C:\\Windows;C:\\Python");
    expect(uvBesidePython("C:\\tools\\Scripts\\python.exe", "win32")).toBe("C:\\tools\\Scripts\\uv.exe");
  });

  test("--smoke goes through the platform's shell", () => {
    expect(shellArgv("mytool --check | grep ok", "linux")).toEqual(["/bin/sh", "-c", "mytool --check | grep ok"]);
    expect(shellArgv("mytool --check", "win32")).toEqual(["cmd.exe", "/d", "/s", "/c", "mytool --check"]);
  });

  test("findOnPath finds executable files only", () => {
    const dir = tempDir("iv-path-");
    mkdirSync(join(dir, "a", "uv"), { recursive: true }); // a directory named uv is not a program
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "b", "uv"), "#!/bin/sh\n");
    expect(findOnPath("uv", { PATH: `${join(dir, "a")}:${join(dir, "b")}` }, "linux")).toBeUndefined();
    chmodSync(join(dir, "b", "uv"), 0o755);
    expect(findOnPath("uv", { PATH: `${join(dir, "a")}:${join(dir, "b")}` }, "linux")).toBe(join(dir, "b", "uv"));
  });
});

describe("options", () => {
  test("--entry-point-args SCRIPT=ARGS", () => {
    expect(parseEntryPointArgs(["tool=--help", "other=--version --verbose", "quiet="])).toEqual({
      tool: ["--help"],
      other: ["--version", "--verbose"],
      quiet: [],
    });
    expect(() => parseEntryPointArgs(["--help"])).toThrow('--entry-point-args "--help" is not SCRIPT=ARGS');
    expect(() => parseEntryPointArgs(["=--help"])).toThrow("is not SCRIPT=ARGS");
  });

  test("--timeout and --installer", () => {
    expect(parseTimeout(undefined, 1200)).toBe(1200);
    expect(parseTimeout("2.5", 1200)).toBe(2.5);
    for (const bad of ["0", "-1", "soon", ""]) expect(() => parseTimeout(bad, 1200)).toThrow("is not a positive number of seconds");
    expect(parseInstaller(undefined)).toBe("auto");
    expect(() => parseInstaller("conda")).toThrow('--installer "conda" is not uv, pip or auto');
  });
});

describe("versions in output", () => {
  test("finds PEP 440 versions and compares them as PEP 440", () => {
    expect(findVersions("mytool 1.2.3 (Python 3.11.7)")).toEqual(["1.2.3", "3.11.7"]);
    expect(findVersions("mytool, version 2.0.0rc1.")).toEqual(["2.0.0rc1"]);
    expect(findVersions("v1.0.dev3")).toEqual(["v1.0.dev3"]);
    expect(findVersions("usage: mytool [-h] 3 files")).toEqual([]);
    // Glued to the name by a hyphen, as some tools print it; a platform tag is not a version.
    expect(findVersions("mytool-0.9.0")).toEqual(["0.9.0"]);
    expect(findVersions("mytool-v1.0.0rc1 (Python 3.12.1).")).toEqual(["v1.0.0rc1", "3.12.1"]);
    expect(findVersions("mytool-0.9.0.")).toEqual(["0.9.0"]);
    expect(findVersions("built for macosx-10.9-x86_64 and linux-x86_64")).toEqual([]);
    expect(findVersions("mytool-1.0-py3-none-any.whl")).toEqual([]);
    expect(sameVersion("1.0", "1.0.0")).toBe(true);
    expect(sameVersion("v1.0.0-RC.1", "1.0.0rc1")).toBe(true);
    expect(sameVersion("1.0.1", "1.0.0")).toBe(false);
  });
});

const python = { executable: "/py/bin/python3", version: "3.12.1", pipVersion: "24.0" };
const layout = venvLayout("/w/venv", "linux");

describe("installer command lines", () => {
  const pip: Installer = { kind: "pip", python, uv: undefined, seedPip: false, command: (l) => [python.executable, "-m", "pip", "--python", l.python, "install"] };
  const uv: Installer = { kind: "uv", python, uv: "/bin/uv", seedPip: false, command: (l) => ["/bin/uv", "pip", "install", "--python", l.python] };

  test("the package alone from one index, no cache, hashes pinned", () => {
    const request = { requirements: [], noDeps: true, indexUrl: "https://test.example/simple/", noCache: true, hashedRequirementsFile: "/w/req.txt" };
    expect(installArgv(pip, layout, request)).toEqual([
      "/py/bin/python3", "-m", "pip", "--python", "/w/venv/bin/python", "install", "--no-deps", "--index-url", "https://test.example/simple/",
      "--no-cache-dir", "--no-compile", "--no-warn-script-location", "--require-hashes", "-r", "/w/req.txt",
    ]);
    expect(installArgv(uv, layout, request)).toEqual([
      "/bin/uv", "pip", "install", "--python", "/w/venv/bin/python", "--no-deps", "--index-url", "https://test.example/simple/", "--no-cache",
      "--require-hashes", "-r", "/w/req.txt",
    ]);
  });

  test("built files: --no-index with find-links, wheels only", () => {
    expect(installArgv(uv, layout, { requirements: ["pkg==1.0"], noDeps: true, findLinks: "/dist", onlyBinary: true })).toEqual([
      "/bin/uv", "pip", "install", "--python", "/w/venv/bin/python", "--no-deps", "--no-index", "--find-links", "/dist", "--only-binary", ":all:", "pkg==1.0",
    ]);
  });

  test("building a wheel from the sdist", () => {
    const request = { sdist: "/d/pkg-1.0.tar.gz", outDir: "/w/out", noBuildIsolation: true, indexUrl: "https://deps.example/simple/" };
    expect(buildWheelArgv(pip, request)).toEqual([
      "/py/bin/python3", "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "/w/out", "--index-url", "https://deps.example/simple/", "--no-build-isolation", "/d/pkg-1.0.tar.gz",
    ]);
    expect(buildWheelArgv(uv, { ...request, noBuildIsolation: false })).toEqual([
      "/bin/uv", "build", "--wheel", "--quiet", "--python", "/py/bin/python3", "--out-dir", "/w/out", "--index-url", "https://deps.example/simple/", "/d/pkg-1.0.tar.gz",
    ]);
  });

  test("auto picks uv on PATH or beside the interpreter, else the host pip; a pip-less host seeds the venv's pip", () => {
    const dir = tempDir("iv-choose-");
    mkdirSync(join(dir, "tools", "bin"), { recursive: true });
    mkdirSync(join(dir, "empty"));
    writeFileSync(join(dir, "tools", "bin", "uv"), "#!/bin/sh\n", { mode: 0o755 });
    const beside = { executable: join(dir, "tools", "bin", "python"), version: "3.12.1", pipVersion: "24.0" };
    const noPath = { PATH: join(dir, "empty") };
    expect(chooseInstaller("auto", beside, noPath, "linux")).toMatchObject({ kind: "uv", uv: join(dir, "tools", "bin", "uv") });
    expect(chooseInstaller("auto", python, { PATH: join(dir, "tools", "bin") }, "linux")).toMatchObject({ kind: "uv" });
    expect(chooseInstaller("auto", python, noPath, "linux")).toMatchObject({ kind: "pip", seedPip: false });
    expect(chooseInstaller("pip", beside, noPath, "linux")).toMatchObject({ kind: "pip" });
    const pipless = chooseInstaller("pip", { ...python, pipVersion: "21.0" }, noPath, "linux");
    expect(pipless.seedPip).toBe(true);
    expect(installArgv(pipless, layout, { requirements: ["x"] })).toEqual(["/w/venv/bin/python", "-m", "pip", "install", "--no-index", "--no-compile", "--no-warn-script-location", "x"]);
    expect(() => chooseInstaller("uv", python, noPath, "linux")).toThrow("--installer uv: uv is neither on PATH nor beside the interpreter");
  });

  test("host pip needs --python support (pip 22.3)", () => {
    expect(pipSupportsPythonOption("22.2.2")).toBe(false);
    expect(pipSupportsPythonOption("22.3")).toBe(true);
    expect(pipSupportsPythonOption("26.3")).toBe(true);
    expect(pipSupportsPythonOption(undefined)).toBe(false);
  });

  test("the installers' environment carries no index settings; checks run as if activated", () => {
    const env = installerEnv({ PATH: "/usr/bin", PIP_EXTRA_INDEX_URL: "https://evil/", UV_INDEX_URL: "https://evil/", UV_EXTRA_INDEX_URL: "x", PIP_FIND_LINKS: "/x", PYTHONPATH: "/src", PIP_CERT: "/ca.pem", UV_CACHE_DIR: "/c" });
    expect(env).toMatchObject({ PATH: "/usr/bin", PIP_CERT: "/ca.pem", UV_CACHE_DIR: "/c", UV_NO_CONFIG: "1", PIP_DISABLE_PIP_VERSION_CHECK: "1" });
    for (const key of ["PIP_EXTRA_INDEX_URL", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PYTHONPATH"]) expect(env).not.toHaveProperty(key);
    expect(checkEnv({ PATH: "/usr/bin", PYTHONHOME: "/x" }, layout)).toEqual({ PATH: "/w/venv/bin:/usr/bin", VIRTUAL_ENV: "/w/venv", PYTHONDONTWRITEBYTECODE: "1" });
    const windows = venvLayout("C:\\w\\venv", "win32");
    expect(checkEnv({ Path: "C:\\Windows" }, windows)).toMatchObject({ Path: "C:\\w\\venv\\Scripts;C:\\Windows" });
  });
});

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    now += ms;
  };
  return { sleeps, now: () => now, sleep };
}

const file = (filename: string, sha256?: string) => ({ filename, url: `https://i/${filename}`, yanked: false, ...(sha256 ? { sha256 } : {}) });
const page = (...files: ReturnType<typeof file>[]): ProjectFiles => ({ found: true, files });

describe("waiting for the index", () => {
  test("backs off exponentially up to the cap and never past the timeout", async () => {
    const clock = fakeClock();
    const result = await waitForRelease({ simpleUrl: "https://i/simple/", name: "pkg", version: "1.0", timeoutMs: 100_000, maxDelayMs: 16_000, clock, list: async () => page(file("pkg-0.9.tar.gz")) });
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 16_000, 16_000, 16_000, 16_000, 5000]);
    expect(result).toMatchObject({ published: false, code: "IV_NOT_PUBLISHED", attempts: 11, detail: "no file of version 1.0 listed; versions listed: 0.9" });
  });

  test("succeeds when the file appears; an unreachable spell in between is waited out", async () => {
    const clock = fakeClock();
    const answers: (() => ProjectFiles)[] = [
      () => ({ found: false, files: [] }),
      () => { throw new IndexUnreachableError("https://i/simple/pkg/", "HTTP 503"); },
      () => page(file("pkg-1.0.0-py3-none-any.whl"), file("other-1.0.tar.gz")),
    ];
    const result = await waitForRelease({ simpleUrl: "https://i/simple/", name: "pkg", version: "1.0", timeoutMs: 60_000, clock, list: async () => answers.shift()!() });
    expect(result).toMatchObject({ published: true, attempts: 3, detail: "listed: pkg-1.0.0-py3-none-any.whl" });
  });

  test("an index that never answers is an environment error after the timeout", async () => {
    const clock = fakeClock();
    const wait = waitForRelease({ simpleUrl: "https://i/simple/", name: "pkg", version: "1.0", timeoutMs: 5000, clock, list: async () => { throw new IndexUnreachableError("https://i/simple/pkg/", "ECONNREFUSED"); } });
    await expect(wait).rejects.toMatchObject({ code: "IV_INDEX_UNREACHABLE", exitCode: 2, message: "the index did not answer in 5 s (4 attempts): cannot read https://i/simple/pkg/: ECONNREFUSED" });
  });

  test("a refusal (401) is not waited out", async () => {
    const clock = fakeClock();
    const wait = waitForRelease({ simpleUrl: "https://i/simple/", name: "pkg", version: "1.0", timeoutMs: 5000, clock, list: async () => { throw new IndexUnauthorizedError("https://i/simple/pkg/", 401); } });
    // install-verifier sends no credentials: its own code says so (index-client's hint would ask for some).
    await expect(wait).rejects.toMatchObject({ code: "IV_INDEX_UNAUTHORIZED", exitCode: 2 });
    expect(clock.sleeps).toEqual([]);
  });

  test("manifest files: all listed with their sha256; other bytes fail at once", () => {
    const expected = [{ filename: "pkg-1.0-py3-none-any.whl", sha256: "a".repeat(64) }, { filename: "pkg-1.0.tar.gz", sha256: "b".repeat(64) }];
    const options = { name: "pkg", version: "1.0", expected };
    expect(evaluatePage(page(file("pkg-1.0-py3-none-any.whl", "a".repeat(64))), options)).toMatchObject({ published: false, detail: "not listed yet: pkg-1.0.tar.gz" });
    expect(evaluatePage(page(file("pkg-1.0-py3-none-any.whl", "a".repeat(64)), file("pkg-1.0.tar.gz", "c".repeat(64))), options)).toMatchObject({
      published: false,
      code: "IV_SHA_MISMATCH",
    });
    expect(evaluatePage(page(file("pkg-1.0-py3-none-any.whl", "a".repeat(64)), file("pkg-1.0.tar.gz", "b".repeat(64))), options)).toMatchObject({ published: true });
  });

  test("manifest files listed without a sha256: downloaded and hashed before they count as published", async () => {
    const expected = [{ filename: "pkg-1.0-py3-none-any.whl", sha256: "a".repeat(64) }];
    const listing = page(file("pkg-1.0-py3-none-any.whl"));
    expect(evaluatePage(listing, { name: "pkg", version: "1.0", expected })).toMatchObject({ published: false, toHash: [{ filename: "pkg-1.0-py3-none-any.whl", url: "https://i/pkg-1.0-py3-none-any.whl" }] });
    const poll = (sha: string) => waitForRelease({ simpleUrl: "https://i/simple/", name: "pkg", version: "1.0", expected, timeoutMs: 5000, clock: fakeClock(), list: async () => listing, hashFile: async () => sha });
    expect(await poll("a".repeat(64))).toMatchObject({ published: true, attempts: 1 });
    expect(await poll("d".repeat(64))).toMatchObject({ published: false, code: "IV_SHA_MISMATCH", detail: `other bytes on the index: pkg-1.0-py3-none-any.whl: downloaded ${"d".repeat(64)}, manifest ${"a".repeat(64)}` });
  });

  test("with saveDir, the poll keeps what it downloads and lists the files whose sha256 it checked", async () => {
    const expected = [{ filename: "pkg-1.0.tar.gz", sha256: "a".repeat(64) }];
    const saveTo: (string | undefined)[] = [];
    const poll = (sha: string) =>
      waitForRelease({
        simpleUrl: "https://i/simple/",
        name: "pkg",
        version: "1.0",
        expected,
        timeoutMs: 5000,
        clock: fakeClock(),
        list: async () => page(file("pkg-1.0.tar.gz")),
        hashFile: async (_url, o) => {
          saveTo.push(o.saveTo);
          return sha;
        },
        saveDir: "/work/downloads",
      });
    expect(await poll("a".repeat(64))).toMatchObject({ published: true, saved: [{ filename: "pkg-1.0.tar.gz", path: "/work/downloads/pkg-1.0.tar.gz", sha256: "a".repeat(64) }] });
    const wrong = await poll("d".repeat(64));
    expect(wrong).toMatchObject({ published: false, code: "IV_SHA_MISMATCH" });
    expect(wrong.saved).toBeUndefined();
    expect(saveTo).toEqual(["/work/downloads/pkg-1.0.tar.gz", "/work/downloads/pkg-1.0.tar.gz"]);
  });
});

describe("manifest", () => {
  test("rejects what is not dist-check's manifest (index-client's reader: exit 2)", async () => {
    const dir = tempDir("iv-manifest-");
    await expect(readManifest(join(dir, "missing.json"))).rejects.toThrow(/cannot read the manifest/);
    writeFileSync(join(dir, "bad.json"), "{");
    await expect(readManifest(join(dir, "bad.json"))).rejects.toMatchObject({ code: "MANIFEST_INVALID", exitCode: 2 });
    writeFileSync(join(dir, "empty.json"), JSON.stringify({ name: "p", version: "1", files: [] }));
    await expect(readManifest(join(dir, "empty.json"))).rejects.toThrow(/is not a dist-check manifest/);
  });
});

describe("error catalog", () => {
  test("every IV_ code used in src/ is in ERROR_CODES, with a summary and a fix", () => {
    const srcDir = fileURLToPath(new URL("../src/", import.meta.url));
    const used = new Set<string>();
    for (const name of readdirSync(srcDir)) {
      for (const match of readFileSync(join(srcDir, name), "utf8").matchAll(/\bIV_[A-Z_]+\b/g)) used.add(match[0]);
    }
    expect(used.size).toBeGreaterThan(10);
    for (const code of used) expect(ERROR_CODES, code).toHaveProperty(code);
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(entry.summary.length, code).toBeGreaterThan(20);
      expect(entry.fix.length, code).toBeGreaterThan(20);
    }
  });
});
