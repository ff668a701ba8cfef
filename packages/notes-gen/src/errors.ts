import { EnvironmentError, HelperError, type ErrorDetails } from "@pypi-workflows/cli-kit";
import { MANIFEST_ERROR_CODES } from "@pypi-workflows/index-client";

/**
 * Every code notes-gen can emit, with what it means and what to do. The docs generate the troubleshooting
 * pages from this catalog; a test checks that every code thrown in src/ is listed here.
 */
export const ERROR_CODES: Record<string, { summary: string; fix: string }> = {
  NG_SHALLOW_CLONE: {
    summary: "The clone is shallow and the previous release tag is not in its history",
    fix: "Use actions/checkout with fetch-depth: 0 (or run git fetch --unshallow --tags)",
  },
  NG_NOT_A_REPOSITORY: { summary: "The directory is not inside a git repository", fix: "Pass --cwd with the project's checkout" },
  NG_UNKNOWN_REF: { summary: "A --from, --to or --tag ref does not exist", fix: "Check the name with git tag --list / git rev-parse" },
  NG_INVALID_TAG: { summary: "The tag does not hold a PEP 440 version", fix: "Tag releases as vX.Y.Z (e.g. v1.2.3, v1.3.0rc1)" },
  NG_GIT_FAILED: { summary: "A git command failed", fix: "Run the git command shown in the message yourself to see why" },
  NG_NO_PACKAGE_NAME: {
    summary: "The package name is unknown",
    fix: "Pass --name, --manifest, or run in a project whose pyproject.toml has [project] name",
  },
  ...MANIFEST_ERROR_CODES,
  NG_MANIFEST_MISMATCH: {
    summary: "The manifest's version is not the tag's version",
    fix: "Pass the manifest of this release's build, or tag the version that was built",
  },
  NG_CONFIG_INVALID: { summary: "The --config file is not valid", fix: "See the notes-gen docs for the config file's shape" },
  NG_CHANGELOG_IO: { summary: "The changelog file cannot be read or written", fix: "Check the path and its permissions" },
  NG_OUTPUT_IO: { summary: "The --output file cannot be written", fix: "Check the path and its permissions" },
  NG_NO_TOKEN: { summary: "GITHUB_TOKEN is not set", fix: "Give the step the env GITHUB_TOKEN (the github.token expression) and permissions contents: write" },
  NG_NO_REPOSITORY: { summary: "The GitHub repository is unknown", fix: "Set GITHUB_REPOSITORY=owner/name or pass --repo" },
  NG_ASSET_NOT_FOUND: { summary: "An asset file does not exist", fix: "Build the files first and pass their paths" },
  NG_DUPLICATE_ASSET: { summary: "Two assets have the same file name", fix: "Pass each file name once" },
  NG_ASSET_CONFLICT: {
    summary: "The release already has an asset of that name with different bytes",
    fix: "Never replace a published file: delete the asset by hand if you are sure, or release a new version",
  },
  NG_GITHUB_API: { summary: "The GitHub API refused or failed a request", fix: "Check the token's permissions (contents: write) and GITHUB_API_URL" },
  USAGE: { summary: "Bad arguments", fix: "Run notes-gen --help" },
  PROGRAM_NOT_FOUND: { summary: "git cannot be run", fix: "Install git and put it on PATH" },
};

export type NotesErrorCode = keyof typeof ERROR_CODES;

/** The thing checked is wrong (exit 1). */
export class NotesError extends HelperError {
  constructor(code: NotesErrorCode, message: string, details: ErrorDetails = {}) {
    super(code, message, 1, { hint: ERROR_CODES[code]?.fix, ...details });
    this.name = "NotesError";
  }
}

/** The environment or the input cannot do the job (exit 2). */
export class NotesEnvironmentError extends EnvironmentError {
  constructor(code: NotesErrorCode, message: string, details: ErrorDetails = {}) {
    super(code, message, { hint: ERROR_CODES[code]?.fix, ...details });
    this.name = "NotesEnvironmentError";
  }
}

export { HelperError };
