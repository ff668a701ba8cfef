import { availableParallelism, tmpdir } from "node:os";
import { UsageError } from "@pypi-workflows/cli-kit";
import { resolveIndex } from "@pypi-workflows/index-client";
import type { InstallerChoice } from "./installer.js";
import type { Clock } from "./poll-index.js";

/** Options every verification takes. */
export interface CommonOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** --python: the interpreter (path or name on PATH); default python3, then python. */
  python?: string;
  /** Default "auto": uv when found on PATH or beside the interpreter, else pip. */
  installer?: InstallerChoice;
  /** Where dependencies come from (default: PyPI's simple index). Never mixed with the package's index. */
  depsIndexUrl?: string;
  /** --import: the import packages to check instead of the distribution's top-level ones. */
  imports?: string[];
  /** --entry-point-args SCRIPT=ARGS, parsed (default for every script: --version). */
  entryPointArgs?: Record<string, string[]>;
  smoke?: string[];
  /** Parent of the temporary working directory (default: RUNNER_TEMP, else the OS temp dir). */
  tempRoot?: string;
  /** Checks running at once (default: the number of CPUs). */
  concurrency?: number;
  /** Time limit of one check process (default 120 s). */
  stepTimeoutSeconds?: number;
  /** Progress lines while waiting (polling can take minutes). */
  onProgress?: (message: string) => void;
}

export interface VerifyDistOptions extends CommonOptions {
  /** The directory python -m build wrote. */
  dist: string;
  /** Also build a wheel from the sdist and verify it in a second environment. */
  sdist?: boolean;
  /** Build from the sdist with the backend installed in the interpreter (no isolated build environment). */
  noBuildIsolation?: boolean;
}

export interface VerifyPublishedOptions extends CommonOptions {
  target?: string;
  indexUrl?: string;
  /** Default: the manifest's. */
  name?: string;
  version?: string;
  /** dist-check's manifest: the files and sha256 that must be on the index and be installed. */
  manifest?: string;
  /** How long to wait for the index (default 1200 s). */
  timeoutSeconds?: number;
  clock?: Clock;
  /** First wait between polls in ms (default 1000, doubling up to 60 s). */
  pollInitialDelayMs?: number;
}

export interface ResolvedCommon {
  depsIndexUrl: string;
  entryPointArgs: Record<string, string[]>;
  tempRoot: string;
  concurrency: number;
  stepTimeoutMs: number;
  platform: NodeJS.Platform;
}

export function resolveCommon(options: CommonOptions): ResolvedCommon {
  return {
    depsIndexUrl: resolveDepsIndex(options.depsIndexUrl),
    entryPointArgs: options.entryPointArgs ?? {},
    tempRoot: options.tempRoot ?? options.env.RUNNER_TEMP ?? tmpdir(),
    concurrency: options.concurrency ?? Math.max(2, availableParallelism()),
    stepTimeoutMs: (options.stepTimeoutSeconds ?? 120) * 1000,
    platform: options.platform ?? process.platform,
  };
}

function resolveDepsIndex(url: string | undefined): string {
  if (url === undefined) return resolveIndex({ target: "pypi" }).simpleUrl;
  try {
    return resolveIndex({ indexUrl: url }).simpleUrl;
  } catch (error) {
    // The shared check names --index-url; this value came from --deps-index-url.
    if (error instanceof UsageError) throw new UsageError(error.message.replace("--index-url", "--deps-index-url"), error.hint);
    throw error;
  }
}

/** Parses repeated `SCRIPT=ARGS` values (ARGS split on spaces; `SCRIPT=` runs the script without arguments). */
export function parseEntryPointArgs(values: readonly string[]): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const value of values) {
    const eq = value.indexOf("=");
    const script = eq > 0 ? value.slice(0, eq).trim() : "";
    if (!script) throw new UsageError(`--entry-point-args "${value}" is not SCRIPT=ARGS`, "e.g. --entry-point-args mytool=--help");
    result[script] = value.slice(eq + 1).split(/\s+/).filter(Boolean);
  }
  return result;
}

/** --timeout in seconds: a positive number. */
export function parseTimeout(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout "${value}" is not a positive number of seconds`, "e.g. --timeout 1200");
  return seconds;
}

export function parseInstaller(value: string | undefined): InstallerChoice {
  if (value === undefined) return "auto";
  if (value === "auto" || value === "uv" || value === "pip") return value;
  throw new UsageError(`--installer "${value}" is not uv, pip or auto`, "use --installer uv, --installer pip or --installer auto");
}
