import { resolve } from "node:path";
import {
  type CliContext, type CommandResult, UsageError, booleanOption, listOption, parseCommand, renderHelp, stringOption,
} from "@pypi-workflows/cli-kit";
import { CLI_SPEC } from "./cli-spec.js";
import type { HelperSource } from "./helpers.js";
import { type RehearsalEvent, rehearse } from "./rehearse.js";
import { renderProgress, renderReport } from "./render.js";
import type { IndexEndpoint } from "./throwaway-index.js";

/** The password for a user's index: PYPI_WORKFLOWS_INDEX_PASSWORD, else TWINE_PASSWORD. */
export function indexPassword(env: NodeJS.ProcessEnv): string | undefined {
  return env.PYPI_WORKFLOWS_INDEX_PASSWORD || env.TWINE_PASSWORD || undefined;
}

function httpUrl(url: string, flag: string): void {
  if (!/^https?:\/\//.test(url)) throw new UsageError(`${flag}: not an http(s) URL: ${url}`, `e.g. ${flag} http://127.0.0.1:8080/simple/`);
}

function userIndex(indexUrl: string | undefined, uploadUrl: string | undefined, env: NodeJS.ProcessEnv): IndexEndpoint | undefined {
  if (!indexUrl && !uploadUrl) return undefined;
  if (!indexUrl || !uploadUrl) throw new UsageError("--index-url and --upload-url go together", "pass both, or neither for a throwaway index");
  httpUrl(indexUrl, "--index-url");
  httpUrl(uploadUrl, "--upload-url");
  const password = indexPassword(env);
  if (!password) {
    throw new UsageError("no password for the index", "set PYPI_WORKFLOWS_INDEX_PASSWORD (or TWINE_PASSWORD) in the environment");
  }
  const username = env.PYPI_WORKFLOWS_INDEX_USERNAME || env.TWINE_USERNAME || "__token__";
  return { simpleUrl: indexUrl, uploadUrl, username, password };
}

function choice<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be ${allowed.join(" or ")}, got "${value}"`);
  return value as T;
}

/** A size limit as build.yml takes it (a positive number of MiB or GiB), checked before anything runs. */
function sizeLimit(value: string | undefined, flag: string, unit: "MiB" | "GiB", example: number): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`${flag} must be a positive number of ${unit}, got "${value}"`, `pass the limit PyPI granted the project in ${unit}, e.g. ${flag} ${example}`);
  }
  return value;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--verify-timeout must be a positive whole number of seconds, got "${value}"`);
  return n;
}

/** `pypi-workflows rehearse`: progress on stderr, the report on stdout; exit 1 when the rehearsal found a problem. */
export async function rehearseCommand(ctx: CliContext): Promise<CommandResult> {
  const parsed = parseCommand(CLI_SPEC, ctx.argv);
  if (parsed.help) return { text: renderHelp(CLI_SPEC, parsed.command.name === "help" ? undefined : parsed.command), data: {} };
  const event = choice(stringOption(parsed, "event"), ["push", "tag"] as const, "--event") ?? (stringOption(parsed, "tag") ? "tag" : "push");
  const tag = stringOption(parsed, "tag");
  const helpers = choice(stringOption(parsed, "helpers"), ["workspace", "npm"] as const, "--helpers") as HelperSource | undefined;
  if (booleanOption(parsed, "build-isolation") && booleanOption(parsed, "no-build-isolation")) {
    throw new UsageError("--build-isolation and --no-build-isolation contradict each other");
  }
  const isolation = booleanOption(parsed, "build-isolation") ? true : booleanOption(parsed, "no-build-isolation") ? false : undefined;
  const index = userIndex(stringOption(parsed, "index-url"), stringOption(parsed, "upload-url"), ctx.env);
  const depsIndexUrl = stringOption(parsed, "deps-index-url");
  const workflow = stringOption(parsed, "workflow");
  if (depsIndexUrl !== undefined) httpUrl(depsIndexUrl, "--deps-index-url");
  const maxFileSize = sizeLimit(stringOption(parsed, "max-file-size"), "--max-file-size", "MiB", 200);
  const maxProjectSize = sizeLimit(stringOption(parsed, "max-project-size"), "--max-project-size", "GiB", 20);
  const json = ctx.argv.includes("--json");
  const report = await rehearse({
    projectDir: resolve(ctx.cwd, (parsed.args.project as string | undefined) ?? "."),
    event: event as RehearsalEvent,
    ...(tag ? { tag } : {}),
    ...(index ? { index } : {}),
    ...(depsIndexUrl ? { depsIndexUrl } : {}),
    ...(workflow ? { workflow: resolve(ctx.cwd, workflow) } : {}),
    skipJobs: listOption(parsed, "skip-job"),
    ...(helpers ? { helpers } : {}),
    ...(isolation === undefined ? {} : { buildIsolation: isolation }),
    importNames: listOption(parsed, "import"),
    ...(maxFileSize ? { maxFileSize } : {}),
    ...(maxProjectSize ? { maxProjectSize } : {}),
    keepRunDir: booleanOption(parsed, "keep"),
    verifyTimeoutSeconds: seconds(stringOption(parsed, "verify-timeout") ?? "120"),
    env: ctx.env,
    onProgress: (e) => {
      const line = renderProgress(e);
      if (line && !json) ctx.stderr.write(`${line}\n`);
    },
  });
  return { text: renderReport(report), data: report, exitCode: report.status === "success" ? 0 : 1 };
}
