import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import {
  type JobResult, type ProgressEvent, type RunResult, type RunWorkflowOptions, type WorkflowSpec, loadWorkflow, runWorkflow,
} from "@pypi-workflows/job-runner";
import { rehearsalError } from "./errors.js";
import { type PreparedClone, REHEARSAL_BRANCH, prepareClone } from "./clone.js";
import { type HelperSource, provideHelpers } from "./helpers.js";
import { type Assets, locateAssets } from "./paths.js";
import { type RehearsalReport, collectReport, describeFailure } from "./report.js";
import { type IndexEndpoint, startThrowawayIndex } from "./throwaway-index.js";
import { type PythonToolsVenv, ensurePythonTools } from "./tools.js";
import { UsageError } from "@pypi-workflows/cli-kit";

export type RehearsalEvent = "push" | "tag";

/** What the rehearsal reports while it runs (the CLI prints one line per step with its time). */
export type RehearsalProgress =
  | { type: "phase"; message: string }
  | { type: "step"; workflow: string; job: string; step: string; status: string; durationMs: number; error?: string };

export interface RehearseOptions {
  /** The Python project (holds pyproject.toml), inside a git repository. */
  projectDir: string;
  event: RehearsalEvent;
  /** For event "tag": the tag vX.Y.Z (created in the temporary clone at HEAD when missing). */
  tag?: string;
  /** An index the user runs (with credentials); default a throwaway pypiserver. */
  index?: IndexEndpoint;
  /** workspace: this repository's helpers through a local npm registry (default inside it); npm: the registry. */
  helpers?: HelperSource;
  /** Modules that must import from the built files and from the index. */
  importNames?: string[];
  /**
   * Where the project's dependencies (and isolated builds' backends) come from: build.yml's, testpypi.yml's and
   * pypi.yml's deps-index-url. Default: the workflows' own (PyPI), or the rehearsal's index when offline (this
   * repository's wheelhouse: its example projects have no dependencies).
   */
  depsIndexUrl?: string;
  /**
   * Your caller workflow (e.g. .github/workflows/release.yml), run as written for the event instead of the
   * reusable workflows one by one. Where it does not set them, its calls of the reusable workflows get the
   * rehearsal's index (index-url, upload-url, deps-index-url), release.yml's dry-run and the options below; the
   * secrets it passes to those calls hold the index's password; pypa/gh-action-pypi-publish uploads there too.
   */
  workflow?: string;
  /** Jobs of `workflow` taken as succeeded without running them (your CI jobs, which run on GitHub). */
  skipJobs?: string[];
  /** build.yml's build-isolation; default false when offline (this repository's wheelhouse), else true. */
  buildIsolation?: boolean;
  /**
   * build.yml's max-file-size (MiB) and max-project-size (GiB), for a project PyPI granted more than its defaults:
   * passed as written (dist-check judges them). With `workflow`, only to calls that do not set them.
   */
  maxFileSize?: string;
  maxProjectSize?: string;
  /** Seconds verification waits for the index (testpypi.yml/pypi.yml verify-timeout); default 120. */
  verifyTimeoutSeconds?: number;
  env: NodeJS.ProcessEnv;
  onProgress?: (event: RehearsalProgress) => void;
  /** Shared by tests: an already prepared tools venv, a started helpers registry, more step variables. */
  tools?: PythonToolsVenv;
  helpersEnv?: Record<string, string>;
  extraEnv?: Record<string, string>;
  /** Where the runs keep workspaces, artifacts and logs; default a new temp directory. */
  runDir?: string;
  /** Keep the run directory after a successful rehearsal too (default: kept only when it failed, to read its logs). */
  keepRunDir?: boolean;
  assets?: Assets;
}

/** Usage errors before anything starts; returns the caller workflow (--workflow), loaded once. */
function checkOptions(options: RehearseOptions): WorkflowSpec | undefined {
  if (options.event === "tag" && !options.tag) throw new UsageError("--event tag needs --tag vX.Y.Z", "e.g. --event tag --tag v1.0.0");
  if (options.event === "push" && options.tag) throw new UsageError("--tag is for --event tag", "add --event tag, or drop --tag");
  if (options.skipJobs?.length && !options.workflow) {
    throw new UsageError("--skip-job is for --workflow", "add --workflow .github/workflows/release.yml, or drop --skip-job");
  }
  return options.workflow ? checkCallerWorkflow(options.workflow, options.skipJobs ?? []) : undefined;
}

