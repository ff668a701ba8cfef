import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { PYTHON_SETUP_SCRIPT } from "./paths.js";

export interface PythonTools {
  /** The venv directory (.tools/python unless PYPI_WORKFLOWS_TOOLS_VENV says otherwise). */
  venv: string;
  /** Its interpreter: the real one the venv was made from, not a shim. */
  python: string;
  /** A console script of the venv, e.g. bin("twine"). */
  bin(name: string): string;
  /** PATH with the venv's bin first, for subprocesses that call `python`, `twine`, `uv`. */
  path(basePath?: string): string;
}

let cached: PythonTools | undefined;

/** The project's pinned Python tools venv, created on first use by tools/python/setup.sh. */
export function pythonTools(): PythonTools {
  if (cached) return cached;
  const venv = execFileSync("bash", [PYTHON_SETUP_SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  const binDir = join(venv, "bin");
  cached = {
    venv,
    python: join(binDir, "python"),
    bin: (name) => join(binDir, name),
    path: (basePath = process.env.PATH ?? "") => `${binDir}:${basePath}`,
  };
  return cached;
}
