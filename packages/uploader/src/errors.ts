import { HelperError } from "@pypi-workflows/cli-kit";
import { ERROR_CODES as INDEX_CODES, MANIFEST_ERROR_CODES } from "@pypi-workflows/index-client";

/** Every code pypi-upload can emit, for the troubleshooting pages. */
export const ERROR_CODES = {
  ...INDEX_CODES,
  ...MANIFEST_ERROR_CODES,
  UP_FILE_CONFLICT: {
    summary: "The index already has a file with this name but different bytes (file names can never be reused).",
    fix: "Bump the version and release again; a published file name can never be replaced.",
  },
  UP_SDIST_CONFLICT: {
    summary: "The release already has a different source distribution (one sdist per release).",
    fix: "Bump the version; a release holds one sdist and it cannot be replaced.",
  },
  UP_AUTH: {
    summary: "The index refused the credentials (401/403): a missing, wrong, expired or wrongly scoped token.",
    fix: "Check the token secret (scoped to this project) or the trusted publisher settings; nothing was retried.",
  },
  UP_REJECTED: {
    summary: "The index rejected a file (400): metadata, classifiers, version or file name it does not accept.",
    fix: "Read the index's message, fix the project metadata, bump the version and rebuild.",
  },
  UP_RETRIES_EXHAUSTED: {
    summary: "Uploading kept failing with server errors, resets or timeouts.",
    fix: "Re-run the job later: files already uploaded are kept and the re-run uploads only the missing ones.",
  },
  UP_NO_CREDENTIALS: {
    summary: "No password or token was given for the upload.",
    fix: "Set TWINE_PASSWORD (a PyPI API token, with TWINE_USERNAME=__token__) in the step's env from a secret.",
  },
} as const;

export type UploadErrorCode = keyof typeof ERROR_CODES;

export function uploadError(code: UploadErrorCode, message: string, data?: Record<string, unknown>): HelperError {
  const exitCode = code === "UP_NO_CREDENTIALS" ? 2 : 1;
  return new HelperError(code, message, exitCode, { hint: ERROR_CODES[code].fix, ...(data ? { data } : {}) });
}
