import { ERROR_CODES } from "./errors.js";
import type { VerifyReport } from "./report-data.js";
import type { StepReport } from "./steps.js";

const MARK = { ok: "ok  ", failed: "FAIL", skipped: "skip" } as const;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)}s`;
}

function yesNo(value: boolean): string {
  return value ? "yes" : "no";
}

/** The report for people: one line per step with its time, the failing steps' output indented below. */
export function renderText(report: VerifyReport): string {
  const source = report.mode === "index" ? `from ${report.indexUrl}` : "from the built files";
  const lines = [
    `install-verifier: ${report.name} ${report.version} ${source} (${report.installer}, Python ${report.python.version} at ${report.python.executable})`,
  ];
  for (const step of report.steps) lines.push(...stepLines(step));
  lines.push("");
  const facts = [
    ...(report.published === undefined ? [] : [`published: ${yesNo(report.published)}`]),
    `installable: ${yesNo(report.installable)}`,
    `total ${seconds(report.durationMs)}`,
  ];
  lines.push(facts.join("  "));
  lines.push(report.ok ? "result: ok" : `result: FAILED at ${report.failed.length} step(s): ${report.failed.join("; ")}`);
  return `${lines.join("\n")}\n`;
}

function stepLines(step: StepReport): string[] {
  const code = step.code && step.status === "failed" ? ` [${step.code}]` : "";
  const detail = step.detail ? `: ${step.detail}` : "";
  const lines = [`  ${MARK[step.status]} ${seconds(step.durationMs).padStart(7)}  ${step.name}${code}${detail}`];
  if (step.status === "failed" && step.output) lines.push(...step.output.split("\n").map((l) => `        | ${l}`));
  if (step.status === "failed" && step.code) lines.push(`        next step: ${ERROR_CODES[step.code].fix}`);
  return lines;
}

/** The job summary in GitHub Actions (Markdown). */
export function renderSummary(report: VerifyReport): string {
  const title = `### ${report.ok ? "✅" : "❌"} install-verifier: ${report.name} ${report.version}`;
  const facts = [
    ...(report.published === undefined ? [] : [`**published**: ${yesNo(report.published)}`]),
    `**installable**: ${yesNo(report.installable)}`,
    `installer: ${report.installer}, Python ${report.python.version}`,
  ].join(" · ");
  const rows = report.steps.map((s) => `| ${MARK[s.status].trim()} | ${s.name.replace(/\|/g, "\\|")} | ${seconds(s.durationMs)} | ${(s.code ?? "")} |`);
  const table = ["| | step | time | code |", "|---|---|---|---|", ...rows].join("\n");
  const failures = report.steps
    .filter((s) => s.status === "failed" && s.output)
    .map((s) => `<details><summary>${escapeHtml(s.name)}</summary>\n\n\`\`\`\n${s.output}\n\`\`\`\n</details>`);
  return [title, "", facts, "", table, "", ...failures].join("\n");
}

/** Step outputs in GitHub Actions. `published` only after publishing (before, nothing was published). */
export function reportOutputs(report: VerifyReport): Record<string, string> {
  return {
    ...(report.published === undefined ? {} : { published: String(report.published) }),
    installable: String(report.installable),
    version: report.version,
    ok: String(report.ok),
    "failed-steps": report.failed.join("; "),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
