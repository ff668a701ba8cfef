import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type JobResult, type ProgressEvent, type RunResult, runWorkflow } from "@pypi-workflows/job-runner";
import { prepareClone, REHEARSAL_BRANCH } from "./clone.js";
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
  /** build.yml's build-isolation; default false when offline (this repository's wheelhouse), else true. */
  buildIsolation?: boolean;
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

interface Stage {
  workflow: string;
  options: Parameters<typeof runWorkflow>[0];
}

function checkOptions(options: RehearseOptions): void {
  if (options.event === "tag" && !options.tag) throw new UsageError("--event tag needs --tag vX.Y.Z", "e.g. --event tag --tag v1.0.0");
  if (options.event === "push" && options.tag) throw new UsageError("--tag is for --event tag", "add --event tag, or drop --tag");
}

/**
 * Runs the project's release through the reusable workflows, for real, in a temporary clone: build.yml, then
 * testpypi.yml (push) or pypi.yml (tag) with the token path, then release.yml as a dry run for a tag.
 * Returns the report; the rehearsal's findings are in report.status/failure, never thrown.
 */
export async function rehearse(options: RehearseOptions): Promise<RehearsalReport> {
  checkOptions(options);
  const started = performance.now();
  const assets = options.assets ?? locateAssets();
  const progress = options.onProgress ?? (() => {});
  progress({ type: "phase", message: "preparing: temporary clone, Python tools, helper CLIs, index" });
  const [clone, tools] = await Promise.all([
    prepareClone(options.projectDir, options.tag, options.env),
    options.tools ?? ensurePythonTools(assets, options.env),
  ]);
  const stops: (() => Promise<void>)[] = [async () => rmSync(dirname(clone.repo), { recursive: true, force: true })];
  try {
    const [helpers, index] = await Promise.all([
      options.helpersEnv ? { env: options.helpersEnv, stop: async () => {} } : provideHelpers(options.helpers, assets, options.env),
      options.index ? { ...options.index, throwaway: false, stop: async () => {} } : startIndex(tools),
    ]);
    stops.push(helpers.stop, index.stop);
    progress({ type: "phase", message: `ready in ${((performance.now() - started) / 1000).toFixed(1)} s: index ${index.simpleUrl}${index.throwaway ? " (throwaway)" : ""}` });
    const runDir = options.runDir ?? mkdtempSync(join(tmpdir(), "pypi-workflows-rehearsal-"));
    const extraEnv = { ...helpers.env, ...offlineEnv(tools), ...options.extraEnv };
    const common = {
      workflowsDir: assets.workflowsDir, runDir, source: clone.repo, python: tools.python, twine: tools.bin("twine"),
      extraEnv, hostEnv: options.env,
      event: options.event === "tag"
        ? { name: "push", ref: `refs/tags/${options.tag}`, defaultBranch: REHEARSAL_BRANCH }
        : { name: "push", ref: `refs/heads/${REHEARSAL_BRANCH}`, defaultBranch: REHEARSAL_BRANCH },
    };
    const isolation = options.buildIsolation ?? !tools.wheelhouse;
    const imports = (options.importNames ?? []).join(" ");
    const runs: Record<string, RunResult> = {};
    const runStage = async (stage: Stage) => {
      progress({ type: "phase", message: `${stage.workflow}` });
      runs[stage.workflow] = await runWorkflow({ ...stage.options, onProgress: forwardProgress(stage.workflow, progress) });
      return runs[stage.workflow]!;
    };
    const build = await runStage({ workflow: "build.yml", options: { ...common, workflow: join(assets.workflowsDir, "build.yml"), inputs: {
      target: options.event === "tag" ? "pypi" : "testpypi", "working-directory": clone.workingDirectory,
      "index-url": index.simpleUrl, "upload-url": index.uploadUrl, "build-isolation": isolation, "import-names": imports,
    } } });
    const buildOutputs = build.jobs.build?.outputs ?? {};
    if (build.status === "success") {
      const publishFile = options.event === "tag" ? "pypi.yml" : "testpypi.yml";
      const publish = await runStage({ workflow: publishFile, options: { ...common, workflow: join(assets.workflowsDir, publishFile),
        inputs: {
          name: buildOutputs.name ?? "", version: buildOutputs.version ?? "", "artifact-name": buildOutputs["artifact-name"] ?? "dist",
          publish: "token", "index-url": index.simpleUrl, "upload-url": index.uploadUrl, "deps-index-url": index.simpleUrl,
          "import-names": imports, "verify-timeout": options.verifyTimeoutSeconds ?? 120,
        },
        secrets: { username: index.username, password: index.password } } });
      if (publish.status === "success" && options.event === "tag") {
        await runStage({ workflow: "release.yml", options: { ...common, workflow: join(assets.workflowsDir, "release.yml"),
          inputs: { tag: options.tag!, "artifact-name": buildOutputs["artifact-name"] ?? "dist", "dry-run": true } } });
      }
    }
    const failure = describeFailure(runs);
    const keep = options.keepRunDir === true || failure !== undefined || options.runDir !== undefined;
    const report = await collectReport({
      event: options.event, ...(options.tag ? { tag: options.tag } : {}), clone, index, runs, runDir, runDirKept: keep,
      durationMs: performance.now() - started, failure,
    });
    if (!keep) rmSync(runDir, { recursive: true, force: true });
    return report;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  }
}

async function startIndex(tools: PythonToolsVenv) {
  const index = await startThrowawayIndex({ pypiServer: tools.bin("pypi-server"), python: tools.python });
  return { ...index, throwaway: true };
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
