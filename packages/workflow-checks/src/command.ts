import { booleanOption, type CliContext, type CommandResult, parseCommand, renderHelp, stringOption } from "@pypi-workflows/cli-kit";
import { resolve } from "node:path";
import { CLI_SPEC } from "./cli-spec.js";
import { StaleGeneratedError } from "./errors.js";
import { checkPolicy } from "./policy/check.js";
import { RULES, type Finding } from "./policy/rules.js";
import { findWorkspaceRoot } from "./workspace.js";

function formatFinding(f: Finding): string {
  const where = [f.file, f.line ? `:${f.line}` : "", f.job ? ` (job ${f.job})` : ""].join("");
  return `${where}: ${f.rule}: ${f.message}\n  fix: ${RULES[f.rule].fix}`;
}

/** The workflow-policy CLI as a function of its context (tests call it through cli-kit's runCli). */
export async function runCommand(ctx: CliContext): Promise<CommandResult> {
  const parsed = parseCommand(CLI_SPEC, ctx.argv);
  if (parsed.help) {
    const text = renderHelp(CLI_SPEC, parsed.command);
    return { text, data: { help: text } };
  }
  const rootOption = stringOption(parsed, "root");
  const root = rootOption ? resolve(ctx.cwd, rootOption) : findWorkspaceRoot(ctx.cwd);
  if (parsed.command.name === "rules") {
    const text = Object.entries(RULES).map(([id, r]) => `${id}: ${r.summary}\n  fix: ${r.fix}`).join("\n");
    return { text, data: RULES };
  }
  if (parsed.command.name === "generate") {
    const write = booleanOption(parsed, "write");
    // Loaded on demand: the simulator brings GitHub's parser, which a policy check does not need.
    const { syncGeneratedFiles } = await import("./generate.js");
    const result = await syncGeneratedFiles(root, write);
    if (result.stale.length && !write) throw new StaleGeneratedError(result.stale);
    const text = write && result.written.length ? `wrote ${result.written.join(", ")}` : "generated files are up to date";
    return { text, data: result };
  }
  const report = checkPolicy({ paths: parsed.args.paths as string[], cwd: ctx.cwd, root });
  const ok = report.findings.length === 0;
  const text = ok
    ? `${report.files.length} workflow(s) follow every rule`
    : `${report.findings.map(formatFinding).join("\n")}\n${report.findings.length} finding(s) in ${report.files.length} workflow(s)`;
  const summary = ok ? undefined : `### workflow policy\n\n${report.findings.map((f) => `- ${formatFinding(f)}`).join("\n")}\n`;
  return { text, data: report, exitCode: ok ? 0 : 1, outputs: { findings: report.findings.length }, ...(summary ? { summary } : {}) };
}
