import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

// Node built-ins only: the CLI entry loads this module before anything else (see startEarlyLog).

// %x1f separates fields; -z ends each record with NUL, which a commit message cannot contain.
const LOG_FORMAT = "--format=%m%x1f%H%x1f%P%x1f%an%x1f%ae%x1f%cs%x1f%B";

/** The one `git log` notes-gen runs, with its end watched from the moment it starts. */
export interface LogProcess {
  child: ChildProcess;
  args: string[];
  /** How it ended: an exit code, or the error that kept it from running. */
  ended: Promise<{ code: number | null; error?: Error }>;
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

export function spawnLog(cwd: string, revArgs: readonly string[], env: NodeJS.ProcessEnv | undefined, order: LogOrder = "topo"): LogProcess {
  const args = ["log", "-z", ...(order === "topo" ? ["--topo-order"] : []), LOG_FORMAT, ...revArgs, "--"];
  // GIT_FLUSH=0: into a pipe git otherwise flushes after every commit (one write, and one wake-up of
  // this process, per commit); block-buffered output halves the time to read a long history.
  const child = spawn("git", args, { cwd, env: { ...gitEnv(env), GIT_FLUSH: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  // Listened to at once: an 'error' with no listener would end the process before anyone takes the log.
  const ended = new Promise<{ code: number | null; error?: Error }>((done) => {
    child.once("error", (error) => done({ code: null, error }));
    child.once("close", (code) => done({ code }));
  });
  return { child, args, ended };
}

interface EarlyLog {
  cwd: string;
  revArgs: string[];
  order: LogOrder;
  env: NodeJS.ProcessEnv;
  log: LogProcess;
}

let early: EarlyLog | undefined;

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
  early = { cwd: at, revArgs, order: "date", env, log: spawnLog(at, revArgs, env, "date") };
}

/** The early log when it is exactly the one asked for (else it is stopped and undefined returned). */
export function takeEarlyLog(cwd: string, revArgs: readonly string[], env: NodeJS.ProcessEnv | undefined, order: LogOrder): LogProcess | undefined {
  const found = early;
  early = undefined;
  if (!found) return undefined;
  if (found.cwd === cwd && found.env === env && found.order === order && found.revArgs.join("\0") === revArgs.join("\0")) return found.log;
  stop(found.log);
  return undefined;
}

/** Stops an early log nobody took (a usage error, another command). */
export function discardEarlyLog(): void {
  if (early) stop(early.log);
  early = undefined;
}

function stop(log: LogProcess): void {
  log.child.stdout?.destroy();
  log.child.stderr?.destroy();
  log.child.kill();
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