/** The caller workflow exists, is not itself a reusable workflow, and has every job --skip-job names. */
function checkCallerWorkflow(file: string, skipJobs: string[]): WorkflowSpec {
  if (!existsSync(file)) throw rehearsalError("PW_NO_WORKFLOW", `no such workflow file: ${file}`);
  const workflow = loadWorkflow(file);
  if (workflow.call) {
    throw new UsageError(`${file} is a reusable workflow (on: workflow_call)`, "name the workflow of yours that calls the reusable ones (e.g. .github/workflows/release.yml)");
  }
  const jobs = Object.keys(workflow.jobs);
  for (const id of skipJobs) {
    if (!jobs.includes(id)) throw new UsageError(`--skip-job ${id}: ${file} has no such job`, `its jobs: ${jobs.join(", ")}`);
  }
  return workflow;
}

/**
 * Runs the project's release through the reusable workflows, for real, in a temporary clone: build.yml, then
 * testpypi.yml (push) or pypi.yml (tag) with the token path, then release.yml as a dry run for a tag; or, with
 * `workflow`, that caller workflow as written (runCallerWorkflow).
 * Returns the report; the rehearsal's findings are in report.status/failure, never thrown.
 */
export async function rehearse(options: RehearseOptions): Promise<RehearsalReport> {
  const callerWorkflow = checkOptions(options);
  const started = performance.now();
  const assets = options.assets ?? locateAssets();
  const progress = options.onProgress ?? (() => {});
  progress({ type: "phase", message: "preparing: temporary clone, Python tools, helper CLIs, index" });
  const stops: (() => Promise<void>)[] = [];
  try {
    const { clone, tools, helpers, index } = await prepare(options, assets, stops);
    progress({ type: "phase", message: `ready in ${((performance.now() - started) / 1000).toFixed(1)} s: index ${index.simpleUrl}${index.throwaway ? " (throwaway)" : ""}` });
    const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), "pypi-workflows-rehearsal-"));
    const runs = await runStages({
      options, assets, clone, index, progress, callerWorkflow,
      common: {
        workflowsDir: assets.workflowsDir, runDir, source: clone.repo, python: tools.python, twine: tools.bin("twine"),
        extraEnv: { ...helpers.env, ...offlineEnv(tools), ...options.extraEnv }, hostEnv: options.env,
        event: options.event === "tag"
          ? { name: "push", ref: `refs/tags/${options.tag}`, defaultBranch: REHEARSAL_BRANCH }
          : { name: "push", ref: `refs/heads/${REHEARSAL_BRANCH}`, defaultBranch: REHEARSAL_BRANCH },
      },
      isolation: options.buildIsolation ?? !tools.wheelhouse,
      depsIndexUrl: depsIndexFor(options, tools, index),
    });
    const failure = describeFailure(runs);
    const keep = options.keepRunDir === true || failure !== undefined || options.runDir !== undefined;
    const report = await collectReport({
      event: options.event, ...(options.tag ? { tag: options.tag } : {}), ...(options.workflow ? { workflow: Object.keys(runs)[0] ?? options.workflow } : {}),
      clone, index, runs, runDir, runDirKept: keep,
      durationMs: performance.now() - started, failure,
    });
    if (!keep) rmSync(runDir, { recursive: true, force: true });
    return report;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

