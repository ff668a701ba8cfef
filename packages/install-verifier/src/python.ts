import { accessSync, constants, statSync } from "node:fs";
import { posix, resolve, win32 } from "node:path";
import { HelperError, runProcess } from "@pypi-workflows/cli-kit";
import { VerifierEnvironmentError } from "./errors.js";
import { executableNames, uvBesidePython } from "./venv-layout.js";

/** The interpreter every environment is made from, probed once. */
export interface PythonInfo {
  /** sys.executable: the real interpreter, so no shim (pyenv, asdf) runs on every later call. */
  executable: string;
  version: string;
  /** The host pip's version when the interpreter has pip, else undefined. */
  pipVersion: string | undefined;
}

// One process answers everything: importing pip's package only reads its __init__ (cheap).
const PROBE = [
  "import json, sys",
  "try:\n    import pip\n    p = pip.__version__\nexcept Exception:\n    p = None",
  'print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3], "pip": p}))',
].join("\n");

export interface ProbeOptions {
  /** --python: a path or a name on PATH; default python3, then python (Windows: python, then py). */
  python?: string;
  /** Where a relative --python path is resolved (the user's working directory). */
  baseDir: string;
  /** Where the probe runs (a scratch directory). */
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export async function probePython(options: ProbeOptions): Promise<PythonInfo> {
  const platform = options.platform ?? process.platform;
  const given = options.python && /[\\/]/.test(options.python) ? resolve(options.baseDir, options.python) : options.python;
  const candidates = given ? [given] : platform === "win32" ? ["python", "py"] : ["python3", "python"];
  const failures: string[] = [];
  for (const candidate of candidates) {
    const info = await probeOne(candidate, options, failures);
    if (info) return info;
  }
  throw new VerifierEnvironmentError("IV_NO_PYTHON", `no usable Python: ${failures.join("; ")}`, {
    data: { tried: candidates },
  });
}

async function probeOne(candidate: string, options: ProbeOptions, failures: string[]): Promise<PythonInfo | undefined> {
  try {
    const result = await runProcess(candidate, ["-I", "-c", PROBE], { cwd: options.cwd, env: options.env, timeoutMs: 60_000 });
    if (result.exitCode !== 0) {
      failures.push(`${candidate} exited ${result.exitCode}: ${result.stderr.trim().slice(-300)}`);
      return undefined;
    }
    const parsed = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { executable?: string; version?: string; pip?: string | null };
    if (!parsed.executable) {
      failures.push(`${candidate} does not know its own executable (embedded interpreter?)`);
      return undefined;
    }
    return { executable: parsed.executable, version: parsed.version ?? "?", pipVersion: parsed.pip ?? undefined };
  } catch (error) {
    if (error instanceof HelperError) {
      failures.push(`cannot start ${candidate}`);
      return undefined;
    }
    throw error;
  }
}

/** pip 22.3 added `--python`, which lets the host's pip install into an environment that has no pip. */
export function pipSupportsPythonOption(pipVersion: string | undefined): boolean {
  if (!pipVersion) return false;
  const [major = 0, minor = 0] = pipVersion.split(".").map((n) => Number.parseInt(n, 10));
  return major > 22 || (major === 22 && minor >= 3);
}

/** uv on PATH, else beside the interpreter (uv installed into the same tools environment), else undefined. */
export function findUv(pythonExecutable: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  return findOnPath("uv", env, platform) ?? (isExecutable(uvBesidePython(pythonExecutable, platform)) ? uvBesidePython(pythonExecutable, platform) : undefined);
}

export function findOnPath(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const path = platform === "win32" ? win32 : posix;
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const file of executableNames(name, platform)) {
      const candidate = path.join(dir, file);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
