import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { type RunWorkflowOptions, runWorkflow } from "../src/index.js";

export const WORKFLOWS = join(import.meta.dirname, "fixtures", "workflows");

/** Runs a fixture workflow in a fresh run directory. */
export function runFixture(file: string, options: Partial<RunWorkflowOptions> = {}) {
  return runWorkflow({ workflow: join(WORKFLOWS, file), runDir: tempDir("jr-run-"), ...options });
}

/** Writes an inline workflow into a temp directory and returns its path. */
export function inlineWorkflow(yaml: string, name = "inline.yml"): string {
  const file = join(tempDir("jr-wf-"), name);
  writeFileSync(file, yaml);
  return file;
}