/** Everything the runs need, started in parallel; whatever started is registered in `stops`, even when another part failed. */
async function prepare(options: RehearseOptions, assets: Assets, stops: (() => Promise<void>)[]) {
  const track = async <T extends { stop(): Promise<void> }>(p: Promise<T>): Promise<T> => {
    const value = await p;
    stops.push(() => value.stop());
    return value;
  };
  const clonePromise = track(prepareClone(options.projectDir, options.tag, options.env).then((clone) => ({
    ...clone, stop: async () => rmSync(dirname(clone.repo), { recursive: true, force: true }),
  })));
  const toolsPromise = options.tools ? Promise.resolve(options.tools) : ensurePythonTools(assets, options.env);
  const helpersPromise = track(options.helpersEnv
    ? Promise.resolve({ env: options.helpersEnv, stop: async () => {} })
    : provideHelpers(options.helpers, assets, options.env));
  const indexPromise = track(options.index
    ? Promise.resolve({ ...options.index, throwaway: false, stop: async () => {} })
    // A caller passes only the upload token; the workflows then log in as __token__, as on PyPI.
    : toolsPromise.then((tools) => startIndex(tools, options.workflow ? "__token__" : undefined)));
  const settled = await Promise.allSettled([clonePromise, toolsPromise, helpersPromise, indexPromise]);
  const rejected = settled.find((r) => r.status === "rejected");
  if (rejected) throw rejected.reason;
  return { clone: await clonePromise, tools: await toolsPromise, helpers: await helpersPromise, index: await indexPromise };
}

interface StageContext {
  options: RehearseOptions;
  assets: Assets;
  clone: PreparedClone;
  index: IndexEndpoint;
  progress: (event: RehearsalProgress) => void;
  common: Omit<RunWorkflowOptions, "workflow">;
  isolation: boolean;
  /** undefined: the workflows' default (PyPI). */
  depsIndexUrl: string | undefined;
  /** options.workflow, loaded (and checked) before the rehearsal started. */
  callerWorkflow: WorkflowSpec | undefined;
}

/** build.yml; when it succeeded testpypi.yml or pypi.yml (token); for a tag after a verified upload, release.yml (dry run). */
async function runStages(ctx: StageContext): Promise<Record<string, RunResult>> {
  const { options, index } = ctx;
  if (options.workflow && ctx.callerWorkflow) return runCallerWorkflow(ctx, options.workflow, ctx.callerWorkflow);
  const runs: Record<string, RunResult> = {};
  const run = async (file: string, rest: Partial<RunWorkflowOptions>) => {
    ctx.progress({ type: "phase", message: file });
    runs[file] = await runWorkflow({
      ...ctx.common, ...rest, workflow: join(ctx.assets.workflowsDir, file), onProgress: forwardProgress(file, ctx.progress),
    });
    return runs[file]!;
  };
  const imports = (options.importNames ?? []).join(" ");
  const build = await run("build.yml", { inputs: {
    target: options.event === "tag" ? "pypi" : "testpypi", "working-directory": ctx.clone.workingDirectory,
    "index-url": index.simpleUrl, "upload-url": index.uploadUrl, "build-isolation": ctx.isolation, "import-names": imports,
    ...(options.depsIndexUrl ? { "deps-index-url": options.depsIndexUrl } : {}),
    ...sizeLimits(options),
  } });
  if (build.status !== "success") return runs;
  const built = build.jobs.build?.outputs ?? {};
  const artifact = built["artifact-name"] || "dist";
  const publish = await run(options.event === "tag" ? "pypi.yml" : "testpypi.yml", {
    inputs: {
      name: built.name ?? "", version: built.version ?? "", "artifact-name": artifact, publish: "token",
      "index-url": index.simpleUrl, "upload-url": index.uploadUrl, ...(ctx.depsIndexUrl ? { "deps-index-url": ctx.depsIndexUrl } : {}),
      "import-names": imports, "verify-timeout": options.verifyTimeoutSeconds ?? 120,
    },
    secrets: { username: index.username, password: index.password },
  });
  if (publish.status === "success" && options.event === "tag") {
    await run("release.yml", { inputs: { tag: options.tag!, "artifact-name": artifact, "dry-run": true } });
  }
  return runs;
}

/** build.yml's size-limit inputs, for those the options give. */
function sizeLimits(options: RehearseOptions): Record<string, string> {
  return {
    ...(options.maxFileSize ? { "max-file-size": options.maxFileSize } : {}),
    ...(options.maxProjectSize ? { "max-project-size": options.maxProjectSize } : {}),
  };
}

