/**
 * The adapter to GitHub Actions: step outputs, the job summary and secret masking, through @actions/core.
 * Loaded with import() only when running inside Actions, so a CLI started elsewhere does not pay for it.
 * @actions/core reads process.env itself; the CLI passes process.env, and tests stub process.env.
 */
export function isGitHubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === "true";
}

export interface ActionsReport {
  outputs?: Record<string, string | number | boolean>;
  summary?: string;
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
