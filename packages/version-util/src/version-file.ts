import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { VersionUtilError } from "./errors.js";
import { parseSetupCfg } from "./setup-cfg.js";

/** Where a static version is written: a TOML table's `version`, a Python assignment, or a whole text file. */
export type VersionLocation =
  | { kind: "toml"; file: string; table: readonly string[] }
  | { kind: "python"; file: string; pattern: RegExp }
  | { kind: "text"; file: string }
  | { kind: "cfg"; file: string; section: string; key: string };

/** hatchling's DEFAULT_PATTERN for [tool.hatch.version] path (the `v` stays outside the version). */
export const HATCH_DEFAULT_PATTERN = /^(__version__|VERSION) *= *(['"])v?(?<version>.+?)\2/im;

/** `NAME = "1.2.3"` (optionally annotated), as setuptools reads `attr:` without importing. */
export function assignmentPattern(attribute: string): RegExp {
  const name = attribute.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${name}\\s*(?::[^=\\n]*)?=\\s*(['"])(?<version>[^'"\\n]*)\\1`, "m");
}

/**
 * A hatch `pattern` (Python regex syntax) for JavaScript: named groups `(?P<x>` become `(?<x>`, and a leading
 * `(?i)` becomes the i flag. Patterns beyond that common subset fail with a clear message.
 */
export function hatchPattern(pattern: string, file: string): RegExp {
  let source = pattern.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
  let flags = "m";
  if (source.startsWith("(?i)")) {
    source = source.slice(4);
    flags += "i";
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    throw new VersionUtilError("VU_VERSION_FILE", `cannot use the [tool.hatch.version] pattern for ${file}: ${(error as Error).message}`, {
      cause: error,
      hint: "fix the pattern in [tool.hatch.version]: a regular expression with a group (?P<version>...), or remove it to use hatchling's default",
      data: { pattern },
    });
  }
  if (!/\(\?<version>/.test(source)) {
    throw new VersionUtilError("VU_VERSION_FILE", `the [tool.hatch.version] pattern for ${file} has no group named version`, {
      hint: "capture the version in a named group, as hatchling requires: (?P<version>...)",
      data: { pattern },
    });
  }
  return regex;
}

export interface FoundVersion {
  /** The version text as written. */
  value: string;
  /** Its character span in the file. */
  start: number;
  end: number;
  text: string;
}

function readText(file: string, root: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new VersionUtilError("VU_VERSION_FILE", `the version file ${relative(root, file) || file} does not exist or cannot be read`, {
      cause: error,
      data: { file },
    });
  }
}

/** Finds the version in a python or text location (TOML locations are read from the parsed document). */
export function findVersionInFile(location: Exclude<VersionLocation, { kind: "toml" }>, root: string): FoundVersion {
  return findVersionInText(location, readText(location.file, root), root);
}

/** Finds the version in the given content of a python or text location's file. */
export function findVersionInText(location: Exclude<VersionLocation, { kind: "toml" }>, text: string, root: string): FoundVersion {
  if (location.kind === "cfg") {
    const span = parseSetupCfg(text, location.file).get(location.section)?.get(location.key)?.span;
    if (!span) {
      throw new VersionUtilError("VU_VERSION_FILE", `no one-line ${location.key} in [${location.section}] of ${relative(root, location.file)}`, {
        data: { file: location.file },
      });
    }
    return { value: text.slice(span[0], span[1]), start: span[0], end: span[1], text };
  }
  if (location.kind === "text") {
    const value = text.trim();
    const start = text.indexOf(value);
    return { value, start, end: start + value.length, text };
  }
  // The d flag gives the version group's exact span.
  const pattern = new RegExp(location.pattern.source, `${location.pattern.flags.replace("d", "")}d`);
  const match = pattern.exec(text);
  const span = match?.indices?.groups?.version;
  if (!match || !span) {
    throw new VersionUtilError("VU_VERSION_FILE", `no version assignment found in ${relative(root, location.file)} (looked for ${location.pattern.source})`, {
      data: { file: location.file },
    });
  }
  return { value: text.slice(span[0], span[1]), start: span[0], end: span[1], text };
}

/** Replaces the version at its span, leaving every other byte as it was. */
export function replaceSpan(found: FoundVersion, version: string): string {
  return `${found.text.slice(0, found.start)}${version}${found.text.slice(found.end)}`;
}
