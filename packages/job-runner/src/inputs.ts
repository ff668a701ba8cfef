import { RunnerError } from "./errors.js";
import type { Json } from "./expressions.js";
import type { CallInput } from "./workflow.js";

function coerce(name: string, value: Json, type: CallInput["type"], where: string): Json {
  const fail = () =>
    new RunnerError("JR_INPUT_INVALID", `${where}: input "${name}" must be a ${type}, got ${JSON.stringify(value)}`);
  if (type === "boolean") {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    throw fail();
  }
  if (type === "number") {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
    throw fail();
  }
  if (typeof value === "object" && value !== null) throw fail();
  return value === null ? "" : String(value);
}

/**
 * The `inputs` context of a called workflow: the given values checked against `on.workflow_call.inputs`
 * (unknown names, missing required ones and wrong types are errors), defaults filled in with their types.
 */
export function bindInputs(
  declared: Record<string, CallInput>,
  given: Record<string, Json>,
  where: string,
  evaluateDefault: (value: unknown, name: string) => Json,
): Record<string, Json> {
  const unknown = Object.keys(given).filter((k) => !(k in declared));
  if (unknown.length) {
    throw new RunnerError("JR_INPUT_INVALID", `${where}: unknown input(s) ${unknown.join(", ")} (declared: ${Object.keys(declared).join(", ") || "none"})`);
  }
  const inputs: Record<string, Json> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const type = spec?.type ?? "string";
    if (name in given) inputs[name] = coerce(name, given[name] ?? null, type, where);
    else if (spec?.required && spec.default === undefined) {
      throw new RunnerError("JR_INPUT_INVALID", `${where}: required input "${name}" was not given`);
    } else if (spec?.default !== undefined) inputs[name] = coerce(name, evaluateDefault(spec.default, name), type, where);
    else inputs[name] = type === "boolean" ? false : type === "number" ? 0 : "";
  }
  return inputs;
}

/** The `secrets` context of a called workflow: required ones must be given, unknown ones are errors. */
export function bindSecrets(
  declared: Record<string, { required?: boolean }>,
  given: Record<string, string>,
  where: string,
): Record<string, string> {
  const unknown = Object.keys(given).filter((k) => !(k in declared));
  if (unknown.length) throw new RunnerError("JR_INPUT_INVALID", `${where}: unknown secret(s) ${unknown.join(", ")}`);
  for (const [name, spec] of Object.entries(declared)) {
    if (spec?.required && !given[name]) throw new RunnerError("JR_INPUT_INVALID", `${where}: required secret "${name}" was not given`);
  }
  return { ...given };
}
