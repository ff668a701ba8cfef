import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow, type WorkflowTemplate } from "@actions/workflow-parser";
import { InvalidWorkflowError } from "../errors.js";
import { isPublishingJob } from "../policy/classify.js";
import { readWorkflow, type RawJob, type WorkflowFile } from "../workflow-file.js";
import { DEFAULT_BRANCH, type EventScenario, githubContext } from "./events.js";
import { evaluateExpression, evaluateTemplate, isTruthy, type Json } from "./expressions.js";
import { isTriggered } from "./triggers.js";

/** The repository the example callers name for the reusable workflows: it resolves to this workspace. */
export const PLACEHOLDER_REPOSITORY = "pypi-workflows/pypi-workflows";

type Job = WorkflowTemplate["jobs"][number];
export type JobResult = "success" | "failure" | "skipped";

export interface JobRun {
  /** "build" for a caller's job, "build/build" for a job inside the workflow it calls. */
  path: string;
  result: JobResult;
  /** Uploads, asks for an OIDC token or writes a release (or calls a workflow that does). */
  publishes: boolean;
  /** A call of a reusable workflow (its jobs follow with paths under it). */
  reusable: boolean;
}

export interface Simulation {
  file: string;
  scenario: string;
  triggered: boolean;
  jobs: JobRun[];
}

export interface SimulationOptions {
  /** The workspace root (workflow names and reusable-workflow paths resolve against it). */
  root: string;
  /** Job paths that fail when they run (e.g. "test", or "verify-pypi/verify"). */
  failing?: readonly string[];
  /**
   * What the helper steps report, which the YAML cannot show: outputs by job path, then step id, e.g.
   * `{ "build/build": { check: { "upload-url": "..." } } }`. Steps not named here have no outputs.
   */
  stepOutputs?: Readonly<Record<string, Record<string, Record<string, string>>>>;
}

interface Done {
  result: JobResult;
  outputs: Record<string, Json>;
  failedAbove: boolean;
}

interface Scope {
  file: WorkflowFile;
  github: Record<string, unknown>;
  inputs: Record<string, unknown>;
  prefix: string;
  options: SimulationOptions;
}

/** Runs the event through the workflow: triggers, then every job's `if:` in `needs:` order. */
export async function simulateWorkflow(path: string, scenario: EventScenario, options: SimulationOptions): Promise<Simulation> {
  const file = readWorkflow(resolve(options.root, path), options.root);
  const base = { file: file.name, scenario: scenario.id };
  if (!isTriggered(file.doc.on, scenario, DEFAULT_BRANCH)) return { ...base, triggered: false, jobs: [] };
  const template = await convertWithCalledWorkflows(file, options.root);
  const inputs = scenario.event === "workflow_dispatch" ? dispatchInputs(file, scenario) : {};
  const scope: Scope = { file, github: githubContext(scenario), inputs, prefix: "", options };
  const { runs } = await runJobs(template.jobs ?? [], scope);
  return { ...base, triggered: true, jobs: runs };
}

/** Converted templates by root and text: one workflow is simulated for many events, and parsing dominates. */
const templates = new Map<string, Promise<WorkflowTemplate>>();

function convertWithCalledWorkflows(file: WorkflowFile, root: string): Promise<WorkflowTemplate> {
  const key = `${root}\0${file.name}\0${file.text}`;
  let template = templates.get(key);
  if (!template) {
    template = convertTemplate(file, root);
    templates.set(key, template);
  }
  return template;
}

