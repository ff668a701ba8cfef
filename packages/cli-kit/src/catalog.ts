/** The codes every helper can emit through cli-kit itself (docs: troubleshooting). */
export const ERROR_CODES = {
  USAGE: {
    summary: "The command line is wrong: an unknown option, a missing argument, a value that is not allowed.",
    fix: "Run the command with --help and correct the arguments.",
  },
  INTERNAL: {
    summary: "An unexpected error: a bug in pypi-workflows.",
    fix: "Report it with the full output; re-running is safe.",
  },
  PROGRAM_NOT_FOUND: {
    summary: "A program the helper runs (python, git, twine, uv) could not be started.",
    fix: "Install it or put it on PATH (actions/setup-python in GitHub Actions).",
  },
  ACTIONS_FILE_MISSING: {
    summary: "Inside GitHub Actions (GITHUB_ACTIONS=true), GITHUB_OUTPUT or GITHUB_STEP_SUMMARY names a file that does not exist or cannot be written; the helper stops before doing anything.",
    fix: "Run the helper as a step of an Actions job (the runner creates these files), or unset GITHUB_ACTIONS outside Actions.",
  },
  LOCAL_INDEX_FAILED: {
    summary: "The local package index (pypiserver) for a rehearsal or a test did not start.",
    fix: "Check the tools venv (tools/python/setup.sh) and that 127.0.0.1 ports can be opened.",
  },
} as const;
