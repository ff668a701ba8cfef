import { data, Evaluator, Lexer, Parser } from "@actions/expressions";

type FunctionMap = NonNullable<ConstructorParameters<typeof Evaluator>[2]>;
type FunctionDefinition = FunctionMap extends Map<string, infer F> ? F : never;

export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

/** The state the job-status functions report (success(), failure(), cancelled(), always()). */
export interface JobStatus {
  success: boolean;
  failure: boolean;
}

const CONTEXTS = ["github", "inputs", "needs", "vars", "secrets", "env", "steps", "job", "jobs", "runner", "strategy", "matrix"];

function statusFunctions(status: JobStatus): Map<string, FunctionDefinition> {
  const fn = (name: string, value: boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) },
  ];
  return new Map([fn("success", status.success), fn("failure", status.failure), fn("cancelled", false), fn("always", true)]);
}

function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

function fromData(value: data.ExpressionData): Json {
  return JSON.parse(JSON.stringify(value, data.replacer) ?? "null") as Json;
}

/** Evaluates one expression (without `${{ }}`) with GitHub's own lexer, parser and evaluator. */
export function evaluateExpression(expression: string, contexts: Record<string, unknown>, status?: JobStatus): Json {
  const functions = statusFunctions(status ?? { success: true, failure: false });
  const lexed = new Lexer(expression).lex();
  const infos = [...functions.values()].map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }));
  const tree = new Parser(lexed.tokens, CONTEXTS, infos).parse();
  const context = new data.Dictionary();
  for (const [name, value] of Object.entries(contexts)) context.add(name, toData(value));
  return fromData(new Evaluator(tree, context, functions).evaluate());
}

/** A YAML value with `${{ }}` templates: one whole expression keeps its type, mixed text becomes a string. */
export function evaluateTemplate(value: unknown, contexts: Record<string, unknown>): Json {
  if (typeof value !== "string") return (value ?? null) as Json;
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value);
  if (whole && !whole[1]!.includes("}}")) return evaluateExpression(whole[1]!, contexts);
  return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => coerceString(evaluateExpression(expr, contexts)));
}

/** GitHub's string coercion: null -> "", booleans and numbers as text. */
export function coerceString(value: Json): string {
  if (value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** GitHub's truthiness: false, 0, "", null (and NaN) are false. */
export function isTruthy(value: Json): boolean {
  if (value === null || value === false || value === "" || value === 0) return false;
  return !(typeof value === "number" && Number.isNaN(value));
}
