import { formatBytes } from "./archive.js";
import type { CheckedFile, DistCheckResult } from "./check.js";
import type { Finding } from "./findings.js";

/** `FILE: CODE severity message` (the member, when there is one, leads the message). */
export function formatFinding(f: Finding): string {
  const where = f.member === undefined ? "" : `${JSON.stringify(f.member)}: `;
  return `${f.file}: ${f.code} ${f.severity} ${where}${f.message}`.replace(/[\r\n]+/g, " ");
}

/** How a file stands against the index: already there, or the index's copy in place of the rebuilt one. */
function publishedNote(f: CheckedFile): string {
  if (f.replaced) return `  (the index's copy, in place of the rebuilt ${f.replaced.filename} sha256:${f.replaced.sha256})`;
  return f.alreadyPublished ? "  (already published)" : "";
}

export function renderText(result: DistCheckResult, strict: boolean): string {
  const lines = result.findings.map(formatFinding);
  const release = result.name ? `${result.name} ${result.version ?? "?"}` : "distributions";
  lines.push(`${release}: ${result.files.length} file(s) checked`);
  for (const f of result.files) {
    lines.push(`  ${f.filename}  ${f.kind}  ${formatBytes(f.size)}  sha256:${f.sha256}${publishedNote(f)}`);
  }
  const nextSteps = new Map<string, string>();
  for (const f of result.findings) if (f.severity !== "info" && !nextSteps.has(f.code)) nextSteps.set(f.code, f.hint);
  if (nextSteps.size) lines.push("next steps:", ...[...nextSteps].map(([code, hint]) => `  ${code}: ${hint}`));
  const { error, warning, info } = result.counts;
  const verdict = result.ok ? "ok" : strict && error === 0 ? "failed (--strict: warnings count)" : "failed";
  lines.push(`${verdict}: ${error} error(s), ${warning} warning(s), ${info} info`);
  return `${lines.join("\n")}\n`;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");

/** The GitHub Actions job summary: files with hashes, then findings with what to do. */
export function renderSummary(result: DistCheckResult): string {
  const title = `### dist-check: ${result.ok ? "passed" : "failed"}${result.name ? ` (${result.name} ${result.version})` : ""}`;
  const lines = [title, "", "| file | kind | size | sha256 |", "|---|---|---|---|"];
  for (const f of result.files) lines.push(`| ${cell(f.filename)}${cell(publishedNote(f))} | ${f.kind} | ${f.size} | \`${f.sha256}\` |`);
  if (result.findings.length) {
    lines.push("", "| file | code | severity | message | next step |", "|---|---|---|---|---|");
    for (const f of result.findings) {
      lines.push(`| ${cell(f.file)} | ${f.code} | ${f.severity} | ${cell(f.member ? `${f.member}: ${f.message}` : f.message)} | ${cell(f.hint)} |`);
    }
  } else lines.push("", "No findings.");
  return `${lines.join("\n")}\n`;
}