/** GitHub's parser and converter, with the called workflows loaded from this workspace. */
async function convertTemplate(file: WorkflowFile, root: string): Promise<WorkflowTemplate> {
  const parsed = parseWorkflow({ name: file.name, content: file.text }, new NoOperationTraceWriter());
  const provider = {
    getFileContent: async (ref: { path: string }) => {
      const path = calledWorkflowPath(ref, root);
      return { name: path, content: readFileSync(path, "utf8") };
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value!, provider, { fetchReusableWorkflowDepth: 1 });
  if (template.errors?.length) throw new InvalidWorkflowError(file.name, template.errors.map((e) => e.Message).join("; "));
  return template;
}

/** `./.github/workflows/X.yml` and `pypi-workflows/pypi-workflows/.github/workflows/X.yml@sha` -> this workspace. */
export function calledWorkflowPath(ref: { path: string; owner?: string; repository?: string }, root: string): string {
  if (ref.owner && `${ref.owner}/${ref.repository}` !== PLACEHOLDER_REPOSITORY) {
    throw new Error(`cannot resolve ${ref.owner}/${ref.repository}: only ${PLACEHOLDER_REPOSITORY} maps to this workspace`);
  }
  return join(root, ref.path.replace(/^\.\//, ""));
}

function dispatchInputs(file: WorkflowFile, scenario: EventScenario): Record<string, unknown> {
  const on = file.doc.on as { workflow_dispatch?: { inputs?: Record<string, { default?: unknown }> } };
  const defaults = Object.entries(on.workflow_dispatch?.inputs ?? {}).map(([k, v]) => [k, v.default ?? ""]);
  return { ...Object.fromEntries(defaults), ...scenario.inputs };
}

async function runJobs(jobs: readonly Job[], scope: Scope): Promise<{ runs: JobRun[]; done: Map<string, Done> }> {
  const done = new Map<string, Done>();
  const runs: JobRun[] = [];
  for (const job of orderByNeeds(jobs)) {
    const id = job.id.value;
    const needs = (job.needs ?? []).map((n) => n.value);
    const needsContext = Object.fromEntries(needs.map((n) => [n, { result: done.get(n)!.result, outputs: done.get(n)!.outputs }]));
    const failedAbove = needs.some((n) => done.get(n)!.result === "failure" || done.get(n)!.failedAbove);
    const status = { success: needs.every((n) => done.get(n)!.result === "success"), failure: failedAbove };
    const contexts = { github: scope.github, inputs: scope.inputs, needs: needsContext, vars: {} };
    const runsNow = isTruthy(evaluateExpression(job.if?.expression ?? "success()", contexts, status));
    const raw = scope.file.doc.jobs[id] ?? {};
    const path = `${scope.prefix}${id}`;
    const reusable = job.type === "reusableWorkflowJob";
    const run: JobRun = { path, result: "skipped", publishes: isPublishingJob(raw), reusable };
    runs.push(run);
    if (!runsNow) {
      done.set(id, { result: "skipped", outputs: {}, failedAbove });
      continue;
    }
    const outcome = reusable
      ? await runCalledWorkflow(job, raw, contexts, scope, runs)
      : { result: scope.options.failing?.includes(path) ? "failure" : "success", outputs: jobOutputs(raw, contexts, stepsContext(path, scope)) };
    run.result = outcome.result as JobResult;
    done.set(id, { result: run.result, outputs: outcome.outputs, failedAbove });
  }
  return { runs, done };
}

async function runCalledWorkflow(job: Job, raw: RawJob, contexts: Record<string, unknown>, scope: Scope, runs: JobRun[]) {
  const ref = (job as { ref: { value: string } }).ref.value;
  const [repoPath = ""] = ref.split("@");
  const local = repoPath.startsWith("./") ? repoPath : repoPath.split("/").slice(2).join("/");
  const called = readWorkflow(join(scope.options.root, local.replace(/^\.\//, "")), scope.options.root);
  const inputs = callInputs(called, raw, contexts);
  const inner = await runJobs((job as { jobs?: Job[] }).jobs ?? [], { ...scope, file: called, inputs, prefix: `${scope.prefix}${job.id.value}/` });
  runs.push(...inner.runs);
  const failed = inner.runs.some((r) => r.result === "failure");
  const jobsContext = Object.fromEntries([...inner.done].map(([id, d]) => [id, { result: d.result, outputs: d.outputs }]));
  const on = called.doc.on as { workflow_call?: { outputs?: Record<string, { value?: unknown }> } };
  const outputs = Object.fromEntries(
    Object.entries(on.workflow_call?.outputs ?? {}).map(([k, o]) => [k, evaluateTemplate(o.value, { ...contexts, inputs, jobs: jobsContext })]),
  );
  return { result: failed ? "failure" : "success", outputs };
}

/** The called workflow's input defaults, overridden by the caller's `with:` values. */
function callInputs(called: WorkflowFile, raw: RawJob, contexts: Record<string, unknown>): Record<string, Json> {
  const on = called.doc.on as { workflow_call?: { inputs?: Record<string, { default?: unknown }> } };
  const inputs: Record<string, Json> = {};
  for (const [k, spec] of Object.entries(on.workflow_call?.inputs ?? {})) inputs[k] = (spec.default ?? null) as Json;
  for (const [k, v] of Object.entries(raw.with ?? {})) inputs[k] = evaluateTemplate(v, contexts);
  return inputs;
}

function stepsContext(path: string, scope: Scope): Record<string, unknown> {
  const steps = scope.options.stepOutputs?.[path] ?? {};
  return Object.fromEntries(Object.entries(steps).map(([id, outputs]) => [id, { outputs, outcome: "success", conclusion: "success" }]));
}

/** Job outputs from the event (env, inputs) and from the step outputs the options assume. */
function jobOutputs(raw: RawJob, contexts: Record<string, unknown>, steps: Record<string, unknown>): Record<string, Json> {
  const base = { ...contexts, secrets: {}, matrix: {}, strategy: {} };
  const env: Record<string, Json> = {};
  for (const [k, v] of Object.entries((raw.env ?? {}) as Record<string, unknown>)) env[k] = evaluateTemplate(v, base);
  const all = { ...base, env, steps, job: {}, runner: { temp: "/tmp", os: "Linux" } };
  const outputs: Record<string, Json> = {};
  for (const [k, v] of Object.entries((raw.outputs ?? {}) as Record<string, unknown>)) outputs[k] = evaluateTemplate(v, all);
  return outputs;
}

function orderByNeeds(jobs: readonly Job[]): Job[] {
  const byId = new Map(jobs.map((j) => [j.id.value, j]));
  const ordered: Job[] = [];
  const seen = new Set<string>();
  const visit = (job: Job) => {
    if (seen.has(job.id.value)) return;
    seen.add(job.id.value);
    for (const n of job.needs ?? []) {
      const dep = byId.get(n.value);
      if (dep) visit(dep);
    }
    ordered.push(job);
  };
  jobs.forEach(visit);
  return ordered;
}
