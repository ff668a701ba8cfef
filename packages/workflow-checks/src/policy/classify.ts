import { actionName, type RawJob, stepsOf, triggerNames, type WorkflowFile } from "../workflow-file.js";

export const PUBLISH_ACTION = "pypa/gh-action-pypi-publish";
export const DOWNLOAD_ACTION = "actions/download-artifact";
/** Reusable workflows of this project that upload or write (matched by file name, local or remote). */
const PUBLISHING_REUSABLE = /(^|\/)\.github\/workflows\/(testpypi|pypi|release)\.ya?ml(@|$)/;
const UPLOADER_CALL = /@pypi-workflows\/uploader@/;
const RELEASE_CALL = /@pypi-workflows\/notes-gen@\S+\s+release\b/;

export type Permissions = Record<string, string> | "read-all" | "write-all" | undefined;

export function permissionsOf(job: RawJob): Permissions {
  const p = job.permissions;
  if (p === "read-all" || p === "write-all") return p;
  if (p && typeof p === "object") return p as Record<string, string>;
  return undefined;
}

export function grantsWrite(job: RawJob, scope: string): boolean {
  const p = permissionsOf(job);
  return p === "write-all" || (typeof p === "object" && p[scope] === "write");
}

/** A job that creates the GitHub release: it alone may hold contents: write. */
export function isReleaseJob(job: RawJob): boolean {
  if (typeof job.uses === "string" && /(^|\/)\.github\/workflows\/release\.ya?ml(@|$)/.test(job.uses)) return true;
  return stepsOf(job).some((s) => typeof s.run === "string" && RELEASE_CALL.test(s.run));
}

/** Uploads to an index, asks for an OIDC token, writes a release, or calls a workflow that does. */
export function isPublishingJob(job: RawJob): boolean {
  if (grantsWrite(job, "id-token") || grantsWrite(job, "contents")) return true;
  if (typeof job.uses === "string" && PUBLISHING_REUSABLE.test(job.uses)) return true;
  return stepsOf(job).some(
    (s) =>
      actionName(s.uses) === PUBLISH_ACTION ||
      (typeof s.run === "string" && (UPLOADER_CALL.test(s.run) || RELEASE_CALL.test(s.run))),
  );
}

export function isPublishingWorkflow(file: WorkflowFile): boolean {
  return Object.values(file.doc.jobs).some(isPublishingJob);
}

/** Release paths: workflows that publish, and the reusable workflows (they build what gets published). */
export function isReleasePath(file: WorkflowFile): boolean {
  return isPublishingWorkflow(file) || triggerNames(file.doc).includes("workflow_call");
}
