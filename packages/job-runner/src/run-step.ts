import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { HelperError } from "@pypi-workflows/cli-kit";
import { type ExpressionScope, type Json, evaluateCondition, evaluateMap, evaluateString, evaluateValue } from "./expressions.js";
import { parseKeyValueFile, parsePathFile, parseWorkflowCommand } from "./file-commands.js";
import type { JobState, RunContext } from "./run-context.js";
import { runScript } from "./shell.js";
import { findSubstitute } from "./substitutes.js";
import type { SubstituteResult } from "./substitute-types.js";
import type { StepResult } from "./types.js";
import type { StepSpec } from "./workflow.js";

const STEP_KEYS = ["id", "name", "run", "uses", "shell", "with", "env", "if", "continue-on-error", "timeout-minutes", "working-directory"];

/** The step's label in logs and results: its name, else its action or the first line of its script. */
export function stepLabel(step: StepSpec, index: number): string {
  if (step.name) return String(step.name);
  if (step.uses) return `Run ${step.uses}`;
  return `Run ${String(step.run).split("\n")[0]?.trim() || `step ${index}`}`;
}

/** The label with its ${{ }} evaluated (GitHub shows names that way); the raw text when that fails. */
function displayName(rc: RunContext, state: JobState, step: StepSpec, index: number): string {
  const label = stepLabel(step, index);
  if (!step.name || !label.includes("${{")) return label;
  try {
    const contexts = { ...state.contexts, env: { ...state.envFile, ...state.jobEnv }, steps: state.steps as Json };
    return rc.masker.mask(evaluateString(label, { contexts }, "name"));
  } catch {
    return label;
  }
}

export function unsupportedStepKeys(step: StepSpec): string[] {
  return Object.keys(step).filter((k) => !STEP_KEYS.includes(k));
}

function stepFiles(state: JobState, index: number) {
  const names = { GITHUB_OUTPUT: "output", GITHUB_ENV: "env", GITHUB_PATH: "path", GITHUB_STEP_SUMMARY: "summary", GITHUB_STATE: "state" };
  const files: Record<string, string> = {};
  for (const [variable, name] of Object.entries(names)) {
    files[variable] = join(state.fileDir, `${name}_${index}`);
    writeFileSync(files[variable]!, "");
  }
  return files;
}

/** Runs one step: its if:, env:, the script or substitute, the file protocol, continue-on-error. */
export async function runStep(rc: RunContext, state: JobState, step: StepSpec, index: number): Promise<StepResult> {
  const started = rc.now();
  const name = displayName(rc, state, step, index);
  const log: string[] = [];
  const addLine = (raw: string) => {
    const command = parseWorkflowCommand(raw);
    if (command?.command === "add-mask") return rc.masker.add(command.value.trim());
    const line = rc.masker.mask(raw);
    log.push(line);
    rc.onProgress?.({ type: "log", job: state.key, step: name, line });
  };
  const scope = (env: Record<string, string>): ExpressionScope => ({
    contexts: { ...state.contexts, env, steps: state.steps as Json, job: { status: state.failed ? "failure" : "success" } },
    status: { success: !state.failed, failure: state.failed, cancelled: false },
  });
  const where = `${state.key} step ${index} (${name})`;
  const result: StepResult = { index, ...(step.id ? { id: step.id } : {}), name, ...(step.uses ? { uses: step.uses } : {}),
    outcome: "success", conclusion: "success", outputs: {}, durationMs: 0, log };
  try {
    const envContext = { ...state.envFile, ...state.jobEnv };
    if (!evaluateCondition(step.if, scope(envContext), `${where} if`)) {
      result.outcome = result.conclusion = "skipped";
      return finish(rc, state, step, result, started);
    }
    rc.onProgress?.({ type: "step-start", job: state.key, step: name });
    const stepEnv = evaluateMap(step.env, scope(envContext), `${where} env`);
    const stepScope = scope({ ...envContext, ...stepEnv });
    const files = stepFiles(state, index);
    const env = processEnv(rc, state, stepEnv, files, step.id ?? `__step${index}`);
    const cwd = workingDirectory(state, step, stepScope, where);
    const timeoutMs = stepTimeout(rc, state, step, stepScope, where);
    const outcome = step.uses
      ? await runSubstitute(rc, state, step, { env, cwd, timeoutMs, scope: stepScope, log: addLine, where })
      : await runRun(state, step, { env, cwd, timeoutMs, scope: stepScope, log: addLine, where });
    if (outcome.error) result.error = outcome.error;
    applyFileCommands(rc, state, result, files, outcome.substitute);
  } catch (error) {
    result.error = error instanceof HelperError ? `${error.code}: ${rc.masker.mask(error.message)}` : rc.masker.mask((error as Error).message);
  }
  if (result.error) {
    result.outcome = "failure";
    const continueOnError = safeBool(() => evaluateValue(step["continue-on-error"] ?? false, scope(state.jobEnv), `${where} continue-on-error`));
    result.conclusion = continueOnError ? "success" : "failure";
    addLine(`error: ${result.error}`);
  }
  return finish(rc, state, step, result, started);
}

