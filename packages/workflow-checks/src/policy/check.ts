import { readWorkflow, listWorkflowFiles, type WorkflowFile } from "../workflow-file.js";
import { readWorkspacePackages, type HelperPackage } from "../workspace.js";
import { checkIdTokenJobs, checkJobPermissions, checkTopPermissions } from "./permission-rules.js";
import { checkHelperVersions, checkPinnedUses } from "./pinning-rules.js";
import { checkConcurrency, checkCheckoutCredentials, checkNoCache, checkTimeouts } from "./release-rules.js";
import type { Finding } from "./rules.js";
import { checkDangerousTriggers, checkRunExpressions, checkSecretsInherit, checkToJsonSecrets } from "./script-rules.js";

/** Every rule of the policy against one workflow, in rule-catalog order. */
export function checkWorkflow(file: WorkflowFile, packages: ReadonlyMap<string, HelperPackage>): Finding[] {
  return [
    ...checkTopPermissions(file),
    ...checkJobPermissions(file),
    ...checkIdTokenJobs(file),
    ...checkPinnedUses(file),
    ...checkRunExpressions(file),
    ...checkSecretsInherit(file),
    ...checkToJsonSecrets(file),
    ...checkDangerousTriggers(file),
    ...checkNoCache(file),
    ...checkTimeouts(file),
    ...checkConcurrency(file),
    ...checkCheckoutCredentials(file),
    ...checkHelperVersions(file, packages),
  ];
}

export interface PolicyOptions {
  /** Workflow files or directories of them, relative to cwd. */
  paths: readonly string[];
  cwd: string;
  /** The workspace root: names in findings are relative to it, and packages/ gives the helper versions. */
  root: string;
}

export interface PolicyReport {
  files: string[];
  findings: Finding[];
}

export function checkPolicy(options: PolicyOptions): PolicyReport {
  const packages = readWorkspacePackages(options.root);
  const files = listWorkflowFiles(options.paths, options.cwd).map((p) => readWorkflow(p, options.root));
  return { files: files.map((f) => f.name), findings: files.flatMap((f) => checkWorkflow(f, packages)) };
}
