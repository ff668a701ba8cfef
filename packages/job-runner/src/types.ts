import type { Json } from "./expressions.js";

export type Status = "success" | "failure" | "skipped";

export interface StepResult {
  /** 1-based position in the job. */
  index: number;
  id?: string;
  name: string;
  /** The action a `uses:` step named (with its @ref), for run steps undefined. */
  uses?: string;
  /** The outcome (before continue-on-error). */
  outcome: Status;
  /** The conclusion (after continue-on-error): what success()/failure() see. */
  conclusion: Status;
  outputs: Record<string, string>;
  durationMs: number;
  /** Every line the step printed, masked. */
  log: string[];
  /** Why the step failed, when the runner knows (exit status, timeout, a substitute's or an expression's error). */
  error?: string;
}

export interface JobResult {
  /** The job's id, prefixed by the calling job's for jobs of a reusable workflow ("build/check"). */
  key: string;
  name: string;
  status: Status;
  outputs: Record<string, string>;
  durationMs: number;
  steps: StepResult[];
  /** The job summary: every step's GITHUB_STEP_SUMMARY, masked. */
  summary: string;
  /** For a job that calls a reusable workflow: that workflow's jobs. */
  jobs?: Record<string, JobResult>;
  /** For a job that calls a reusable workflow: that workflow's file name ("build.yml"). */
  workflow?: string;
  error?: string;
  /** What the runner noticed but did not fail on (e.g. an output dropped because it held a secret). */
  warnings: string[];
}

export interface RunResult {
  status: "success" | "failure";
  jobs: Record<string, JobResult>;
  /** Where the run kept its workspaces, artifacts, logs and result.json. */
  runDir: string;
  artifactsDir: string;
  durationMs: number;
}

export type ProgressEvent =
  | { type: "job-start"; job: string; name: string }
  | { type: "job-end"; job: string; status: Status; durationMs: number }
  | { type: "step-start"; job: string; step: string }
  | { type: "step-end"; job: string; step: string; status: Status; durationMs: number; error?: string }
  | { type: "log"; job: string; step: string; line: string };

/** Results of jobs given instead of run (the `needs` context of a single job run alone). */
export interface GivenJob {
  result: Status;
  outputs?: Record<string, string>;
}

export type Contexts = Record<string, Json>;
