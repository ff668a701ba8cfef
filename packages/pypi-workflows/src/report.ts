import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Manifest, listProjectFiles, readManifest } from "@pypi-workflows/index-client";
import type { JobResult, RunResult } from "@pypi-workflows/job-runner";
import type { PreparedClone } from "./clone.js";

export interface PublishedFile {
  filename: string;
  sha256: string;
  /** The index's sha256 equals the built file's. */
  matches: boolean;
  url?: string;
}

export interface StepTiming {
  workflow: string;
  job: string;
  step: string;
  status: string;
  durationMs: number;
}

export interface RehearsalFailure {
  workflow: string;
  job: string;
  step: string;
  error: string;
  /** The failing step's last lines (the helper's error code and next step are among them). */
  log: string[];
}

export interface RehearsalReport {
  status: "success" | "failure";
  event: "push" | "tag";
  tag?: string;
  /** The caller workflow rehearsed (--workflow), as the steps and the failure name it. */
  workflow?: string;
  commit: string;
  /** The project's directory inside its repository. */
  project: string;
  name?: string;
  version?: string;
  index: { simpleUrl: string; uploadUrl: string; throwaway: boolean };
  /** The files the index holds for NAME==VERSION after the rehearsal (empty when nothing was uploaded). */
  published: PublishedFile[];
  upload?: { uploaded: string; skipped: string };
  verification?: { published: string; installable: string };
  /** release.yml's dry run: what the GitHub release would be. */
  notes?: string;
  steps: StepTiming[];
  warnings: string[];
  failure?: RehearsalFailure;
  /** Workspaces, artifacts, logs and result.json of the runs (secrets masked). */
  runDir: string;
  /** false: removed after a successful rehearsal. */
  runDirKept: boolean;
  durationMs: number;
}

function allJobs(jobs: Record<string, JobResult>): JobResult[] {
  return Object.values(jobs).flatMap((job) => [job, ...allJobs(job.jobs ?? {})]);
}

/** The first failed step of the first failed run, with its error and last log lines. */
export function describeFailure(runs: Record<string, RunResult>): RehearsalFailure | undefined {
  for (const [workflow, run] of Object.entries(runs)) {
    for (const job of allJobs(run.jobs)) {
      const step = job.steps.find((s) => s.conclusion === "failure");
      if (step) return { workflow, job: job.key, step: step.name, error: step.error ?? "failed", log: step.log.slice(-15) };
      if (job.status === "failure" && job.error) return { workflow, job: job.key, step: "(job)", error: job.error, log: [] };
    }
  }
  return undefined;
}

function timings(runs: Record<string, RunResult>): StepTiming[] {
  return Object.entries(runs).flatMap(([workflow, run]) =>
    allJobs(run.jobs).flatMap((job) => job.steps.filter((s) => s.conclusion !== "skipped").map((s) => ({
      workflow, job: job.key, step: s.name, status: s.conclusion, durationMs: Math.round(s.durationMs),
    }))));
}

/**
 * The jobs of every run of one of the reusable workflows ("build.yml"): the rehearsal's own run of it, and every
 * job of a caller workflow that called it and was not skipped.
 */
function callsOf(runs: Record<string, RunResult>, file: string): Record<string, JobResult>[] {
  const found = runs[file] ? [runs[file].jobs] : [];
  for (const run of Object.values(runs)) {
    for (const job of allJobs(run.jobs)) if (job.workflow === file && job.jobs && job.status !== "skipped") found.push(job.jobs);
  }
  return found;
}

/** Every step output of one job of a called workflow's run. */
function stepOutputs(jobs: Record<string, JobResult>, job: string): Record<string, string> {
  return Object.assign({}, ...(jobs[job]?.steps.map((s) => s.outputs) ?? []));
}

async function publishedFiles(simpleUrl: string, manifest: Manifest | undefined): Promise<PublishedFile[]> {
  if (!manifest) return [];
  const listing = await listProjectFiles(simpleUrl, manifest.name, { timeoutMs: 10_000 }).catch(() => ({ found: false, files: [] }));
  const wanted = new Map(manifest.files.map((f) => [f.filename, f.sha256]));
  return listing.files.filter((f) => wanted.has(f.filename)).map((f) => ({
    filename: f.filename, sha256: f.sha256 ?? "", matches: f.sha256 === wanted.get(f.filename), url: f.url,
  }));
}

export interface ReportFacts {
  event: "push" | "tag";
  tag?: string;
  workflow?: string;
  clone: PreparedClone;
  index: { simpleUrl: string; uploadUrl: string; throwaway: boolean };
  runs: Record<string, RunResult>;
  runDir: string;
  runDirKept: boolean;
  durationMs: number;
  failure: RehearsalFailure | undefined;
}

export async function collectReport(facts: ReportFacts): Promise<RehearsalReport> {
  const build = callsOf(facts.runs, "build.yml")[0]?.build?.outputs ?? {};
  const artifact = join(facts.runDir, "artifacts", build["artifact-name"] || "dist", "manifest.json");
  const manifest = existsSync(artifact) ? await readManifest(artifact) : undefined;
  // A caller may upload in a job of its own (trusted publishing) and call pypi.yml only to verify.
  const publishCalls = [...callsOf(facts.runs, "testpypi.yml"), ...callsOf(facts.runs, "pypi.yml")];
  const upload = publishCalls.map((jobs) => stepOutputs(jobs, "upload")).find((o) => o.uploaded !== undefined) ?? {};
  const verify = publishCalls.map((jobs) => stepOutputs(jobs, "verify")).find((o) => o.published !== undefined) ?? {};
  const notesStep = callsOf(facts.runs, "release.yml")[0]?.["github-release"]?.steps.at(-1);
  return {
    status: facts.failure ? "failure" : "success",
    event: facts.event,
    ...(facts.tag ? { tag: facts.tag } : {}),
    ...(facts.workflow ? { workflow: facts.workflow } : {}),
    commit: facts.clone.sha,
    project: facts.clone.workingDirectory,
    ...(build.name ? { name: build.name } : {}),
    ...(build.version ? { version: build.version } : {}),
    index: { simpleUrl: facts.index.simpleUrl, uploadUrl: facts.index.uploadUrl, throwaway: facts.index.throwaway },
    published: await publishedFiles(facts.index.simpleUrl, manifest),
    ...(upload.uploaded !== undefined ? { upload: { uploaded: upload.uploaded, skipped: upload.skipped ?? "" } } : {}),
    ...(verify.published !== undefined ? { verification: { published: verify.published, installable: verify.installable ?? "" } } : {}),
    ...(notesStep && notesStep.conclusion === "success" ? { notes: notesStep.log.join("\n") } : {}),
    steps: timings(facts.runs),
    warnings: [...facts.clone.warnings, ...(facts.clone.createdTag ? [`tag ${facts.clone.createdTag} was created at HEAD in the temporary clone (your repository is unchanged)`] : [])],
    ...(facts.failure ? { failure: facts.failure } : {}),
    runDir: facts.runDir,
    runDirKept: facts.runDirKept,
    durationMs: Math.round(facts.durationMs),
  };
}

