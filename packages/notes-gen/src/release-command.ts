import {
  type CliContext,
  type CommandResult,
  type ParsedCommand,
  UsageError,
  booleanOption,
  listOption,
  maskSecret,
  stringOption,
} from "@pypi-workflows/cli-kit";
import { resolve } from "node:path";
import type { NotesOptions } from "./notes.js";
import { type ReleaseResult, publishRelease } from "./release.js";

/** `notes-gen release`: loaded with import() so the notes command never loads the GitHub client. */
export async function runRelease(parsed: ParsedCommand, ctx: CliContext, options: NotesOptions): Promise<CommandResult> {
  // In GitHub Actions, ask the runner to hide the token in every later log line too.
  await maskSecret(ctx.env, ctx.env.GITHUB_TOKEN);
  const tag = options.tag;
  if (!tag) throw new UsageError("release needs --tag", "e.g. notes-gen release --tag v1.3.0 --assets dist/*");
  // Asset paths come from the shell (dist/*): relative to where notes-gen runs, not to --cwd.
  const files = [...listOption(parsed, "assets"), ...((parsed.args.files as string[] | undefined) ?? [])].map((f) => resolve(ctx.cwd, f));
  const title = stringOption(parsed, "title");
  const result = await publishRelease({
    ...options,
    tag,
    assets: files,
    draft: booleanOption(parsed, "draft"),
    dryRun: booleanOption(parsed, "dry-run"),
    ...(title ? { title } : {}),
  });
  return {
    text: describeRelease(result),
    data: result,
    outputs: { url: result.url ?? "", action: result.action, prerelease: result.plan.prerelease, latest: result.plan.makeLatest === "true" },
    summary: `Release ${result.plan.tag}: ${result.action}${result.url ? ` (${result.url})` : ""}`,
  };
}

function describeRelease(result: ReleaseResult): string {
  const { plan } = result;
  const flags = [plan.prerelease ? "prerelease" : "final", plan.makeLatest === "true" ? "latest" : "not latest", plan.draft ? "draft" : "published"];
  const head =
    result.action === "dry-run"
      ? `dry run: would create or update release ${plan.tag} "${plan.name}" (${flags.join(", ")}); no request was made`
      : `${result.action} release ${plan.tag} (${flags.join(", ")}): ${result.url ?? ""}`;
  const assets = plan.assets.map((a) => {
    const state = result.kept.includes(a.name) ? "kept (identical)" : result.uploaded.includes(a.name) ? "uploaded" : "to upload";
    return `  ${a.name}  ${a.size} bytes  sha256 ${a.sha256}  ${state}`;
  });
  const lines = [head, ...(assets.length ? ["assets:", ...assets] : [])];
  if (result.action === "dry-run") lines.push("", "body:", "", plan.body);
  return lines.join("\n");
}
