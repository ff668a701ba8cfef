import { type Command, runCli } from "./run-cli.js";

/**
 * The bin entry: runs the command with the real process and sets process.exitCode (never process.exit,
 * so pending writes to stdout and GITHUB_OUTPUT finish).
 */
export async function mainFromProcess(command: Command, secrets: string[] = []): Promise<void> {
  process.exitCode = await runCli(command, {
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets,
  });
}
