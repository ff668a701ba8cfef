import { EnvironmentError, type ErrorDetails } from "@pypi-workflows/cli-kit";
import { MANIFEST_ERROR_CODES, SAVE_ERROR_CODES } from "@pypi-workflows/index-client";

/**
 * Every code install-verifier can emit: thrown errors (exit 2, or exit 1 for a broken input) and the codes
 * a failed step carries in the report (exit 1). The docs generate the troubleshooting pages from this table.
 */
export const ERROR_CODES = {
  IV_NO_PYTHON: {
    summary: "No Python interpreter could be started (the one given with --python, or python3/python on PATH).",
    fix: "Install Python (actions/setup-python in GitHub Actions) or pass --python PATH.",
  },
  IV_NO_INSTALLER: {
    summary: "The installer asked for is not available: uv not on PATH nor beside the interpreter, or no pip.",
    fix: "Install uv (astral-sh/setup-uv) or pip 22.3+ for the interpreter, or choose --installer auto.",
  },
  IV_VENV_FAILED: {
    summary: "Creating the fresh virtual environment failed.",
    fix: "Check that the interpreter has the venv module (Debian: apt-get install python3-venv) and disk space.",
  },
  IV_NO_DIST: {
    summary: "--dist DIR holds no wheel to verify (or no sdist with --sdist), or files of several projects.",
    fix: "Point --dist at the directory that python -m build wrote (one project's wheel and sdist).",
  },
  ...MANIFEST_ERROR_CODES,
  IV_INDEX_UNAUTHORIZED: {
    summary: "The index refused to list the project (401/403); install-verifier sends no credentials to any index.",
    fix: "Verify on an index that lists the project without login (PyPI, TestPyPI), and check --index-url/--target.",
  },
  // index-client's, from keeping a file downloaded from the index in the working directory (disk full, no permission).
  ...SAVE_ERROR_CODES,
  IV_INDEX_UNREACHABLE: {
    summary: "The index never answered within --timeout (network error or server error on every attempt).",
    fix: "Check --index-url/--target and the network; raise --timeout when the index is slow.",
  },
  IV_NOT_PUBLISHED: {
    summary: "The files of NAME==VERSION did not appear on the index's simple page before --timeout.",
    fix: "Check that the upload succeeded and the version; indexes can lag: raise --timeout. Never re-upload.",
  },
  IV_SHA_MISMATCH: {
    summary: "The index lists a file of this release whose sha256 differs from the manifest's (other bytes).",
    fix: "A different file was uploaded under the same name; files cannot be replaced: release a new version.",
  },
  IV_INSTALL_FAILED: {
    summary: "Installing the package itself (with --no-deps) failed.",
    fix: "Read the installer output: wrong Requires-Python, or no wheel for this Python/platform (a release with wheels is installed from wheels only).",
  },
  IV_HASH_MISMATCH: {
    summary: "A file downloaded from the index does not have the manifest's sha256 (or, without a manifest, the index's own).",
    fix: "The index serves other bytes than the ones built: check the upload, and that a proxy does not alter files.",
  },
  IV_DEPS_INSTALL_FAILED: {
    summary: "Installing the package's dependencies from the dependency index failed.",
    fix: "Check Requires-Dist in the metadata and --deps-index-url (test indexes lack most dependencies).",
  },
  IV_SDIST_BUILD_FAILED: {
    summary: "Building a wheel from the sdist failed.",
    fix: "Build from the sdist locally (pip wheel SDIST): a file the build needs is probably missing from the sdist.",
  },
  IV_METADATA_UNREADABLE: {
    summary: "The installed distribution's metadata could not be read with importlib.metadata in the environment.",
    fix: "Use Python 3.8+ (--python), and read the output: a malformed METADATA, RECORD or entry_points.txt in the wheel.",
  },
  IV_VERSION_MISMATCH: {
    summary: "The installed distribution's name or version differs from the one verified.",
    fix: "Check the version in the built metadata (dynamic versions need fetch-depth: 0 or a pretend version).",
  },
  IV_IMPORT_FAILED: {
    summary: "Importing a top-level package of the distribution failed in a fresh interpreter.",
    fix: "Read the traceback: a missing dependency, missing package data, or an error at import time.",
  },
  IV_ENTRY_POINT_FAILED: {
    summary: "A console_scripts/gui_scripts entry point exited non-zero (or crashed, or its target is missing).",
    fix: "Run the script with the same arguments; use --entry-point-args SCRIPT=--help for scripts without --version.",
  },
  IV_ENTRY_POINT_VERSION: {
    summary: "An entry point's --version output names a version other than the one verified.",
    fix: "Read the version from importlib.metadata instead of a hard-coded string.",
  },
  IV_UNKNOWN_ENTRY_POINT: {
    summary: "--entry-point-args names a script the installed distribution does not have.",
    fix: "Use a script name from [project.scripts] / [project.gui-scripts] (the report lists the scripts run).",
  },
  IV_SMOKE_FAILED: {
    summary: "The --smoke command exited non-zero in the environment.",
    fix: "Run the smoke command locally in a fresh environment with the package installed.",
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

function details(code: ErrorCode, extra: ErrorDetails = {}): ErrorDetails {
  return { hint: ERROR_CODES[code].fix, ...extra };
}

/** The environment cannot do the job (no Python, no installer, no venv, index down): exit 2. */
export class VerifierEnvironmentError extends EnvironmentError {
  constructor(code: ErrorCode, message: string, extra: ErrorDetails = {}) {
    super(code, message, details(code, extra));
    this.name = "VerifierEnvironmentError";
  }
}

/** The input files (dist directory, manifest) cannot be used: exit 2, like a bad flag. */
export class VerifierInputError extends EnvironmentError {
  constructor(code: ErrorCode, message: string, extra: ErrorDetails = {}) {
    super(code, message, details(code, extra));
    this.name = "VerifierInputError";
  }
}
