import { booleanOption, listOption, parseCommand, renderHelp, stringOption, UsageError, type Command } from "@pypi-workflows/cli-kit";
import { CLI_SPEC } from "./cli-spec.js";
import { parseEntryPointArgs, parseInstaller, parseTimeout, type CommonOptions } from "./options.js";
import { renderSummary, renderText, reportOutputs } from "./render-report.js";
import { verifyDist, verifyPublished } from "./verify.js";

/** Options that only one of the two checks reads. */
const PUBLISHED_ONLY = ["name", "version", "manifest", "timeout"] as const;
const DIST_ONLY = ["sdist", "no-build-isolation"] as const;

/** The CLI as a function: tests call it through runCli with captured output. */
export const command: Command = async (ctx, json) => {
  const parsed = parseCommand(CLI_SPEC, ctx.argv);
  if (parsed.help) {
    const text = renderHelp(CLI_SPEC, parsed.command);
    return { text, data: { help: text } };
  }
  const dist = stringOption(parsed, "dist");
  const published = stringOption(parsed, "target") !== undefined || stringOption(parsed, "index-url") !== undefined;
  if (dist !== undefined && published) throw new UsageError("--dist and --target/--index-url are two different checks", "run them as two steps");
  if (dist === undefined && !published) throw new UsageError("nothing to verify", "pass --dist DIR (before publishing) or --target/--index-url (after)");
  // An option of the other check would be silently ignored (a --manifest never compared, a --timeout never
  // waited): refuse it instead.
  const foreign = (dist !== undefined ? PUBLISHED_ONLY : DIST_ONLY).filter((name) => parsed.options[name] !== undefined && parsed.options[name] !== false);
  if (foreign.length) {
    const mode = dist !== undefined ? "--dist (the built files)" : "--target/--index-url (the published release)";
    throw new UsageError(`${foreign.map((n) => `--${n}`).join(", ")} ${foreign.length === 1 ? "does" : "do"} not apply to ${mode}`, "drop it, or run the other check as its own step");
  }
  const common: CommonOptions = {
    cwd: ctx.cwd,
    env: ctx.env,
    python: stringOption(parsed, "python"),
    installer: parseInstaller(stringOption(parsed, "installer")),
    depsIndexUrl: stringOption(parsed, "deps-index-url"),
    imports: listOption(parsed, "import"),
    entryPointArgs: parseEntryPointArgs(listOption(parsed, "entry-point-args")),
    smoke: listOption(parsed, "smoke"),
    onProgress: json ? undefined : (message) => ctx.stderr.write(`${message}\n`),
  };
  const report =
    dist !== undefined
      ? await verifyDist({ ...common, dist, sdist: booleanOption(parsed, "sdist"), noBuildIsolation: booleanOption(parsed, "no-build-isolation") })
      : await verifyPublished({
          ...common,
          target: stringOption(parsed, "target"),
          indexUrl: stringOption(parsed, "index-url"),
          name: stringOption(parsed, "name"),
          version: stringOption(parsed, "version"),
          manifest: stringOption(parsed, "manifest"),
          timeoutSeconds: parseTimeout(stringOption(parsed, "timeout"), 1200),
        });
  return { text: renderText(report), data: report, outputs: reportOutputs(report), summary: renderSummary(report), exitCode: report.ok ? 0 : 1 };
};
