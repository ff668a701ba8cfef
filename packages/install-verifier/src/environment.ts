import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { runChecks, type CheckPlan } from "./checks.js";
import { inspectInstalled } from "./inspect.js";
import { createEnvironment, runInstall, type InstallRequest, type Installer } from "./installer.js";
import { processOutput, skippedStep, timeStep, type StepReport } from "./steps.js";
import type { VenvLayout } from "./venv-layout.js";

/** One fresh environment: create it, install the package alone, then its dependencies, then check. */
export interface EnvironmentJob {
  /** Step prefix and directory name: "wheel", "sdist", "index". */
  label: string;
  /** What "install" means here (a file, or NAME==VERSION from an index), always with --no-deps. */
  install: InstallRequest;
  /** Shown in the step name. */
  installWhat: string;
  depsIndexUrl: string;
  plan: CheckPlan;
}

export interface EnvironmentContext {
  installer: Installer;
  /** The verification's temporary working directory. */
  workDir: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export interface EnvironmentOutcome {
  steps: StepReport[];
  installable: boolean;
}

export async function verifyInEnvironment(job: EnvironmentJob, ctx: EnvironmentContext): Promise<EnvironmentOutcome> {
  // The checks' cwd is an empty directory of its own: nothing there can shadow the installed package.
  const cwd = join(ctx.workDir, `${job.label}-cwd`);
  mkdirSync(cwd, { recursive: true });
  let layout!: VenvLayout;
  const steps = [
    await timeStep(`${job.label}: create environment (${ctx.installer.kind})`, async () => {
      layout = (await createEnvironment(ctx.installer, join(ctx.workDir, `${job.label}-venv`), cwd, ctx.env)).layout;
      return { ok: true, detail: layout.root };
    }),
  ];
  const run = { ...ctx, layout, cwd };
  steps.push(await installPackage(job, run));
  if (steps.at(-1)!.status !== "ok") return { steps, installable: false };
  const inspected = await inspectInstalled(layout, job.plan.name, cwd, ctx.env);
  const dist = inspected.distribution;
  if (!dist) {
    // Exit 3: the install put another name in place (the name differs); anything else: the metadata is unreadable.
    const missing = inspected.result.exitCode === 3;
    const detail = missing ? `${job.plan.name} is not installed under that name` : "cannot read the installed metadata with importlib.metadata";
    const code = missing ? "IV_VERSION_MISMATCH" : "IV_METADATA_UNREADABLE";
    const output = processOutput(inspected.result);
    steps.push({ name: `${job.label}: read installed metadata`, status: "failed", durationMs: Math.round(inspected.result.durationMs), code, detail, output });
    return { steps, installable: false };
  }
  steps.push(await installDependencies(job, dist.requires, run));
  if (steps.at(-1)!.status === "failed") {
    steps.push(skippedStep(`${job.label}: checks`, "the dependencies are not installed"));
    return { steps, installable: false };
  }
  steps.push(...(await runChecks(dist, job.plan, { layout, cwd, env: ctx.env, platform: ctx.platform, label: job.label })));
  return { steps, installable: true };
}

type RunContext = EnvironmentContext & { layout: VenvLayout; cwd: string };

function installPackage(job: EnvironmentJob, run: RunContext): Promise<StepReport> {
  return timeStep(`${job.label}: install ${job.installWhat} (--no-deps)`, async () => {
    const result = await runInstall(run.installer, run.layout, { ...job.install, noDeps: true }, run.cwd, run.env);
    if (result.exitCode === 0) return { ok: true };
    const output = processOutput(result);
    // pip: "THESE PACKAGES DO NOT MATCH THE HASHES"; uv: "Hash mismatch for".
    const hashes = /hash/i.test(output) && /(mismatch|do not match)/i.test(output);
    return { ok: false, code: hashes ? "IV_HASH_MISMATCH" : "IV_INSTALL_FAILED", detail: `the installer exited ${result.exitCode}`, output };
  });
}

/** The dependencies in their own installer call, from the deps index only; markers are the installer's to evaluate. */
async function installDependencies(job: EnvironmentJob, requires: string[], run: RunContext): Promise<StepReport> {
  if (!requires.length) return skippedStep(`${job.label}: install dependencies`, "no Requires-Dist");
  return timeStep(`${job.label}: install dependencies from ${job.depsIndexUrl}`, async () => {
    // The cache may serve dependencies (the index's hashes guard them); only the package itself must be fresh.
    const request: InstallRequest = { requirements: requires, indexUrl: job.depsIndexUrl };
    const result = await runInstall(run.installer, run.layout, request, run.cwd, run.env);
    return result.exitCode === 0
      ? { ok: true, detail: requires.join(", ") }
      : { ok: false, code: "IV_DEPS_INSTALL_FAILED", detail: `the installer exited ${result.exitCode}`, output: processOutput(result) };
  });
}
