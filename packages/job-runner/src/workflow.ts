import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { RunnerError } from "./errors.js";

/** A step as written in the YAML (values are evaluated when the step runs). */
export interface StepSpec {
  id?: string;
  name?: string;
  run?: string;
  uses?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: unknown;
  "continue-on-error"?: unknown;
  "timeout-minutes"?: unknown;
  "working-directory"?: string;
}

export interface JobSpec {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  env?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  steps?: StepSpec[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | "inherit";
  strategy?: { matrix?: Record<string, unknown> };
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  "timeout-minutes"?: unknown;
  "continue-on-error"?: unknown;
  [key: string]: unknown;
}

export interface CallInput {
  type?: "string" | "boolean" | "number";
  required?: boolean;
  default?: unknown;
}

export interface WorkflowSpec {
  /** The file it was read from. */
  path: string;
  name?: string;
  env?: Record<string, unknown>;
  defaults?: { run?: { shell?: string; "working-directory"?: string } };
  jobs: Record<string, JobSpec>;
  /** on.workflow_call, when the workflow is reusable. */
  call?: {
    inputs: Record<string, CallInput>;
    secrets: Record<string, { required?: boolean }>;
    outputs: Record<string, { value?: unknown }>;
  };
}

/** Features the runner does not execute: an explicit error, never a silent skip. */
const UNSUPPORTED_JOB_KEYS = ["services", "container"];

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads and checks a workflow file: YAML, `jobs:` with steps or `uses:`, and the workflow_call interface. */
export function loadWorkflow(path: string): WorkflowSpec {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RunnerError("JR_WORKFLOW_INVALID", `cannot read workflow ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (!isMapping(doc) || !isMapping(doc.jobs)) {
    throw new RunnerError("JR_WORKFLOW_INVALID", `${path} is not a workflow: it has no jobs: mapping`);
  }
  for (const [id, job] of Object.entries(doc.jobs)) checkJob(path, id, job);
  const on = doc.on;
  const call = isMapping(on) && "workflow_call" in on ? readCall(on.workflow_call) : undefined;
  return {
    path,
    ...(typeof doc.name === "string" ? { name: doc.name } : {}),
    ...(isMapping(doc.env) ? { env: doc.env } : {}),
    ...(isMapping(doc.defaults) ? { defaults: doc.defaults as WorkflowSpec["defaults"] & object } : {}),
    jobs: doc.jobs as Record<string, JobSpec>,
    ...(call ? { call } : {}),
  };
}

function readCall(value: unknown): WorkflowSpec["call"] {
  const call = isMapping(value) ? value : {};
  const pick = <T>(key: string) => (isMapping(call[key]) ? (call[key] as Record<string, T>) : {});
  return { inputs: pick<CallInput>("inputs"), secrets: pick("secrets"), outputs: pick("outputs") };
}

function checkJob(path: string, id: string, job: unknown): asserts job is JobSpec {
  const where = `${path}: job "${id}"`;
  if (!isMapping(job)) throw new RunnerError("JR_WORKFLOW_INVALID", `${where} is not a mapping`);
  for (const key of UNSUPPORTED_JOB_KEYS) {
    if (key in job) throw new RunnerError("JR_UNSUPPORTED", `${where} uses ${key}:, which the local job runner does not run`);
  }
  if (job.uses === undefined && !Array.isArray(job.steps)) {
    throw new RunnerError("JR_WORKFLOW_INVALID", `${where} has neither steps: nor uses:`);
  }
  for (const [index, step] of ((job.steps as unknown[]) ?? []).entries()) {
    // A scalar run: (`run: true`) is a one-word script, as GitHub's parser reads it.
    if (!isMapping(step) || ["string", "number", "boolean"].includes(typeof step.run) === (typeof step.uses === "string")) {
      throw new RunnerError("JR_WORKFLOW_INVALID", `${where} step ${index + 1} needs exactly one of run: or uses:`);
    }
  }
}

/** The job ids a job needs, as a list. */
export function needsOf(job: JobSpec): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs.map(String) : [String(job.needs)];
}

/**
 * The jobs to run, in an order where every job comes after its needs: the wanted jobs (all by default) and
 * every job they need, unless its result is already given.
 */
export function orderJobs(workflow: WorkflowSpec, wanted?: string[], given: string[] = []): string[] {
  const ids = Object.keys(workflow.jobs);
  for (const id of wanted ?? []) {
    if (!(id in workflow.jobs)) {
      throw new RunnerError("JR_JOB_NOT_FOUND", `${workflow.path} has no job "${id}" (jobs: ${ids.join(", ")})`);
    }
  }
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, from: string) => {
    if (state.get(id) === "done" || given.includes(id)) return;
    if (state.get(id) === "visiting") throw new RunnerError("JR_NEEDS_INVALID", `the needs of job "${id}" form a cycle`);
    const job = workflow.jobs[id];
    if (!job) throw new RunnerError("JR_NEEDS_INVALID", `job "${from}" needs "${id}", which ${workflow.path} does not define`);
    state.set(id, "visiting");
    for (const need of needsOf(job)) visit(need, id);
    state.set(id, "done");
    order.push(id);
  };
  for (const id of wanted ?? ids) visit(id, id);
  return order;
}
