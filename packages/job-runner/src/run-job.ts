import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { RunnerError } from "./errors.js";
import { type Json, evaluateMap, evaluateValue } from "./expressions.js";
import type { CallScope, JobState, RunContext } from "./run-context.js";
import { runStep, unsupportedStepKeys } from "./run-step.js";
import { findSubstitute } from "./substitutes.js";
import type { JobResult, StepResult } from "./types.js";
import type { JobSpec } from "./workflow.js";

const JOB_KEYS = [
  "name", "needs", "if", "runs-on", "env", "outputs", "steps", "uses", "with", "secrets", "strategy", "defaults",
  "timeout-minutes", "permissions", "concurrency", "environment",
];
const DEFAULT_JOB_TIMEOUT_MINUTES = 360;

/** Fails before anything runs when the job uses what the runner cannot do: unknown keys, actions, a real matrix. */
export function checkJobSupported(job: JobSpec, where: string): Record<string, Json> {
  const unknown = Object.keys(job).filter((k) => !JOB_KEYS.includes(k));
  if (unknown.length) throw new RunnerError("JR_UNSUPPORTED", `${where} uses ${unknown.join(", ")}:, which the local job runner does not run`);
  (job.steps ?? []).forEach((step, i) => {
    const keys = unsupportedStepKeys(step);
    if (keys.length) throw new RunnerError("JR_UNSUPPORTED", `${where} step ${i + 1} uses ${keys.join(", ")}:, which the local job runner does not run`);
    if (step.uses) findSubstitute(String(step.uses), `${where} step ${i + 1}`);
  });
  return singleMatrix(job, where);
}

/** A matrix of exactly one combination is its `matrix` context; more (or include/exclude) is unsupported. */
function singleMatrix(job: JobSpec, where: string): Record<string, Json> {
  const matrix = job.strategy?.matrix;
  if (matrix === undefined) return {};
  if (typeof matrix !== "object" || matrix === null || "include" in matrix || "exclude" in matrix) {
    throw new RunnerError("JR_UNSUPPORTED", `${where}: strategy.matrix with include/exclude or expressions is not run locally`);
  }
  const combination: Record<string, Json> = {};
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || values.length !== 1) {
      throw new RunnerError("JR_UNSUPPORTED", `${where}: strategy.matrix.${key} has ${Array.isArray(values) ? values.length : "no list of"} values; the local runner runs exactly one combination`);
    }
    combination[key] = values[0] as Json;
  }
  return combination;
}

function createJobState(rc: RunContext, scope: CallScope, id: string, job: JobSpec, needs: Record<string, Json>): JobState {
  const key = `${scope.keyPrefix}${id}`;
  const where = `job "${key}"`;
  const matrix = checkJobSupported(job, where);
  const base = join(rc.runDir, "jobs", key.replaceAll("/", "__"));
  const [workspace, tempDir, fileDir, toolCache] = ["workspace", "temp", "files", "tool-cache"].map((d) => join(base, d));
  for (const dir of [workspace!, tempDir!, fileDir!, toolCache!]) mkdirSync(dir, { recursive: true });
  const contexts: Record<string, Json> = {
    github: { ...rc.event.context, job: id, workspace: workspace! },
    inputs: scope.inputs, secrets: scope.secrets, vars: rc.vars, needs, matrix,
    strategy: { "fail-fast": true, "job-index": 0, "job-total": 1, "max-parallel": 1 },
    runner: { os: "Linux", arch: "X64", name: "job-runner", environment: "self-hosted", temp: tempDir!, tool_cache: toolCache! },
  };
  const workflowEnv = evaluateMap(scope.workflow.env, { contexts: { ...contexts, env: {} } }, `${scope.workflow.path} env`);
  const jobEnv = evaluateMap(job.env, { contexts: { ...contexts, env: workflowEnv } }, `${where} env`);
  const run = job.defaults?.run ?? scope.workflow.defaults?.run ?? {};
  const minutes = Number(evaluateValue(job["timeout-minutes"] ?? DEFAULT_JOB_TIMEOUT_MINUTES, { contexts }, `${where} timeout-minutes`));
  if (!(minutes > 0)) throw new RunnerError("JR_WORKFLOW_INVALID", `${where}: timeout-minutes must be a positive number`);
  return {
    key, workspace: workspace!, tempDir: tempDir!, fileDir: fileDir!, contexts, jobEnv: { ...workflowEnv, ...jobEnv },
    envFile: {}, path: [], steps: {}, summary: [], failed: false, deadline: rc.now() + minutes * 60_000,
    runnerEnv: {
      GITHUB_JOB: id, GITHUB_WORKSPACE: workspace!, RUNNER_TEMP: tempDir!, RUNNER_TOOL_CACHE: toolCache!,
      GITHUB_EVENT_PATH: join(rc.runDir, "event.json"),
    },
    defaults: {
      ...(run.shell ? { shell: run.shell } : {}),
      ...(run["working-directory"] ? { workingDirectory: run["working-directory"] } : {}),
    },
  };
}

/** Runs a job's steps in order, then evaluates its outputs (dropping any that would reveal a masked value). */
export async function runStepsJob(rc: RunContext, scope: CallScope, id: string, job: JobSpec, needs: Record<string, Json>): Promise<JobResult> {
  const started = rc.now();
  const state = createJobState(rc, scope, id, job, needs);
  const name = job.name ? String(job.name) : id;
  rc.onProgress?.({ type: "job-start", job: state.key, name });
  const steps: StepResult[] = [];
  for (const [i, step] of (job.steps ?? []).entries()) steps.push(await runStep(rc, state, step, i + 1));
  const result: JobResult = {
    key: state.key, name, status: state.failed ? "failure" : "success", outputs: {}, durationMs: 0, steps,
    summary: state.summary.join("\n"), warnings: [],
  };
  try {
    const scopeForOutputs = { contexts: { ...state.contexts, env: state.jobEnv, steps: state.steps as Json, job: { status: result.status } } };
    for (const [key, value] of Object.entries(evaluateMap(job.outputs, scopeForOutputs, `job "${state.key}" outputs`))) {
      if (rc.masker.reveals(value)) result.warnings.push(`output ${key} was dropped: it holds a masked value (a secret)`);
      else result.outputs[key] = value;
    }
  } catch (error) {
    result.status = "failure";
    result.error = (error as Error).message;
  }
  result.durationMs = rc.now() - started;
  writeJobLog(rc, result);
  rc.onProgress?.({ type: "job-end", job: state.key, status: result.status, durationMs: result.durationMs });
  return result;
}

function writeJobLog(rc: RunContext, result: JobResult): void {
  const file = join(rc.runDir, "logs", `${result.key.replaceAll("/", "__")}.log`);
  mkdirSync(join(rc.runDir, "logs"), { recursive: true });
  for (const step of result.steps) {
    appendFileSync(file, `## ${step.name} (${step.conclusion})\n${step.log.map((l) => `${l}\n`).join("")}`);
  }
}
