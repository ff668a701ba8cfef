import { isDeepStrictEqual } from "node:util";
import { VersionUtilError } from "./errors.js";
import { parseToml, tableAt, type Table } from "./pyproject.js";

const HEADER = /^\s*\[(?!\[)([^\]#]+)\]\s*(?:#.*)?$/;
const ARRAY_HEADER = /^\s*\[\[/;
const VERSION_LINE = /^(\s*(?:version|"version"|'version')\s*=\s*)("((?:[^"\\\n]|\\.)*)"|'([^'\n]*)')/;

function headerPath(inner: string): string[] {
  return inner.split(".").map((k) => k.trim().replace(/^["'](.*)["']$/, "$1"));
}

/** Lines with their endings kept, so CRLF files stay CRLF. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Where a line leaves the scanner: inside a multi-line string (its delimiter), and how deep in [ ] / { }. */
interface ScanState {
  multiline: '"""' | "'''" | undefined;
  depth: number;
}

/** The index of the `"""` closing a multi-line basic string (escaped quotes skipped), or -1. */
function basicClose(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === "\\") i++;
    else if (line.startsWith('"""', i)) return i;
  }
  return -1;
}

/**
 * Scans one line as TOML's lexer does for strings and comments: quotes inside an ordinary string or a comment
 * open nothing; only `"""` or `'''` outside them start a multi-line string. Brackets and braces outside strings
 * count the depth of multi-line arrays, whose lines are values, never headers or keys.
 */
function scanLine(line: string, state: ScanState): ScanState {
  let { multiline, depth } = state;
  let i = 0;
  while (i < line.length) {
    if (multiline) {
      const close = multiline === '"""' ? basicClose(line, i) : line.indexOf("'''", i);
      if (close < 0) break;
      i = close + 3;
      for (let extra = 0; extra < 2 && line[i] === multiline[0]; extra++) i++; // """" ends the string with a quote
      multiline = undefined;
      continue;
    }
    const c = line[i]!;
    if (c === "#") break;
    if (line.startsWith('"""', i) || line.startsWith("'''", i)) {
      multiline = line.slice(i, i + 3) as ScanState["multiline"];
      i += 3;
    } else if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === "\\" ? 2 : 1;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      i = end < 0 ? line.length : end + 1;
    } else {
      if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return { multiline, depth };
}

/**
 * Sets `version` in one table of a TOML document and changes no other byte: the line is found by scanning
 * table headers (skipping multi-line strings and arrays), only the string's content is replaced, its quote
 * style kept. The result is parsed again and must equal the original document with that one value changed.
 */
export function setTomlVersion(text: string, table: readonly string[], version: string, file: string): string {
  const lines = splitLines(text);
  let current: string[] = [];
  let state: ScanState = { multiline: undefined, depth: 0 };
  const hits: number[] = [];
  lines.forEach((line, i) => {
    const content = line.replace(/\r?\n$/, "");
    const inside = state.multiline !== undefined || state.depth > 0;
    state = scanLine(content, state);
    if (inside) return;
    const header = HEADER.exec(content);
    if (header) current = headerPath(header[1]!);
    else if (ARRAY_HEADER.test(line)) current = ["[[array]]"];
    else if (isDeepStrictEqual(current, [...table]) && VERSION_LINE.test(line)) hits.push(i);
  });
  const where = `[${table.join(".")}] version in ${file}`;
  if (hits.length !== 1) throw new VersionUtilError("VU_EDIT_FAILED", `cannot find exactly one ${where} written as a plain string`);
  const index = hits[0]!;
  lines[index] = lines[index]!.replace(VERSION_LINE, (_all, prefix: string, quoted: string) => {
    const quote = quoted[0]!;
    return `${prefix}${quote}${version}${quote}`;
  });
  const result = lines.join("");
  checkOnlyVersionChanged(text, result, table, version, where, file);
  return result;
}

function checkOnlyVersionChanged(before: string, after: string, table: readonly string[], version: string, where: string, file: string): void {
  const expected = parseToml(before, file);
  const target = tableAt(expected, table);
  if (target) target.version = version;
  let actual: Table;
  try {
    actual = parseToml(after, file);
  } catch {
    actual = {};
  }
  if (!target || !isDeepStrictEqual(actual, expected)) {
    throw new VersionUtilError("VU_EDIT_FAILED", `editing ${where} would change more than the version; nothing was written`);
  }
}
