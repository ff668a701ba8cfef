import { type Command, runCli } from "./run-cli.js";

export interface MainOptions {
  /**
   * End the process as soon as everything written to stdout and stderr is out, rather than when the event
   * loop runs dry: for a CLI that has nothing left to do but would otherwise wait for the garbage collector
   * (a large heap) or a timer. Off by default: the process then ends by itself.
   */
  exitWhenFlushed?: boolean;
  /** Runs once the command is done, whatever its outcome (even when runCli throws), before any exit. */
  cleanup?: () => void;
}

/**
 * The bin entry: runs the command with the real process and sets process.exitCode. It calls process.exit
 * only once the output is written: with `exitWhenFlushed` after stdout and stderr have taken every pending
 * write, and, for every CLI, when stdout is closed by its reader (below). Writes to GITHUB_OUTPUT are
 * synchronous or awaited by runCli, so they are done before either.
 */
export async function mainFromProcess(command: Command, secrets: string[] = [], options: MainOptions = {}): Promise<void> {
  endQuietlyOnClosedPipe();
  // Node ends a process whose event loop runs dry even while a promise is pending: a command that never settles
  // (a bug: waiting on an event that cannot come) would end with status 0, a silent success in a release step.
  let settled = false;
  const stoppedUnfinished = () => {
    if (settled) return;
    process.exitCode = 1;
    process.stderr.write("error INTERNAL: the command stopped before it finished (nothing was left to wait for)\n");
  };
  process.once("beforeExit", stoppedUnfinished);
  try {
    process.exitCode = await runCli(command, {
      argv: process.argv.slice(2),
      cwd: process.cwd(),
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      secrets,
    });
  } finally {
    settled = true;
    process.off("beforeExit", stoppedUnfinished);
    options.cleanup?.();
  }
  if (!options.exitWhenFlushed) return;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit();
}

/** Resolves once the stream has handed every earlier write to the system (an empty write's callback). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => stream.write("", () => done()));
}

let listening = false;

/**
 * A reader that stops early (`notes-gen changelog --all | head`) closes the pipe: the next write fails with
 * EPIPE. End there, quietly and with the status the command has so far, as git does, instead of printing an
 * unhandled-error stack trace. Any other stream error is thrown as before.
 */
function endQuietlyOnClosedPipe(): void {
  if (listening) return;
  listening = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit();
      throw error;
    });
  }
}
