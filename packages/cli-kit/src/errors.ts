/** Exit statuses, the same in every helper: 0 ok, 1 the thing checked is wrong, 2 usage or environment. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_FAILURE | typeof EXIT_USAGE;

/** Where every error code is explained; the anchor is the code itself (docs/troubleshooting). */
export const TROUBLESHOOTING_URL = "https://pypi-workflows.github.io/pypi-workflows/troubleshooting";

export function troubleshootingLink(code: string): string {
  return `${TROUBLESHOOTING_URL}#${code.toLowerCase()}`;
}

export interface ErrorDetails {
  /** What to do next, one sentence. */
  hint?: string;
  /** Extra structured facts for --json output. */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The base of every error a helper reports: a stable `code` (e.g. `VU_TAG_MISMATCH`), an exit status and a
 * next step. Library code throws these; only the CLI turns them into output and an exit status.
 */
export class HelperError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: string, message: string, exitCode: ExitCode = EXIT_FAILURE, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "HelperError";
    this.code = code;
    this.exitCode = exitCode;
    this.hint = details.hint;
    this.data = details.data;
  }
}

/** Bad flags, missing arguments: exit 2. */
export class UsageError extends HelperError {
  constructor(message: string, hint?: string) {
    super("USAGE", message, EXIT_USAGE, { hint });
    this.name = "UsageError";
  }
}

/** The environment cannot do the job (no Python, index unreachable): exit 2. */
export class EnvironmentError extends HelperError {
  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(code, message, EXIT_USAGE, details);
    this.name = "EnvironmentError";
  }
}
