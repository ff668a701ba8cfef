import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type EventOptions, describeEvent } from "./event.js";
import { type Json, evaluateValue } from "./expressions.js";
import { bindInputs, bindSecrets } from "./inputs.js";
import { Masker } from "./mask.js";
import type { RunContext } from "./run-context.js";
import { runJobs } from "./run-workflow.js";
import type { RunSetup } from "./substitute-types.js";
import type { GivenJob, ProgressEvent, RunResult } from "./types.js";
import { loadWorkflow } from "./workflow.js";

export interface RunWorkflowOptions {
  /** The workflow file. */
  workflow: string;
  /** Jobs to run (with every job they need); default all. */
  jobs?: string[];
  /** Results of jobs to take as given instead of running them (their needs.<id> for the jobs that run). */
  given?: Record<string, GivenJob>;
  /** workflow_call inputs (checked against the declared types; defaults filled in). */
  inputs?: Record<string, string | number | boolean>;
  /** Secrets: available as secrets.*, and masked (***) everywhere the runner prints or stores text. */
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  event?: EventOptions;
  /** What actions/checkout brings in: a git repository (fetched) or a directory (copied). */
  source?: string;
  repositories?: Record<string, string>;
  /** Where `uses: .../.github/workflows/x.yml` is looked up; default the workflow's own directory. */
  workflowsDir?: string;
  /**
   * Inputs given to every reusable workflow the run calls that declares them, where the calling job's `with:` did
   * not set them: how a rehearsal runs a caller workflow as written, with its index-url and upload-url pointed at
   * a local index. Not applied to `inputs` (the top workflow's).
   */
  callDefaults?: Record<string, string | number | boolean>;
  /** Where workspaces, artifacts, logs and result.json go; default a new temp directory. */
  runDir?: string;
  /** Host variables steps start from; default PATH, LANG, LC_ALL, TZ, TMPDIR of process.env. */
  hostEnv?: Record<string, string | undefined>;
  /** Added to every step's environment (e.g. a local npm registry's variables). */
  extraEnv?: Record<string, string>;
  /** The Python setup-python provides (the tools venv's) and twine for the publish substitute. */
  python?: string;
  twine?: string;
  /** Default: the node running this. */
  node?: string;
  /** Where pypa/gh-action-pypi-publish uploads when the workflow names no local index. */
  publish?: RunSetup["publish"];
  onProgress?: (event: ProgressEvent) => void;
  /** Milliseconds clock; default performance.now. */
  now?: () => number;
}

const HOST_VARIABLES = ["PATH", "LANG", "LC_ALL", "TZ", "TMPDIR"];

function pickHostEnv(env: Record<string, string | undefined>): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of HOST_VARIABLES) if (env[name] !== undefined) picked[name] = env[name]!;
  return picked;
}

function sourceHead(source: string | undefined): string {
  if (!source || !existsSync(join(source, ".git"))) return "0".repeat(40);
  return execFileSync("git", ["rev-parse", "HEAD"], { cwd: source, encoding: "utf8" }).trim();
}

function createRunContext(options: RunWorkflowOptions, masker: Masker): RunContext {
  const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), "job-runner-"));
  for (const dir of ["artifacts", "home", "npm-cache", "logs"]) mkdirSync(join(runDir, dir), { recursive: true });
  const source = options.source ? resolve(options.source) : undefined;
  const event = describeEvent(options.event ?? {}, sourceHead(source));
  masker.add(event.token);
  writeFileSync(join(runDir, "event.json"), JSON.stringify(event.payload, null, 2));
  return {
    runDir,
    artifactsDir: join(runDir, "artifacts"),
    event,
    // A HOME and an npm cache inside the run: nothing a step caches leaks into the next run or the user's.
    baseEnv: {
      ...pickHostEnv(options.hostEnv ?? process.env),
      HOME: join(runDir, "home"),
      npm_config_cache: join(runDir, "npm-cache"),
      npm_config_update_notifier: "false",
      ...options.extraEnv,
    },
    setup: {
      ...(source ? { source } : {}),
      ...(options.repositories ? { repositories: options.repositories } : {}),
      ...(options.python ? { python: options.python } : {}),
      ...(options.twine ? { twine: options.twine } : {}),
      node: options.node ?? process.execPath,
      ...(options.publish ? { publish: options.publish } : {}),
    },
    masker,
    vars: options.vars ?? {},
    workflowsDir: options.workflowsDir ?? dirname(resolve(options.workflow)),
    callDefaults: options.callDefaults ?? {},
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    now: options.now ?? (() => performance.now()),
  };
}

/**
 * Runs a workflow's jobs on this machine and returns every job's and step's status, outputs, duration and
 * masked log; result.json and one log per job are written in the run directory (masked too).
 * Errors in the workflow or the setup (unknown action, bad input, unsupported feature) throw RunnerError.
 */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
  const masker = new Masker();
  for (const value of [...Object.values(options.secrets ?? {}), options.publish?.password]) masker.add(value);
  const rc = createRunContext(options, masker);
  const started = rc.now();
  const workflow = loadWorkflow(resolve(options.workflow));
  const given: Record<string, Json> = { ...options.inputs };
  const inputs = workflow.call
    ? bindInputs(workflow.call.inputs, given, workflow.path, (value, name) =>
        evaluateValue(value, { contexts: { github: rc.event.context, vars: rc.vars } }, `${workflow.path} input ${name} default`),
      )
    : given;
  const secrets = workflow.call ? bindSecrets(workflow.call.secrets, options.secrets ?? {}, workflow.path) : { ...options.secrets };
  const jobs = await runJobs(rc, { workflow, inputs, secrets, keyPrefix: "" }, options.jobs, options.given);
  const failed = Object.values(jobs).some((j) => j.status === "failure");
  const result: RunResult = masker.maskDeep({
    status: failed ? "failure" : "success",
    jobs,
    runDir: rc.runDir,
    artifactsDir: rc.artifactsDir,
    durationMs: rc.now() - started,
  });
  writeFileSync(join(rc.runDir, "result.json"), JSON.stringify(result, null, 2));
  return result;
}
