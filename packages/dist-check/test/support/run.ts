import type { CliContext } from "@pypi-workflows/cli-kit";
import { runCli } from "@pypi-workflows/cli-kit";
import { pythonTools } from "@pypi-workflows/testkit";
import { runDistCheck } from "../../src/index.js";

/** Runs the CLI as a function with captured output. */
export async function runDistCheckCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const ctx: CliContext = {
    argv,
    cwd,
    env,
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
  };
  const code = await runCli(runDistCheck, ctx);
  return { code, stdout, stderr };
}

export const toolsPython = () => pythonTools().python;
