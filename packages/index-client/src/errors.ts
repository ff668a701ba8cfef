import { EnvironmentError } from "@pypi-workflows/cli-kit";

/** The codes this module can raise, for the troubleshooting catalog. */
export const ERROR_CODES = {
  IDX_UNREACHABLE: {
    summary: "The package index did not answer, or answered with a server error.",
    fix: "Check the index URL and the network; for PyPI/TestPyPI, retry later (status: https://status.python.org).",
  },
  IDX_UNAUTHORIZED: {
    summary: "The package index refused to list the project (401/403).",
    fix: "Give credentials for a private index through the environment, or check the index URL.",
  },
} as const;

/** The index could not be asked (network error, timeout, 5xx): exit 2, never a guess. */
export class IndexUnreachableError extends EnvironmentError {
  constructor(url: string, reason: string, cause?: unknown) {
    super("IDX_UNREACHABLE", `cannot read ${url}: ${reason}`, { hint: ERROR_CODES.IDX_UNREACHABLE.fix, cause, data: { url } });
  }
}

/**
 * Codes of the download-and-keep path only (sha256OfIndexFile with saveTo), apart from ERROR_CODES: only the
 * helpers that keep a downloaded file list them in their catalogs.
 */
export const SAVE_ERROR_CODES = {
  IDX_SAVE_FAILED: {
    summary: "A file downloaded from the package index could not be written to the local disk (not the index's fault).",
    fix: "Check free space and write permission in the temporary directory (TMPDIR or the runner's temp directory).",
  },
} as const;

/** The download went fine, writing its bytes here did not (disk full, no permission): exit 2, not retried. */
export class IndexFileSaveError extends EnvironmentError {
  constructor(url: string, path: string, reason: string, cause?: unknown) {
    super("IDX_SAVE_FAILED", `cannot save ${url} to ${path}: ${reason}`, { hint: SAVE_ERROR_CODES.IDX_SAVE_FAILED.fix, cause, data: { url, path } });
  }
}

export class IndexUnauthorizedError extends EnvironmentError {
  constructor(url: string, status: number) {
    super("IDX_UNAUTHORIZED", `the index refused ${url} with ${status}`, { hint: ERROR_CODES.IDX_UNAUTHORIZED.fix, data: { url, status } });
  }
}
