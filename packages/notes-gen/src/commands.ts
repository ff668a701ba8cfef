import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type CliContext,
  type CommandResult,
  type ParsedCommand,
  UsageError,
  booleanOption,
  parseCommand,
  renderHelp,
  stringOption,
} from "@pypi-workflows/cli-kit";
import { CLI_SPEC } from "./cli-spec.js";
import { loadConfig } from "./config.js";
import { NotesEnvironmentError } from "./errors.js";
import { generateFullChangelog } from "./full-changelog.js";
import { generateNotes, type NotesOptions } from "./notes.js";
import { readManifest } from "./package-info.js";
import { updateChangelog } from "./update-changelog.js";

/** Options shared by the commands, resolved once (options -> resolve -> resolved options). */
async function resolveNotesOptions(parsed: ParsedCommand, ctx: CliContext): Promise<NotesOptions> {
  const cwd = resolve(ctx.cwd, stringOption(parsed, "cwd") ?? ".");
  const manifestFile = stringOption(parsed, "manifest");
  const opt = (name: string) => stringOption(parsed, name);
  return {
    cwd,
    env: ctx.env,
    ...(opt("from") ? { from: opt("from") } : {}),
    ...(opt("to") ? { to: opt("to") } : {}),
    ...(opt("tag") ? { tag: opt("tag") } : {}),
    ...(opt("name") ? { name: opt("name") } : {}),
    ...(opt("pypi-url") ? { pypiUrl: opt("pypi-url") } : {}),
    ...(opt("repo") ? { repository: opt("repo") } : {}),
    manifest: manifestFile ? await readManifest(ctx.cwd, manifestFile) : null,
    config: await loadConfig(ctx.cwd, opt("config"), booleanOption(parsed, "hide-other")),
  };
}

/** The CLI's one entry: parse, run the command, return a result (runCli prints it and picks the exit). */
export async function runNotesGen(ctx: CliContext): Promise<CommandResult> {
  // Bare `notes-gen` means the default command (notes for HEAD), not help.
  const parsed = parseCommand(CLI_SPEC, ctx.argv.length ? ctx.argv : [CLI_SPEC.defaultCommand as string]);
  if (parsed.help) {
    const text = renderHelp(CLI_SPEC, parsed.command);
    return { text, data: { help: text } };
  }
  switch (parsed.command.name) {
    case "changelog":
      return runChangelog(parsed, ctx);
    case "release": {
      const { runRelease } = await import("./release-command.js");
      return runRelease(parsed, ctx, await resolveNotesOptions(parsed, ctx));
    }
    default:
      return runNotes(parsed, ctx);
  }
}

async function runNotes(parsed: ParsedCommand, ctx: CliContext): Promise<CommandResult> {
  const options = await resolveNotesOptions(parsed, ctx);
  const notes = await generateNotes(options);
  const output = stringOption(parsed, "output");
  if (output) {
    await writeFile(resolve(ctx.cwd, output), notes.markdown).catch((error: Error) => {
      throw new NotesEnvironmentError("NG_OUTPUT_IO", `cannot write ${output}: ${error.message}`);
    });
  }
  const { repo: _repo, ...data } = notes;
  return {
    text: notes.markdown,
    data,
    outputs: { notes: notes.markdown, version: notes.version ?? "", tag: notes.tag ?? "", prerelease: notes.prerelease, from: notes.from ?? "" },
    summary: notes.markdown,
  };
}

async function runChangelog(parsed: ParsedCommand, ctx: CliContext): Promise<CommandResult> {
  const options = await resolveNotesOptions(parsed, ctx);
  if (booleanOption(parsed, "all")) {
    const full = await generateFullChangelog(options);
    const { releases, commitCount } = full;
    // Written in parts (megabytes for a long history); joined only for --json.
    return { text: full.parts, data: { get markdown() { return full.markdown; }, releases, commitCount } };
  }
  const tag = options.tag;
  if (!tag) throw new UsageError("changelog needs --tag (or --all)", "e.g. notes-gen changelog --tag v1.3.0");
  // Paths on the command line are the shell's: relative to where notes-gen runs, not to --cwd.
  const file = resolve(ctx.cwd, stringOption(parsed, "file") ?? "CHANGELOG.md");
  const date = stringOption(parsed, "date") ?? new Date().toISOString().slice(0, 10);
  const dryRun = booleanOption(parsed, "dry-run");
  const result = await updateChangelog({ ...options, tag, file, date, dryRun });
  const text = dryRun && result.changed ? `${result.message}:\n\n${result.section}` : result.message;
  return { text, data: result, outputs: { changed: result.changed, path: result.path } };
}

