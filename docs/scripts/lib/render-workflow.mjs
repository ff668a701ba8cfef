// One reference page per reusable workflow, from the workflow file itself: inputs, secrets, outputs, the
// permissions each job asks for (and so what the caller's job must grant), the helpers and actions it runs.
import { cell, code, inline, page, sentence, summarize, table, vPre } from "./markdown.mjs";

const PLACEHOLDER_REPO = "pypi-workflows/pypi-workflows";
const PLACEHOLDER_SHA = "0000000000000000000000000000000000000000";
const LEVEL = { none: 0, read: 1, write: 2 };

export function workflowStem(wf) {
  return wf.file.replace(/\.ya?ml$/, "");
}

export function workflowPagePath(wf) {
  return `reference/workflows/${workflowStem(wf)}`;
}

/** The comment block at the top of the file: the workflow's own description. */
export function headerComment(text) {
  const lines = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^#\s?/, ""));
  }
  return lines.join(" ").replace(/\s+/g, " ").trim();
}

/** "none", "read-all", or "contents: read, id-token: write"; undefined means the job inherits. */
export function formatPermissions(permissions) {
  if (permissions === undefined || permissions === null) return undefined;
  if (typeof permissions === "string") return permissions;
  const entries = Object.entries(permissions);
  return entries.length ? entries.map(([scope, level]) => `${scope}: ${level}`).join(", ") : "none";
}

function jobPermissions(wf, job) {
  return formatPermissions(job.permissions) ?? `${formatPermissions(wf.doc.permissions) ?? "the GitHub default"} (the workflow's)`;
}

/** What a caller's job must grant: the largest level each scope is asked for by any job. */
export function callerPermissions(wf) {
  const granted = {};
  for (const job of Object.values(wf.doc.jobs ?? {})) {
    const perms = job?.permissions ?? wf.doc.permissions;
    if (!perms || typeof perms !== "object") continue;
    for (const [scope, level] of Object.entries(perms)) {
      if ((LEVEL[level] ?? 0) > (LEVEL[granted[scope]] ?? 0)) granted[scope] = level;
    }
  }
  return formatPermissions(granted);
}

function environmentOf(job) {
  const env = job.environment;
  if (!env) return "";
  return code(typeof env === "string" ? env : env.name);
}

/** Helper CLIs a job runs (`npx --yes @pypi-workflows/x@1.2.3 command`), in order, without repeats. */
export function helperCalls(job) {
  const calls = [];
  for (const step of job.steps ?? []) {
    const re = /npx --yes (@pypi-workflows\/[\w.-]+)@([\w.+-]+)(?:\s+([a-z][\w-]*))?/g;
    for (const m of String(step.run ?? "").matchAll(re)) {
      const call = `${m[1]}@${m[2]}${m[3] ? ` ${m[3]}` : ""}`;
      if (!calls.includes(call)) calls.push(call);
    }
  }
  return calls;
}

