import { HelperError, runProcess, type ProcessResult } from "@pypi-workflows/cli-kit";
import { normalizeProjectName } from "@pypi-workflows/index-client";
import { findVersions, sameVersion, type InstalledDistribution } from "./inspect.js";
import { checkEnv } from "./process-env.js";
import { mapLimit, processOutput, timeStep, type StepReport } from "./steps.js";
import type { VenvLayout } from "./venv-layout.js";

/** What to check in an environment where the distribution is installed. */
export interface CheckPlan {
  name: string;
  version: string;
  /** --import: replaces the import packages found in the distribution. */
  imports?: string[];
  /** Arguments per script (default --version). */
  entryPointArgs: Record<string, string[]>;
  smoke: string[];
  /** How many checks run at once. */
  concurrency: number;
  stepTimeoutMs: number;
}

export interface CheckContext {
  layout: VenvLayout;
  /** A scratch directory outside the source tree, the checks' cwd. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Prefix of the step names, e.g. "wheel". */
  label: string;
}

/** Version, then imports and entry points in parallel (each its own process), then the smoke commands. */
export async function runChecks(dist: InstalledDistribution, plan: CheckPlan, ctx: CheckContext): Promise<StepReport[]> {
  const steps = [await checkVersion(dist, plan, ctx)];
  const scripts = dist.entryPoints.map((ep) => ep.name);
  const unknown = Object.keys(plan.entryPointArgs).filter((name) => !scripts.includes(name));
  if (unknown.length) {
    // A typo would otherwise leave the script checked with --version, silently.
    const detail = `no script named ${unknown.join(", ")}; the scripts are: ${scripts.join(", ") || "none"}`;
    steps.push({ name: `${ctx.label}: --entry-point-args`, status: "failed", durationMs: 0, code: "IV_UNKNOWN_ENTRY_POINT", detail });
  }
  const imports = plan.imports?.length ? plan.imports : dist.imports;
  const jobs: (() => Promise<StepReport>)[] = [
    ...imports.map((module) => () => checkImport(module, plan, ctx)),
    ...dist.entryPoints.map((ep) => () => checkEntryPoint(ep.name, plan, ctx)),
  ];
  steps.push(...(await mapLimit(jobs, plan.concurrency, (job) => job())));
  for (const command of plan.smoke) steps.push(await checkSmoke(command, plan, ctx));
  return steps;
}

function checkVersion(dist: InstalledDistribution, plan: CheckPlan, ctx: CheckContext): Promise<StepReport> {
  return timeStep(`${ctx.label}: version`, async () => {
    const nameOk = normalizeProjectName(dist.name) === normalizeProjectName(plan.name);
    const ok = nameOk && sameVersion(dist.version, plan.version);
    const detail = `installed ${dist.name} ${dist.version}, expected ${plan.name} ${plan.version}`;
    return ok ? { ok, detail } : { ok, detail, code: "IV_VERSION_MISMATCH" };
  });
}

function checkImport(module: string, plan: CheckPlan, ctx: CheckContext): Promise<StepReport> {
  return timeStep(`${ctx.label}: import ${module}`, async () => {
    const code = "import importlib, sys; importlib.import_module(sys.argv[1])";
    const result = await run(ctx.layout.python, ["-I", "-c", code, module], plan, ctx);
    return result.exitCode === 0 ? { ok: true } : { ok: false, code: "IV_IMPORT_FAILED", detail: `import ${module} failed`, output: processOutput(result) };
  });
}

function checkEntryPoint(script: string, plan: CheckPlan, ctx: CheckContext): Promise<StepReport> {
  const args = plan.entryPointArgs[script] ?? ["--version"];
  return timeStep(`${ctx.label}: run ${[script, ...args].join(" ")}`, async () => {
    const result = await run(ctx.layout.script(script), args, plan, ctx);
    const output = processOutput(result);
    if (result.exitCode !== 0) {
      return { ok: false, code: "IV_ENTRY_POINT_FAILED", detail: `${script} exited ${result.exitCode}`, output };
    }
    if (args.length === 1 && args[0] === "--version") {
      const versions = findVersions(`${result.stdout}\n${result.stderr}`);
      if (versions.length && !versions.some((v) => sameVersion(v, plan.version))) {
        return { ok: false, code: "IV_ENTRY_POINT_VERSION", detail: `${script} --version says ${versions.join(", ")}, expected ${plan.version}`, output };
      }
    }
    return { ok: true, detail: output.split("\n")[0]?.slice(0, 200) };
  });
}

// A smoke command is a line the maintainer writes, with quotes and pipes: it needs the platform's shell.
function checkSmoke(command: string, plan: CheckPlan, ctx: CheckContext): Promise<StepReport> {
  return timeStep(`${ctx.label}: smoke ${command}`, async () => {
    const [shell, ...args] = shellArgv(command, ctx.platform);
    const result = await run(shell!, args, plan, ctx);
    return result.exitCode === 0 ? { ok: true } : { ok: false, code: "IV_SMOKE_FAILED", detail: `exited ${result.exitCode}`, output: processOutput(result) };
  });
}

/** The argv that runs a command line through the platform's shell. */
export function shellArgv(command: string, platform: NodeJS.Platform): string[] {
  return platform === "win32" ? ["cmd.exe", "/d", "/s", "/c", command] : ["/bin/sh", "-c", command];
}

async function run(file: string, args: string[], plan: CheckPlan, ctx: CheckContext): Promise<ProcessResult> {
  try {
    return await runProcess(file, args, { cwd: ctx.cwd, env: checkEnv(ctx.env, ctx.layout), timeoutMs: plan.stepTimeoutMs });
  } catch (error) {
    // A launcher the installer did not write cannot be started: that is a failed check, not a crash.
    if (error instanceof HelperError) return { exitCode: 127, stdout: "", stderr: error.message, timedOut: false, durationMs: 0 };
    throw error;
  }
}
