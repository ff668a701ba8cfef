import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, read, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { StringDecoder } from "node:string_decoder";

// Node built-ins only: the CLI entry loads this module before anything else (see startEarlyLog).

// %x1f separates fields; -z ends each record with NUL, which a commit message cannot contain.
/**
 * What each commit's record holds. "range" (notes for a range): the boundary mark, hash, parents, author name
 * and e-mail (the contributors), committer date, message. "history" (the whole-history changelog): hash,
 * parents and message only; the releases' dates come with the tag list. Over 10,000 commits the authors and
 * dates are a sixth of the log, and git takes longer to write them.
 */
export type LogShape = "range" | "history";

const LOG_FORMATS: Record<LogShape, string> = {
  range: "--format=%m%x1f%H%x1f%P%x1f%an%x1f%ae%x1f%cs%x1f%B",
  history: "--format=%H%x1f%P%x1f%B",
};

/** The one `git log` notes-gen runs, with its end watched from the moment it starts. */
export interface LogProcess {
  child: ChildProcess;
  args: string[];
  /** How it ended: an exit code, or the error that kept it from running. */
  ended: Promise<{ code: number | null; error?: Error }>;
  /** Where git's output goes: a temporary file (see spawnLog), or a pipe when none could be made. */
  spooled: boolean;
  /**
   * Hands git's output to `onText` in order, chunk by chunk (UTF-8 decoded across chunk ends); resolves
   * once git has ended and all it wrote was handed over. Call once.
   */
  read(onText: (text: string) => void): Promise<void>;
  /** Stops git and drops what it wrote; safe to call twice, and after read. */
  stop(): void;
}

export function gitEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  // A pager or a localized message would break parsing; keep the caller's PATH and HOME.
  return { ...(env ?? process.env), GIT_PAGER: "cat", LC_ALL: "C" };
}

/**
 * The order commits arrive in. "topo": children before parents, always, but git walks the whole history
 * before its first line. "date": git's own order (newest commit date first), which streams from the first
 * commit on and is topological unless commit dates are skewed; a reader that needs topo order checks it.
 */
export type LogOrder = "topo" | "date";

/**
 * Starts `git log`. Its output goes to a temporary file, unlinked at once where the system allows it, and is
 * read from there: git writes at its own pace, even while this process is busy (loading its code, or
 * classifying). A pipe holds only tens of KiB: once full, git would wait for this process, and a long
 * history's log would take as long as git and this process together instead of the longer of the two.
 * The file grows to the whole log (about 250 bytes per commit) and is gone once read or stopped.
 * `spool: false`, or a temporary directory that cannot be written, reads from a pipe instead.
 */
export function spawnLog(
  cwd: string, revArgs: readonly string[], env: NodeJS.ProcessEnv | undefined, order: LogOrder,
  options: { spool?: boolean; shape?: LogShape } = {},
): LogProcess {
  // --no-show-signature: a user's log.showSignature would have git verify every signed commit (a gpg or
  // ssh-keygen process each) and print the verdicts into the log.
  const args = ["log", "-z", "--no-show-signature", ...(order === "topo" ? ["--topo-order"] : []), LOG_FORMATS[options.shape ?? "range"], ...revArgs, "--"];
  const spool = options.spool === false ? undefined : openSpool(env);
  // GIT_FLUSH=0: into a pipe git otherwise flushes after every commit (one write, and one wake-up of
  // this process, per commit); block-buffered output halves the time to read a long history.
  let child: ChildProcess;
  try {
    child = spawn("git", args, { cwd, env: { ...gitEnv(env), GIT_FLUSH: "0" }, stdio: ["ignore", spool?.fd ?? "pipe", "pipe"] });
  } catch (error) {
    spool?.close();
    throw error;
  }
  spool?.unlinkEarly();
  // Listened to at once: an 'error' with no listener would end the process before anyone takes the log.
  const ended = new Promise<{ code: number | null; error?: Error }>((done) => {
    child.once("error", (error) => done({ code: null, error }));
    child.once("close", (code) => done({ code }));
  });
  let reading = false;
  let stopped = false;
  const stop = () => {
    stopped = true;
    child.kill();
    child.stdout?.destroy();
    child.stderr?.destroy();
    // A read under way closes the file itself when it sees `stopped`: closed here, its next read could
    // find the descriptor number reused by another file.
    if (!reading) spool?.close();
  };
  const read = (onText: (text: string) => void): Promise<void> => {
    if (!spool) {
      child.stdout?.setEncoding("utf8").on("data", onText);
      return ended.then(() => undefined);
    }
    reading = true;
    return readSpool(spool.fd, ended, onText, () => stopped).finally(() => spool.close());
  };
  return { child, args, ended, spooled: spool !== undefined, read, stop };
}

