import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderWorkflowReadme } from "./readme.js";
import { renderScenarioTable, simulateScenarios } from "./scenarios/table.js";
import { listWorkflowFiles, readWorkflow } from "./workflow-file.js";

/** The generated files, relative to the workspace root. */
export const GENERATED_FILES = {
  scenarios: "packages/workflow-checks/generated/scenarios.md",
  workflowReadme: ".github/workflows/README.md",
} as const;

/** What the generated files should contain now, by path relative to the root. */
export async function renderGeneratedFiles(root: string): Promise<Map<string, string>> {
  const workflows = listWorkflowFiles([".github/workflows"], root).map((p) => readWorkflow(p, root));
  const rows = await simulateScenarios(root);
  return new Map([
    [GENERATED_FILES.scenarios, renderScenarioTable(rows)],
    [GENERATED_FILES.workflowReadme, renderWorkflowReadme(workflows)],
  ]);
}

export interface GenerateResult {
  /** Files whose committed text differs from what the workflows give now (before writing). */
  stale: string[];
  written: string[];
}

/** Compares (and with write: true, rewrites) every generated file. */
export async function syncGeneratedFiles(root: string, write: boolean): Promise<GenerateResult> {
  const stale: string[] = [];
  const written: string[] = [];
  for (const [path, text] of await renderGeneratedFiles(root)) {
    const target = join(root, path);
    const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
    if (current === text) continue;
    stale.push(path);
    if (write) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      written.push(path);
    }
  }
  return { stale, written };
}
