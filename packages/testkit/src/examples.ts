import { execFileSync } from "node:child_process";
import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { git } from "./git.js";
import { EXAMPLES_DIR } from "./paths.js";
import { pythonTools } from "./python-tools.js";
import { tempDir } from "./temp.js";

export type ExampleName = "hatch-static" | "scm-dynamic";

/**
 * A temp copy of an example project as its own git repository (one commit on main), so the checkout of
 * this repository never shadows or changes anything.
 */
export function exampleRepo(name: ExampleName): string {
  const dir = join(tempDir(`pw-${name}-`), name);
  cpSync(join(EXAMPLES_DIR, name), dir, {
    recursive: true,
    filter: (src) => !/[\\/](dist|build|__pycache__|[^\\/]+\.egg-info)$/.test(src),
  });
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "feat: initial version"]);
  return dir;
}

/**
 * Builds sdist and wheel with the real `python -m build`, using the pinned backends of the tools venv
 * (`--no-isolation`: no test downloads build dependencies). Returns the dist directory and its files.
 */
export function buildDist(projectDir: string, env: NodeJS.ProcessEnv = {}): { distDir: string; files: string[] } {
  const tools = pythonTools();
  const distDir = join(tempDir("pw-dist-"), "dist");
  execFileSync(tools.python, ["-m", "build", "--no-isolation", "--outdir", distDir, projectDir], {
    cwd: projectDir,
    env: { ...process.env, PATH: tools.path(), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { distDir, files: readdirSync(distDir).sort().map((f) => join(distDir, f)) };
}
