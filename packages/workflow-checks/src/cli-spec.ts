import { type CliSpec, JSON_OPTION } from "@pypi-workflows/cli-kit";

const ROOT_OPTION = {
  type: "string",
  valueName: "DIR",
  description: "the workspace root (default: the nearest directory above with pnpm-workspace.yaml)",
} as const;

/** The one definition of the workflow-policy CLI: parsing, --help and the docs' reference come from it. */
export const CLI_SPEC: CliSpec = {
  name: "workflow-policy",
  version: "0.1.0",
  description: "check GitHub workflows against the release-hardening policy; regenerate the workflow docs",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "check",
  commands: [
    {
      name: "check",
      summary: "check workflow files against every hardening rule",
      description:
        "Checks each workflow (files, or the .yml/.yaml files in directories) against the hardening rules: " +
        "permissions, pinning, injection, caches, timeouts, concurrency, credentials, helper versions. Exit 1 on any finding.",
      args: [{ name: "paths", description: "workflow files or directories", required: true, variadic: true }],
      options: { root: ROOT_OPTION },
      examples: ["workflow-policy .github/workflows examples/workflows"],
    },
    {
      name: "generate",
      summary: "check (or --write) the generated scenario table and the workflows' README",
      description:
        "Renders generated/scenarios.md (which jobs run on which event) and .github/workflows/README.md (inputs, " +
        "secrets, outputs) from the workflows. Exit 1 when a committed file is stale, unless --write rewrites it.",
      options: { write: { type: "boolean", description: "rewrite stale files" }, root: ROOT_OPTION },
      examples: ["workflow-policy generate --write"],
    },
    {
      name: "rules",
      summary: "list the rules with why each exists and how to comply",
    },
  ],
};
