import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { git, tag, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { streamLog } from "../src/git.js";
import { generateFullChangelog } from "../src/index.js";
import { discardEarlyLog, type LogProcess, spawnLog, startEarlyLog, takeEarlyLog, takeEarlyTagList, TAG_LIST_ARGS } from "../src/log-process.js";
import { listVersionTags } from "../src/tags.js";
import { baseEnv, commitAs, projectRepo } from "./helpers.js";

const CLI = fileURLToPath(new URL("../dist/bin/cli.cjs", import.meta.url));
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

  it("ends as soon as its output is out, and all of it reaches a reader that starts late", async () => {
    // A breaking change with a long footer: more output than a pipe holds.
    const big = projectRepo();
    tag(big, "v1.0.0");
    commitAs(big, `feat!: drop the old API\n\nBREAKING CHANGE: ${"a long explanation ".repeat(6_000)}`);
    const expected = (await generateFullChangelog({ cwd: big, env: baseEnv() })).markdown;
    expect(expected.length).toBeGreaterThan(100 * 1024); // a pipe holds 64 KiB
    // A shell pipe (64 KiB) into a reader that starts half a second late.
    const status = join(tempDir("ng-late-reader-"), "status");
    const run = spawnSync("sh", ["-c", `{ "$0" "$1" changelog --all; echo $? > "$2"; } | { sleep 0.5; cat; }`, process.execPath, CLI, status], {
      cwd: big, env: baseEnv(), encoding: "utf8", timeout: 60_000, maxBuffer: 1 << 24,
    });
    expect([run.status, run.stderr, readFileSync(status, "utf8")]).toEqual([0, "", "0\n"]);
    expect(run.stdout).toBe(expected);
  });

  it("a reader that stops early (| head -1) ends it quietly: no EPIPE stack trace, status 0", () => {
    const big = projectRepo();
    commitAs(big, `feat!: drop the old API\n\nBREAKING CHANGE: ${"a long explanation ".repeat(6_000)}`);
    const status = join(tempDir("ng-head-"), "status");
    const run = spawnSync("sh", ["-c", `{ "$0" "$1" changelog --all 2>&1; echo $? > "$2"; } | head -1`, process.execPath, CLI, status], {
      cwd: big, env: baseEnv(), encoding: "utf8", timeout: 60_000,
    });
    expect(run.stdout).toBe("# Changelog\n");
    expect(readFileSync(status, "utf8")).toBe("0\n");
  });

  it("--json holds the same changelog the text output is", () => {
    const text = cli(["changelog", "--all"]);
    const json = cli(["changelog", "--all", "--json"]);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ markdown: text.stdout, releases: 2, commitCount: 3 });
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

describe("the log git prints", () => {
  it("never verifies signatures, whatever log.showSignature says", async () => {
    const dir = projectRepo();
    const bin = tempDir("ng-fake-gpg-");
    const verified = join(bin, "verified");
    // A stand-in gpg: signs with a fixed block, and records that it was asked to verify.
    const program = join(bin, "fake-gpg");
    writeFileSync(program, [
      "#!/bin/sh",
      "cat > /dev/null", // all of what git writes is read: a program that leaves early fails git's write
      `case "$*" in *--verify*) : > '${verified}'; exit 0;; esac`,
      "echo '[GNUPG:] SIG_CREATED ' >&2",
      "printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nfake\\n-----END PGP SIGNATURE-----\\n'",
      "",
    ].join("\n"), { mode: 0o755 });
    git(dir, ["config", "gpg.program", program]);
    git(dir, ["config", "user.signingkey", "ABC"]);
    git(dir, ["commit", "-q", "--allow-empty", "-S", "-m", "feat: signed"]);
    git(dir, ["config", "log.showSignature", "true"]);
    git(dir, ["log", "-1"]);
    expect(existsSync(verified)).toBe(true); // the setting is in force for a plain git log
    rmSync(verified);
    const full = await generateFullChangelog({ cwd: dir, env: baseEnv() });
    expect(full.markdown).toContain("- signed (");
    expect(existsSync(verified)).toBe(false);
  });
});

describe("takeEarlyLog", () => {
  it("hands over the log only when it is the one asked for; another is stopped", async () => {
    const env = baseEnv();
    startEarlyLog(["changelog", "--all"], repo, env);
    const other = takeEarlyLog(repo, ["v0.1.0"], env, "date", "history");
    expect(other).toBeUndefined();
    // The log of a range prints more fields: it never takes the whole-history one.
    startEarlyLog(["changelog", "--all"], repo, env);
    expect(takeEarlyLog(repo, ["HEAD"], env, "date", "range")).toBeUndefined();
    // Taken once: asking again finds nothing.
    expect(takeEarlyLog(repo, ["HEAD"], env, "date", "history")).toBeUndefined();
    startEarlyLog(["changelog", "--all", "--to", "v0.2.0"], repo, env);
    const log = takeEarlyLog(repo, ["v0.2.0"], env, "date", "history");
    expect(log?.args).toContain("v0.2.0");
    const chunks: string[] = [];
    await log?.read((c) => chunks.push(c));
    expect(await log?.ended).toEqual({ code: 0 });
    expect(chunks.join("")).toContain("feat: early");
  });

  it("starts nothing for other commands, --help, or an unclear --to", () => {
    const env = baseEnv();
    for (const argv of [["notes"], ["changelog", "--tag", "v1"], ["changelog", "--all", "--help"], ["changelog", "--all", "--to"], ["changelog", "--all", "--to", "a", "--to", "b"]]) {
      startEarlyLog(argv, repo, env);
      expect(takeEarlyLog(repo, ["HEAD"], env, "date", "history"), argv.join(" ")).toBeUndefined();
    }
  });

  it("discardEarlyLog stops a log nobody took", async () => {
    const env = baseEnv();
    startEarlyLog(["changelog", "--all"], repo, env);
    discardEarlyLog();
    expect(takeEarlyLog(repo, ["HEAD"], env, "date", "history")).toBeUndefined();
    expect(execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" })).toMatch(/^[0-9a-f]{40}/);
  });
});

describe("takeEarlyTagList", () => {
  it("hands over the tag list asked for at the start, once, for that directory and environment only", async () => {
    const env = baseEnv();
    const expected = execFileSync("git", TAG_LIST_ARGS, { cwd: repo, encoding: "utf8" });
    startEarlyLog(["changelog", "--all"], repo, env);
    expect(takeEarlyTagList(repo, { ...env })).toBeUndefined(); // another environment: stopped
    expect(takeEarlyTagList(repo, env)).toBeUndefined(); // and gone
    startEarlyLog(["changelog", "--all"], repo, env);
    expect(await takeEarlyTagList(repo, env)).toBe(expected);
    expect(takeEarlyTagList(repo, env)).toBeUndefined();
    discardEarlyLog();
  });

  it("a tag list git could not give is asked again the usual way, which reports why", async () => {
    const notARepo = tempDir("ng-no-repo-");
    const env = baseEnv();
    startEarlyLog(["changelog", "--all"], notARepo, env);
    expect(await takeEarlyTagList(notARepo, env)).toBeNull();
    startEarlyLog(["changelog", "--all"], notARepo, env);
    const error = await listVersionTags(notARepo, undefined, env).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NG_GIT_FAILED" });
    expect(String((error as Error).message)).toMatch(/not a git repository/i);
    discardEarlyLog();
  });
});

describe("the log spooled through a temporary file", () => {
  /** Everything a log hands over, with a reader that is slower than git (a busy loop per chunk). */
  async function readAll(log: LogProcess, slow = false): Promise<string> {
    const chunks: string[] = [];
    await log.read((c) => {
      const until = Date.now() + (slow ? 5 : 0);
      while (Date.now() < until);
      chunks.push(c);
    });
    expect(await log.ended).toEqual({ code: 0 });
    return chunks.join("");
  }

  let big: string;
  beforeAll(() => {
    // Enough output (several MiB) that git is still writing when the first chunks are read.
    big = projectRepo();
    const body = `${"é word ".repeat(4000)}\n`;
    for (let i = 0; i < 40; i++) commitAs(big, `feat: change ${i}\n\n${body}`);
  });

  it("hands over exactly what a pipe does, with a slow reader, and leaves no file behind", async () => {
    const tmp = tempDir("ng-spool-");
    const env = { ...baseEnv(), TMPDIR: tmp };
    const spooled = spawnLog(big, ["HEAD"], env, "date");
    expect(spooled.spooled).toBe(true);
    // Unlinked while git writes it.
    expect(readdirSync(tmp)).toEqual([]);
    const piped = spawnLog(big, ["HEAD"], env, "date", { spool: false });
    expect(piped.spooled).toBe(false);
    const [a, b] = await Promise.all([readAll(spooled, true), readAll(piped)]);
    expect(a.length).toBeGreaterThan(1 << 20);
    expect(a).toBe(b);
    expect(a).toContain("é word");
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("reads from a pipe when no temporary file can be made", async () => {
    // TMPDIR names a file, not a directory: no file can be created in it, even by root.
    const notADirectory = join(tempDir("ng-spool-file-"), "plain-file");
    writeFileSync(notADirectory, "");
    const log = spawnLog(big, ["HEAD"], { ...baseEnv(), TMPDIR: notADirectory }, "date");
    expect(log.spooled).toBe(false);
    expect(await readAll(log)).toContain("feat: change 39");
  });

  it("waits for a git that writes slowly, and decodes a character split between two writes", async () => {
    // A stand-in git: half a record, a pause (the reader finds the end of the file and must wait), the rest.
    const bin = tempDir("ng-slow-git-");
    writeFileSync(join(bin, "git"), "#!/bin/sh\nprintf 'feat: caf\\303'\nsleep 0.3\nprintf '\\251 ok\\0'\n", { mode: 0o755 });
    const log = spawnLog(big, ["HEAD"], { ...baseEnv(), PATH: `${bin}:${process.env.PATH}` }, "date");
    expect(log.spooled).toBe(true);
    const chunks: string[] = [];
    await log.read((c) => chunks.push(c));
    expect(chunks.join("")).toBe("feat: café ok\0");
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("a reader that fails stops the log: its error is the one reported, and nothing more is read", async () => {
    const tmp = tempDir("ng-spool-fail-");
    const seen: string[] = [];
    const failure = new Error("cannot classify this");
    const error = await streamLog(big, ["HEAD"], (commit) => {
      seen.push(commit.hash);
      throw failure;
    }, { ...baseEnv(), TMPDIR: tmp }, "date").catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(seen).toHaveLength(1);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("cuts records out of the chunks intact: one longer than a chunk, and ones split between chunks", async () => {
    const dir = projectRepo();
    commitAs(dir, "feat: before");
    // More than two spool chunks (256 KiB); too long for a command-line argument, so from a file.
    const message = join(tempDir("ng-huge-message-"), "message");
    writeFileSync(message, `feat: huge\n\n${"x".repeat(700 * 1024)}\nend of huge\n`);
    git(dir, ["commit", "-q", "--allow-empty", "-F", message]);
    for (let i = 0; i < 150; i++) commitAs(dir, `fix: after ${i}\n\n${"é".repeat(i * 13)}`);
    const expected = execFileSync("git", ["log", "-z", "--format=%H%x1f%B"], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 26 })
      .split("\0")
      .filter(Boolean)
      .map((record) => record.split("\x1f"));
    const notADirectory = join(tempDir("ng-spool-file-"), "plain-file");
    writeFileSync(notADirectory, "");
    // Spooled (chunks of 256 KiB), then from a pipe (TMPDIR cannot hold a file: chunks of 64 KiB).
    for (const tmp of [tempDir("ng-spool-records-"), notADirectory]) {
      const seen: string[][] = [];
      await streamLog(dir, ["HEAD"], (commit) => seen.push([commit.hash, commit.message]), { ...baseEnv(), TMPDIR: tmp }, "date");
      expect(seen, tmp).toEqual(expected);
    }
  });

  it("stop ends git and drops the file", async () => {
    const tmp = tempDir("ng-spool-stop-");
    const log = spawnLog(big, ["HEAD"], { ...baseEnv(), TMPDIR: tmp }, "date");
    log.stop();
    const ended = await log.ended;
    expect(ended.code === 0 || ended.code === null).toBe(true);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
