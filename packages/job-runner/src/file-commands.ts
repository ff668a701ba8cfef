import { readFileSync } from "node:fs";

/**
 * The Actions file protocol: GITHUB_OUTPUT and GITHUB_ENV hold `name=value` lines and `name<<DELIM` heredocs
 * (the value is every line up to a line equal to DELIM); GITHUB_PATH holds one directory a line.
 * A heredoc without its closing delimiter fails the step, as it does on GitHub.
 */
export function parseKeyValueFile(path: string): Record<string, string> {
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  const result: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (equals > 0 && (heredoc < 0 || equals < heredoc)) {
      result[line.slice(0, equals)] = line.slice(equals + 1);
      continue;
    }
    if (heredoc <= 0) throw new Error(`invalid line in ${path}: "${line}" (expected name=value or name<<DELIMITER)`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    if (i >= lines.length) throw new Error(`matching delimiter "${delimiter}" not found for "${name}" in ${path}`);
    result[name] = value.join("\n");
  }
  return result;
}

/** GITHUB_PATH: each non-empty line is a directory to put in front of PATH for later steps. */
export function parsePathFile(path: string): string[] {
  return readFileSync(path, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** A workflow command in a log line (`::add-mask::value`, `::error::...`), or undefined. */
export function parseWorkflowCommand(line: string): { command: string; value: string } | undefined {
  const match = /^::([a-zA-Z-]+)(?:\s[^:]*)?::(.*)$/.exec(line);
  return match ? { command: match[1]!.toLowerCase(), value: match[2]! } : undefined;
}