interface Spool {
  fd: number;
  /** Unlinks the file while it is open (not possible on Windows: there close removes it). */
  unlinkEarly(): void;
  close(): void;
}

let spoolCount = 0;

function openSpool(env: NodeJS.ProcessEnv | undefined): Spool | undefined {
  const dir = (env ?? process.env).TMPDIR || tmpdir();
  for (let attempt = 0; attempt < 3; attempt++) {
    const path = join(dir, `notes-gen-log-${process.pid}-${++spoolCount}-${Math.random().toString(36).slice(2)}`);
    let fd: number;
    try {
      fd = openSync(path, "wx+", 0o600); // exclusive: never a file someone else made
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      return undefined; // no writable temporary directory: read from a pipe
    }
    let linked = true;
    const unlink = () => {
      if (!linked) return;
      try {
        unlinkSync(path);
        linked = false;
      } catch {
        // Windows keeps an open file: removed on close.
      }
    };
    let open = true;
    return {
      fd,
      unlinkEarly: unlink,
      close: () => {
        if (open) closeSync(fd);
        open = false;
        unlink();
      },
    };
  }
  return undefined;
}

const SPOOL_CHUNK = 1 << 18;

/**
 * Reads the spool file from its start as git writes it, until git has ended and the file is read to its end,
 * or until `stopped()` (then what is left is not read).
 */
async function readSpool(fd: number, ended: Promise<unknown>, onText: (text: string) => void, stopped: () => boolean): Promise<void> {
  let gitEnded = false;
  void ended.then(() => (gitEnded = true));
  const decoder = new StringDecoder("utf8");
  const buffer = Buffer.allocUnsafe(SPOOL_CHUNK);
  let position = 0;
  for (;;) {
    if (stopped()) return;
    const endedBefore = gitEnded; // a read that began after git ended and finds nothing is the end
    const count = await readAt(fd, buffer, position);
    if (count > 0) {
      position += count;
      onText(decoder.write(buffer.subarray(0, count)));
      continue;
    }
    if (endedBefore) break;
    // Ahead of git: look again in 1 ms (gitEnded tells its end; racing `ended` here would add a listener
    // to it on every look, thousands of them while git walks a history for --topo-order).
    await new Promise((wake) => setTimeout(wake, 1));
  }
  const rest = decoder.end();
  if (rest) onText(rest);
}

function readAt(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((done, fail) => read(fd, buffer, 0, buffer.length, position, (error, count) => (error ? fail(error) : done(count))));
}

/** The log startEarlyLog runs: a "history" log in date order, the order a first reading of the history asks for. */
interface EarlyLog {
  cwd: string;
  revArgs: string[];
  env: NodeJS.ProcessEnv;
  log: LogProcess;
}

let early: EarlyLog | undefined;

/** The tag list (TAG_LIST_ARGS) startEarlyLog asks for at the same time: its output, null when git failed. */
interface EarlyTagList {
  cwd: string;
  env: NodeJS.ProcessEnv;
  tags: Promise<string | null>;
  stop(): void;
}

let earlyTags: EarlyTagList | undefined;

