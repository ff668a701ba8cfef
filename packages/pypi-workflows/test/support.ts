import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import type { JobResult } from "@pypi-workflows/job-runner";
import { type Assets, type PythonToolsVenv, ensurePythonTools, locateAssets, provideHelpers, startThrowawayIndex } from "../src/index.js";

export const ASSETS: Assets = locateAssets();
export const REPO = ASSETS.workspaceRoot!;

let tools: PythonToolsVenv | undefined;
export async function sharedTools(): Promise<PythonToolsVenv> {
  tools ??= await ensurePythonTools(ASSETS, process.env);
  return tools;
}

/** One real pypiserver per test file, its upload password a canary that must never show up anywhere. */
export async function startIndex(password: string) {
  const t = await sharedTools();
  return startThrowawayIndex({ pypiServer: t.bin("pypi-server"), python: t.python, password });
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
}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@localhost", ...args], { cwd, encoding: "utf8" }).trim();
}

/** A small hatchling project (static version, one module) committed in a new git repository. */
export function makeProject(spec: ProjectSpec): string {
  const dir = join(tempDir("pw-proj-"), spec.name);
  const module = spec.name.replace(/-/g, "_");
  mkdirSync(join(dir, "src", module), { recursive: true });
  const classifiers = (spec.classifiers ?? ["Programming Language :: Python :: 3"]).map((c) => `"${c}"`).join(", ");
  writeFileSync(join(dir, "pyproject.toml"), [
    "[build-system]", 'requires = ["hatchling"]', 'build-backend = "hatchling.build"', "",
    "[project]", `name = "${spec.name}"`, `version = "${spec.version}"`, 'description = "rehearsal test project"',
    'readme = "README.md"', 'requires-python = ">=3.9"', `classifiers = [${classifiers}]`, "",
    "[tool.hatch.build.targets.wheel]", `packages = ["src/${module}"]`, "",
  ].join("\n"));
  writeFileSync(join(dir, "README.md"), `# ${spec.name}\n\nA test project.\n`);
  writeFileSync(join(dir, "src", module, "__init__.py"), `VALUE = ${JSON.stringify(spec.name)}\n`);
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "feat: initial version"]);
  return dir;
}

export function commitChange(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), text);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", `fix: change ${file}`]);
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
