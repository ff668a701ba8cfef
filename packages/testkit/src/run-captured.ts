import { type Command, runCli } from "@pypi-workflows/cli-kit";

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a helper's CLI as a function (cli-kit's runCli), its output captured instead of printed. */
export async function runCaptured(
  command: Command,
  argv: string[],
  { cwd = process.cwd(), env = process.env, secrets = [] }: { cwd?: string; env?: NodeJS.ProcessEnv; secrets?: string[] } = {},
): Promise<CapturedRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(command, {
    argv,
    cwd,
    env,
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    secrets,
  });
  return { code, stdout, stderr };
}
