import { resolve } from "node:path";
import { booleanOption, stringOption, UsageError, type CliContext, type CommandResult, type ParsedCommand } from "@pypi-workflows/cli-kit";
import { resolveIndex } from "@pypi-workflows/index-client";
import { bumpProject } from "./bump-project.js";
import { checkTag } from "./check-tag.js";
import { readCurrentVersion, type ProjectContext } from "./current.js";
import { computeDevVersion } from "./dev-version.js";

const SOURCE_LABELS: Record<string, string> = {
  project: "[project] version",
  poetry: "[tool.poetry] version",
  "hatch-path": "[tool.hatch.version] path",
  "setuptools-attr": "[tool.setuptools.dynamic] version attr:",
  "setuptools-file": "[tool.setuptools.dynamic] version file:",
  "setuptools-scm": "setuptools-scm (git tags)",
  "hatch-vcs": "hatch-vcs (git tags)",
  flit: "flit's __version__",
  "pdm-file": "[tool.pdm.version] file",
  "pdm-scm": "pdm-backend scm (git tags)",
  "setup-cfg": "setup.cfg [metadata] version",
  "setup-cfg-attr": "setup.cfg [metadata] version attr:",
  "setup-cfg-file": "setup.cfg [metadata] version file:",
};

/** The commands that read a project (and git, and an index): loaded only when one of them runs. */
export async function runProjectCommand(parsed: ParsedCommand, ctx: CliContext): Promise<CommandResult> {
  const project: ProjectContext = { dir: resolve(ctx.cwd, stringOption(parsed, "project") ?? "."), env: ctx.env };
  switch (parsed.command.name) {
    case "current":
      return current(project);
    case "check-tag":
      return tagCheck(project, String(parsed.args.tag));
    case "bump":
      return bump(project, String(parsed.args.segments), booleanOption(parsed, "dry-run"));
    case "dev-version":
      return devVersion(project, parsed);
    default:
      throw new UsageError(`unknown command "${parsed.command.name}"`, "run version-util --help");
  }
}

async function current(project: ProjectContext): Promise<CommandResult> {
  const v = await readCurrentVersion(project);
  const where = v.file ? `${SOURCE_LABELS[v.source]} in ${v.file}` : SOURCE_LABELS[v.source];
  const dirty = v.dirty ? ", uncommitted changes to tracked files" : "";
  const extra = v.pretend ? `, from ${v.pretendVariable}` : v.tag ? `, last tag ${v.tag} + ${v.distance} commits${dirty}` : dirty;
  const data = {
    name: v.name ?? null,
    version: v.version,
    source: v.source,
    file: v.file ?? null,
    tag: v.tag ?? null,
    distance: v.distance ?? null,
    dirty: v.dirty ?? null,
  };
  return {
    text: `${v.name ?? "(unnamed)"} ${v.version} (${where}${extra})`,
    data,
    outputs: { version: v.version, source: v.source, name: v.name ?? "" },
  };
}

async function tagCheck(project: ProjectContext, tag: string): Promise<CommandResult> {
  const r = await checkTag(project, tag);
  const how = r.source === "setuptools-scm" || r.source === "hatch-vcs" ? "points at HEAD" : `matches the project's version (${SOURCE_LABELS[r.source]})`;
  const text = `ok: tag ${r.tag} is version ${r.version}${r.isPrerelease ? " (pre-release)" : ""} and ${how}`;
  return {
    text,
    data: r,
    outputs: { version: r.version, "is-prerelease": r.isPrerelease },
    summary: `Tag \`${r.tag}\` is version \`${r.version}\` and ${how}.\n`,
  };
}

async function bump(project: ProjectContext, segments: string, dryRun: boolean): Promise<CommandResult> {
  const r = await bumpProject(project, segments, { dryRun });
  const lines = [`${r.previous} -> ${r.version}`];
  const files = r.files.join(", ");
  if (r.file) lines.push(dryRun ? `dry run: ${files} would change; nothing was written` : `wrote ${files}`);
  else lines.push(`the version comes from git tags (${r.source}): no file to change; create the tag instead`);
  lines.push("next steps:", ...r.nextSteps.map((s) => `  ${s}`));
  return {
    text: lines.join("\n"),
    data: r,
    outputs: { version: r.version, "previous-version": r.previous, tag: r.tag, file: r.file ?? "" },
  };
}

async function devVersion(project: ProjectContext, parsed: ParsedCommand): Promise<CommandResult> {
  const target = stringOption(parsed, "target");
  const indexUrl = stringOption(parsed, "index-url");
  const index = resolveIndex({ ...(target ? { target } : {}), ...(indexUrl ? { indexUrl } : {}) });
  const r = await computeDevVersion(project, { simpleUrl: index.simpleUrl, write: booleanOption(parsed, "write") });
  const lines = [r.version, `base ${r.base}, dev number ${r.devNumber} (${r.distance} commits since ${r.lastTag ?? "the first commit"}; index has ${describeExisting(r.existing)})`];
  if (r.envName) lines.push(`apply: build with ${r.envName}=${r.version}`);
  else if (r.written) lines.push(`wrote ${r.written} (CI working copy only: never commit it)`);
  else lines.push("apply: run again with --write to set it in the working copy (CI only), or set the version yourself");
  return {
    text: lines.join("\n"),
    data: { ...r, index: index.name, simpleUrl: index.simpleUrl },
    outputs: { version: r.version, base: r.base, "dev-number": r.devNumber, apply: r.apply, "env-name": r.envName ?? "" },
    summary: `Dev version \`${r.version}\` (base ${r.base}, dev number ${r.devNumber}).\n`,
  };
}

function describeExisting(existing: number[]): string {
  if (existing.length === 0) return "none for this base";
  return `dev ${existing.length > 5 ? `${existing.slice(0, 2).join(", ")} ... ${existing.slice(-2).join(", ")}` : existing.join(", ")}`;
}
