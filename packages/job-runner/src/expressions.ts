import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import { RunnerError } from "./errors.js";

/** Plain JSON: the shape contexts are built in, converted to the evaluator's data types on use. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What success()/failure()/cancelled() answer where the expression is evaluated (a step or a job). */
export interface StatusCheck {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

export interface ExpressionScope {
  /** github, env, inputs, secrets, steps, needs, job, runner, vars, matrix, strategy, jobs: missing ones are {}. */
  contexts: Record<string, Json>;
  status?: StatusCheck;
}

export const CONTEXT_NAMES = ["github", "env", "inputs", "secrets", "steps", "needs", "job", "runner", "vars", "matrix", "strategy", "jobs"];

const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

/** Converts plain JSON into the evaluator's data (the library's own reviver does exactly this). */
function toData(value: Json): data.ExpressionData {
  return JSON.parse(JSON.stringify(value), data.reviver) as data.ExpressionData;
}

function fromData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer)) as Json;
}

function statusFunctions(status: StatusCheck | undefined) {
  const answer = (name: string): boolean => {
    if (name === "always") return true;
    if (!status) throw new Error(`${name}() is only available in if: conditions`);
    return status[name as keyof StatusCheck];
  };
  return new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(answer(name)) },
    ]),
  );
}

/** Evaluates one expression (the text inside ${{ }}) with GitHub's own lexer, parser and evaluator. */
export function evaluateExpression(source: string, scope: ExpressionScope, where: string): Json {
  try {
    const lexed = new Lexer(source).lex();
    const info = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
    const tree = new Parser(lexed.tokens, CONTEXT_NAMES, info).parse();
    const contexts = new data.Dictionary(
      ...CONTEXT_NAMES.map((key) => ({ key, value: toData(scope.contexts[key] ?? {}) })),
    );
    return fromData(new Evaluator(tree, contexts, statusFunctions(scope.status)).evaluate());
  } catch (error) {
    throw new RunnerError("JR_EXPRESSION", `${where}: cannot evaluate \${{ ${source.trim()} }}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** GitHub's string form of a value: booleans and numbers as written, null as "", objects as JSON. */
export function stringifyValue(value: Json): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value, null, 2);
  return String(value);
}

interface Segment {
  text: string;
  expression: boolean;
}

/** Splits "a ${{ x }} b" into literal and expression parts; `}}` inside a '...' literal does not close. */
function splitTemplate(text: string, where: string): Segment[] {
  const segments: Segment[] = [];
  let rest = text;
  for (;;) {
    const start = rest.indexOf("${{");
    if (start < 0) break;
    if (start > 0) segments.push({ text: rest.slice(0, start), expression: false });
    let i = start + 3;
    let quoted = false;
    while (i < rest.length && (quoted || !rest.startsWith("}}", i))) {
      if (rest[i] === "'") quoted = !quoted;
      i++;
    }
    if (i >= rest.length) {
      throw new RunnerError("JR_EXPRESSION", `${where}: unclosed \${{ in "${text}"`);
    }
    segments.push({ text: rest.slice(start + 3, i), expression: true });
    rest = rest.slice(i + 2);
  }
  if (rest) segments.push({ text: rest, expression: false });
  return segments;
}

/**
 * Evaluates a YAML value the way the runner does: a string that is exactly one ${{ }} keeps the result's type,
 * other strings get each ${{ }} replaced by its string form; numbers and booleans stay as they are.
 */
export function evaluateValue(value: unknown, scope: ExpressionScope, where: string): Json {
  if (typeof value !== "string") return (value ?? null) as Json;
  const segments = splitTemplate(value, where);
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only?.expression) return evaluateExpression(only.text, scope, where);
  return segments.map((s) => (s.expression ? stringifyValue(evaluateExpression(s.text, scope, where)) : s.text)).join("");
}

/** evaluateValue, then its string form: for env values, with: inputs, run: scripts. */
export function evaluateString(value: unknown, scope: ExpressionScope, where: string): string {
  return stringifyValue(evaluateValue(value, scope, where));
}

/** Evaluates each value of a map (env:, with:, outputs:) to a string. */
export function evaluateMap(map: unknown, scope: ExpressionScope, where: string): Record<string, string> {
  if (map === undefined || map === null) return {};
  if (typeof map !== "object" || Array.isArray(map)) {
    throw new RunnerError("JR_WORKFLOW_INVALID", `${where} must be a mapping`);
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) result[key] = evaluateString(value, scope, `${where}.${key}`);
  return result;
}

/**
 * An `if:` condition: with or without ${{ }}; without a status function it means `success() && (...)`.
 * The result is truthy the way GitHub's is (non-empty strings, non-zero numbers).
 */
export function evaluateCondition(condition: unknown, scope: ExpressionScope, where: string): boolean {
  if (condition === undefined || condition === null || condition === "") return scope.status?.success ?? true;
  if (typeof condition === "boolean") return condition && (scope.status?.success ?? true);
  let source = String(condition).trim();
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(source);
  if (whole && !whole[1]!.includes("${{")) source = whole[1]!;
  // Text around a ${{ }} makes the condition a string, truthy when non-empty: GitHub's own (surprising) rule.
  else if (source.includes("${{")) return evaluateString(source, scope, where).length > 0;
  const usesStatus = /\b(success|failure|always|cancelled)\s*\(/i.test(source);
  const full = usesStatus ? source : `success() && (${source})`;
  return isTruthy(evaluateExpression(full, scope, where));
}

function isTruthy(value: Json): boolean {
  if (value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (typeof value === "string") return value.length > 0;
  return true;
}
