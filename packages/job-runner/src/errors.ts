import { EnvironmentError, type ErrorDetails } from "@pypi-workflows/cli-kit";

/**
 * Every code the job runner can emit, with what it means and what to do. The docs generate the
 * troubleshooting pages from this catalog; a test checks that every code thrown in src/ is listed here.
 * These are errors in the workflow or the run's setup (exit 2): a step that fails is a result (exit 1).
 */
export const ERROR_CODES: Record<string, { summary: string; fix: string }> = {
  JR_WORKFLOW_INVALID: {
    summary: "The workflow file cannot be read or is not a valid workflow",
    fix: "Check the YAML and its shape (on, jobs, steps) with actionlint",
  },
  JR_JOB_NOT_FOUND: { summary: "The workflow has no job with that id", fix: "Pass one of the job ids the message lists" },
  JR_UNSUPPORTED: {
    summary: "The workflow uses a feature the local job runner does not execute (matrix, services, containers, ...)",
    fix: "Run that job on GitHub, or change the workflow; the runner never skips what it cannot do",
  },
  JR_UNKNOWN_ACTION: {
    summary: "A `uses:` step names an action with no local substitute",
    fix: "Add a local equivalent to src/substitutes.ts (the one table), or remove the step",
  },
  JR_EXPRESSION: {
    summary: "A ${{ }} expression cannot be parsed or evaluated",
    fix: "Fix the expression at the place the message names (contexts: github, env, inputs, secrets, steps, needs, job, runner, vars, matrix, jobs)",
  },
  JR_INPUT_INVALID: {
    summary: "A workflow_call input or secret is missing, unknown or of the wrong type",
    fix: "Pass every required input/secret with the declared type (boolean: true/false, number: digits)",
  },
  JR_REUSABLE_NOT_FOUND: {
    summary: "A reusable workflow named by a job's `uses:` is not in the workflows directory",
    fix: "Pass workflowsDir (--workflows-dir) with the directory that holds it",
  },
  JR_NEEDS_INVALID: { summary: "A job's needs name an unknown job or form a cycle", fix: "Fix the job's needs: list" },
  JR_REGISTRY: {
    summary: "The local npm registry (verdaccio) could not be installed, started or published to",
    fix: "Read the registry's log in the message; npm must reach its registry once to install verdaccio",
  },
  USAGE: { summary: "Bad arguments", fix: "Run job-runner --help" },
  PROGRAM_NOT_FOUND: { summary: "A program (bash, git, twine) cannot be run", fix: "Install it and put it on PATH" },
};

export type RunnerErrorCode = keyof typeof ERROR_CODES;

/** The workflow or the run's setup is wrong: nothing ran (or the run stopped), exit 2. */
export class RunnerError extends EnvironmentError {
  constructor(code: RunnerErrorCode, message: string, details: ErrorDetails = {}) {
    super(code, message, { hint: ERROR_CODES[code]?.fix, ...details });
    this.name = "RunnerError";
  }
}

