import type { WorkflowFile } from "./workflow-file.js";

interface Param {
  description?: string;
  type?: string;
  default?: unknown;
  required?: boolean;
  value?: unknown;
}

type Params = Record<string, Param> | undefined;

function cell(text: unknown): string {
  return String(text ?? "").replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();
}

function table(title: string, params: Params, columns: "inputs" | "secrets" | "outputs"): string[] {
  const entries = Object.entries(params ?? {});
  if (!entries.length) return [`${title}: none.`, ""];
  const head = {
    inputs: ["| input | type | default | description |", "|---|---|---|---|"],
    secrets: ["| secret | required | description |", "|---|---|---|"],
    outputs: ["| output | description |", "|---|---|"],
  }[columns];
  const rows = entries.map(([name, p]) => {
    if (columns === "inputs") {
      const fallback = p.required ? "(required)" : `\`${cell(JSON.stringify(p.default ?? ""))}\``;
      return `| \`${name}\` | ${p.type ?? "string"} | ${fallback} | ${cell(p.description)} |`;
    }
    if (columns === "secrets") return `| \`${name}\` | ${p.required ? "yes" : "no"} | ${cell(p.description)} |`;
    return `| \`${name}\` | ${cell(p.description)} |`;
  });
  return [`${title}:`, "", ...head, ...rows, ""];
}

/** The leading comment block of a workflow file: what it is for, in its author's words. */
function leadingComment(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^# ?/, ""));
  }
  return lines;
}

/** .github/workflows/README.md: every workflow's purpose, inputs, secrets and outputs, from the YAML itself. */
export function renderWorkflowReadme(files: readonly WorkflowFile[]): string {
  const lines = [
    "# The workflows",
    "",
    "Generated from the workflow files by `workflow-policy generate --write` (packages/workflow-checks); a test fails",
    "when it is stale. Callers reference the reusable ones as",
    "`<org>/pypi-workflows/.github/workflows/<file>@<full commit sha> # v1`; the examples in examples/workflows/ use the",
    "placeholder `pypi-workflows/pypi-workflows` and the SHA `0000000000000000000000000000000000000000`.",
    "Action pins and where each SHA was confirmed: [../actions-pins.md](../actions-pins.md).",
    "",
    "Running them elsewhere (the local job runner, a rehearsal): `pypi-workflows/pypi-workflows/...@<sha>` and",
    "`./.github/workflows/...` both mean the files in this directory; helper steps call",
    "`npx --yes @pypi-workflows/<package>@<version>` (serve the workspace's packed packages from a local registry);",
    "`index-url`/`upload-url` inputs replace the public indexes, and `build-isolation: false` builds with the",
    "backends already installed, so nothing is fetched from PyPI. Third-party actions, all pinned: actions/checkout,",
    "actions/setup-python, actions/setup-node, actions/upload-artifact, actions/download-artifact, and",
    "pypa/gh-action-pypi-publish in the trusted-publishing example.",
  ];
  for (const file of files) {
    const base = file.name.split("/").pop();
    const call = (file.doc.on as { workflow_call?: { inputs?: Params; secrets?: Params; outputs?: Params } } | undefined)
      ?.workflow_call;
    lines.push("", `## ${base}`, "", ...leadingComment(file.text), "");
    if (!call) {
      lines.push("Not reusable (this repository's own workflow).");
      continue;
    }
    lines.push(...table("Inputs", call.inputs, "inputs"), ...table("Secrets", call.secrets, "secrets"));
    lines.push(...table("Outputs", call.outputs, "outputs"));
    while (lines[lines.length - 1] === "") lines.pop();
  }
  return `${lines.join("\n")}\n`;
}
