import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pythonTools, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, test } from "vitest";
import { buildFixtures, type BuiltFixture, type FixtureName } from "./helpers/fixtures.js";
import { failedStep, runVerifier, verifyJson } from "./helpers/run.js";

// Before publishing: `verify --dist DIR` with real venvs, the real host pip and the real uv.
let built: Record<Exclude<FixtureName, "with-dep" | "dep-only" | "sdist-only">, BuiltFixture>;

beforeAll(async () => {
  built = await buildFixtures(["good", "import-error", "missing-data", "crash-script", "missing-target", "wrong-version", "namespace", "glued-version"]);
});

const installers = ["pip", "uv"] as const;

describe.concurrent("verify --dist", () => {
  test.for(installers)("a good package passes every check with %s", async (installer, { expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built.good.distDir, "--installer", installer]);
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ mode: "dist", name: "iv-good", version: "1.0.0", installer, installable: true, ok: true, failed: [] });
    expect(report.published).toBeUndefined();
    const names = report.steps.map((s) => `${s.status} ${s.name}`);
    expect(names).toEqual(
      expect.arrayContaining([
        `ok wheel: create environment (${installer})`,
        "ok wheel: install iv_good-1.0.0-py3-none-any.whl (--no-deps)",
        "skipped wheel: install dependencies",
        "ok wheel: version",
        "ok wheel: import iv_good",
        "ok wheel: run iv-good --version",
        "ok wheel: run iv-good-gui --version",
      ]),
    );
    // The interpreter is the real one (sys.executable), and every step carries its time.
    expect(report.python.executable).toBe(pythonTools().python);
    expect(report.steps.every((s) => Number.isInteger(s.durationMs) && s.durationMs >= 0)).toBe(true);
  });

  test.for(installers)("an error at import time fails the import step with the traceback (%s)", async (installer, { expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built["import-error"].distDir, "--installer", installer]);
    expect(exitCode).toBe(1);
    expect(report.installable).toBe(true);
    expect(report.failed).toEqual(["wheel: import iv_import_error"]);
    const step = failedStep(report)!;
    expect(step.code).toBe("IV_IMPORT_FAILED");
    expect(step.output).toContain("Traceback (most recent call last)");
    expect(step.output).toContain("RuntimeError: iv-import-error is broken at import time");
  });

  test.for(installers)("--sdist catches package data missing from the sdist (%s)", async (installer, { expect }) => {
    const args = ["--dist", built["missing-data"].distDir, "--sdist", "--no-build-isolation", "--installer", installer];
    const { exitCode, report } = await verifyJson(args);
    expect(exitCode).toBe(1);
    const status = (name: string) => report.steps.find((s) => s.name === name)?.status;
    expect(status("wheel: import iv_missing_data")).toBe("ok");
    expect(status("sdist: build a wheel from iv_missing_data-1.0.0.tar.gz")).toBe("ok");
    expect(report.failed).toEqual(["sdist: import iv_missing_data"]);
    expect(failedStep(report)!.output).toMatch(/FileNotFoundError: .*greeting\.txt/);
  });

  test("inside a namespace package, its packages and modules are imported", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built.namespace.distDir, "--installer", "uv"]);
    expect(exitCode).toBe(1);
    const imports = report.steps.filter((s) => s.name.startsWith("wheel: import")).map((s) => `${s.status} ${s.name}`);
    expect(imports).toEqual(["ok wheel: import ivns.helper", "failed wheel: import ivns.plugin"]);
    expect(failedStep(report)!.output).toContain("ModuleNotFoundError: No module named 'ivns.plugin.missing_module'");
  });

  test("a console script that crashes fails its step with the traceback", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built["crash-script"].distDir, "--installer", "pip"]);
    expect(exitCode).toBe(1);
    expect(report.failed).toEqual(["wheel: run iv-crash-script --version"]);
    expect(failedStep(report)).toMatchObject({ code: "IV_ENTRY_POINT_FAILED" });
    expect(failedStep(report)!.output).toContain("RuntimeError: iv-crash-script crashed");
  });

  test("an entry point whose target does not exist fails", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built["missing-target"].distDir, "--installer", "uv"]);
    expect(exitCode).toBe(1);
    expect(report.failed).toEqual(["wheel: run iv-missing-target --version"]);
    expect(failedStep(report)).toMatchObject({ code: "IV_ENTRY_POINT_FAILED" });
    expect(failedStep(report)!.output).toContain("No module named 'iv_missing_target.cli'");
  });

  test("--version printing another version fails; --entry-point-args SCRIPT=--help runs it differently", async ({ expect }) => {
    const dist = built["wrong-version"].distDir;
    const wrong = await verifyJson(["--dist", dist, "--installer", "pip"]);
    expect(wrong.exitCode).toBe(1);
    expect(failedStep(wrong.report)).toMatchObject({ code: "IV_ENTRY_POINT_VERSION", name: "wheel: run iv-wrong-version --version" });
    expect(failedStep(wrong.report)!.detail).toContain("says 0.9.0, 3.");
    const help = await verifyJson(["--dist", dist, "--installer", "uv", "--entry-point-args", "iv-wrong-version=--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.report.steps.map((s) => s.name)).toContain("wheel: run iv-wrong-version --help");
    const typo = await verifyJson(["--dist", dist, "--installer", "uv", "--entry-point-args", "iv-wrong-versoin=--help"]);
    expect(typo.exitCode).toBe(1);
    expect(failedStep(typo.report)).toMatchObject({ code: "IV_UNKNOWN_ENTRY_POINT", detail: "no script named iv-wrong-versoin; the scripts are: iv-wrong-version" });
  });

  test("--version printing another version glued to the name (iv-glued-version-0.9.0) fails", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built["glued-version"].distDir, "--installer", "uv"]);
    expect(exitCode).toBe(1);
    expect(report.failed).toEqual(["wheel: run iv-glued-version --version"]);
    expect(failedStep(report)).toMatchObject({ code: "IV_ENTRY_POINT_VERSION", detail: "iv-glued-version --version says 0.9.0, expected 1.0.0" });
  });

  test("files renamed to another version: the wheel does not install, the sdist's build is not that version (pip)", async ({ expect, onTestFinished }) => {
    // The bytes of 1.0.0 under the name of 1.0.1.
    const renamed = tempDir("iv-renamed-", onTestFinished);
    cpSync(built.good.wheel, join(renamed, "iv_good-1.0.1-py3-none-any.whl"));
    cpSync(built.good.sdist, join(renamed, "iv_good-1.0.1.tar.gz"));
    const { exitCode, report } = await verifyJson(["--dist", renamed, "--sdist", "--no-build-isolation", "--installer", "pip"]);
    expect(exitCode).toBe(1);
    expect(report).toMatchObject({ version: "1.0.1", installable: false });
    const step = (name: string) => report.steps.find((s) => s.name === name);
    expect(step("wheel: install iv_good-1.0.1-py3-none-any.whl (--no-deps)")).toMatchObject({ status: "failed", code: "IV_INSTALL_FAILED" });
    expect(step("wheel: install iv_good-1.0.1-py3-none-any.whl (--no-deps)")!.output).toContain("inconsistent version: expected '1.0.1', but metadata has '1.0.0'");
    expect(step("sdist: version")).toMatchObject({ status: "failed", code: "IV_VERSION_MISMATCH", detail: "installed iv-good 1.0.0, expected iv-good 1.0.1" });
  });

  test.for(installers)("installed metadata that importlib.metadata cannot read fails with IV_METADATA_UNREADABLE (%s)", async (installer, { expect, onTestFinished }) => {
    // The good wheel plus a top_level.txt that is not UTF-8: pip and uv install it (neither reads that file),
    // and importlib.metadata's read_text then raises in the fresh environment.
    const dist = tempDir("iv-unreadable-", onTestFinished);
    const wheel = join(dist, "iv_good-1.0.0-py3-none-any.whl");
    cpSync(built.good.wheel, wheel);
    const script = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'a') as z:\n    z.writestr('iv_good-1.0.0.dist-info/top_level.txt', b'iv_good\\xff\\n')";
    execFileSync(pythonTools().python, ["-c", script, wheel]);
    const { exitCode, report } = await verifyJson(["--dist", dist, "--installer", installer]);
    expect(exitCode).toBe(1);
    expect(report.installable).toBe(false);
    expect(report.failed).toEqual(["wheel: read installed metadata"]);
    expect(failedStep(report)).toMatchObject({ code: "IV_METADATA_UNREADABLE", detail: "cannot read the installed metadata with importlib.metadata" });
    expect(failedStep(report)!.output).toContain("UnicodeDecodeError");
  });

  test.for(installers)("an sdist whose build backend is broken fails the sdist build (%s)", async (installer, { expect, onTestFinished }) => {
    // The good wheel, and an sdist naming a backend that does not exist.
    const dist = tempDir("iv-broken-backend-", onTestFinished);
    cpSync(built.good.wheel, join(dist, "iv_good-1.0.0-py3-none-any.whl"));
    const src = join(tempDir("iv-broken-src-", onTestFinished), "iv_good-1.0.0");
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, "pyproject.toml"), '[build-system]\nrequires = []\nbuild-backend = "iv_no_such_backend"\n\n[project]\nname = "iv-good"\nversion = "1.0.0"\n');
    writeFileSync(join(src, "PKG-INFO"), "Metadata-Version: 2.1\nName: iv-good\nVersion: 1.0.0\n");
    execFileSync("tar", ["-czf", join(dist, "iv_good-1.0.0.tar.gz"), "-C", join(src, ".."), "iv_good-1.0.0"]);
    const { exitCode, report } = await verifyJson(["--dist", dist, "--sdist", "--installer", installer]);
    expect(exitCode).toBe(1);
    expect(report.failed).toEqual(["sdist: build a wheel from iv_good-1.0.0.tar.gz"]);
    expect(failedStep(report)).toMatchObject({ code: "IV_SDIST_BUILD_FAILED" });
    expect(failedStep(report)!.output).toContain("iv_no_such_backend");
    expect(report.installable).toBe(false);
  });

  test("--import replaces the imports found in the wheel", async ({ expect }) => {
    const { exitCode, report } = await verifyJson(["--dist", built.good.distDir, "--installer", "uv", "--import", "iv_good.cli", "--import", "no_such_module"]);
    expect(exitCode).toBe(1);
    const imports = report.steps.filter((s) => s.name.startsWith("wheel: import")).map((s) => `${s.status} ${s.name}`);
    expect(imports).toEqual(["ok wheel: import iv_good.cli", "failed wheel: import no_such_module"]);
  });

  test("--smoke runs in the environment, with its scripts first on PATH", async ({ expect }) => {
    const args = ["--dist", built.good.distDir, "--installer", "uv", "--smoke", "iv-good | grep -q hello", "--smoke", "python -c 'import sys; sys.exit(3)'"];
    const { exitCode, report } = await verifyJson(args);
    expect(exitCode).toBe(1);
    expect(report.steps.find((s) => s.name === "wheel: smoke iv-good | grep -q hello")?.status).toBe("ok");
    expect(failedStep(report)).toMatchObject({ code: "IV_SMOKE_FAILED", detail: "exited 3" });
  });
});

