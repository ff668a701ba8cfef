import { resolve } from "node:path";
import { booleanOption, type CliSpec, type Command, JSON_OPTION, type ParsedCommand, parseCommand, renderHelp, stringOption, UsageError } from "@pypi-workflows/cli-kit";
import { resolveIndex } from "@pypi-workflows/index-client";
import { checkDistributions } from "./check.js";
import { buildManifest, writeManifest } from "./manifest.js";
import { renderSummary, renderText } from "./report.js";

/** The one definition of the CLI: parsing, --help and the docs' reference come from it. */
export const CLI_SPEC: CliSpec = {
  name: "dist-check",
  version: "0.1.0",
  description: "refuse broken or unpublishable Python distributions before anything is uploaded",
  globalOptions: { json: JSON_OPTION },
  defaultCommand: "check",
  commands: [
    {
      name: "check",
      summary: "check wheels and sdists against PyPI's rules, archive safety and the index",
      description:
        "Checks every .whl and .tar.gz in DIR (default dist/) or the FILES given: file names, archive safety, RECORD, metadata, description rendering, layout; with --target/--index-url also what the index already has. One line per finding: FILE: CODE severity message. Exit 1 on any error (--strict: on warnings too), 2 for usage or environment errors.",
      args: [{ name: "paths", description: "a directory of distributions or distribution files (default: dist)", variadic: true }],
      options: {
        target: { type: "string", valueName: "pypi|testpypi", description: "compare with what this public index already has" },
        "index-url": { type: "string", valueName: "URL", description: "compare with this Simple API index (pip's --index-url)" },
        "use-published": {
          type: "boolean",
          description: "with --target/--index-url: a file the index has under the same name with other bytes, or this release's sdist under another name, is replaced by the index's copy (sha256 checked) once the check passes, instead of refused: re-publishing or verifying a release already on the index. Files the index lacks may join a copy only if its package files equal this build's",
          default: false,
        },
        manifest: { type: "string", valueName: "FILE", description: "write the manifest JSON here when the check passes" },
        strict: { type: "boolean", description: "fail on warnings too", default: false },
        python: { type: "string", valueName: "PATH", description: "Python with readme_renderer for reStructuredText (default: python3 on PATH)" },
        "max-file-size": { type: "string", valueName: "MIB", description: "largest file the index accepts, in MiB (default 100, PyPI's limit unless the project was granted more)" },
        "max-project-size": {
          type: "string",
          valueName: "GIB",
          description: "with --target/--index-url: the most the project's files may take on the index together, in GiB (default for --target: 10, PyPI's limit unless the project was granted more; none for --index-url)",
        },
      },
      examples: ["dist-check dist/", "dist-check dist/ --target pypi --manifest dist-manifest.json", "dist-check pkg-1.0.tar.gz pkg-1.0-py3-none-any.whl --strict", "dist-check dist/ --target pypi --use-published --manifest dist-manifest.json"],
    },
  ],
};

/** The CLI as a function: parse, check, print, write the manifest only when everything passed. */
export const runDistCheck: Command = async (ctx) => {
  // No arguments at all means "check dist/", not help: the common call in a workflow.
  const parsed = parseCommand(CLI_SPEC, ctx.argv.length ? ctx.argv : ["check"]);
  if (parsed.help) return { text: renderHelp(CLI_SPEC, parsed.command.name === "help" ? undefined : parsed.command), data: { help: true } };
  const target = stringOption(parsed, "target");
  const indexUrl = stringOption(parsed, "index-url");
  const index = target !== undefined || indexUrl !== undefined ? resolveIndex({ ...(target ? { target } : {}), ...(indexUrl ? { indexUrl } : {}) }) : undefined;
  const strict = booleanOption(parsed, "strict");
  const usePublished = booleanOption(parsed, "use-published");
  if (usePublished && !index) throw new UsageError("--use-published needs the index to take the published files from", "add --target pypi|testpypi or --index-url URL");
  const python = stringOption(parsed, "python");
  const maxFileBytes = sizeOption(parsed, "max-file-size", "MiB", 200);
  const maxProjectBytes = sizeOption(parsed, "max-project-size", "GiB", 20);
  if (maxProjectBytes !== undefined && !index) throw new UsageError("--max-project-size needs the index that holds the project", "add --target pypi|testpypi or --index-url URL");
  const projectSizeLimit = maxProjectBytes !== undefined ? { bytes: maxProjectBytes, isDefault: false } : index?.projectSizeLimitBytes !== undefined ? { bytes: index.projectSizeLimitBytes, isDefault: true } : undefined;
  const result = await checkDistributions({
    paths: (parsed.args.paths as string[] | undefined) ?? [],
    cwd: ctx.cwd,
    env: ctx.env,
    strict,
    ...(index ? { indexUrl: index.simpleUrl, usePublished } : {}),
    ...(index?.closesReleasesAfterDays !== undefined ? { closesReleasesAfterDays: index.closesReleasesAfterDays } : {}),
    ...(index?.checksNewProjectNames ? { checkNewProjectNames: true } : {}),
    ...(projectSizeLimit ? { projectSizeLimit } : {}),
    ...(python ? { python } : {}),
    ...(maxFileBytes !== undefined ? { limits: { maxFileBytes } } : {}),
  });
  const manifestOption = stringOption(parsed, "manifest");
  const manifest = buildManifest(result);
  const manifestPath = manifestOption && manifest ? resolve(ctx.cwd, manifestOption) : undefined;
  if (manifestPath && manifest) writeManifest(manifestPath, manifest);
  return {
    text: renderText(result, strict),
    data: { ...result, manifest: manifestPath ?? null },
    exitCode: result.ok ? 0 : 1,
    summary: renderSummary(result),
    outputs: {
      name: result.name ?? "",
      version: result.version ?? "",
      files: result.files.length,
      "already-published": result.alreadyPublished,
      manifest: manifestPath ?? "",
      // The resolved index, so build.yml can hand callers' own publish jobs their repository-url.
      "index-url": index?.simpleUrl ?? "",
      "upload-url": index?.uploadUrl ?? "",
    },
  };
};

/** A limit given in MiB or GiB, as bytes. Zero (or under one byte) would refuse every file: usage error. */
function sizeOption(parsed: ParsedCommand, name: string, unit: "MiB" | "GiB", example: number): number | undefined {
  const value = stringOption(parsed, name);
  if (value === undefined) return undefined;
  const bytes = Math.floor(Number(value) * (unit === "MiB" ? 1024 ** 2 : 1024 ** 3));
  if (!/^\d+(\.\d+)?$/.test(value) || bytes < 1) {
    throw new UsageError(`--${name} ${JSON.stringify(value)} is not a positive number of ${unit}`, `pass the limit PyPI granted the project in ${unit}, e.g. --${name} ${example}`);
  }
  return bytes;
}
