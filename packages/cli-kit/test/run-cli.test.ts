import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HelperError, UsageError, runCli, runProcess, type CliContext } from "../src/index.js";

function context(argv: string[], env: NodeJS.ProcessEnv = {}, secrets: string[] = []) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const ctx: CliContext = {
    argv,
    cwd: process.cwd(),
    env,
    // A text in parts arrives as one UTF-8 buffer: decoded here, as a terminal or a file would show it.
    stdout: { write: (s: string | Uint8Array) => stdout.push(typeof s === "string" ? s : Buffer.from(s).toString("utf8")) },
    stderr: { write: (s: string | Uint8Array) => stderr.push(typeof s === "string" ? s : Buffer.from(s).toString("utf8")) },
    secrets,
  };
  return { ctx, stdout, stderr };
}

describe("runCli", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("prints text, or JSON with --json, and exits 0", async () => {
    const command = async () => ({ text: "hello", data: { hello: 1 } });
    const plain = context([]);
    expect(await runCli(command, plain.ctx)).toBe(0);
    expect(plain.stdout.join("")).toBe("hello\n");
    const json = context(["--json"]);
    expect(await runCli(command, json.ctx)).toBe(0);
    expect(JSON.parse(json.stdout.join(""))).toEqual({ hello: 1 });
  });

  it("inside Actions, refuses a missing GITHUB_OUTPUT or GITHUB_STEP_SUMMARY before the command runs (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-kit-actions-"));
    const output = join(dir, "output");
    writeFileSync(output, "");
    for (const env of [
      { GITHUB_ACTIONS: "true", GITHUB_OUTPUT: join(dir, "missing") },
      { GITHUB_ACTIONS: "true", GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: join(dir, "no-such-dir", "summary") },
    ]) {
      let ran = false;
      const { ctx, stderr } = context([], env);
      const code = await runCli(async () => {
        ran = true; // stands for the command's own work: a file edited, a version printed
        return { text: "done", data: {} };
      }, ctx);
      expect(code).toBe(2);
      expect(ran).toBe(false);
      expect(stderr.join("")).toContain("error ACTIONS_FILE_MISSING:");
    }
    // Outside Actions the variables are not the runner's: nothing is checked.
    expect(await runCli(async () => ({ text: "done", data: {} }), context([], { GITHUB_OUTPUT: join(dir, "missing") }).ctx)).toBe(0);
  });

  it("maps a HelperError to its exit status with code, next step and docs link", async () => {
    const { ctx, stderr } = context([]);
    const code = await runCli(async () => {
      throw new HelperError("VU_BAD", "the version is bad", 1, { hint: "fix it" });
    }, ctx);
    expect(code).toBe(1);
    expect(stderr.join("")).toMatchInlineSnapshot(`
      "error VU_BAD: the version is bad
        next step: fix it
        docs: https://pypi-workflows.github.io/pypi-workflows/troubleshooting#vu_bad
      "
    `);
  });

  it("exits 2 for usage errors, including node's parseArgs errors", async () => {
    const usage = context([]);
    expect(await runCli(async () => Promise.reject(new UsageError("missing <tag>")), usage.ctx)).toBe(2);
    const parse = context(["--json"]);
    const err = Object.assign(new TypeError("Unknown option '--nope'"), { code: "ERR_PARSE_ARGS_UNKNOWN_OPTION" });
    expect(await runCli(async () => Promise.reject(err), parse.ctx)).toBe(2);
    expect(JSON.parse(parse.stdout.join("")).error.code).toBe("USAGE");
  });

  it("never prints a secret, in results or errors", async () => {
    const secret = "pypi-CANARY-abcdef123456";
    const ok = context([], {}, [secret]);
    await runCli(async () => ({ text: `token is ${secret}`, data: {} }), ok.ctx);
    expect(ok.stdout.join("")).toBe("token is ***\n");
    const bad = context([], {}, [secret]);
    await runCli(async () => Promise.reject(new HelperError("X", `403 for ${secret}`)), bad.ctx);
    expect(bad.stderr.join("")).not.toContain(secret);
  });

  it("writes a text given in parts as their concatenation, in one write, with one final newline", async () => {
    const cases: [string[], string][] = [
      [["# Title", "\n\n", "### ⚠ BREAKING CHANGES\n\n", "- café (abc)", "\n"], "# Title\n\n### ⚠ BREAKING CHANGES\n\n- café (abc)\n"],
      [["a", "b"], "ab\n"],
      [["a\n", ""], "a\n"],
      [[], "\n"],
    ];
    for (const [parts, expected] of cases) {
      const run = context([]);
      expect(await runCli(async () => ({ text: parts, data: {} }), run.ctx)).toBe(0);
      expect(run.stdout, JSON.stringify(parts)).toEqual([expected]);
    }
    // --json prints the data, not the parts.
    const json = context(["--json"]);
    await runCli(async () => ({ text: ["a", "b"], data: { markdown: "ab" } }), json.ctx);
    expect(JSON.parse(json.stdout.join(""))).toEqual({ markdown: "ab" });
  });

  it("never prints a secret from a text in parts, even one split between two parts", async () => {
    const secret = "ghs_CANARYtoken1234567890";
    for (const parts of [[`token ${secret} here`], ["token ghs_CANARY", "token1234567890 here"], ["token ", "g", "hs_CANARYtoken", "1234567890", " here"]]) {
      const run = context([], {}, [secret]);
      await runCli(async () => ({ text: parts, data: {} }), run.ctx);
      expect(run.stdout.join(""), parts.join("|")).toBe("token *** here\n");
    }
  });

  it("writes step outputs and the job summary in GitHub Actions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cli-kit-"));
    const outputFile = join(dir, "output");
    const summaryFile = join(dir, "summary");
    writeFileSync(outputFile, "");
    writeFileSync(summaryFile, "");
    vi.stubEnv("GITHUB_ACTIONS", "true");
    vi.stubEnv("GITHUB_OUTPUT", outputFile);
    vi.stubEnv("GITHUB_STEP_SUMMARY", summaryFile);
    const { ctx } = context([], process.env);
    await runCli(async () => ({ text: "x", data: {}, outputs: { version: "1.2.3" }, summary: "## done" }), ctx);
    expect(readFileSync(outputFile, "utf8")).toMatch(/^version<<(ghadelimiter_[\w-]+)\n1\.2\.3\n\1\n$/);
    expect(readFileSync(summaryFile, "utf8")).toBe("## done\n");
  });
});

describe("runProcess", () => {
  it("runs an argument array and streams long output without a buffer limit", async () => {
    const chunks: string[] = [];
    const result = await runProcess(process.execPath, ["-e", "process.stdout.write('x'.repeat(3_000_000))"], {
      cwd: process.cwd(),
      onStdout: (c) => chunks.push(c),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(3_000_000);
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("kills a process that runs past its timeout", async () => {
    const result = await runProcess(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
      cwd: process.cwd(),
      timeoutMs: 200,
    });
    expect(result.timedOut).toBe(true);
  });

  it("reports a program that does not exist as an environment error (exit 2)", async () => {
    await expect(runProcess("no-such-program-xyz", [], { cwd: process.cwd() })).rejects.toMatchObject({
      code: "PROGRAM_NOT_FOUND",
      exitCode: 2,
    });
  });
});
