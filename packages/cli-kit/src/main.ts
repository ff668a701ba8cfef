import { type Command, runCli } from "./run-cli.js";

/**
 * The bin entry: runs the command with the real process and sets process.exitCode rather than calling
 * process.exit, so pending writes to stdout and GITHUB_OUTPUT finish (the one exit is a closed stdout, below).
 */
export async function mainFromProcess(command: Command, secrets: string[] = []): Promise<void> {
  endQuietlyOnClosedPipe();
  process.exitCode = await runCli(command, {
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets,
  });
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
