import { parseArgs } from "node:util";
import { UsageError } from "./errors.js";

/**
 * A CLI's one definition: commands, arguments and options with their descriptions. Parsing, --help and the
 * docs' reference pages are all generated from it, so they cannot drift.
 */
export interface OptionSpec {
  type: "string" | "boolean";
  description: string;
  short?: string;
  multiple?: boolean;
  /** Shown in help; the command applies defaults itself (options -> resolve -> resolved options). */
  default?: string | boolean;
  /** Placeholder in help, e.g. "URL". */
  valueName?: string;
}

export interface ArgumentSpec {
  name: string;
  description: string;
  required?: boolean;
  /** Takes all remaining positionals. */
  variadic?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  description?: string;
  args?: ArgumentSpec[];
  options?: Record<string, OptionSpec>;
  examples?: string[];
}

export interface CliSpec {
  name: string;
  version: string;
  description: string;
  /** Options every command accepts (e.g. --json). */
  globalOptions?: Record<string, OptionSpec>;
  commands: CommandSpec[];
  /** A command used when the first positional names none (e.g. `dist-check DIR`). */
  defaultCommand?: string;
}

export const JSON_OPTION: OptionSpec = { type: "boolean", description: "print the result as JSON on stdout" };

export interface ParsedCommand {
  command: CommandSpec;
  args: Record<string, string | string[] | undefined>;
  options: Record<string, string | boolean | (string | boolean)[] | undefined>;
  help: boolean;
}

/** Parses argv against the spec; unknown commands and options and missing arguments are UsageErrors (exit 2). */
export function parseCommand(spec: CliSpec, argv: readonly string[]): ParsedCommand {
  const first = argv[0];
  let command = spec.commands.find((c) => c.name === first);
  let rest = argv.slice(1);
  if (!command) {
    if (first === undefined || first === "--help" || first === "-h") {
      return { command: helpCommand(spec), args: {}, options: {}, help: true };
    }
    command = spec.commands.find((c) => c.name === spec.defaultCommand);
    if (!command) throw new UsageError(`unknown command "${first}"`, `run ${spec.name} --help to list the commands`);
    rest = [...argv];
  }
  const helpOption: OptionSpec = { type: "boolean", short: "h", description: "show this help" };
  const optionSpecs: Record<string, OptionSpec> = { ...spec.globalOptions, ...command.options, help: helpOption };
  const { values, positionals } = parseArgs({
    args: [...rest],
    options: Object.fromEntries(
      Object.entries(optionSpecs).map(([name, o]) => [
        name,
        { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
      ]),
    ),
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return { command, args: {}, options: values, help: true };
  const args: ParsedCommand["args"] = {};
  const specs = command.args ?? [];
  specs.forEach((a, i) => {
    args[a.name] = a.variadic ? positionals.slice(i) : positionals[i];
    const missing = a.variadic ? positionals.length <= i : positionals[i] === undefined;
    if (a.required && missing) {
      throw new UsageError(`missing <${a.name}>: ${a.description}`, `usage: ${usageLine(spec, command)}`);
    }
  });
  if (!specs.some((a) => a.variadic) && positionals.length > specs.length) {
    throw new UsageError(`unexpected argument "${positionals[specs.length]}"`, `usage: ${usageLine(spec, command)}`);
  }
  return { command, args, options: values, help: false };
}

function helpCommand(spec: CliSpec): CommandSpec {
  return { name: "help", summary: `help for ${spec.name}` };
}

export function usageLine(spec: CliSpec, command: CommandSpec): string {
  const name = command.name === spec.defaultCommand ? `${spec.name} [${command.name}]` : `${spec.name} ${command.name}`;
  const args = (command.args ?? []).map((a) => {
    const inner = `${a.name}${a.variadic ? "..." : ""}`;
    return a.required ? `<${inner}>` : `[${inner}]`;
  });
  return [name, ...args, "[options]"].join(" ");
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  return Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` <${o.valueName ?? "value"}>` : ""}`;
    const extra = o.default === undefined ? "" : ` (default: ${String(o.default)})`;
    return `  ${flag.padEnd(30)} ${o.description}${o.multiple ? " (repeatable)" : ""}${extra}`;
  });
}

/** --help text for the whole CLI, or for one command. */
export function renderHelp(spec: CliSpec, command?: CommandSpec): string {
  if (!command || command.name === "help") {
    const lines = [`${spec.name} ${spec.version}: ${spec.description}`, "", "Commands:"];
    for (const c of spec.commands) lines.push(`  ${c.name.padEnd(14)} ${c.summary}`);
    if (spec.globalOptions) lines.push("", "Options for every command:", ...optionLines(spec.globalOptions));
    lines.push("", `Run ${spec.name} <command> --help for a command's arguments and options.`);
    lines.push("Exit status: 0 ok, 1 the input or the thing checked is wrong, 2 usage or environment error.");
    return `${lines.join("\n")}\n`;
  }
  const lines = [`usage: ${usageLine(spec, command)}`, "", command.description ?? command.summary];
  if (command.args?.length) {
    lines.push("", "Arguments:");
    for (const a of command.args) lines.push(`  ${a.name.padEnd(30)} ${a.description}`);
  }
  const options = { ...command.options, ...spec.globalOptions };
  if (Object.keys(options).length) lines.push("", "Options:", ...optionLines(options));
  if (command.examples?.length) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
  return `${lines.join("\n")}\n`;
}

/** A string option's value (the last one when repeated), or undefined. */
export function stringOption(parsed: ParsedCommand, name: string): string | undefined {
  const value = parsed.options[name];
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return typeof value === "string" ? value : undefined;
}

/** A repeatable string option's values ([] when absent). */
export function listOption(parsed: ParsedCommand, name: string): string[] {
  const value = parsed.options[name];
  if (value === undefined || typeof value === "boolean") return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function booleanOption(parsed: ParsedCommand, name: string): boolean {
  return parsed.options[name] === true;
}
