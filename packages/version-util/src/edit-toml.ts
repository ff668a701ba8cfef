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

/**
 * Sets `version` in one table of a TOML document and changes no other byte: the line is found by scanning
 * table headers (skipping multi-line strings), only the string's content is replaced, its quote style kept.
 * The result is parsed again and must equal the original document with that one value changed.
 */
export function setTomlVersion(text: string, table: readonly string[], version: string, file: string): string {
  const lines = splitLines(text);
  let current: string[] = [];
  let inMultiline: string | undefined;
  const hits: number[] = [];
  lines.forEach((line, i) => {
    if (inMultiline) {
      if (countOf(line, inMultiline) % 2 === 1) inMultiline = undefined;
      return;
    }
    for (const quote of ['"""', "'''"]) if (countOf(line, quote) % 2 === 1) inMultiline = quote;
    const header = HEADER.exec(line.replace(/\r?\n$/, ""));
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

function countOf(line: string, needle: string): number {
  return line.split(needle).length - 1;
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
