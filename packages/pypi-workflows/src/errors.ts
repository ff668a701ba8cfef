import { ERROR_CODES as KIT_CODES, EXIT_USAGE, HelperError } from "@pypi-workflows/cli-kit";
import { ERROR_CODES as INDEX_CODES } from "@pypi-workflows/index-client";
import { ERROR_CODES as RUNNER_CODES } from "@pypi-workflows/job-runner";

/** Every code pypi-workflows can emit, for the troubleshooting pages. */
export const ERROR_CODES = {
  // The job runner's (bundled): a workflow the runner cannot execute, a bad input, the local npm registry.
  ...RUNNER_CODES,
  ...INDEX_CODES,
  // cli-kit's: USAGE, INTERNAL, PROGRAM_NOT_FOUND and LOCAL_INDEX_FAILED (the throwaway index did not start).
  ...KIT_CODES,
  PW_NOT_A_REPOSITORY: {
    summary: "The project directory is not inside a git repository (the rehearsal clones committed work).",
    fix: "Run `git init && git add -A && git commit -m initial` in the project, or name a directory inside a repository.",
  },
  PW_NO_PROJECT: {
    summary: "The project directory has no pyproject.toml.",
    fix: "Name the directory that holds pyproject.toml (for a monorepo, the package's directory). A setuptools project configured by setup.py or setup.cfg alone needs a pyproject.toml with its [build-system] first (version-util's VU_LEGACY_SETUPTOOLS gives it).",
  },
  PW_NO_COMMIT: {
    summary: "The repository has no commit yet.",
    fix: "Commit the project first: only committed work is rehearsed.",
  },
  PW_NO_WORKFLOW: {
    summary: "The --workflow file does not exist.",
    fix: "Name your caller workflow file, e.g. --workflow .github/workflows/release.yml (a path from where you run the command).",
  },
  PW_TOOLS: {
    summary: "The Python tools (pypiserver, twine, build) could not be installed or started.",
    fix: "Check that python3 (3.9 or newer) with venv is installed, then re-run; the output above says what failed.",
  },
  PW_HELPERS: {
    summary: "The helper CLIs could not be made available (local npm registry or the workspace build).",
    fix: "Build the workspace first (pnpm build), or use --helpers npm.",
  },
  PW_BAD_TAG: {
    summary: "The --tag cannot be created for the rehearsal: git refuses the name, or a tag in the repository leaves no room for it (v1.0.0/rc blocks v1.0.0).",
    fix: "Pass the release tag as you would push it, e.g. --tag v1.2.3 (the workflows release tags matching v*.*.*).",
  },
  PW_GIT_FAILED: {
    summary: "git failed while reading the project's repository or cloning it for the rehearsal (a damaged repository?).",
    fix: "Run `git fsck` in the repository and repair what it reports; the rehearsal only reads the repository and clones its committed work.",
  },
} as const;

export type RehearsalErrorCode = Extract<keyof typeof ERROR_CODES, `PW_${string}`>;

/** A problem with the environment or the input (exit 2); the rehearsal's own finding is its report (exit 1). */
export function rehearsalError(code: RehearsalErrorCode, message: string, data?: Record<string, unknown>): HelperError {
  return new HelperError(code, message, EXIT_USAGE, { hint: ERROR_CODES[code].fix, ...(data ? { data } : {}) });
}
