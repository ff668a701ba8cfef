import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { sha256File } from "@pypi-workflows/index-client";
import { join } from "node:path";
import { type JobResult, type RunResult, runWorkflow } from "@pypi-workflows/job-runner";
import {
  type Assets, type ProvidedHelpers, type PythonToolsVenv, type ThrowawayIndex, ensurePythonTools, locateAssets, provideHelpers,
  startThrowawayIndex,
} from "../src/index.js";

export const ASSETS: Assets = locateAssets();
export const REPO = ASSETS.workspaceRoot!;

const scratch: string[] = [];

/**
 * A temp directory removed by removeScratch() (afterAll). Not testkit's tempDir: that one is removed when "the
 * current test" finishes, which under describe.concurrent can be another test still using it.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

export function removeScratch(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

let tools: PythonToolsVenv | undefined;
export async function sharedTools(): Promise<PythonToolsVenv> {
  tools ??= await ensurePythonTools(ASSETS, process.env);
  return tools;
}

/** One real pypiserver per test file, its upload password a canary that must never show up anywhere. */
export async function startIndex(password: string, username?: string) {
  const t = await sharedTools();
  return startThrowawayIndex({ pypiServer: t.bin("pypi-server"), python: t.python, password, ...(username ? { username } : {}) });
}

/** One local npm registry per test file with this workspace's helpers. */
export function startHelpers() {
  return provideHelpers("workspace", ASSETS, process.env);
}

/** No step may reach the network: https goes to a closed loopback port (pip, uv and npm honour these). */
export const GUARD_ENV: Record<string, string> = {
  HTTPS_PROXY: "http://127.0.0.1:9",
  HTTP_PROXY: "http://127.0.0.1:9",
  NO_PROXY: "127.0.0.1,localhost",
};

export interface ProjectSpec {
  name: string;
  version: string;
  classifiers?: string[];
  /** Bytes of incompressible package data (src/<module>/payload.bin): an upload too big for one read. */
  payloadBytes?: number;
  /** Requirements for [project].dependencies. */
  dependencies?: string[];
  /**
   * The build backend and where the version lives: hatchling with a static version (default); flit_core with
   * `__version__` in the package; pdm-backend with the version from git tags (the initial commit tagged v<version>).
   */
  backend?: "flit" | "pdm-scm" | "setup-cfg";
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...args], { cwd, encoding: "utf8" }).trim();
}

/** A small hatchling project (static version, one module) committed in a new git repository. */
export function makeProject(spec: ProjectSpec): string {
  const dir = join(scratchDir("pw-proj-"), spec.name);
  const module = spec.name.replace(/-/g, "_");
  mkdirSync(join(dir, "src", module), { recursive: true });
  const classifiers = (spec.classifiers ?? ["Programming Language :: Python :: 3"]).map((c) => `"${c}"`).join(", ");
  const backend = {
    "setup-cfg": [],
    flit: ['requires = ["flit_core >=3.4,<5"]', 'build-backend = "flit_core.buildapi"'],
    "pdm-scm": ['requires = ["pdm-backend"]', 'build-backend = "pdm.backend"'],
    hatchling: ['requires = ["hatchling"]', 'build-backend = "hatchling.build"'],
  }[spec.backend ?? "hatchling"];
  const tool = {
    "setup-cfg": [],
    flit: [],
    "pdm-scm": ["[tool.pdm.version]", 'source = "scm"', ""],
    hatchling: ["[tool.hatch.build.targets.wheel]", `packages = ["src/${module}"]`, ""],
  }[spec.backend ?? "hatchling"];
  if (spec.backend === "setup-cfg") {
    // setuptools configured in setup.cfg; pyproject.toml holds only [build-system].
    writeFileSync(join(dir, "pyproject.toml"), '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n');
    writeFileSync(join(dir, "setup.cfg"), [
      "[metadata]", `name = ${spec.name}`, `version = ${spec.version}`, "description = rehearsal test project",
      "long_description = file: README.md", "long_description_content_type = text/markdown", "classifiers =",
      ...(spec.classifiers ?? ["Programming Language :: Python :: 3"]).map((c) => `    ${c}`), "",
      "[options]", "package_dir =", "    = src", "packages = find:", "python_requires = >=3.9", "",
      "[options.packages.find]", "where = src", "",
    ].join("\n"));
  } else writeFileSync(join(dir, "pyproject.toml"), [
    "[build-system]", ...backend, "",
    "[project]", `name = "${spec.name}"`, spec.backend ? 'dynamic = ["version"]' : `version = "${spec.version}"`, 'description = "rehearsal test project"',
    'readme = "README.md"', 'requires-python = ">=3.9"', `classifiers = [${classifiers}]`,
    `dependencies = [${(spec.dependencies ?? []).map((d) => JSON.stringify(d)).join(", ")}]`, "",
    ...tool,
  ].join("\n"));
  writeFileSync(join(dir, "README.md"), `# ${spec.name}\n\nA test project.\n`);
  const version = spec.backend === "flit" ? `__version__ = ${JSON.stringify(spec.version)}\n` : "";
  writeFileSync(join(dir, "src", module, "__init__.py"), `${version}VALUE = ${JSON.stringify(spec.name)}\n`);
  if (spec.payloadBytes) writeFileSync(join(dir, "src", module, "payload.bin"), randomBytes(spec.payloadBytes));
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "feat: initial version"]);
  if (spec.backend === "pdm-scm") git(dir, ["tag", `v${spec.version}`]);
  return dir;
}

