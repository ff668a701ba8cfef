import { EnvironmentError, HelperError, type ErrorDetails } from "@pypi-workflows/cli-kit";
import { ERROR_CODES as INDEX_ERROR_CODES } from "@pypi-workflows/index-client";

/**
 * Every code version-util can report, with what it means and the fix: the docs generate the troubleshooting
 * pages from this catalog, and a test checks that each code thrown in src/ is listed here.
 */
export const ERROR_CODES = {
  VU_INVALID_VERSION: {
    summary: "The text is not a valid PEP 440 version.",
    fix: "Use a version such as 1.2.3, 1.2.3rc1, 1.2.3.post1 or 1.2.3.dev4 (see PEP 440).",
  },
  VU_INVALID_TAG: {
    summary: "The tag does not name a PEP 440 version.",
    fix: "Tag releases as vX.Y.Z (for example v1.2.3 or v1.2.3rc1); delete the wrong tag with git tag -d and git push --delete.",
  },
  VU_TAG_TOO_SHORT: {
    summary: "The tag's version has fewer than three release numbers (v1.2).",
    fix: "Tag the release with three numbers: v1.2.0 instead of v1.2.",
  },
  VU_TAG_LOCAL_VERSION: {
    summary: "The tag's version has a local part (+...), which PyPI rejects.",
    fix: "Remove the +local part from the tag: v1.2.3 instead of v1.2.3+abc.",
  },
  VU_TAG_MISMATCH: {
    summary: "The tag's version differs from the project's version.",
    fix: "Set the project's version to the tag's (version-util bump X.Y.Z), commit, and move the tag; or tag the version the project declares.",
  },
  VU_TAG_NOT_FOUND: {
    summary: "The tag does not exist in this git repository.",
    fix: "Create the tag, or fetch tags (actions/checkout with fetch-depth: 0).",
  },
  VU_TAG_NOT_AT_HEAD: {
    summary: "The project takes its version from git tags, and the tag does not point at the checked-out commit.",
    fix: "Check out the tagged commit (the workflow's ref should be the tag), or move the tag to this commit.",
  },
  VU_DIRTY_WORKTREE: {
    summary: "The project takes its version from git tags, and tracked files have uncommitted changes: setuptools-scm would build a .dev version, not the tag's.",
    fix: "Commit or stash the changes (git status lists them; untracked files do not matter). In CI, a step before this one modified tracked files: make it write elsewhere, or check the tag before it runs.",
  },
  VU_NO_PYPROJECT: {
    summary: "There is no pyproject.toml in the project directory.",
    fix: "Run in the project's root or pass --project DIR (the directory holding pyproject.toml).",
  },
  VU_LEGACY_SETUPTOOLS: {
    summary: "The project is configured by setup.py or setup.cfg alone, without pyproject.toml: where the version comes from is then decided by setup.py, which is Python code.",
    fix: 'Add a pyproject.toml holding only [build-system] (requires = ["setuptools>=61"], build-backend = "setuptools.build_meta"): python -m build then uses it, the metadata stays in setup.cfg, and version-util reads setup.cfg\'s [metadata] version (a literal, attr: or file:).',
  },
  VU_MALFORMED_PYPROJECT: {
    summary: "pyproject.toml is not valid TOML.",
    fix: "Fix the TOML at the line and column given (a TOML linter such as taplo shows it too).",
  },
  VU_MALFORMED_SETUP_CFG: {
    summary: "setup.cfg is not what setuptools can read (Python's configparser): a line outside any section, a key set twice in one section, a section given twice, or a line that is no key = value.",
    fix: "Fix the line given; setuptools refuses the same file when it builds.",
  },
  VU_NO_VERSION: {
    summary: "The project declares no version anywhere.",
    fix: 'Set [project] version = "0.1.0", or declare dynamic = ["version"] with a version source (setuptools-scm, hatch-vcs, [tool.hatch.version] path). A setuptools project may set it in setup.cfg ([metadata] version), but not only in setup.py: version-util does not run project code.',
  },
  VU_VERSION_NOT_STRING: {
    summary: "The version key in pyproject.toml is not a string (for example version = 1.0, without quotes).",
    fix: 'Write the version in quotes, as a TOML string: version = "1.0.0".',
  },
  VU_UNKNOWN_DYNAMIC_VERSION: {
    summary: 'dynamic = ["version"] without a version source version-util knows.',
    fix: "Configure [tool.setuptools_scm], [tool.hatch.version] (path or source = \"vcs\"), [tool.setuptools.dynamic] version (attr: or file:), [tool.pdm.version] (source = \"file\" or \"scm\"), or build with flit_core (__version__ in the module).",
  },
  VU_VERSION_CONFLICT: {
    summary: "Two places declare different versions (for example [project] version and __version__, or [project] and [tool.poetry] version).",
    fix: "Make them agree, or keep one source: make __version__ read importlib.metadata.version(...), drop [tool.poetry] version beside [project] version, or make the version dynamic from one file.",
  },
  VU_VERSION_FILE: {
    summary: "The file that should hold the version is missing or has no readable version in it.",
    fix: 'Make the file assign a literal: __version__ = "1.2.3".',
  },
  VU_SHALLOW_CLONE: {
    summary: "The git clone is shallow: tags and commit counts are missing, so versions would be wrong.",
    fix: "Fetch the full history: actions/checkout with fetch-depth: 0 (or git fetch --unshallow --tags).",
  },
  VU_NOT_A_GIT_REPO: {
    summary: "The project takes its version from git (or needs its history), but it is not in a git work tree.",
    fix: "Run inside a git clone of the project (actions/checkout with fetch-depth: 0).",
  },
  VU_GIT_FAILED: {
    summary: "A git command failed.",
    fix: "Check that git is installed and the repository is readable; the message shows git's output.",
  },
  VU_BAD_BUMP: {
    summary: "The bump is not one hatchling's standard scheme accepts, or does not raise the version.",
    fix: "Use major, minor, micro/patch/fix, a/alpha, b/beta, c/rc/pre/preview, post/rev/r, dev, release, combinations like minor,rc, or a higher explicit version.",
  },
  VU_EDIT_FAILED: {
    summary: "The version could not be located safely in the file that declares it.",
    fix: 'Write the version as a plain line, e.g. version = "1.2.3" under [project], and run again.',
  },
  VU_WRITE_FAILED: {
    summary: "The file could not be written (nothing was changed).",
    fix: "Check the file's and directory's permissions.",
  },
  VU_NO_NAME: {
    summary: "The project has no name ([project] name or [tool.poetry] name).",
    fix: 'Add [project] name = "your-project" to pyproject.toml.',
  },
  ...INDEX_ERROR_CODES,
  PROGRAM_NOT_FOUND: {
    summary: "A program version-util needs (git) could not be started.",
    fix: "Install git and put it on PATH.",
  },
  USAGE: {
    summary: "The command line is wrong (unknown command or option, missing argument).",
    fix: "Run version-util <command> --help.",
  },
} as const satisfies Record<string, { summary: string; fix: string }>;

