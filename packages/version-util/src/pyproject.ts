import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, TomlError } from "smol-toml";
import { VersionUtilEnvironmentError, VersionUtilError } from "./errors.js";

export type Table = Record<string, unknown>;

export interface Pyproject {
  /** Absolute path of pyproject.toml. */
  path: string;
  text: string;
  data: Table;
}

const LEGACY_FILES = ["setup.py", "setup.cfg"];

/** Reads and parses DIR/pyproject.toml; a TOML error names the line and column. */
export function readPyproject(dir: string): Pyproject {
  const path = join(dir, "pyproject.toml");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    // A setuptools project from before pyproject.toml: the right directory, configured the old way.
    const legacy = LEGACY_FILES.filter((name) => existsSync(join(dir, name)));
    if (legacy.length && !existsSync(path)) {
      throw new VersionUtilError("VU_LEGACY_SETUPTOOLS", `${dir} has ${legacy.join(" and ")} but no pyproject.toml`, { cause: error, data: { dir, files: legacy } });
    }
    throw new VersionUtilEnvironmentError("VU_NO_PYPROJECT", `no pyproject.toml in ${dir}`, { cause: error, data: { dir } });
  }
  return { path, text, data: parseToml(text, path) };
}

export function parseToml(text: string, path: string): Table {
  try {
    return parse(text) as Table;
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "");
      throw new VersionUtilError("VU_MALFORMED_PYPROJECT", `${path}:${error.line}:${error.column}: ${reason}`, {
        hint: `fix the TOML at line ${error.line}, column ${error.column} of ${path}`,
        data: { path, line: error.line, column: error.column },
        cause: error,
      });
    }
    throw error;
  }
}

/** data[a][b]... when every step is a table. */
export function tableAt(data: Table, path: readonly string[]): Table | undefined {
  let node: unknown = data;
  for (const key of path) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    node = (node as Table)[key];
  }
  return typeof node === "object" && node !== null && !Array.isArray(node) ? (node as Table) : undefined;
}

export function stringAt(data: Table, path: readonly string[]): string | undefined {
  const value = tableAt(data, path.slice(0, -1))?.[path[path.length - 1]!];
  return typeof value === "string" ? value : undefined;
}
