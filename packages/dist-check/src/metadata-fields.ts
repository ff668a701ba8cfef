import { stripPythonWhitespace } from "@pypi-workflows/version-util";
import table from "./data/metadata-fields.json" with { type: "json" };
import type { CoreMetadata } from "./core-metadata.js";
import type { Report } from "./findings.js";
import { requirementProblem, specifierSetProblem } from "./pep508.js";
import { LINE_BOUNDARY } from "./python-str.js";

// The core metadata fields as PyPI parses them. Warehouse (and twine, before it uploads) reads METADATA and PKG-INFO
// with packaging.metadata and refuses the file when a field is unknown, repeated where it may appear once, newer than
// the declared Metadata-Version, or holds a value packaging cannot parse; warehouse adds a 512-character Summary and
// checks Provides-Dist and Obsoletes-Dist as requirements. The field table is packaging's (scripts/refresh-data.mjs).

type Kind = "single" | "multiple" | "keywords" | "project-urls";
const FIELDS = table.fields as Record<string, { kind: Kind; added: string }>;
/** The field's entry in the table; an own property only (a field named "constructor" or "__proto__" is unknown). */
const fieldEntry = (name: string) => (Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined);
const VERSIONS: readonly string[] = table.versions;

/** The release of packaging the field table comes from. */
export const METADATA_FIELDS_SOURCE: string = table.source;

const EXTRA_NAME = /^([a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;
const SUMMARY_MAX = 512;
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);

/** Reports what PyPI's metadata parser refuses in `meta` (declared Metadata-Version `declared`). */
export function checkFieldsAsParsed(meta: CoreMetadata, declared: string | undefined, report: Report): void {
  const age = declared === undefined ? -1 : VERSIONS.indexOf(declared);
  for (const [name, values] of meta.fields) {
    const known = fieldEntry(name);
    if (!known) {
      report("DC_METADATA_FIELD_UNKNOWN", `unrecognized field ${JSON.stringify(name)}`);
      continue;
    }
    const repeated = repetition(name, known.kind, values, meta);
    if (repeated) {
      report("DC_METADATA_FIELD_REPEATED", repeated);
      continue;
    }
    // twine leaves License-File out below 2.4 (setuptools wrote it with Metadata-Version 2.1) instead of refusing it.
    if (name === "license-file" && age >= 0 && age < VERSIONS.indexOf("2.4")) continue;
    if (age >= 0 && VERSIONS.indexOf(known.added) > age) {
      report("DC_METADATA_FIELD_TOO_NEW", `${name} was introduced in Metadata-Version ${known.added}, and this file declares ${declared}`);
      continue;
    }
    for (const problem of valueProblems(name, values)) report("DC_METADATA_VALUE_INVALID", problem);
  }
}

/** Why the field counts as given more than once, or undefined. */
function repetition(name: string, kind: Kind, values: string[], meta: CoreMetadata): string | undefined {
  if ((kind === "single" || kind === "keywords") && values.length > 1) return `${name} appears ${values.length} times (it may appear once)`;
  if (name === "description" && meta.body !== "") return "the description is given twice: in a Description field and as the message body";
  if (kind === "project-urls") {
    // packaging: label, _, url = (s.strip() for s in pair.partition(",")); str.strip's whitespace is not String.trim's.
    const labels = values.map((entry) => stripPythonWhitespace(entry.split(",")[0]!));
    const twice = labels.find((label, i) => labels.indexOf(label) !== i);
    if (twice !== undefined) return `project-url has the label ${JSON.stringify(twice)} more than once`;
  }
  return undefined;
}

function valueProblems(name: string, values: string[]): string[] {
  const problems: string[] = [];
  const each = (check: (value: string) => string | undefined) => {
    for (const value of values) {
      const problem = check(value);
      if (problem) problems.push(problem);
    }
  };
  switch (name) {
    case "summary":
      each((v) => (LINE_BOUNDARY.test(v) ? "Summary must be a single line" : [...v].length > SUMMARY_MAX ? `Summary is ${[...v].length} characters long; PyPI takes at most ${SUMMARY_MAX}` : undefined));
      break;
    case "requires-dist":
    case "provides-dist":
    case "obsoletes-dist":
      each((v) => withReason(`${fieldTitle(name)} ${JSON.stringify(v)} is not a valid dependency specifier`, requirementProblem(v)));
      break;
    case "requires-python":
      each((v) => withReason(`Requires-Python ${JSON.stringify(v)} is not a valid version specifier`, specifierSetProblem(v)));
      break;
    case "provides-extra":
      each((v) => (EXTRA_NAME.test(v) ? undefined : `Provides-Extra ${JSON.stringify(v)} is not a valid extra name`));
      break;
    case "dynamic":
      // Name, Version and Metadata-Version are DC_METADATA_DYNAMIC's.
      each((v) => (fieldEntry(v.toLowerCase()) || ["name", "version", "metadata-version"].includes(v.toLowerCase()) ? undefined : `Dynamic ${JSON.stringify(v)} is not a core metadata field`));
      break;
    case "license-file":
      each(licenseFileProblem);
      break;
    case "import-name":
    case "import-namespace":
      if (!(values.length === 1 && values[0] === "")) each((v) => importNameProblem(fieldTitle(name), v));
      break;
  }
  return problems;
}

function withReason(message: string, reason: string | undefined): string | undefined {
  return reason === undefined ? undefined : `${message}: ${reason}`;
}

function fieldTitle(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** packaging's License-File rules: relative, resolved, "/"-separated paths without "..". */
function licenseFileProblem(path: string): string | undefined {
  const bad = (why: string) => `License-File ${JSON.stringify(path)}: ${why}`;
  if (path.includes("..")) return bad("parent directory indicators are not allowed");
  if (path.includes("*")) return bad("paths must be resolved");
  if (path.startsWith("/") || /^[a-z]:[\\/]/i.test(path) || /^[\\/]{2}[^\\/]+[\\/]+[^\\/]+/.test(path)) return bad("paths must be relative");
  return windowsAsPosix(path) === path ? undefined : bad("paths must use '/' delimiter");
}

/** PureWindowsPath(path).as_posix() for a relative path: "\" read as "/", empty and "." parts dropped. */
function windowsAsPosix(path: string): string {
  const drive = /^[a-z]:/i.exec(path)?.[0] ?? "";
  const parts = path.slice(drive.length).split(/[\\/]/).filter((p) => p !== "" && p !== ".");
  const joined = drive + parts.join("/");
  return joined === "" ? "." : joined;
}

function importNameProblem(title: string, value: string): string | undefined {
  const semicolon = value.indexOf(";");
  const name = (semicolon < 0 ? value : value.slice(0, semicolon)).trimEnd();
  for (const identifier of name.split(".")) {
    if (!/^[\p{ID_Start}_][\p{ID_Continue}]*$/u.test(identifier)) return `${title} ${JSON.stringify(name)}: ${JSON.stringify(identifier)} is not a valid identifier`;
    if (PYTHON_KEYWORDS.has(identifier)) return `${title} ${JSON.stringify(name)}: ${JSON.stringify(identifier)} is a keyword`;
  }
  if (semicolon >= 0 && value.slice(semicolon + 1).trimStart() !== "private") return `${title} ${JSON.stringify(value)}: the only valid option is "private"`;
  return undefined;
}
