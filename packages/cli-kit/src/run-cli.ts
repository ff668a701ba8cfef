import { checkActionsFiles, publishToActions, type ActionsReport } from "./actions.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, HelperError, troubleshootingLink } from "./errors.js";
import { isSecret, redact } from "./redact.js";

export interface Writer {
  write(chunk: string | Uint8Array): unknown;
}

/** Everything a CLI may touch, passed in so tests run it as a function. */
export interface CliContext {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Writer;
  stderr: Writer;
  /** Values that must never be printed (tokens, passwords); replaced by *** in all output. */
  secrets?: string[];
}

/** What a command returns: text for people, data for --json, outputs and a summary for GitHub Actions. */
export interface CommandResult extends ActionsReport {
  /** Parts are written in order as if joined, without joining them (see writeParts). */
  text: string | readonly string[];
  data: unknown;
  /** 0 unless the command found a problem it reports as a result (e.g. failed checks): then 1. */
  exitCode?: typeof EXIT_OK | typeof EXIT_FAILURE;
}

export type Command = (ctx: CliContext, json: boolean) => Promise<CommandResult>;

/**
 * The one place a helper turns results and errors into output and an exit status.
 * `--json` (anywhere in argv) switches both results and errors to JSON on stdout.
 */
export async function runCli(command: Command, ctx: CliContext): Promise<number> {
  const json = ctx.argv.includes("--json");
  const secrets = [...(ctx.secrets ?? [])];
  const out = (w: Writer, text: string) => w.write(redact(text.endsWith("\n") ? text : `${text}\n`, secrets));
  try {
    checkActionsFiles(ctx.env);
    const result = await command(ctx, json);
    if (json) out(ctx.stdout, JSON.stringify(result.data, null, 2));
    else if (typeof result.text === "string") out(ctx.stdout, result.text);
    else writeParts(ctx.stdout, result.text, secrets);
    await publishToActions(ctx.env, result);
    return result.exitCode ?? EXIT_OK;
  } catch (error) {
    const failure = describeError(error);
    if (json) out(ctx.stdout, JSON.stringify({ error: failure }, null, 2));
    else out(ctx.stderr, formatError(failure));
    return failure.exitCode;
  }
}

/**
 * Writes a text given in parts as one UTF-8 buffer, each part encoded on its own: a long output is never joined
 * into one string (a copy, and a two-byte one for all of it if one part holds a character beyond Latin-1).
 * Secrets are looked for in the bytes, so one that straddles two parts is found too; then (never in practice)
 * the text is redacted as a whole. Ends with a newline, as every output does.
 */
export function writeParts(w: Writer, parts: readonly string[], secrets: readonly string[]): void {
  const sizes = parts.map((part) => Buffer.byteLength(part));
  const last = parts.findLast((part) => part !== "") ?? "";
  const newline = !last.endsWith("\n");
  const buffer = Buffer.allocUnsafe(sizes.reduce((sum, size) => sum + size, 0) + (newline ? 1 : 0));
  let offset = 0;
  for (const [i, part] of parts.entries()) {
    // As many bytes as characters: all ASCII, where Latin-1 and UTF-8 are the same bytes and Latin-1 is a copy.
    offset += buffer.write(part, offset, sizes[i] === part.length ? "latin1" : "utf8");
  }
  if (newline) buffer.write("\n", offset);
  if (secrets.some((secret) => isSecret(secret) && buffer.includes(secret))) w.write(redact(buffer.toString(), secrets));
  else w.write(buffer);
}

export interface ErrorReport {
  code: string;
  message: string;
  hint?: string;
  docs: string;
  exitCode: number;
  data?: Record<string, unknown>;
}

export function describeError(error: unknown): ErrorReport {
  if (error instanceof HelperError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      docs: troubleshootingLink(error.code),
      exitCode: error.exitCode,
      ...(error.data ? { data: error.data } : {}),
    };
  }
  const nodeCode = (error as { code?: unknown } | null)?.code;
  if (typeof nodeCode === "string" && nodeCode.startsWith("ERR_PARSE_ARGS")) {
    return {
      code: "USAGE",
      message: (error as Error).message,
      hint: "run with --help to see the accepted arguments",
      docs: troubleshootingLink("USAGE"),
      exitCode: EXIT_USAGE,
    };
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    code: "INTERNAL",
    message: `unexpected error: ${message}`,
    hint: "this is a bug in pypi-workflows: please report it with this output",
    docs: troubleshootingLink("INTERNAL"),
    exitCode: EXIT_FAILURE,
  };
}

export function formatError(report: ErrorReport): string {
  const lines = [`error ${report.code}: ${report.message}`];
  if (report.hint) lines.push(`  next step: ${report.hint}`);
  lines.push(`  docs: ${report.docs}`);
  return `${lines.join("\n")}\n`;
}
