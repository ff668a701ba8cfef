import type { Writer } from "@pypi-workflows/cli-kit";
import type { JobResult, ProgressEvent, RunResult } from "./types.js";

const MARK: Record<string, string> = { success: "ok  ", failure: "FAIL", skipped: "skip" };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** One line per finished step and job, with its time (the lines come already masked from the runner). */
export function renderProgress(event: ProgressEvent, out: Writer): void {
  if (event.type === "job-start") out.write(`job ${event.job}\n`);
  if (event.type === "step-end") {
    out.write(`  ${MARK[event.status]} ${event.step} (${seconds(event.durationMs)})${event.error ? `: ${event.error}` : ""}\n`);
  }
  if (event.type === "job-end") out.write(`job ${event.job}: ${event.status} (${seconds(event.durationMs)})\n`);
}

function jobLines(job: JobResult, indent: string): string[] {
  const lines = [`${indent}${MARK[job.status]} ${job.key} (${seconds(job.durationMs)})${job.error ? `: ${job.error}` : ""}`];
  for (const [name, value] of Object.entries(job.outputs)) lines.push(`${indent}     ${name}=${value.split("\n")[0]}`);
  for (const warning of job.warnings) lines.push(`${indent}     warning: ${warning}`);
  // A failed step's last lines say why; the whole log is in the run directory.
  for (const step of job.steps.filter((s) => s.outcome === "failure")) {
    lines.push(`${indent}     step "${step.name}" failed${step.conclusion === "success" ? " (continue-on-error)" : ""}:`);
    for (const line of step.log.slice(-10)) lines.push(`${indent}       | ${line}`);
  }
  for (const child of Object.values(job.jobs ?? {})) lines.push(...jobLines(child, `${indent}  `));
  return lines;
}

/** The final report: every job's status, time and outputs; where the run's files are. */
export function renderResult(result: RunResult): string {
  const lines = Object.values(result.jobs).flatMap((job) => jobLines(job, ""));
  lines.push(`${result.status} in ${seconds(result.durationMs)}; logs and result.json in ${result.runDir}`);
  return lines.join("\n");
}
