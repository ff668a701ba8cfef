import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { tag, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFullChangelog } from "../src/index.js";
import { discardEarlyLog, startEarlyLog, takeEarlyLog } from "../src/log-process.js";
import { baseEnv, commitAs, projectRepo } from "./helpers.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
let repo: string;

beforeAll(() => {
  repo = projectRepo();
  tag(repo, "v0.1.0");
  commitAs(repo, "feat: early");
  tag(repo, "v0.2.0");
  commitAs(repo, "fix: later");
});

/** The built CLI as users run it, with a deadline: a git process left behind would keep it from ending. */
function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: repo, env: baseEnv(), encoding: "utf8", timeout: 60_000 });
}

describe("git started by the CLI entry (changelog --all)", () => {
  it("prints what the library makes, for each spelling of --to and --cwd", async () => {
    const expected = (await generateFullChangelog({ cwd: repo, env: baseEnv() })).markdown;
    for (const args of [["--all"], ["--all", "--to", "HEAD"], ["--all", "--to=HEAD", `--cwd=${repo}`], ["--all", "--cwd", "."]]) {
      const run = cli(["changelog", ...args]);
      expect([run.status, run.stdout], args.join(" ")).toEqual([0, expected]);
    }
    const atTag = cli(["changelog", "--all", "--to", "v0.2.0"]);
    expect(atTag.stdout).not.toContain("later");
    expect(atTag.stdout).toContain("early");
  });

  it("an unknown --to: NG_UNKNOWN_REF, exit 2", () => {
    const run = cli(["changelog", "--all", "--to", "no-such-ref"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("NG_UNKNOWN_REF");
  });

  it("a usage error after git started: exit 2 and the process ends (the early log is stopped)", () => {
    const run = cli(["changelog", "--all", "--no-such-option"]);
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--no-such-option");
  });

  it("outside a repository: exit 2 with git's own message, not a hang", () => {
    const run = spawnSync(process.execPath, [CLI, "changelog", "--all"], { cwd: tempDir(), env: baseEnv(), encoding: "utf8", timeout: 60_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not a git repository/i);
  });
});

describe("takeEarlyLog", () => {
  it("hands over the log only when it is the one asked for; another is stopped", async () => {
    const env = baseEnv();
    startEarlyLog(["changelog", "--all"], repo, env);
    const other = takeEarlyLog(repo, ["v0.1.0"], env, "date");
    expect(other).toBeUndefined();
    // Taken once: asking again finds nothing.
    expect(takeEarlyLog(repo, ["HEAD"], env, "date")).toBeUndefined();
    startEarlyLog(["changelog", "--all", "--to", "v0.2.0"], repo, env);
    const log = takeEarlyLog(repo, ["v0.2.0"], env, "date");
    expect(log?.args).toContain("v0.2.0");
    const chunks: string[] = [];
    log?.child.stdout?.setEncoding("utf8").on("data", (c: string) => chunks.push(c));
    expect(await log?.ended).toEqual({ code: 0 });
    expect(chunks.join("")).toContain("feat: early");
  });

  it("starts nothing for other commands, --help, or an unclear --to", () => {
    const env = baseEnv();
    for (const argv of [["notes"], ["changelog", "--tag", "v1"], ["changelog", "--all", "--help"], ["changelog", "--all", "--to"], ["changelog", "--all", "--to", "a", "--to", "b"]]) {
      startEarlyLog(argv, repo, env);
      expect(takeEarlyLog(repo, ["HEAD"], env, "date"), argv.join(" ")).toBeUndefined();
    }
  });

  it("discardEarlyLog stops a log nobody took", async () => {
    const env = baseEnv();
    startEarlyLog(["changelog", "--all"], repo, env);
    discardEarlyLog();
    expect(takeEarlyLog(repo, ["HEAD"], env, "date")).toBeUndefined();
    expect(execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" })).toMatch(/^[0-9a-f]{40}/);
  });
});
