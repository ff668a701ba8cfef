import { runProcess } from "@pypi-workflows/cli-kit";
import { NotesEnvironmentError } from "./errors.js";
import { gitEnv, type LogOrder, type LogShape, spawnLog, takeEarlyLog } from "./log-process.js";

/** A commit as the whole-history log prints it: what places it in a release and classifies it. */
export interface HistoryCommit {
  hash: string;
  parents: string[];
  /** The full message (subject, body, trailers). */
  message: string;
}

/** One commit as the log of a range prints it. */
export interface RawCommit extends HistoryCommit {
  /** Printed only because `--boundary` was asked for: just outside the range. */
  boundary: boolean;
  authorName: string;
  authorEmail: string;
  /** Committer date, YYYY-MM-DD. */
  date: string;
}

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

/**
 * Streams ONE `git log` of a range (never one process per tag, never a fixed buffer): each commit is handed to
 * `onCommit` as soon as its record is complete, so memory stays flat however long the history is.
 */
export function streamLog(
  cwd: string,
  revArgs: string[],
  onCommit: (commit: RawCommit) => void,
  env?: NodeJS.ProcessEnv,
  order: LogOrder = "topo",
): Promise<void> {
  return streamRecords(cwd, revArgs, env, order, "range", (record) => onCommit(parseRecord(record)));
}

/** streamLog for the whole-history changelog: hash, parents and message only (see LogShape). */
export function streamHistory(
  cwd: string,
  revArgs: string[],
  onCommit: (commit: HistoryCommit) => void,
  env?: NodeJS.ProcessEnv,
  order: LogOrder = "topo",
): Promise<void> {
  return streamRecords(cwd, revArgs, env, order, "history", (record) => onCommit(parseHistoryRecord(record)));
}

function streamRecords(
  cwd: string,
  revArgs: string[],
  env: NodeJS.ProcessEnv | undefined,
  order: LogOrder,
  shape: LogShape,
  onRecord: (record: string) => void,
): Promise<void> {
  // The CLI entry may have started this very log already (log-process.ts); otherwise it starts now.
  const log = takeEarlyLog(cwd, revArgs, env, order, shape) ?? spawnLog(cwd, revArgs, env, order, { shape });
  let stderr = "";
  log.child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  let pending = ""; // the start of a record whose end has not come yet
  let failed: unknown;
  const emit = (record: string): boolean => {
    try {
      onRecord(record);
      return true;
    } catch (error) {
      failed = error;
      log.stop();
      return false;
    }
  };
  // Records are cut out of each chunk where they lie. The chunk is never appended to what came before (that
  // copies every chunk once more, into a string as long as the chunk): only a record that spans two chunks is.
  const onText = (chunk: string) => {
    if (failed) return;
    let end = chunk.indexOf("\0");
    if (end === -1) {
      pending += chunk;
      return;
    }
    if (!emit(pending + chunk.slice(0, end))) return;
    let start = end + 1;
    end = chunk.indexOf("\0", start);
    while (end !== -1) {
      if (!emit(chunk.slice(start, end))) return;
      start = end + 1;
      end = chunk.indexOf("\0", start);
    }
    pending = chunk.slice(start);
  };
  const read = log.read(onText);
  return Promise.all([read, log.ended]).then(([, { code, error }]) => {
    if (error) throw new NotesEnvironmentError("PROGRAM_NOT_FOUND", `cannot run git: ${error.message}`, { cause: error });
    if (failed) throw failed;
    if (code !== 0) throw new NotesEnvironmentError("NG_GIT_FAILED", `git ${log.args.join(" ")} failed: ${stderr.trim()}`);
    if (pending.trim()) onRecord(pending);
  });
}

/** One record of the "range" shape: six \x1f-ended fields, then the message (which may itself hold \x1f). */
function parseRecord(record: string): RawCommit {
  // Six fixed positions, read without an array of fields: this runs once per commit.
  const a = record.indexOf("\x1f");
  const b = a === -1 ? -1 : record.indexOf("\x1f", a + 1);
  const c = b === -1 ? -1 : record.indexOf("\x1f", b + 1);
  const d = c === -1 ? -1 : record.indexOf("\x1f", c + 1);
  const e = d === -1 ? -1 : record.indexOf("\x1f", d + 1);
  const f = e === -1 ? -1 : record.indexOf("\x1f", e + 1);
  if (f === -1) return parseTruncated(record);
  const parents = record.slice(b + 1, c);
  return {
    hash: record.slice(a + 1, b),
    boundary: a > 0 && record.charCodeAt(a - 1) === 45, // "-"
    parents: parents ? parents.split(" ") : [],
    authorName: record.slice(c + 1, d),
    authorEmail: record.slice(d + 1, e),
    date: record.slice(e + 1, f),
    message: record.slice(f + 1),
  };
}

/** One record of the "history" shape: hash and parents, each \x1f-ended, then the message. */
function parseHistoryRecord(record: string): HistoryCommit {
  const a = record.indexOf("\x1f");
  const b = a === -1 ? -1 : record.indexOf("\x1f", a + 1);
  if (b === -1) {
    const [hash = "", parents = ""] = record.split("\x1f");
    return { hash, parents: parents ? parents.split(" ") : [], message: "" };
  }
  const parents = record.slice(a + 1, b);
  return { hash: record.slice(0, a), parents: parents ? parents.split(" ") : [], message: record.slice(b + 1) };
}

/** A record cut short (fewer than six separators): the fields it has, the rest empty, no message. */
function parseTruncated(record: string): RawCommit {
  const [mark = "", hash = "", parents = "", authorName = "", authorEmail = "", date = ""] = record.split("\x1f");
  return { hash, boundary: mark.endsWith("-"), parents: parents ? parents.split(" ") : [], authorName, authorEmail, date, message: "" };
}