export type VersionUtilCode = keyof typeof ERROR_CODES;

/** Kept for callers of 0.1: the codes as named constants. */
export const VersionErrorCode = { invalidVersion: "VU_INVALID_VERSION" } as const;

/** A failure of the thing checked (exit 1); the hint defaults to the catalog's fix. */
export class VersionUtilError extends HelperError {
  constructor(code: VersionUtilCode, message: string, details: ErrorDetails = {}) {
    super(code, message, 1, { hint: ERROR_CODES[code].fix, ...details });
    this.name = "VersionUtilError";
  }
}

/** The environment cannot answer (no git history, unwritable file): exit 2. */
export class VersionUtilEnvironmentError extends EnvironmentError {
  constructor(code: VersionUtilCode, message: string, details: ErrorDetails = {}) {
    super(code, message, { hint: ERROR_CODES[code].fix, ...details });
    this.name = "VersionUtilEnvironmentError";
  }
}

/** The input is not a PEP 440 version (exit 1). */
export class InvalidVersionError extends VersionUtilError {
  constructor(input: string, details: ErrorDetails = {}) {
    super("VU_INVALID_VERSION", `"${input}" is not a valid PEP 440 version`, {
      hint: "use a version such as 1.2.3, 1.2.3rc1, 1.2.3.post1 or 1.2.3.dev4 (see PEP 440)",
      data: { input },
      ...details,
    });
    this.name = "InvalidVersionError";
  }
}

export { EnvironmentError, HelperError };
