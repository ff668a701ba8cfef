import { resolve } from "node:path";
import {
  maskSecret,
  parseCommand,
  redact,
  renderHelp,
  stringOption,
  UsageError,
  type CliContext,
  type CommandResult,
} from "@pypi-workflows/cli-kit";
import { readManifest, resolveIndex } from "@pypi-workflows/index-client";
import { cliSpec } from "./cli-spec.js";
import { uploadError } from "./errors.js";
import { uploadDistributions, type UploadEvent } from "./upload.js";

export async function uploadCommand(ctx: CliContext): Promise<CommandResult> {
  const parsed = parseCommand(cliSpec, ctx.argv);
  if (parsed.help) return { text: renderHelp(cliSpec, parsed.command), data: {} };
  const manifestPath = stringOption(parsed, "manifest");
  if (!manifestPath) throw new UsageError("missing --manifest FILE", "pass the manifest dist-check wrote for these files");
  const index = resolveIndex({
    target: stringOption(parsed, "target"),
    indexUrl: stringOption(parsed, "index-url"),
    uploadUrl: stringOption(parsed, "upload-url"),
  });
  if (!index.uploadUrl) throw new UsageError("no upload endpoint", "with --index-url, also pass --upload-url");
  const attempts = positiveInt(stringOption(parsed, "attempts") ?? "3", "--attempts");
  const attemptTimeoutMs = positiveInt(stringOption(parsed, "timeout") ?? "300", "--timeout") * 1000;
  const password = ctx.env.TWINE_PASSWORD;
  if (!password) throw uploadError("UP_NO_CREDENTIALS", "TWINE_PASSWORD is not set");
  await maskSecret(ctx.env, password);
  const secrets = [password, ...(ctx.secrets ?? [])];
  const progress = (e: UploadEvent) => ctx.stderr.write(redact(`${describeEvent(e)}\n`, secrets));
  const report = await uploadDistributions({
    distDir: resolve(ctx.cwd, (parsed.args.dir as string | undefined) ?? "dist"),
    manifest: await readManifest(resolve(ctx.cwd, manifestPath)),
    simpleUrl: index.simpleUrl,
    uploadUrl: index.uploadUrl,
    username: ctx.env.TWINE_USERNAME || "__token__",
    password,
    twine: (stringOption(parsed, "twine") ?? "twine").split(" ").filter(Boolean),
    attempts,
    attemptTimeoutMs,
    cwd: ctx.cwd,
    env: ctx.env,
    onProgress: progress,
  });
  const lines = [
    `${report.name} ${report.version} on ${index.name === "custom" ? index.simpleUrl : index.name}:`,
    ...report.uploaded.map((f) => `  uploaded  ${f}`),
    ...report.skipped.map((f) => `  present   ${f} (identical file already on the index)`),
  ];
  return {
    text: lines.join("\n"),
    data: report,
    outputs: { uploaded: report.uploaded.length, skipped: report.skipped.length },
    summary: `### Upload: ${report.name} ${report.version}\n\n${lines.slice(1).map((l) => `- ${l.trim()}`).join("\n")}\n`,
  };
}

function describeEvent(e: UploadEvent): string {
  switch (e.type) {
    case "skip":
      return `skip ${e.filename}: already on the index with the same sha256`;
    case "upload":
      return `upload ${e.filename} (attempt ${e.attempt})`;
    case "uploaded":
      return `uploaded ${e.filename} in ${(e.durationMs / 1000).toFixed(1)} s`;
    case "retry":
      return `retry ${e.filename} in ${Math.round(e.waitMs / 1000)} s: ${e.reason}`;
    case "found-after-failure":
      return `${e.filename} is on the index after all (its answer was lost): not sent again`;
  }
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  return n;
}