describe.concurrent("verify --dist: environment and input errors (exit 2)", () => {
  test("no Python", async ({ expect }) => {
    const run = await runVerifier(["verify", "--dist", built.good.distDir, "--python", "/nonexistent/python3"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("error IV_NO_PYTHON: no usable Python: cannot start /nonexistent/python3");
  });

  test("--installer uv without uv; --installer pip without a host pip seeds the environment's own pip", async ({ expect, onTestFinished }) => {
    // A bare venv: its python has no pip and no uv beside it; PATH holds no uv.
    const bare = join(tempDir("iv-bare-", onTestFinished), "venv");
    execFileSync(pythonTools().python, ["-m", "venv", "--without-pip", bare]);
    const env = { ...process.env, PATH: "/usr/bin:/bin" };
    const python = join(bare, "bin", "python");
    const noUv = await runVerifier(["verify", "--dist", built.good.distDir, "--python", python, "--installer", "uv"], env);
    expect(noUv.exitCode).toBe(2);
    expect(noUv.stderr).toContain("error IV_NO_INSTALLER");
    const seeded = await verifyJson(["--dist", built.good.distDir, "--python", python, "--installer", "pip"], env);
    expect(seeded.exitCode).toBe(0);
    expect(seeded.report.installer).toBe("pip");
  });

  test("an interpreter whose venv module is broken: the environment cannot be made", async ({ expect, onTestFinished }) => {
    // A real interpreter (a bare venv of the tools Python) where `-m venv` fails, as on Debian without
    // python3-venv: a .pth file puts a venv package first on sys.path whose __main__ exits with an error.
    const root = tempDir("iv-novenv-", onTestFinished);
    const bare = join(root, "venv");
    execFileSync(pythonTools().python, ["-m", "venv", "--without-pip", bare]);
    const shadow = join(root, "shadow", "venv");
    mkdirSync(shadow, { recursive: true });
    writeFileSync(join(shadow, "__init__.py"), "");
    writeFileSync(join(shadow, "__main__.py"), 'raise SystemExit("The virtual environment was not created successfully because ensurepip is not available.")\n');
    const sitePackages = execFileSync(join(bare, "bin", "python"), ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
    writeFileSync(join(sitePackages, "iv_shadow_venv.pth"), `import sys; sys.path.insert(0, ${JSON.stringify(join(root, "shadow"))})\n`);
    const run = await runVerifier(["verify", "--dist", built.good.distDir, "--python", join(bare, "bin", "python"), "--installer", "pip"], { ...process.env, PATH: "/usr/bin:/bin" });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("error IV_VENV_FAILED: cannot create a virtual environment");
    expect(run.stderr).toContain("ensurepip is not available");
  });

  test("a --dist without a wheel, or with several projects' files", async ({ expect, onTestFinished }) => {
    const empty = tempDir("iv-empty-", onTestFinished);
    const noWheel = await runVerifier(["verify", "--dist", empty]);
    expect(noWheel.exitCode).toBe(2);
    expect(noWheel.stderr).toContain(`error IV_NO_DIST: no wheel (.whl) in ${empty}`);
    const mixed = tempDir("iv-mixed-", onTestFinished);
    cpSync(built.good.wheel, join(mixed, "iv_good-1.0.0-py3-none-any.whl"));
    cpSync(built["crash-script"].wheel, join(mixed, "iv_crash_script-1.0.0-py3-none-any.whl"));
    const several = await runVerifier(["verify", "--dist", mixed]);
    expect(several.exitCode).toBe(2);
    expect(several.stderr).toContain("holds files of several releases: iv-crash-script 1.0.0, iv-good 1.0.0");
    const onlyWheel = tempDir("iv-only-wheel-", onTestFinished);
    mkdirSync(onlyWheel, { recursive: true });
    cpSync(built.good.wheel, join(onlyWheel, "iv_good-1.0.0-py3-none-any.whl"));
    const noSdist = await runVerifier(["verify", "--dist", onlyWheel, "--sdist"]);
    expect(noSdist.exitCode).toBe(2);
    expect(noSdist.stderr).toContain("--sdist: no sdist (.tar.gz)");
  });
});
