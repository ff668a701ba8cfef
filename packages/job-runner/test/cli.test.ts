import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { runCaptured, tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, jobRunnerCommand } from "../src/index.js";
import { WORKFLOWS } from "./helpers.js";

function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCaptured(jobRunnerCommand, argv, { env: { PATH: process.env.PATH, ...env } });
}

describe("job-runner CLI", () => {
  it("prints each step with its time, the jobs' outputs, and exits 0", async () => {
    const { code, stdout, stderr } = await cli(["run", join(WORKFLOWS, "needs.yml"), "--job", "uses-first", "--run-dir", tempDir()]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^job first\n {2}ok {3}Run echo "value=from first" >> "\$GITHUB_OUTPUT" \(\d+\.\d s\)\njob first: success/);
    expect(stdout).toMatch(/^ok {3}first \(\d+\.\d s\)\n {5}value=from first\nok {3}uses-first/);
  });

  it("exits 1 when a job failed, takes secrets from the environment and never prints them", async () => {
    const { code, stdout, stderr } = await cli(
      ["run", join(WORKFLOWS, "mask.yml"), "--secret", "PASSWORD", "--run-dir", tempDir()],
      { PASSWORD: "cli-secret-canary" },
    );
    expect(code).toBe(1);
    expect(stderr).toContain("FAIL fails with the secret in an expression error");
    expect(stdout).toMatch(/step "fails with the secret in an expression error" failed:\n {7}\| error: JR_EXPRESSION: /);
    expect(`${stdout}${stderr}`).not.toContain("cli-secret-canary");
  });

  it("returns the whole result with --json", async () => {
    const { code, stdout } = await cli(["run", join(WORKFLOWS, "protocol.yml"), "--json", "--input", "x=1", "--run-dir", tempDir()]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).jobs.protocol.outputs.tool).toBe("tool-ran");
  });

  it("exits 2 for usage and workflow errors", async () => {
    expect((await cli(["run"])).code).toBe(2);
    expect((await cli(["run", "x.yml", "--input", "novalue"])).stderr).toMatch(/--input novalue: expected NAME=VALUE/);
    expect((await cli(["run", "x.yml", "--secret", "ABSENT"])).stderr).toMatch(/environment variable ABSENT is not set/);
    const missing = await cli(["run", join(WORKFLOWS, "absent.yml")]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/^error JR_WORKFLOW_INVALID: cannot read workflow/)]);
  });

  it("JR_JOB_NOT_FOUND: a --job the workflow does not have exits 2 before any job runs, listing the job ids", async () => {
    const workflow = join(WORKFLOWS, "needs.yml");
    const runDir = tempDir();
    const { code, stdout } = await cli(["run", workflow, "--job", "first", "--job", "frist", "--run-dir", runDir, "--json"]);
    expect(code).toBe(2);
    const { error } = JSON.parse(stdout) as { error: { code: string; exitCode: number; message: string; hint?: string } };
    expect(error).toMatchObject({ code: "JR_JOB_NOT_FOUND", exitCode: 2, hint: ERROR_CODES.JR_JOB_NOT_FOUND!.fix });
    expect(error.message).toBe(
      `${workflow} has no job "frist" (jobs: first, broken, after-broken, third-level, report, on-failure, uses-first, conditional)`,
    );
    // Checked before anything ran: not even the valid "first".
    expect(readdirSync(join(runDir, "logs"))).toEqual([]);
    expect(existsSync(join(runDir, "result.json"))).toBe(false);
  });

  it("lists the substitutes and renders --help from the spec", async () => {
    expect((await cli(["substitutes"])).stdout).toMatch(/^actions\/checkout\s+the run's source/);
    expect((await cli(["run", "--help"])).stdout).toMatch(/^usage: job-runner \[run\] <workflow> \[options\]/);
  });

  it("runs as the built dist/bin/cli.cjs through node", () => {
    const dist = join(import.meta.dirname, "..", "dist", "bin", "cli.cjs");
    const ok = spawnSync(process.execPath, [dist, join(WORKFLOWS, "protocol.yml"), "--run-dir", tempDir()], { encoding: "utf8" });
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringMatching(/ok {3}protocol .*\n {5}single=one value/)]);
    const failed = spawnSync(process.execPath, [dist, "run", join(WORKFLOWS, "status.yml"), "--run-dir", tempDir()], { encoding: "utf8" });
    expect(failed.status).toBe(1);
    expect(execFileSync(process.execPath, [dist, "--help"], { encoding: "utf8" })).toContain("job-runner 0.1.0");
  });
});
