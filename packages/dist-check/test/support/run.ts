import { pythonTools, runCaptured } from "@pypi-workflows/testkit";
import { runDistCheck } from "../../src/index.js";

/** Runs the CLI as a function with captured output. */
export function runDistCheckCli(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return runCaptured(runDistCheck, argv, { cwd, env });
}

export const toolsPython = () => pythonTools().python;
