import { actionName, stepsOf, type WorkflowFile } from "../workflow-file.js";
import { isPublishingJob, isReleasePath } from "./classify.js";
import type { Finding } from "./rules.js";

export function checkNoCache(file: WorkflowFile): Finding[] {
  if (!isReleasePath(file)) return [];
  const findings: Finding[] = [];
  for (const [id, job] of Object.entries(file.doc.jobs)) {
    for (const step of stepsOf(job)) {
      const action = actionName(step.uses);
      const add = (message: string) => findings.push({ rule: "no-cache", file: file.name, job: id, message });
      if (action === "actions/cache" || action.startsWith("actions/cache/")) add(`${action} on a release path`);
      if (action.startsWith("actions/setup-") && step.with?.cache) add(`${action} with \`cache:\` on a release path`);
      if (action === "actions/setup-node" && String(step.with?.["package-manager-cache"]) !== "false") {
        add("actions/setup-node caches by default since v5: set `package-manager-cache: false`");
      }
    }
  }
  return findings;
}

export function checkTimeouts(file: WorkflowFile): Finding[] {
  return Object.entries(file.doc.jobs)
    .filter(([, job]) => typeof job.uses !== "string" && job["timeout-minutes"] === undefined)
    .map(([id]) => ({ rule: "timeout-minutes", file: file.name, job: id, message: "the job has no timeout-minutes" }));
}

export function checkConcurrency(file: WorkflowFile): Finding[] {
  if (file.doc.concurrency) return [];
  return Object.entries(file.doc.jobs)
    .filter(([, job]) => isPublishingJob(job) && !job.concurrency)
    .map(([id]) => ({ rule: "concurrency", file: file.name, job: id, message: "a publishing job without a concurrency group" }));
}

export function checkCheckoutCredentials(file: WorkflowFile): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of Object.entries(file.doc.jobs)) {
    for (const step of stepsOf(job)) {
      if (actionName(step.uses) !== "actions/checkout") continue;
      if (String(step.with?.["persist-credentials"]) === "false") continue;
      findings.push({ rule: "checkout-credentials", file: file.name, job: id, message: "actions/checkout without persist-credentials: false" });
    }
  }
  return findings;
}
