import { runProcess, type ProcessResult } from "@pypi-workflows/cli-kit";
import { VerifierEnvironmentError } from "./errors.js";
import { findUv, pipSupportsPythonOption, type PythonInfo } from "./python.js";
import { installerEnv } from "./process-env.js";
import { venvLayout, type VenvLayout } from "./venv-layout.js";

export type InstallerChoice = "auto" | "uv" | "pip";

/** How environments are made and filled: uv, the host's pip through --python, or (no host pip) a venv's own pip. */
export interface Installer {
  kind: "uv" | "pip";
  /** The program and leading arguments of one install into `layout`. */
  command(layout: VenvLayout): string[];
  python: PythonInfo;
  uv: string | undefined;
  /** True when the environment gets its own pip (slower: ensurepip) because the host has none. */
  seedPip: boolean;
}

export interface InstallRequest {
  /** Requirement specifiers or file paths. */
  requirements: string[];
  noDeps?: boolean;
  /** The one index to use; undefined means --no-index. */
  indexUrl?: string;
  findLinks?: string;
  onlyBinary?: boolean;
  noCache?: boolean;
  /** A requirements file with --hash pins; the installer then refuses other bytes (--require-hashes). */
  hashedRequirementsFile?: string;
}

/** Chooses the installer: --installer uv|pip, or auto (uv when found on PATH or beside the interpreter). */
export function chooseInstaller(choice: InstallerChoice, python: PythonInfo, env: NodeJS.ProcessEnv, platform = process.platform): Installer {
  const uv = findUv(python.executable, env, platform);
  if (choice === "uv" || (choice === "auto" && uv)) {
    if (!uv) throw new VerifierEnvironmentError("IV_NO_INSTALLER", "--installer uv: uv is neither on PATH nor beside the interpreter");
    return { kind: "uv", python, uv, seedPip: false, command: (layout) => [uv, "pip", "install", "--python", layout.python] };
  }
  const hostPip = pipSupportsPythonOption(python.pipVersion);
  return {
    kind: "pip",
    python,
    uv,
    seedPip: !hostPip,
    command: (layout) =>
      hostPip ? [python.executable, "-m", "pip", "--python", layout.python, "install"] : [layout.python, "-m", "pip", "install"],
  };
}

/** The full argv of one install (pure: unit-tested for both installers). */
export function installArgv(installer: Installer, layout: VenvLayout, request: InstallRequest): string[] {
  const argv = [...installer.command(layout)];
  if (request.noDeps) argv.push("--no-deps");
  argv.push(...(request.indexUrl ? ["--index-url", request.indexUrl] : ["--no-index"]));
  if (request.findLinks) argv.push("--find-links", request.findLinks);
  if (request.onlyBinary) argv.push("--only-binary", ":all:");
  if (request.noCache) argv.push(installer.kind === "uv" ? "--no-cache" : "--no-cache-dir");
  // Bytecode is compiled when the checks import the modules; skipping it here saves a second per install.
  if (installer.kind === "pip") argv.push("--no-compile", "--no-warn-script-location");
  if (request.hashedRequirementsFile) argv.push("--require-hashes", "-r", request.hashedRequirementsFile);
  argv.push(...request.requirements);
  return argv;
}

/** A fresh environment at `dir`: `uv venv`, or `python -m venv --without-pip` (pip comes from the host). */
export async function createEnvironment(installer: Installer, dir: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ layout: VenvLayout; result: ProcessResult }> {
  const argv =
    installer.kind === "uv"
      ? [installer.uv!, "venv", "--quiet", "--no-project", "--python", installer.python.executable, dir]
      : [installer.python.executable, "-m", "venv", ...(installer.seedPip ? [] : ["--without-pip"]), dir];
  const result = await runArgv(argv, cwd, env, 300_000);
  if (result.exitCode !== 0) {
    throw new VerifierEnvironmentError("IV_VENV_FAILED", `cannot create a virtual environment: ${argv.join(" ")}\n${result.stderr || result.stdout}`);
  }
  return { layout: venvLayout(dir), result };
}

export function runInstall(installer: Installer, layout: VenvLayout, request: InstallRequest, cwd: string, env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runArgv(installArgv(installer, layout, request), cwd, env, 900_000);
}

export interface BuildRequest {
  sdist: string;
  outDir: string;
  /** Build with the backend installed in the interpreter instead of an isolated build environment. */
  noBuildIsolation: boolean;
  /** Where build requirements come from when isolated. */
  indexUrl: string;
}

/** Builds a wheel from an sdist: `uv build --wheel`, or the host's `pip wheel --no-deps`. */
export function buildWheelArgv(installer: Installer, request: BuildRequest): string[] {
  const isolation = request.noBuildIsolation ? ["--no-build-isolation"] : [];
  if (installer.kind === "uv") {
    return [installer.uv!, "build", "--wheel", "--quiet", "--python", installer.python.executable, "--out-dir", request.outDir, "--index-url", request.indexUrl, ...isolation, request.sdist];
  }
  return [installer.python.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", request.outDir, "--index-url", request.indexUrl, ...isolation, request.sdist];
}

export function runArgv(argv: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProcessResult> {
  const [file, ...args] = argv;
  return runProcess(file!, args, { cwd, env: installerEnv(env), timeoutMs });
}
