import { EnvironmentError, HelperError } from "@pypi-workflows/cli-kit";

/** Every code workflow-checks can emit, with what it means and what to do (docs/troubleshooting). */
export const ERROR_CODES: Record<string, { summary: string; fix: string }> = {
  WC_INVALID_WORKFLOW: {
    summary: "A workflow file is not valid YAML or not a mapping with jobs",
    fix: "Fix the YAML syntax at the reported position (a value with ': ' inside needs quotes)",
  },
  WC_NO_WORKFLOWS: {
    summary: "No .yml or .yaml file was found under the given paths",
    fix: "Pass workflow files or the directories holding them (e.g. .github/workflows)",
  },
  WC_NO_WORKSPACE: {
    summary: "The pypi-workflows workspace (pnpm-workspace.yaml with packages/) was not found",
    fix: "Run from inside the repository or pass --root DIR",
  },
  WC_STALE_GENERATED: {
    summary: "A generated file differs from what the workflows produce now",
    fix: "Run `workflow-policy generate --write` and commit the result",
  },
};

export class InvalidWorkflowError extends HelperError {
  constructor(file: string, detail: string) {
    super("WC_INVALID_WORKFLOW", `${file}: ${detail}`, 1, { hint: ERROR_CODES.WC_INVALID_WORKFLOW!.fix });
  }
}

export class NoWorkflowsError extends EnvironmentError {
  constructor(paths: readonly string[]) {
    super("WC_NO_WORKFLOWS", `no workflow files under ${paths.join(", ") || "(no paths)"}`, {
      hint: ERROR_CODES.WC_NO_WORKFLOWS!.fix,
    });
  }
}

export class NoWorkspaceError extends EnvironmentError {
  constructor(from: string) {
    super("WC_NO_WORKSPACE", `no pnpm-workspace.yaml above ${from}`, { hint: ERROR_CODES.WC_NO_WORKSPACE!.fix });
  }
}

export class StaleGeneratedError extends HelperError {
  constructor(files: readonly string[]) {
    super("WC_STALE_GENERATED", `stale generated file(s): ${files.join(", ")}`, 1, {
      hint: ERROR_CODES.WC_STALE_GENERATED!.fix,
    });
  }
}
