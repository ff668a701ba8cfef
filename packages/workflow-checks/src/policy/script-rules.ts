import { stepsOf, triggerNames, type WorkflowFile } from "../workflow-file.js";
import { isPublishingWorkflow } from "./classify.js";
import type { Finding } from "./rules.js";

export function checkRunExpressions(file: WorkflowFile): Finding[] {
  const findings: Finding[] = [];
  for (const [id, job] of Object.entries(file.doc.jobs)) {
    for (const step of stepsOf(job)) {
      if (typeof step.run === "string" && step.run.includes("${{")) {
        const name = String(step.name ?? step.run.split("\n")[0]);
        findings.push({ rule: "no-expression-in-run", file: file.name, job: id, message: `\`\${{\` in the run: of "${name}"` });
      }
    }
  }
  return findings;
}

export function checkSecretsInherit(file: WorkflowFile): Finding[] {
  return Object.entries(file.doc.jobs)
    .filter(([, job]) => job.secrets === "inherit")
    .map(([id]) => ({ rule: "no-secrets-inherit", file: file.name, job: id, message: "`secrets: inherit` passes every secret" }));
}

export function checkToJsonSecrets(file: WorkflowFile): Finding[] {
  const findings: Finding[] = [];
  file.text.split("\n").forEach((text, index) => {
    if (/toJSON\s*\(\s*secrets\s*\)/i.test(text)) {
      findings.push({ rule: "no-tojson-secrets", file: file.name, line: index + 1, message: "toJSON(secrets) exposes every secret" });
    }
  });
  return findings;
}

export function checkDangerousTriggers(file: WorkflowFile): Finding[] {
  if (!isPublishingWorkflow(file)) return [];
  return triggerNames(file.doc)
    .filter((t) => t === "pull_request_target" || t === "workflow_run")
    .map((t) => ({ rule: "no-dangerous-triggers", file: file.name, message: `a publishing workflow runs on ${t}` }));
}
