import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { pythonTools, tempDir } from "@pypi-workflows/testkit";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { buildFixtures, type BuiltFixture } from "./helpers/fixtures.js";
import { NO_DEPS_INDEX, runVerifier } from "./helpers/run.js";

let built: Record<"good" | "import-error", BuiltFixture>;

beforeAll(async () => {
  built = await buildFixtures(["good", "import-error"]);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

const tools = () => ["--python", pythonTools().python, "--deps-index-url", NO_DEPS_INDEX, "--installer", "uv"];

describe.concurrent("usage errors (exit 2)", () => {
  const cases: [string, string[], string][] = [
    ["nothing to verify", ["verify"], "error USAGE: nothing to verify"],
    ["both modes", ["verify", "--dist", "d", "--index-url", "http://127.0.0.1:9/simple/"], "error USAGE: --dist and --target/--index-url are two different checks"],
    ["an unknown installer", ["verify", "--dist", "d", "--installer", "conda"], 'error USAGE: --installer "conda" is not uv, pip or auto'],
    ["a bad timeout", ["verify", "--index-url", "http://127.0.0.1:9/simple/", "--name", "p", "--version", "1", "--timeout", "soon"], 'error USAGE: --timeout "soon" is not a positive number of seconds'],
    ["bad entry point args", ["verify", "--dist", "d", "--entry-point-args=--help"], 'error USAGE: --entry-point-args "--help" is not SCRIPT=ARGS'],
    ["an unknown target", ["verify", "--target", "pypy", "--name", "p", "--version", "1"], 'error USAGE: unknown --target "pypy"'],
    ["an index URL that is not one", ["verify", "--index-url", "not a url", "--name", "p", "--version", "1"], 'error USAGE: --index-url "not a url" is not a URL'],
    ["a deps index URL with credentials", ["verify", "--dist", "d", "--deps-index-url", "https://u:secret@example.org/simple/"], "error USAGE: --deps-index-url must not contain credentials"],
    ["no name or version", ["verify", "--index-url", "http://127.0.0.1:9/simple/"], "error USAGE: --name and --version are required"],
    ["an unknown option", ["verify", "--dist", "d", "--frobnicate"], "error USAGE: Unknown option '--frobnicate'"],
    ["options of the published check with --dist", ["verify", "--dist", "d", "--manifest", "m.json", "--timeout", "5"], "error USAGE: --manifest, --timeout do not apply to --dist (the built files)"],
    ["--sdist with the published check", ["verify", "--index-url", "http://127.0.0.1:9/simple/", "--name", "p", "--version", "1", "--sdist"], "error USAGE: --sdist does not apply to --target/--index-url (the published release)"],
    ["a manifest that is not JSON", ["verify", "--index-url", "http://127.0.0.1:9/simple/", "--manifest", "package.json.nope"], "error MANIFEST_INVALID: cannot read the manifest"],
  ];
  test.for(cases)("%s", async ([, argv, message], { expect }) => {
    const run = await runVerifier(argv);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain("secret");
  });

  test("a manifest of another release", async ({ expect, onTestFinished }) => {
    const manifest = join(tempDir("iv-other-", onTestFinished), "manifest.json");
    writeFileSync(manifest, JSON.stringify({ name: "other", version: "2.0", files: [{ filename: "other-2.0.tar.gz", kind: "sdist", size: 1, sha256: "a".repeat(64) }] }));
    const run = await runVerifier(["verify", "--index-url", "http://127.0.0.1:9/simple/", "--manifest", manifest, "--name", "iv-good", "--version", "1.0.0"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("error USAGE: the manifest is for other 2.0, not iv-good 1.0.0");
  });

  test("errors as JSON with --json", async ({ expect }) => {
    const run = await runVerifier(["verify", "--json"]);
    expect(run.exitCode).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: "USAGE", message: "nothing to verify", exitCode: 2 } });
  });
});

describe("help and reports", () => {
  test("--help lists the command and its options", async () => {
    const top = await runVerifier(["--help"]);
    expect(top.exitCode).toBe(0);
    expect(top.stdout).toContain("verify");
    const verify = await runVerifier(["verify", "--help"]);
    for (const option of ["--dist <DIR>", "--sdist", "--index-url <URL>", "--manifest <FILE>", "--timeout <SECONDS>", "(default: 1200)", "--entry-point-args <SCRIPT=ARGS>", "--smoke <COMMAND>"]) {
      expect(verify.stdout).toContain(option);
    }
  });

  test("a failure names the failing step and shows its output; timings on every step", async () => {
    const run = await runVerifier(["verify", "--dist", built["import-error"].distDir, ...tools()]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^ {2}FAIL +\d+\.\d\ds {2}wheel: import iv_import_error \[IV_IMPORT_FAILED\]: import iv_import_error failed$/m);
    expect(run.stdout).toContain("        | RuntimeError: iv-import-error is broken at import time\n        next step: Read the traceback:");
    expect(run.stdout).toMatch(/^ {2}ok +\d+\.\d\ds {2}wheel: install iv_import_error-1\.0\.0-py3-none-any\.whl \(--no-deps\)$/m);
    expect(run.stdout).toContain("result: FAILED at 1 step(s): wheel: import iv_import_error");
  });

  test("relative --dist and --python are resolved against the working directory", async () => {
    const cwd = dirname(built.good.distDir);
    const python = relative(cwd, pythonTools().python);
    const argv = ["verify", "--dist", basename(built.good.distDir), "--python", python, "--deps-index-url", NO_DEPS_INDEX, "--installer", "uv", "--json"];
    const run = await runVerifier(argv, process.env, cwd);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ name: "iv-good", python: { executable: pythonTools().python } });
  });

  test("in GitHub Actions: step outputs and a job summary", async () => {
    const dir = tempDir("iv-actions-");
    const output = join(dir, "output");
    const summary = join(dir, "summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    const env = { GITHUB_ACTIONS: "true", GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
    for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
    const run = await runVerifier(["verify", "--dist", built.good.distDir, ...tools()], { ...process.env, ...env });
    expect(run.exitCode).toBe(0);
    const outputs = readFileSync(output, "utf8");
    expect(outputs).toMatch(/installable<<ghadelimiter_[\w-]+\ntrue\n/);
    expect(outputs).toMatch(/version<<ghadelimiter_[\w-]+\n1\.0\.0\n/);
    expect(outputs).not.toContain("published");
    const markdown = readFileSync(summary, "utf8");
    expect(markdown).toContain("### ✅ install-verifier: iv-good 1.0.0");
    expect(markdown).toContain("| ok | wheel: import iv_good |");
  });
});

describe("the built CLI", () => {
  test("dist/bin/cli.cjs runs through node", async () => {
    const cli = fileURLToPath(new URL("../dist/bin/cli.cjs", import.meta.url));
    expect(existsSync(cli), "build first: pnpm build (turbo builds before test)").toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [cli, "verify", "--dist", built.good.distDir, ...tools(), "--json"], { cwd: tempDir("iv-smoke-") });
    expect(JSON.parse(stdout)).toMatchObject({ name: "iv-good", ok: true, installable: true, installer: "uv" });
  });
});