/** The one `git for-each-ref` that lists the tags (tags.ts): every tag, the commit an annotated one points at. */
export const TAG_LIST_ARGS: readonly string[] = [
  "for-each-ref",
  // name, object, peeled commit (annotated tags), then the commit's committer date (lightweight; annotated).
  "--format=%(refname:short)%00%(objectname)%00%(*objectname)%00%(committerdate:short)%00%(*committerdate:short)",
  "refs/tags",
];

/**
 * Runs TAG_LIST_ARGS: its output, or null when git failed or could not run (the caller asks again the usual
 * way, which reports why).
 */
function startTagList(cwd: string, env: NodeJS.ProcessEnv): EarlyTagList {
  let child: ChildProcess;
  try {
    child = spawn("git", TAG_LIST_ARGS, { cwd, env: gitEnv(env), stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return { cwd, env, tags: Promise.resolve(null), stop: () => undefined };
  }
  const chunks: string[] = [];
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk));
  const tags = new Promise<string | null>((done) => {
    child.once("error", () => done(null));
    child.once("close", (code) => done(code === 0 ? chunks.join("") : null));
  });
  return { cwd, env, tags, stop: () => child.kill() };
}

/**
 * `notes-gen changelog --all` reads the whole history, and git's topo-order walk takes tens of milliseconds
 * before its first line: started here, from the CLI entry, it overlaps the loading of the rest of the code.
 * Only the plain spellings are recognized (the parser still decides everything); a log that turns out not to
 * be the one asked for is stopped unread (takeEarlyLog), as is one nobody takes (discardEarlyLog).
 */
export function startEarlyLog(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): void {
  if (argv[0] !== "changelog" || !argv.includes("--all") || argv.includes("--help") || argv.includes("-h")) return;
  const to = optionValue(argv, "--to");
  const dir = optionValue(argv, "--cwd");
  if (to === null || dir === null) return;
  const at = resolve(cwd, dir ?? ".");
  const revArgs = [to ?? "HEAD"];
  early = { cwd: at, revArgs, env, log: spawnLog(at, revArgs, env, "date", { shape: "history" }) };
  // The tags too: forked now, while this process is small (a fork costs more once the code has loaded), and
  // known by the time the first commits are.
  earlyTags = startTagList(at, env);
}

/** The early tag list when it was asked for that very directory and environment (see startEarlyLog). */
export function takeEarlyTagList(cwd: string, env: NodeJS.ProcessEnv | undefined): Promise<string | null> | undefined {
  const found = earlyTags;
  earlyTags = undefined;
  if (!found) return undefined;
  if (found.cwd === cwd && found.env === env) return found.tags;
  found.stop();
  return undefined;
}

/** The early log when it is exactly the one asked for (else it is stopped and undefined returned). */
export function takeEarlyLog(
  cwd: string, revArgs: readonly string[], env: NodeJS.ProcessEnv | undefined, order: LogOrder, shape: LogShape,
): LogProcess | undefined {
  const found = early;
  early = undefined;
  if (!found) return undefined;
  const same = found.cwd === cwd && found.env === env && order === "date" && shape === "history";
  if (same && found.revArgs.join("\0") === revArgs.join("\0")) return found.log;
  found.log.stop();
  return undefined;
}

/** Stops an early log nobody took (a usage error, another command). */
export function discardEarlyLog(): void {
  early?.log.stop();
  earlyTags?.stop(); // a no-op once git has answered
  early = undefined;
  earlyTags = undefined;
}

/** An option's value as `--name VALUE` or `--name=VALUE`: undefined when absent, null when unclear. */
function optionValue(argv: readonly string[], name: string): string | undefined | null {
  const found: string[] = [];
  for (const [i, arg] of argv.entries()) {
    if (arg === name) found.push(argv[i + 1] ?? "");
    else if (arg.startsWith(`${name}=`)) found.push(arg.slice(name.length + 1));
  }
  if (found.length === 0) return undefined;
  return found.length === 1 && found[0] !== "" && !found[0]!.startsWith("-") ? found[0]! : null;
}
