import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { type RunWorkflowOptions, runWorkflow } from "../src/index.js";

export const WORKFLOWS = join(import.meta.dirname, "fixtures", "workflows");

/** Runs a fixture workflow in a fresh run directory. */
export function runFixture(file: string, options: Partial<RunWorkflowOptions> = {}) {
  return runWorkflow({ workflow: join(WORKFLOWS, file), runDir: tempDir("jr-run-"), ...options });
}
