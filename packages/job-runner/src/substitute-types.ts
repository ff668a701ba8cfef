/** What the run gives the local substitutes of third-party actions. */
export interface RunSetup {
  /** The directory actions/checkout brings into the workspace (a git repository is fetched, else copied). */
  source?: string;
  /** Other repositories by owner/name, for checkout's `repository:` input. */
  repositories?: Record<string, string>;
  /** The interpreter setup-python puts first on PATH (with its directory): the tools venv's python. */
  python?: string;
  /** twine for the PyPI publish substitute (default: `twine` beside `python`). */
  twine?: string;
  /** The node setup-node puts on PATH. */
  node: string;
  /**
   * Where the pypa/gh-action-pypi-publish substitute uploads when the workflow names no index on this machine
   * (e.g. the default PyPI URL, or trusted publishing without a password). Without it such a step fails.
   */
  publish?: { uploadUrl?: string; username?: string; password?: string };
}

export interface SubstituteContext {
  /** The `uses:` value, e.g. actions/checkout@<sha>. */
  action: string;
  /** The step's `with:` values, evaluated. */
  inputs: Record<string, string>;
  /** The step's environment (what a run: step would get). */
  env: NodeJS.ProcessEnv;
  workspace: string;
  /** Resolves a path relative to the workspace (absolute paths, e.g. under runner.temp, stay as they are). */
  resolvePath(path: string): string;
  artifactsDir: string;
  repository: string;
  ref: string;
  sha: string;
  setup: RunSetup;
  /** Adds a line to the step's log (masked by the runner). */
  log(line: string): void;
  /** Registers a value to mask from now on (like ::add-mask::). */
  mask(value: string): void;
}

export interface SubstituteResult {
  outputs?: Record<string, string>;
  /** Variables for later steps (like GITHUB_ENV). */
  env?: Record<string, string>;
  /** Directories in front of PATH for later steps (like GITHUB_PATH). */
  path?: string[];
}

export interface Substitute {
  /** What it does instead of the real action, for docs and the CLI's `substitutes` listing. */
  description: string;
  /** The inputs it reads; others are reported in the log as unexpected (GitHub warns the same way). */
  inputs: string[];
  run(ctx: SubstituteContext): Promise<SubstituteResult>;
}
