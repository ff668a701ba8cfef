import type { GithubEvent } from "./event.js";
import type { Json } from "./expressions.js";
import type { Masker } from "./mask.js";
import type { RunSetup } from "./substitute-types.js";
import type { ProgressEvent } from "./types.js";
import type { WorkflowSpec } from "./workflow.js";

/** What every job of one run shares. */
export interface RunContext {
  runDir: string;
  artifactsDir: string;
  event: GithubEvent;
  /** The host variables steps get (PATH, LANG, ...) plus HOME and npm's cache inside the run, plus extra env. */
  baseEnv: Record<string, string>;
  setup: RunSetup;
  masker: Masker;
  vars: Record<string, string>;
  /** Where reusable workflows named by `uses:` are looked up. */
  workflowsDir: string;
  /** Inputs for every called workflow that declares them, where its caller did not set them (RunWorkflowOptions.callDefaults). */
  callDefaults: Record<string, string | number | boolean>;
  onProgress?: (event: ProgressEvent) => void;
  now(): number;
}

/** One workflow being run: the top one, or a reusable one called by a job. */
export interface CallScope {
  workflow: WorkflowSpec;
  inputs: Record<string, Json>;
  secrets: Record<string, string>;
  /** "" for the top workflow, "caller/" inside a reusable workflow called by job "caller". */
  keyPrefix: string;
}

/** The mutable state of one job while its steps run. */
export interface JobState {
  key: string;
  workspace: string;
  tempDir: string;
  fileDir: string;
  /** Contexts fixed for the job: github, inputs, secrets, vars, needs, matrix, strategy, runner. */
  contexts: Record<string, Json>;
  /** Workflow and job env:, evaluated once at the start of the job. */
  jobEnv: Record<string, string>;
  /** GITHUB_ENV values written by earlier steps. */
  envFile: Record<string, string>;
  /** GITHUB_PATH directories, first = first on PATH. */
  path: string[];
  runnerEnv: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }>;
  summary: string[];
  failed: boolean;
  /** now() value after which the job has timed out. */
  deadline: number;
  defaults: { shell?: string; workingDirectory?: string };
}
