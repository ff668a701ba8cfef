import {
  type CliContext, type Command, type CommandResult, type ParsedCommand, UsageError,
  listOption, parseCommand, renderHelp, stringOption,
} from "@pypi-workflows/cli-kit";
import { CLI_SPEC } from "./cli-spec.js";
import { type LocalRegistry, startLocalRegistry } from "./registry.js";
import { runWorkflow } from "./run.js";
import { renderProgress, renderResult } from "./render.js";
import { SUBSTITUTES } from "./substitutes.js";

function pairs(parsed: ParsedCommand, name: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of listOption(parsed, name)) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`--${name} ${item}: expected NAME=VALUE`);
    result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}

function secretsFromEnv(parsed: ParsedCommand, env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of listOption(parsed, "secret")) {
    const value = env[name];
    if (value === undefined) throw new UsageError(`--secret ${name}: the environment variable ${name} is not set`);
    result[name] = value;
  }
  return result;
}

/** Secrets and the publish password never pass through argv; the runner masks them in everything it returns. */
async function runCommand(parsed: ParsedCommand, ctx: CliContext, json: boolean): Promise<CommandResult> {
  const secrets = secretsFromEnv(parsed, ctx.env);
  const publishUrl = stringOption(parsed, "publish-url");
  const publishPassword = ctx.env.JOB_RUNNER_PUBLISH_PASSWORD;
  const npmPackages = stringOption(parsed, "npm-packages");
  let registry: LocalRegistry | undefined;
  try {
    if (npmPackages) {
      registry = await startLocalRegistry({ env: ctx.env });
      await registry.publishWorkspacePackages(npmPackages);
    }
    const optional = (key: string, value: unknown) => (value === undefined ? {} : { [key]: value });
    const result = await runWorkflow({
      workflow: String(parsed.args.workflow),
      ...optional("jobs", listOption(parsed, "job").length ? listOption(parsed, "job") : undefined),
      inputs: pairs(parsed, "input"),
      secrets,
      vars: pairs(parsed, "var"),
      event: {
        name: stringOption(parsed, "event") ?? "push",
        ...optional("ref", stringOption(parsed, "ref")),
        ...optional("sha", stringOption(parsed, "sha")),
        ...optional("repository", stringOption(parsed, "repository")),
      },
      ...optional("source", stringOption(parsed, "source")),
      ...optional("workflowsDir", stringOption(parsed, "workflows-dir")),
      ...optional("runDir", stringOption(parsed, "run-dir")),
      ...optional("python", stringOption(parsed, "python")),
      ...optional("publish", publishUrl ? { uploadUrl: publishUrl, ...optional("password", publishPassword) } : undefined),
      hostEnv: ctx.env,
      ...optional("extraEnv", registry?.env),
      ...(json ? {} : { onProgress: (event) => renderProgress(event, ctx.stderr) }),
    });
    return { text: renderResult(result), data: result, exitCode: result.status === "success" ? 0 : 1 };
  } finally {
    await registry?.stop();
  }
}

/** The job-runner command, for runCli (tests call it as a function; bin/cli.ts with the real process). */
export const jobRunnerCommand: Command = async (ctx, json) => {
  const parsed = parseCommand(CLI_SPEC, ctx.argv);
  if (parsed.help) return { text: renderHelp(CLI_SPEC, parsed.command), data: { help: true } };
  if (parsed.command.name === "substitutes") {
    const rows = Object.entries(SUBSTITUTES).map(([name, s]) => ({ action: name, substitute: s.description }));
    return { text: rows.map((r) => `${r.action.padEnd(30)} ${r.substitute}`).join("\n"), data: rows };
  }
  return runCommand(parsed, ctx, json);
};