export function commitChange(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", `fix: change ${file}`]);
}

/**
 * The manifest build.yml's dist-check step writes, made here from the files (the name as dist-check normalizes
 * it), so these tests do not depend on another package's build output being present at that moment.
 */
export async function writeManifest(distDir: string, manifestPath: string, name: string, version: string): Promise<void> {
  const files = await Promise.all(readdirSync(distDir).sort().map(async (filename) => ({
    filename,
    kind: filename.endsWith(".whl") ? "wheel" : "sdist",
    size: statSync(join(distDir, filename)).size,
    sha256: await sha256File(join(distDir, filename)),
  })));
  writeFileSync(manifestPath, JSON.stringify({ name, version, files }, null, 2));
}

/** Builds a project's wheel and sdist (the real `python -m build`, the tools venv's backends) into outDir. */
export async function buildProject(projectDir: string, outDir: string): Promise<void> {
  const tools = await sharedTools();
  const env = { ...process.env, ...GUARD_ENV, PATH: `${join(tools.venv, "bin")}:${process.env.PATH}` };
  await promisify(execFile)(tools.python, ["-m", "build", "--no-isolation", "--outdir", outDir, projectDir], { env });
}

/**
 * A project built (the real `python -m build`, the tools venv's backends) straight into a fresh run directory's
 * "dist" artifact, with its manifest: dist/ and manifest.json, as build.yml leaves them for testpypi.yml.
 */
export async function builtArtifact(spec: ProjectSpec, prefix = "pw-run-"): Promise<{ runDir: string; artifact: string }> {
  const runDir = scratchDir(prefix);
  const artifact = join(runDir, "artifacts", "dist");
  mkdirSync(artifact, { recursive: true });
  await buildProject(makeProject(spec), join(artifact, "dist"));
  await writeManifest(join(artifact, "dist"), join(artifact, "manifest.json"), spec.name, spec.version);
  return { runDir, artifact };
}

export interface TestpypiRun {
  name: string;
  version: string;
  /** A run directory holding the "dist" artifact (builtArtifact). */
  runDir: string;
  index: ThrowawayIndex;
  helpers: ProvidedHelpers;
  /** The upload password (a canary: the index's own, or a wrong one). */
  password: string;
  /** The base URL the upload and the verification go through (a fault proxy); default the index itself. */
  via?: string;
  verifyTimeout: number;
  /** More variables for every step (besides the helpers' and GUARD_ENV). */
  extraEnv?: Record<string, string>;
}

/** The real testpypi.yml (token upload, then verification) through the job runner; dependencies from the index. */
export async function publishTestpypi(run: TestpypiRun): Promise<RunResult> {
  const base = run.via ?? run.index.baseUrl;
  return runWorkflow({
    workflow: join(ASSETS.workflowsDir, "testpypi.yml"), workflowsDir: ASSETS.workflowsDir, runDir: run.runDir,
    python: (await sharedTools()).python, extraEnv: { ...run.helpers.env, ...GUARD_ENV, ...run.extraEnv },
    inputs: { name: run.name, version: run.version, "index-url": `${base}/simple/`, "upload-url": `${base}/`,
      "deps-index-url": run.index.simpleUrl, "verify-timeout": run.verifyTimeout },
    secrets: { username: run.index.username, password: run.password },
  });
}

/** Every file under the directories, as latin1 text (binary files included: a secret is bytes too). */
export function filesContaining(dirs: string[], secret: string): string[] {
  const hits: string[] = [];
  let count = 0;
  for (const dir of dirs) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      count++;
      const path = join(entry.parentPath, entry.name);
      if (readFileSync(path, "latin1").includes(secret)) hits.push(path);
    }
  }
  if (count === 0) hits.push("(no files found: the grep proves nothing)");
  return hits;
}

/** Every failed step with its error and last log lines, so a failing assertion says why. */
export function failures(jobs: Record<string, JobResult>): string[] {
  return Object.values(jobs).flatMap((job) => [
    ...job.steps.filter((s) => s.conclusion === "failure").map((s) => `${job.key} / ${s.name}: ${s.error}\n${s.log.slice(-8).join("\n")}`),
    ...failures(job.jobs ?? {}),
  ]);
}
