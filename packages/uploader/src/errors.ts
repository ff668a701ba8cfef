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

export function uploadError(code: UploadErrorCode, message: string, data?: Record<string, unknown>, hint: string = ERROR_CODES[code].fix): HelperError {
  const exitCode = code === "UP_NO_CREDENTIALS" ? 2 : 1;
  return new HelperError(code, message, exitCode, { hint, ...(data ? { data } : {}) });
}

/**
 * PyPI's 400s whose next step is not UP_REJECTED's "fix the metadata, bump the version": a new project's name
 * refused (a new version would be refused the same way), and a release closed to new files. Matched on
 * warehouse's wording, which twine prints.
 */
const REJECTION_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /too similar to an existing project|isn't allowed/i,
    "The index refused to create the project under this name, so nothing was uploaded: rename the distribution ([project] name in pyproject.toml) and rebuild. dist-check --target pypi|testpypi names the projects a new name collides with.",
  ],
  [
    /releases older than 14 days/i,
    "The release is closed to new files (14 days after its first upload): release a new version with all its files (version-util bump post for a packaging-only fix).",
  ],
  [
    /file too large|project size too large/i,
    "The file, or the project's files together, exceed the index's size limit (PyPI: 100 MiB a file, 10 GiB a project, unless it granted more). Make the files smaller or delete old releases' files; if PyPI granted larger limits, pass them to build.yml (max-file-size, max-project-size) so dist-check knows them.",
  ],
  [
    /zip archive not accepted|exceeds compression ratio/i,
    "The index refused the wheel's zip itself: rebuild it with the build backend, without a tool rewriting the zip afterwards (dist-check reports this as DC_ZIP_FRAMING or DC_COMPRESSION_RATIO before uploading).",
  ],
];

/** The next step for an index's 400, by its message. */
export function rejectionHint(message: string): string {
  return REJECTION_HINTS.find(([pattern]) => pattern.test(message))?.[1] ?? ERROR_CODES.UP_REJECTED.fix;
}
