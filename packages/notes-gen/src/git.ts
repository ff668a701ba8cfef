import { spawn } from "node:child_process";
import { runProcess } from "@pypi-workflows/cli-kit";
import { NotesEnvironmentError } from "./errors.js";

/** One commit as `git log` printed it. */
export interface RawCommit {
  hash: string;
  /** Printed only because `--boundary` was asked for: just outside the range. */
  boundary: boolean;
  parents: string[];
  authorName: string;
  authorEmail: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
  /** The full message (subject, body, trailers). */
  message: string;
}

// %x1f separates fields; -z ends each record with NUL, which a commit message cannot contain.
const LOG_FORMAT = "--format=%m%x1f%H%x1f%P%x1f%an%x1f%ae%x1f%cs%x1f%B";

/** Runs a short git command (small output) and returns stdout; a failure is NG_GIT_FAILED (exit 2). */
export async function runGit(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await runProcess("git", args, { cwd, env: gitEnv(env) });
  if (result.exitCode !== 0) {
    throw new NotesEnvironmentError("NG_GIT_FAILED", `git ${args.join(" ")} failed: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Like runGit, but returns null instead of throwing (for questions such as "does this ref exist?"). */
export async function tryGit(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string | null> {
  const result = await runProcess("git", args, { cwd, env: gitEnv(env) });
  return result.exitCode === 0 ? result.stdout : null;
}

function gitEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  // A pager or a localized message would break parsing; keep the caller's PATH and HOME.
  return { ...(env ?? process.env), GIT_PAGER: "cat", LC_ALL: "C" };
}

/**
 * Streams ONE `git log` (never one process per tag, never a fixed buffer): each commit is handed to
 * `onCommit` as soon as its record is complete, so memory stays flat however long the history is.
 */
export function streamLog(
  cwd: string,
  revArgs: string[],
  onCommit: (commit: RawCommit) => void,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const args = ["log", "-z", "--topo-order", LOG_FORMAT, ...revArgs, "--"];
  return new Promise((resolve, reject) => {
    // GIT_FLUSH=0: into a pipe git otherwise flushes after every commit (one write, and one wake-up of
    // this process, per commit); block-buffered output halves the time to read a long history.
    const child = spawn("git", args, { cwd, env: { ...gitEnv(env), GIT_FLUSH: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let pending = "";
    let stderr = "";
    let failed: unknown;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      let end = pending.indexOf("\0");
      let start = 0;
      while (end !== -1) {
        try {
          if (!failed) onCommit(parseRecord(pending.slice(start, end)));
        } catch (error) {
          failed = error;
          child.kill();
        }
        start = end + 1;
        end = pending.indexOf("\0", start);
      }
      pending = pending.slice(start);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) =>
      reject(new NotesEnvironmentError("PROGRAM_NOT_FOUND", `cannot run git: ${error.message}`, { cause: error })),
    );
    child.on("close", (code) => {
      if (failed) return reject(failed);
      if (code !== 0) {
        return reject(new NotesEnvironmentError("NG_GIT_FAILED", `git ${args.join(" ")} failed: ${stderr.trim()}`));
      }
      if (pending.trim()) onCommit(parseRecord(pending));
      resolve();
    });
  });
}

/** One record of LOG_FORMAT: six \x1f-ended fields, then the message (which may itself hold \x1f). */
function parseRecord(record: string): RawCommit {
  const fields: string[] = [];
  let start = 0;
  while (fields.length < 6) {
    const end = record.indexOf("\x1f", start);
    if (end === -1) break;
    fields.push(record.slice(start, end));
    start = end + 1;
  }
  const complete = fields.length === 6;
  if (!complete) fields.push(record.slice(start)); // a truncated record: the rest is the next field
  const [mark = "", hash = "", parents = "", authorName = "", authorEmail = "", date = ""] = fields;
  return {
    hash,
    boundary: mark.endsWith("-"),
    parents: parents ? parents.split(" ") : [],
    authorName,
    authorEmail,
    date,
    message: complete ? record.slice(start) : "",
  };
}
