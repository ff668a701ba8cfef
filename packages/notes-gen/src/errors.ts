import { EnvironmentError, HelperError, type ErrorDetails } from "@pypi-workflows/cli-kit";
import { MANIFEST_ERROR_CODES } from "@pypi-workflows/index-client";

/**
 * Every code notes-gen can emit, with what it means and what to do. The docs generate the troubleshooting
 * pages from this catalog; a test checks that every code thrown in src/ is listed here.
 */
export const ERROR_CODES: Record<string, { summary: string; fix: string }> = {
  NG_SHALLOW_CLONE: {
    summary: "the clone is shallow and the previous release tag is not in its history",
    fix: "use actions/checkout with fetch-depth: 0 (or run git fetch --unshallow --tags)",
  },
  NG_NOT_A_REPOSITORY: { summary: "the directory is not inside a git repository", fix: "pass --cwd with the project's checkout" },
  NG_UNKNOWN_REF: { summary: "a --from, --to or --tag ref does not exist", fix: "check the name with git tag --list / git rev-parse" },
  NG_INVALID_TAG: { summary: "the tag does not hold a PEP 440 version", fix: "tag releases as vX.Y.Z (e.g. v1.2.3, v1.3.0rc1)" },
  NG_GIT_FAILED: { summary: "a git command failed", fix: "run the git command shown in the message yourself to see why" },
  NG_NO_PACKAGE_NAME: {
    summary: "the package name is unknown",
    fix: "pass --name, --manifest, or run in a project whose pyproject.toml has [project] name",
  },
  ...MANIFEST_ERROR_CODES,
  NG_MANIFEST_MISMATCH: {
    summary: "the manifest's version is not the tag's version",
    fix: "pass the manifest of this release's build, or tag the version that was built",
  },
  NG_CONFIG_INVALID: { summary: "the --config file is not valid", fix: "see the notes-gen docs for the config file's shape" },
  NG_CHANGELOG_IO: { summary: "the changelog file cannot be read or written", fix: "check the path and its permissions" },
  NG_OUTPUT_IO: { summary: "the --output file cannot be written", fix: "check the path and its permissions" },
  NG_NO_TOKEN: { summary: "GITHUB_TOKEN is not set", fix: "give the step the env GITHUB_TOKEN (the github.token expression) and permissions contents: write" },
  NG_NO_REPOSITORY: { summary: "the GitHub repository is unknown", fix: "set GITHUB_REPOSITORY=owner/name or pass --repo" },
  NG_ASSET_NOT_FOUND: { summary: "an asset file does not exist", fix: "build the files first and pass their paths" },
  NG_DUPLICATE_ASSET: { summary: "two assets have the same file name", fix: "pass each file name once" },
  NG_ASSET_CONFLICT: {
    summary: "the release already has an asset of that name with different bytes",
    fix: "never replace a published file: delete the asset by hand if you are sure, or release a new version",
  },
  NG_GITHUB_API: { summary: "the GitHub API refused or failed a request", fix: "check the token's permissions (contents: write) and GITHUB_API_URL" },
  USAGE: { summary: "bad arguments", fix: "run notes-gen --help" },
  PROGRAM_NOT_FOUND: { summary: "git cannot be run", fix: "install git and put it on PATH" },
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
