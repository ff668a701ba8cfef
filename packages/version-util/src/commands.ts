import { parseCommand, renderHelp, type CliContext, type CommandResult } from "@pypi-workflows/cli-kit";
import { normalizeVersion } from "./pep440.js";
import { CLI_SPEC } from "./spec.js";
import { versionFromTag } from "./tag.js";

/**
 * version-util's entry. normalize and from-tag run on the small PEP 440 module alone; the commands that read
 * projects, git or an index load their code on demand, so the common start-up stays small.
 */
export async function versionUtil(ctx: CliContext): Promise<CommandResult> {
  const parsed = parseCommand(CLI_SPEC, ctx.argv);
  if (parsed.help) {
    const text = renderHelp(CLI_SPEC, parsed.command);
    return { text, data: { help: text } };
  }
  const name = parsed.command.name;
  if (name === "normalize") {
    const version = normalizeVersion(String(parsed.args.version));
    return { text: version, data: { version }, outputs: { version } };
  }
  if (name === "from-tag") {
    const { tag, version, isPrerelease } = versionFromTag(String(parsed.args.tag));
    return { text: version, data: { tag, version, isPrerelease }, outputs: { version, "is-prerelease": isPrerelease } };
  }
  const { runProjectCommand } = await import("./project-commands.js");
  return runProjectCommand(parsed, ctx);
}

