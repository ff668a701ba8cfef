import { execFileSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { git, pythonTools, runCaptured, tempDir } from "@pypi-workflows/testkit";
import { versionUtil } from "../src/commands.js";

export const FIXTURES = join(import.meta.dirname, "fixtures");

/** The pyproject.toml of a setuptools project configured in setup.cfg: [build-system] only. */
export const SETUPTOOLS_PYPROJECT = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n';

export interface ReferenceRequest {
  versions?: string[];
  pairs?: [string, string][];
  bumps?: [string, string][];
  tags?: string[];
}

export interface ReferenceAnswer {
  versions: { input: string; valid: boolean; normalized: string | null }[];
  sorted: string[];
  /** packaging's properties of each valid version, in corpus order. */
  properties: Record<string, unknown>[];
  /** -1/0/1, or null when packaging refuses either version. */
  pairs: (number | null)[];
  bumps: ({ version: string } | { error: string })[];
  /** The exact numbers (digit strings) of each valid version, in corpus order. */
  parts: { epoch: string; release: string[]; pre: [string, string] | null; post: string | null; dev: string | null }[];
  /** What each tag stands for: the release version, or the refusal's code (padded: the tag to use instead). */
  tags: ({ tag: string; version: string; isPrerelease: boolean } | { code: string; tag: string; public?: string; padded?: string })[];
}

/** Asks the real packaging and hatchling (tools venv), in one Python process. */
export function askReference(request: ReferenceRequest): ReferenceAnswer {
  const out = execFileSync(pythonTools().python, [join(FIXTURES, "reference.py")], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return JSON.parse(out) as ReferenceAnswer;
}

export function readFixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as T;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (when --json was given). */
  // biome-ignore lint/suspicious/noExplicitAny: the JSON is checked field by field by the assertions
  json: any;
}

/** Runs version-util as a function, with captured output. */
export async function runVersionUtil(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const { code, stdout, stderr } = await runCaptured(versionUtil, argv, { cwd: options.cwd, env: options.env ?? { PATH: process.env.PATH } });
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

/** A temp copy of test/fixtures/projects/NAME; a git repository with one commit unless git is false. */
export function projectCopy(name: string, options: { git?: boolean } = {}): string {
  const dir = join(tempDir(`vu-${name}-`), name);
  cpSync(join(FIXTURES, "projects", name), dir, { recursive: true });
  if (options.git !== false) {
    git(dir, ["init", "-q", "-b", "main"]);
    git(dir, ["add", "-A"]);
    git(dir, ["commit", "-q", "-m", "feat: initial version"]);
  }
  return dir;
}

/** The version the real setuptools-scm computes for a directory (the reference for scm projects). */
export function setuptoolsScmVersion(dir: string): string {
  const tools = pythonTools();
  return execFileSync(tools.python, ["-m", "setuptools_scm"], { cwd: dir, env: { ...testEnv(), PATH: tools.path() }, encoding: "utf8" }).trim();
}

/** The environment the CLI gets in tests: git's identity fixed, no global config, PATH only. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...extra };
}

// A build backend's own answer for a project: the Version its prepare_metadata_for_build_wheel hook writes into
// METADATA, or "error: <exception>" when it refuses the project. The reference the version sources are held to.
const BACKEND_METADATA = `
import importlib, os, sys, tempfile, warnings
warnings.simplefilter("ignore")
backend = importlib.import_module(sys.argv[2])
os.chdir(sys.argv[1])
try:
    out = tempfile.mkdtemp()
    name = backend.prepare_metadata_for_build_wheel(out)
except BaseException as error:
    print("@@", "error:", type(error).__name__)
else:
    with open(os.path.join(out, name, "METADATA"), encoding="utf-8") as f:
        print("@@", next(line[9:].strip() for line in f if line.startswith("Version: ")))
`;

/** `backend` is the hook module (flit_core.buildapi, pdm.backend, setuptools.build_meta); backends log to stdout too. */
export function backendVersion(dir: string, backend: string, env: NodeJS.ProcessEnv = {}): string {
  const out = execFileSync(pythonTools().python, ["-c", BACKEND_METADATA, dir, backend], {
    env: { ...testEnv(), ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  return out.split("\n").findLast((line) => line.startsWith("@@ "))?.slice(3) ?? "";
}
