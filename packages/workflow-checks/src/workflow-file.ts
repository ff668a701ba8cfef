import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { InvalidWorkflowError, NoWorkflowsError } from "./errors.js";

/** A job as written in YAML (the policy reads the raw shape; scenarios use GitHub's parser). */
export type RawJob = Record<string, unknown> & {
  steps?: RawStep[];
  uses?: string;
  needs?: string | string[];
  permissions?: unknown;
  with?: Record<string, unknown>;
  secrets?: unknown;
};
export type RawStep = Record<string, unknown> & { uses?: string; run?: string; with?: Record<string, unknown> };

export interface WorkflowFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the workspace root, with forward slashes (used in findings and tables). */
  name: string;
  text: string;
  /** The parsed YAML (`on`, `permissions`, `jobs`, ...). */
  doc: Record<string, unknown> & { jobs: Record<string, RawJob> };
}

/** Reads and parses one workflow; invalid YAML or a file without jobs is an InvalidWorkflowError. */
export function readWorkflow(path: string, root: string): WorkflowFile {
  const text = readFileSync(path, "utf8");
  const name = relative(root, path).split("\\").join("/");
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length) throw new InvalidWorkflowError(name, document.errors[0]!.message);
  const doc = document.toJS() as WorkflowFile["doc"] | null;
  if (!doc || typeof doc !== "object" || typeof doc.jobs !== "object" || doc.jobs === null) {
    throw new InvalidWorkflowError(name, "not a workflow: no `jobs:` mapping");
  }
  return { path, name, text, doc };
}

/** The .yml/.yaml files named or found (not recursively) in the given directories, sorted. */
export function listWorkflowFiles(paths: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    if (statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
      for (const entry of readdirSync(abs).sort()) if (/\.ya?ml$/.test(entry)) files.push(join(abs, entry));
    } else if (statSync(abs, { throwIfNoEntry: false })?.isFile()) files.push(abs);
  }
  if (!files.length) throw new NoWorkflowsError(paths);
  return files;
}

/** The events a workflow listens to, whatever form `on:` takes. */
export function triggerNames(doc: WorkflowFile["doc"]): string[] {
  const on = doc.on ?? doc.true; // YAML 1.1 readers turn a bare `on` into true; the yaml package does not.
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  if (on && typeof on === "object") return Object.keys(on);
  return [];
}

/** A job's steps ([] for a reusable-workflow call). */
export function stepsOf(job: RawJob): RawStep[] {
  return Array.isArray(job.steps) ? job.steps : [];
}

/** The action a step uses, without its ref: "actions/checkout". */
export function actionName(uses: string | undefined): string {
  return (uses ?? "").split("@")[0]!.toLowerCase();
}

/** Every step of every job of a workflow. */
export function stepsOfWorkflow(file: WorkflowFile): RawStep[] {
  return Object.values(file.doc.jobs).flatMap(stepsOf);
}
