import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Assets } from "./paths.js";
import { rehearsalError } from "./errors.js";

const run = promisify(execFile);

/** The Python tools the rehearsal uses: the interpreter steps get (setup-python), twine, pypi-server. */
export interface PythonToolsVenv {
  venv: string;
  python: string;
  bin(name: string): string;
  /** A directory of wheels for offline installs (this repository only), else undefined. */
  wheelhouse?: string;
}

function describe(venv: string, wheelhouse?: string): PythonToolsVenv {
  return {
    venv,
    python: join(venv, "bin", "python"),
    bin: (name) => join(venv, "bin", name),
    ...(wheelhouse ? { wheelhouse } : {}),
  };
}

/** The user's cache home: $PYPI_WORKFLOWS_CACHE, else $XDG_CACHE_HOME/pypi-workflows, else ~/.cache/pypi-workflows. */
export function cacheHome(env: NodeJS.ProcessEnv): string {
  if (env.PYPI_WORKFLOWS_CACHE) return env.PYPI_WORKFLOWS_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "pypi-workflows");
}

/**
 * In this repository: the tools venv and wheelhouse of tools/python (made on first use by its scripts).
 * Installed from npm: a venv in the cache home, keyed by the shipped requirements' hash, made once with
 * `pip install --require-hashes` (the same pins as this repository's).
 */
export async function ensurePythonTools(assets: Assets, env: NodeJS.ProcessEnv): Promise<PythonToolsVenv> {
  try {
    if (assets.workspaceRoot) {
      const script = (name: string) => join(assets.workspaceRoot!, "tools", "python", name);
      const venv = (await run("bash", [script("setup.sh")], { env, maxBuffer: 1 << 24 })).stdout.trim();
      const wheelhouse = (await run("bash", [script("wheelhouse.sh")], { env, maxBuffer: 1 << 24 })).stdout.trim();
      return describe(venv, wheelhouse);
    }
    return describe(await ensureCachedVenv(assets.requirements, env));
  } catch (error) {
    // A program that could not start has an empty stderr: its error's message says why (spawn ... ENOENT).
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw rehearsalError("PW_TOOLS", `cannot prepare the Python tools venv: ${detail.trim().split("\n").slice(-6).join("\n")}`);
  }
}

async function ensureCachedVenv(requirements: string, env: NodeJS.ProcessEnv): Promise<string> {
  const hash = createHash("sha256").update(readFileSync(requirements)).digest("hex").slice(0, 16);
  const venv = join(cacheHome(env), `python-tools-${hash}`);
  if (existsSync(join(venv, ".installed"))) return venv;
  // A venv cannot be moved after creation, so it is made in place; a half-made one (no marker) is replaced.
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(cacheHome(env), { recursive: true });
  const python = env.PYPI_WORKFLOWS_PYTHON || "python3";
  await run(python, ["-m", "venv", venv], { env });
  await run(join(venv, "bin", "python"), [
    "-m", "pip", "install", "--quiet", "--no-input", "--disable-pip-version-check",
    "--require-hashes", "--only-binary=:all:", "-r", requirements,
  ], { env, maxBuffer: 1 << 24 });
  writeFileSync(join(venv, ".installed"), "");
  return venv;
}
