import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { RunnerError } from "./errors.js";
import { type ExpressionScope, type Json, evaluateCondition, evaluateMap, evaluateString, evaluateValue } from "./expressions.js";
import { bindInputs, bindSecrets } from "./inputs.js";
import type { CallScope, RunContext } from "./run-context.js";
import { runStepsJob } from "./run-job.js";
import type { GivenJob, JobResult, Status } from "./types.js";
import { type JobSpec, type WorkflowSpec, loadWorkflow, needsOf, orderJobs } from "./workflow.js";

type Done = Record<string, { result: Status; outputs: Record<string, string> }>;

/** Every job the given one needs, directly or through others. */
function ancestorsOf(workflow: WorkflowSpec, id: string, seen = new Set<string>()): Set<string> {
  for (const need of needsOf(workflow.jobs[id] ?? {})) {
    if (!seen.has(need)) {
      seen.add(need);
      ancestorsOf(workflow, need, seen);
    }
  }
  return seen;
}

function skippedJob(key: string, job: JobSpec, reason?: string): JobResult {
  return {
    key, name: job.name ? String(job.name) : key.split("/").pop()!, status: "skipped", outputs: {}, durationMs: 0,
    steps: [], summary: "", warnings: reason ? [reason] : [],
  };
}

/**
 * Runs a workflow's jobs in the order of their needs: a job's `if:` (default success() of every job it needs,
 * directly or not) decides whether it runs; `needs.<id>.result/outputs` are what the jobs it needs produced.
 */
export async function runJobs(rc: RunContext, scope: CallScope, wanted?: string[], given: Record<string, GivenJob> = {}): Promise<Record<string, JobResult>> {
  const done: Done = {};
  for (const [id, g] of Object.entries(given)) done[id] = { result: g.result, outputs: g.outputs ?? {} };
  const results: Record<string, JobResult> = {};
  for (const id of orderJobs(scope.workflow, wanted, Object.keys(given))) {
    const job = scope.workflow.jobs[id]!;
    const key = `${scope.keyPrefix}${id}`;
    const ancestors = [...ancestorsOf(scope.workflow, id)].map((a) => done[a]?.result ?? "success");
    const needs: Record<string, Json> = Object.fromEntries(needsOf(job).map((n) => [n, done[n] ?? { result: "skipped", outputs: {} }]));
    const jobScope: ExpressionScope = {
      contexts: { github: rc.event.context, needs, vars: rc.vars, inputs: scope.inputs },
      status: { success: ancestors.every((s) => s === "success"), failure: ancestors.includes("failure"), cancelled: false },
    };
    let result: JobResult;
    try {
      result = evaluateCondition(job.if, jobScope, `job "${key}" if`)
        ? job.uses !== undefined
          ? await runReusableJob(rc, scope, id, job, needs)
          : await runStepsJob(rc, scope, id, job, needs)
        : skippedJob(key, job);
    } catch (error) {
      if (!(error instanceof RunnerError) || error.code !== "JR_EXPRESSION") throw error;
      result = { ...skippedJob(key, job), status: "failure", error: `${error.code}: ${error.message}` };
    }
    results[id] = result;
    done[id] = { result: result.status, outputs: result.outputs };
  }
  return results;
}

/** The local file for `uses: ./.github/workflows/x.yml` or `owner/repo/.github/workflows/x.yml@ref`. */
export function resolveReusableWorkflow(workflowsDir: string, uses: string, where: string): string {
  const path = uses.replace(/@[^@/]*$/, "");
  if (!/\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) {
    throw new RunnerError("JR_WORKFLOW_INVALID", `${where}: uses: ${uses} is not a reusable workflow path (.github/workflows/NAME.yml)`);
  }
  const file = join(workflowsDir, basename(path));
  if (!existsSync(file)) throw new RunnerError("JR_REUSABLE_NOT_FOUND", `${where}: ${uses} maps to ${file}, which does not exist`);
  return file;
}

/** A job that calls a reusable workflow: its inputs and secrets bound, its jobs run, its outputs evaluated. */
async function runReusableJob(rc: RunContext, scope: CallScope, id: string, job: JobSpec, needs: Record<string, Json>): Promise<JobResult> {
  const started = rc.now();
  const key = `${scope.keyPrefix}${id}`;
  const where = `job "${key}"`;
  const workflow = loadWorkflow(resolveReusableWorkflow(rc.workflowsDir, String(job.uses), where));
  if (!workflow.call) throw new RunnerError("JR_WORKFLOW_INVALID", `${where}: ${workflow.path} has no on.workflow_call: it cannot be called`);
  rc.onProgress?.({ type: "job-start", job: key, name: job.name ? String(job.name) : id });
  const callerScope: ExpressionScope = {
    contexts: { github: rc.event.context, needs, vars: rc.vars, inputs: scope.inputs, secrets: scope.secrets, matrix: {} },
  };
  const given: Record<string, Json> = {};
  for (const [name, value] of Object.entries(job.with ?? {})) given[name] = evaluateValue(value, callerScope, `${where} with.${name}`);
  for (const [name, value] of Object.entries(rc.callDefaults)) {
    if (name in workflow.call.inputs && !(name in given)) given[name] = value;
  }
  const inputs = bindInputs(workflow.call.inputs, given, `${where} (${basename(workflow.path)})`, (value, name) =>
    evaluateValue(value, { contexts: { github: rc.event.context, vars: rc.vars } }, `${workflow.path} input ${name} default`),
  );
  const secrets =
    job.secrets === "inherit"
      ? { ...scope.secrets }
      : bindSecrets(workflow.call.secrets, evaluateMap(job.secrets, callerScope, `${where} secrets`), `${where} (${basename(workflow.path)})`);
  const child: CallScope = { workflow, inputs, secrets, keyPrefix: `${key}/` };
  const jobs = await runJobs(rc, child);
  const failed = Object.values(jobs).some((j) => j.status === "failure");
  const jobsContext = Object.fromEntries(Object.entries(jobs).map(([j, r]) => [j, { result: r.status, outputs: r.outputs }]));
  const result: JobResult = {
    key, name: job.name ? String(job.name) : id, status: failed ? "failure" : "success", outputs: {}, durationMs: 0,
    steps: [], summary: Object.values(jobs).map((j) => j.summary).filter(Boolean).join("\n"), jobs, workflow: basename(workflow.path), warnings: [],
  };
  const outputScope: ExpressionScope = { contexts: { github: rc.event.context, jobs: jobsContext, inputs, vars: rc.vars } };
  for (const [name, spec] of Object.entries(workflow.call.outputs)) {
    // Outputs are strings, in the same form as a job's (an unset one, a skipped job's, is "", never "null").
    result.outputs[name] = evaluateString(spec?.value ?? "", outputScope, `${workflow.path} output ${name}`);
  }
  result.durationMs = rc.now() - started;
  rc.onProgress?.({ type: "job-end", job: key, status: result.status, durationMs: result.durationMs });
  return result;
}
