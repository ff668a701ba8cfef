import { actionName, stepsOf, type WorkflowFile } from "../workflow-file.js";
import { DOWNLOAD_ACTION, grantsWrite, isReleaseJob, PUBLISH_ACTION, permissionsOf } from "./classify.js";
import type { Finding } from "./rules.js";

export function checkTopPermissions(file: WorkflowFile): Finding[] {
  const p = file.doc.permissions;
  const empty = p !== null && typeof p === "object" && Object.keys(p).length === 0;
  if (empty) return [];
  return [{ rule: "top-permissions", file: file.name, message: "the workflow must start from `permissions: {}`" }];
}

export function checkJobPermissions(file: WorkflowFile): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of Object.entries(file.doc.jobs)) {
    const p = permissionsOf(job);
    const add = (message: string) => findings.push({ rule: "job-permissions", file: file.name, job: id, message });
    if (p === undefined) add("the job declares no `permissions:` (it would get the repository's defaults)");
    else if (typeof p === "string") add(`\`permissions: ${p}\` grants more than any job here needs`);
    else {
      for (const [scope, level] of Object.entries(p)) {
        if (level !== "write" || scope === "id-token") continue;
        if (scope === "contents" && isReleaseJob(job)) continue;
        add(`\`${scope}: write\` is not needed here (only the release job may write contents)`);
      }
    }
  }
  return findings;
}

/** id-token: write only where trusted publishing happens: an environment, download + upload, nothing else. */
export function checkIdTokenJobs(file: WorkflowFile): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of Object.entries(file.doc.jobs)) {
    if (!grantsWrite(job, "id-token")) continue;
    const add = (message: string) => findings.push({ rule: "id-token-job", file: file.name, job: id, message });
    if (typeof job.uses === "string") {
      add("id-token: write on a reusable-workflow call: PyPI refuses tokens minted there; upload in your own job");
      continue;
    }
    if (!job.environment) add("the job with id-token: write has no `environment:`");
    const steps = stepsOf(job);
    const others = steps.filter((s) => ![DOWNLOAD_ACTION, PUBLISH_ACTION].includes(actionName(s.uses)));
    for (const s of others) add(`step "${String(s.name ?? s.uses ?? s.run)}" does not belong in the upload job`);
    if (!steps.some((s) => actionName(s.uses) === PUBLISH_ACTION)) add("id-token: write but no pypa publish step");
  }
  return findings;
}