/** Every `uses:` in the file with its pin: a full commit SHA and the version in the comment beside it. */
export function actionsUsed(text) {
  const seen = new Map();
  for (const m of text.matchAll(/^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(?:#\s*(.*))?$/gm)) {
    const [ref, comment] = [m[1], (m[2] ?? "").trim()];
    const at = ref.lastIndexOf("@");
    const name = at > 0 ? ref.slice(0, at) : ref;
    const pin = at > 0 ? ref.slice(at + 1) : "";
    seen.set(ref, { name, pin, pinned: /^[0-9a-f]{40}$/.test(pin), version: comment });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * One small section per input, secret and output (not a table): each name is then a heading, so the site's
 * search ranks it first and every name has its own link (#input-verify-timeout).
 */
function namedSections(kind, entries, describe) {
  return entries.map(([name, item]) => `### ${name} {#${kind}-${name}}\n\n${describe(item ?? {})}`).join("\n\n");
}

function inputsSection(call) {
  const inputs = Object.entries(call.inputs ?? {});
  if (!inputs.length) return "This workflow takes no inputs.";
  return namedSections("input", inputs, (i) => {
    const facts = [code(i.type ?? "string"), i.required ? "**required**" : "optional"];
    if (!i.required && i.default !== undefined) facts.push(`default ${code(JSON.stringify(i.default))}`);
    return `${facts.join(", ")}. ${sentence(i.description)}`;
  });
}

function secretsSection(call) {
  const secrets = Object.entries(call.secrets ?? {});
  if (!secrets.length) return "This workflow takes no secrets.";
  return [
    "Pass each secret by name (`secrets: { password: ${{ secrets.PYPI_API_TOKEN }} }`); never `secrets: inherit`.",
    "",
    namedSections("secret", secrets, (s) => `${s.required ? "**Required**" : "Optional"}. ${sentence(s.description)}`),
  ].join("\n");
}

function outputsSection(call) {
  const outputs = Object.entries(call.outputs ?? {});
  if (!outputs.length) return "This workflow has no outputs.";
  return namedSections("output", outputs, (o) => sentence(o.description));
}

function jobsSection(wf) {
  const rows = Object.entries(wf.doc.jobs ?? {}).map(([id, job]) => [
    `${code(id)}${job?.name ? ` (${cell(inline(job.name))})` : ""}`,
    cell(jobPermissions(wf, job ?? {})),
    environmentOf(job ?? {}),
    job?.["timeout-minutes"] === undefined ? "" : `${job["timeout-minutes"]} min`,
    cell(helperCalls(job ?? {}).map(code).join(", ") || (job?.uses ? `calls ${code(job.uses)}` : "")),
  ]);
  return table(["job", "permissions", "environment", "timeout", "helper CLIs it runs"], rows);
}

function actionsSection(wf) {
  const actions = actionsUsed(wf.text);
  if (!actions.length) return "This workflow uses no actions.";
  const rows = actions.map((a) => [code(a.name), a.pinned ? code(a.pin) : `**not pinned** ${code(a.pin || "(local)")}`, cell(inline(a.version))]);
  return table(["action", "commit", "version"], rows);
}

function callSnippet(wf) {
  const required = Object.entries(wf.call.inputs ?? {}).filter(([, i]) => i?.required);
  const lines = [
    "```yaml",
    "jobs:",
    `  ${workflowStem(wf)}:`,
    `    permissions: ${callerPermissions(wf) === "none" ? "{}" : `{ ${callerPermissions(wf) ?? ""} }`}`,
    `    uses: ${PLACEHOLDER_REPO}/${wf.path}@${PLACEHOLDER_SHA} # v1`,
  ];
  if (required.length) lines.push("    with:", ...required.map(([name]) => `      ${name}: ...`));
  lines.push("```");
  return lines.join("\n");
}

export function renderWorkflowPage(wf) {
  const body = [
    `# ${wf.file}`,
    "",
    `> ${inline(headerComment(wf.text)) || sentence(wf.doc.name)}`,
    "",
    "## Call it",
    "",
    `Replace ${code(PLACEHOLDER_SHA)} with the full commit SHA of the release you use. Your job must grant at least: **${callerPermissions(wf) ?? "none"}**.`,
    "",
    callSnippet(wf),
    "",
    vPre(
      [
        "## Inputs", "", inputsSection(wf.call), "",
        "## Secrets", "", secretsSection(wf.call), "",
        "## Outputs", "", outputsSection(wf.call), "",
        "## Jobs and permissions", "",
        `Workflow-level permissions: **${formatPermissions(wf.doc.permissions) ?? "not set (GitHub's default)"}**.`, "",
        jobsSection(wf), "",
        "## Actions it uses", "", "Every action is pinned to a full commit SHA; the version is the comment beside it.", "",
        actionsSection(wf),
      ].join("\n"),
    ),
  ];
  return page({ title: wf.file, description: summarize(headerComment(wf.text)), sources: [wf.path] }, body.join("\n"));
}

/** Every job of every reusable workflow with its permissions: the Security page includes this. */
export function renderPermissionsPage(workflows) {
  const rows = [];
  for (const wf of workflows) {
    for (const [id, job] of Object.entries(wf.doc.jobs ?? {})) {
      rows.push([`[${code(wf.file)}](/${workflowPagePath(wf)})`, code(id), cell(jobPermissions(wf, job ?? {})), environmentOf(job ?? {})]);
    }
  }
  const body = [
    "# Permissions of every job",
    "",
    "Each reusable workflow sets `permissions: {}` at the top and each job asks only for what it needs.",
    "",
    // The region is what the Security page includes (<!--@include: ...permissions.md#table-->).
    "<!-- #region table -->",
    vPre(rows.length ? table(["workflow", "job", "permissions", "environment"], rows) : "No reusable workflow found."),
    "<!-- #endregion table -->",
  ];
  return page({ title: "Permissions of every job", sources: workflows.map((w) => w.path) }, body.join("\n"));
}

/** The hardening policy's rules (workflow-checks exports RULES: { id: { summary, fix } }). */
export function renderPolicyRulesPage(rules, source) {
  const body = ["# Hardening rules", ""];
  if (!rules) {
    body.push("::: warning Not available\nThe workflow policy checker (packages/workflow-checks) exports no `RULES` in this build.\n:::");
  } else {
    body.push(
      "The rules `workflow-policy check` enforces on the reusable workflows and the caller examples; run it on",
      "your own workflows too ([Security](/security#audit)).",
      "",
      vPre(
        Object.entries(rules)
          .map(([id, r]) => `## ${id} {#${id}}\n\n${sentence(r.summary)}\n\n**Fix:** ${sentence(r.fix)}`)
          .join("\n\n"),
      ),
    );
  }
  return page({ title: "Hardening rules", sources: [source] }, body.join("\n"));
}
