import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type CapturedRun, git, gitRepo, runCaptured } from "@pypi-workflows/testkit";
import { runNotesGen } from "../src/commands.js";

/** The environment every test run gets: no GITHUB_* from the host, no global git config. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...extra };
}

export type Run = CapturedRun;

/** Runs the CLI as a function with captured output. */
export function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv = baseEnv(), secrets: string[] = []): Promise<Run> {
  return runCaptured(runNotesGen, argv, { cwd, env, secrets });
}

/** An empty commit with `message` (and an author, when given); returns its sha. */
export function commitAs(dir: string, message: string, author?: { name: string; email: string }): string {
  const env = author ? { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email } : {};
  git(dir, ["commit", "-q", "--allow-empty", "-m", message], env);
  return git(dir, ["rev-parse", "HEAD"]).trim();
}

/** A Python project repository (pyproject name "Demo_Pkg") with an origin on github.com/acme/demo. */
export function projectRepo(): string {
  const dir = gitRepo({ "pyproject.toml": '[project]\nname = "Demo_Pkg"\nversion = "0.0.0"\n' }, "chore: initial commit");
  git(dir, ["remote", "add", "origin", "https://github.com/acme/demo.git"]);
  return dir;
}

export function writeJson(dir: string, name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(data));
  return path;
}
