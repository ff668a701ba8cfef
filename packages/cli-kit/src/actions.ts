/**
 * The adapter to GitHub Actions: step outputs, the job summary and secret masking, through @actions/core.
 * Loaded with import() only when running inside Actions, so a CLI started elsewhere does not pay for it.
 * @actions/core reads process.env itself; the CLI passes process.env, and tests stub process.env.
 */
import { accessSync, constants } from "node:fs";
import { EnvironmentError } from "./errors.js";
export function isGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === "true";
}

export interface ActionsReport {
  outputs?: Record<string, string | number | boolean>;
  summary?: string;
}

/**
 * The runner's command files a step's outputs and summary go to. Checked before the command runs: a missing
 * or unwritable one would otherwise fail only after the command had done its work (a file edited, a version
 * printed), as an INTERNAL error from @actions/core.
 */
export function checkActionsFiles(env: NodeJS.ProcessEnv): void {
  if (!isGitHubActions(env)) return;
  for (const name of ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"] as const) {
    const path = env[name];
    if (!path) continue;
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new EnvironmentError("ACTIONS_FILE_MISSING", `${name} names ${path}, which does not exist or cannot be written`, {
        hint: `run the helper as a step of a GitHub Actions job (the runner creates the file), or unset ${name} (or GITHUB_ACTIONS) outside Actions`,
      });
    }
  }
}

export async function publishToActions(env: NodeJS.ProcessEnv, report: ActionsReport): Promise<void> {
  if (!isGitHubActions(env)) return;
  const core = await import("@actions/core");
  for (const [name, value] of Object.entries(report.outputs ?? {})) core.setOutput(name, String(value));
  if (report.summary && env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(report.summary, true).write();
}

/** Asks the runner to hide a value in every later log line. Call before anything could print it. */
export async function maskSecret(env: NodeJS.ProcessEnv, value: string | undefined): Promise<void> {
  if (!value || !isGitHubActions(env)) return;
  const core = await import("@actions/core");
  core.setSecret(value);
}
