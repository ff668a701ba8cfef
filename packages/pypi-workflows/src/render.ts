import type { RehearsalProgress } from "./rehearse.js";
import type { RehearsalReport } from "./report.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line per finished step with its time (skipped steps are not shown). */
export function renderProgress(event: RehearsalProgress): string | undefined {
  if (event.type === "phase") return `== ${event.message}`;
  if (event.status === "skipped") return undefined;
  const mark = event.status === "success" ? "ok  " : "FAIL";
  return `${mark} ${seconds(event.durationMs).padStart(7)}  ${event.job} / ${event.step}${event.error ? `: ${event.error}` : ""}`;
}

function whereText(report: RehearsalReport): string {
  return report.index.throwaway ? `the throwaway index ${report.index.simpleUrl} (stopped)` : report.index.simpleUrl;
}

/** The final report: what was published where, what was verified, the notes, or what failed and what to do. */
export function renderReport(report: RehearsalReport): string {
  const what = `${report.event === "tag" ? `tag ${report.tag}` : "push to main"}${report.workflow ? `, ${report.workflow}` : ""}`;
  const lines = [`rehearsal of ${report.project} (${what}, commit ${report.commit.slice(0, 12)}): ${report.status === "success" ? "OK" : "FAILED"} in ${seconds(report.durationMs)}`];
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  if (report.name) lines.push(`project: ${report.name} ${report.version ?? ""}`.trimEnd());
  if (report.published.length > 0) {
    lines.push(`published to ${whereText(report)}:`);
    for (const f of report.published) lines.push(`  ${f.filename}  sha256 ${f.sha256}${f.matches ? "" : "  (DIFFERS from the built file)"}`);
  } else lines.push(`published: nothing (${whereText(report)})`);
  if (report.upload) lines.push(`upload: ${report.upload.uploaded} uploaded, ${report.upload.skipped} already present (identical)`);
  if (report.verification) lines.push(`verified: published=${report.verification.published} installable=${report.verification.installable}`);
  if (report.notes) lines.push("release (dry run):", ...report.notes.split("\n").map((l) => `  ${l}`));
  if (report.failure) {
    const f = report.failure;
    lines.push(`failed: ${f.workflow} / ${f.job} / ${f.step}: ${f.error}`);
    lines.push(...f.log.map((l) => `  | ${l}`));
  }
  if (report.runDirKept) lines.push(`run directory (logs, artifacts, result.json; secrets masked): ${report.runDir}`);
  return lines.join("\n");
}