function safeBool(read: () => Json): boolean {
  try {
    const value = read();
    return value === true || value === "true";
  } catch {
    return false;
  }
}

function finish(rc: RunContext, state: JobState, step: StepSpec, result: StepResult, started: number): StepResult {
  result.durationMs = rc.now() - started;
  if (step.id) state.steps[step.id] = { outputs: result.outputs, outcome: result.outcome, conclusion: result.conclusion };
  if (result.conclusion === "failure") state.failed = true;
  rc.onProgress?.({ type: "step-end", job: state.key, step: result.name, status: result.conclusion, durationMs: result.durationMs,
    ...(result.error ? { error: result.error } : {}) });
  return result;
}

interface Execution {
  env: NodeJS.ProcessEnv;
  cwd: string;
  timeoutMs: number;
  scope: ExpressionScope;
  log(line: string): void;
  where: string;
}

interface Outcome {
  error?: string;
  substitute?: SubstituteResult;
}

async function runRun(state: JobState, step: StepSpec, ex: Execution): Promise<Outcome> {
  const script = evaluateString(step.run, ex.scope, `${ex.where} run`);
  const shell = step.shell ?? state.defaults.shell;
  const run = await runScript({ script, tempDir: state.tempDir, cwd: ex.cwd, env: ex.env, timeoutMs: ex.timeoutMs, onLine: ex.log,
    ...(shell ? { shell } : {}) });
  if (run.timedOut) return { error: `the step timed out after ${Math.round(ex.timeoutMs / 1000)} s (timeout-minutes)` };
  return run.exitCode === 0 ? {} : { error: `Process completed with exit code ${run.exitCode}.` };
}

async function runSubstitute(rc: RunContext, state: JobState, step: StepSpec, ex: Execution): Promise<Outcome> {
  const substitute = findSubstitute(String(step.uses), ex.where);
  const inputs = evaluateMap(step.with, ex.scope, `${ex.where} with`);
  const unexpected = Object.keys(inputs).filter((k) => !substitute.inputs.includes(k));
  if (unexpected.length) ex.log(`warning: unexpected input(s) ${unexpected.join(", ")} for ${step.uses}`);
  const github = rc.event.context;
  const run = substitute.run({
    action: String(step.uses), inputs, env: ex.env, workspace: state.workspace,
    resolvePath: (path) => resolve(state.workspace, path),
    artifactsDir: rc.artifactsDir, repository: String(github.repository), ref: String(github.ref), sha: String(github.sha),
    setup: rc.setup, log: ex.log, mask: (value) => rc.masker.add(value),
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the step timed out (timeout-minutes)`)), ex.timeoutMs);
  });
  try {
    return { substitute: await Promise.race([run, timeout]) };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

function processEnv(rc: RunContext, state: JobState, stepEnv: Record<string, string>, files: Record<string, string>, action: string) {
  const env: Record<string, string> = {
    ...rc.baseEnv, ...rc.event.env, ...state.runnerEnv, GITHUB_ACTION: action, ...files,
    ...state.envFile, ...state.jobEnv, ...stepEnv,
  };
  env.PATH = [...state.path, env.PATH ?? ""].filter(Boolean).join(":");
  return env;
}

function workingDirectory(state: JobState, step: StepSpec, scope: ExpressionScope, where: string): string {
  const raw = step["working-directory"] ?? (step.run !== undefined ? state.defaults.workingDirectory : undefined);
  if (raw === undefined) return state.workspace;
  const dir = resolve(state.workspace, evaluateString(raw, scope, `${where} working-directory`));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`working-directory ${dir} does not exist`);
  return dir;
}

function stepTimeout(rc: RunContext, state: JobState, step: StepSpec, scope: ExpressionScope, where: string): number {
  const remaining = Math.max(1, state.deadline - rc.now());
  if (step["timeout-minutes"] === undefined) return remaining;
  const minutes = Number(evaluateValue(step["timeout-minutes"], scope, `${where} timeout-minutes`));
  if (!(minutes > 0)) throw new Error(`timeout-minutes must be a positive number`);
  return Math.min(minutes * 60_000, remaining);
}

function applyFileCommands(rc: RunContext, state: JobState, result: StepResult, files: Record<string, string>, sub?: SubstituteResult) {
  try {
    Object.assign(result.outputs, sub?.outputs, parseKeyValueFile(files.GITHUB_OUTPUT!));
    Object.assign(state.envFile, sub?.env, parseKeyValueFile(files.GITHUB_ENV!));
    state.path.unshift(...parsePathFile(files.GITHUB_PATH!).reverse(), ...(sub?.path ?? []));
  } catch (error) {
    result.error ??= (error as Error).message;
  }
  const summary = readFileSync(files.GITHUB_STEP_SUMMARY!, "utf8");
  if (summary) state.summary.push(rc.masker.mask(summary));
}
