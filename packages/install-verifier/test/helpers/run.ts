import { pythonTools, runCaptured } from "@pypi-workflows/testkit";
import { command } from "../../src/command.js";
import type { StepReport, VerifyReport } from "../../src/index.js";

/** A deps index nothing listens on: a test that would reach for dependencies unexpectedly fails, never goes online. */
export const NO_DEPS_INDEX = "http://127.0.0.1:9/simple/";

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a function with captured output. */
export async function runVerifier(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<CliRun> {
  const { code, stdout, stderr } = await runCaptured(command, argv, { cwd, env });
  return { exitCode: code, stdout, stderr };
}

/** `verify ... --json` with the tools interpreter and no reachable deps index unless the test gives one. */
export async function verifyJson(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ exitCode: number; report: VerifyReport; stderr: string }> {
  const defaults = ["--python", pythonTools().python, ...(args.includes("--deps-index-url") ? [] : ["--deps-index-url", NO_DEPS_INDEX])];
  const run = await runVerifier(["verify", ...args, ...defaults, "--json"], env);
  return { exitCode: run.exitCode, report: JSON.parse(run.stdout) as VerifyReport, stderr: run.stderr };
}

export function failedStep(report: VerifyReport): StepReport | undefined {
  return report.steps.find((s) => s.status === "failed");
}