/**
 * The caller workflow as written, through the job runner (the reusable workflows it names are this package's).
 * Its run is keyed by its path (always with a "/", so never taken for one of the reusable workflows' runs).
 */
async function runCallerWorkflow(ctx: StageContext, file: string, workflow: WorkflowSpec): Promise<Record<string, RunResult>> {
  const { options, index } = ctx;
  const shown = relative(process.cwd(), file);
  const key = shown.includes("/") ? shown : `./${shown}`;
  ctx.progress({ type: "phase", message: key });
  const imports = (options.importNames ?? []).join(" ");
  const secrets = Object.fromEntries(callSecretNames(workflow).map((name) => [name, index.password]));
  const result = await runWorkflow({
    ...ctx.common,
    workflow: file,
    given: Object.fromEntries((options.skipJobs ?? []).map((id) => [id, { result: "success" as const }])),
    callDefaults: {
      "index-url": index.simpleUrl, "upload-url": index.uploadUrl, "build-isolation": ctx.isolation, "dry-run": true,
      "verify-timeout": options.verifyTimeoutSeconds ?? 120,
      ...(ctx.depsIndexUrl ? { "deps-index-url": ctx.depsIndexUrl } : {}),
      ...(imports ? { "import-names": imports } : {}),
      ...sizeLimits(options),
    },
    secrets,
    // Trusted publishing: the pypa action uploads to the rehearsal's index with its password, whatever URL it names.
    publish: { uploadUrl: index.uploadUrl, username: index.username, password: index.password },
    // Nothing may reach GitHub: release.yml runs as a dry run, and any other API call fails on a closed port.
    event: { ...ctx.common.event, apiUrl: "http://127.0.0.1:9" },
    onProgress: forwardProgress(key, ctx.progress),
  });
  return { [key]: result };
}

/**
 * The repository secrets a workflow passes to the workflows it calls (`password: ${{ secrets.PYPI_API_TOKEN }}`),
 * plus password and username for `secrets: inherit`: only these get the index's password, never a secret its
 * other jobs use.
 */
export function callSecretNames(workflow: WorkflowSpec): string[] {
  const names = new Set<string>();
  for (const job of Object.values(workflow.jobs)) {
    if (job.uses === undefined || job.secrets === undefined) continue;
    if (job.secrets === "inherit") {
      names.add("password");
      continue;
    }
    for (const match of JSON.stringify(job.secrets).matchAll(/secrets\.([A-Za-z_][A-Za-z0-9_-]*)/g)) names.add(match[1]!);
  }
  names.delete("GITHUB_TOKEN");
  return [...names].sort();
}

async function startIndex(tools: PythonToolsVenv, username: string | undefined) {
  const index = await startThrowawayIndex({ pypiServer: tools.bin("pypi-server"), python: tools.python, ...(username ? { username } : {}) });
  return { ...index, throwaway: true };
}

/**
 * Where verification takes the project's dependencies from: the option, else the rehearsal's index when offline
 * (this repository's wheelhouse; nothing may reach PyPI), else undefined, the workflows' default (PyPI), as on
 * GitHub. The rehearsal's index holds only the project, so a project with dependencies needs PyPI (or a mirror).
 */
export function depsIndexFor(options: Pick<RehearseOptions, "depsIndexUrl">, tools: Pick<PythonToolsVenv, "wheelhouse">, index: Pick<IndexEndpoint, "simpleUrl">): string | undefined {
  return options.depsIndexUrl ?? (tools.wheelhouse ? index.simpleUrl : undefined);
}

/** With this repository's wheelhouse, pip (build frontend, isolated builds) never asks a public index. */
function offlineEnv(tools: PythonToolsVenv): Record<string, string> {
  return tools.wheelhouse ? { PIP_NO_INDEX: "1", PIP_FIND_LINKS: tools.wheelhouse } : {};
}

function forwardProgress(workflow: string, progress: (event: RehearsalProgress) => void) {
  return (event: ProgressEvent) => {
    if (event.type !== "step-end") return;
    progress({
      type: "step", workflow, job: event.job, step: event.step, status: event.status, durationMs: event.durationMs,
      ...(event.error ? { error: event.error } : {}),
    });
  };
}

export type { JobResult };
