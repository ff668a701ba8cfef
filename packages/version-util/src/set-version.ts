import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { setTomlVersion } from "./edit-toml.js";
import type { VersionDeclaration } from "./source.js";
import { findVersionInFile, replaceSpan } from "./version-file.js";
import { writeFileAtomic } from "./write-file.js";

export interface VersionEdit {
  /** The file changed (absolute), and relative to the project. */
  file: string;
  relativeFile: string;
  before: string;
  after: string;
}

/** The new content of the file that holds a static version (pure: nothing written). */
export function planVersionEdit(declaration: VersionDeclaration, version: string): VersionEdit {
  const location = declaration.location;
  if (!location) throw new Error("planVersionEdit needs a static version source");
  const relativeFile = relative(declaration.dir, location.file);
  if (location.kind === "toml") {
    const before = readFileSync(location.file, "utf8");
    return { file: location.file, relativeFile, before, after: setTomlVersion(before, location.table, version, relativeFile) };
  }
  const found = findVersionInFile(location, declaration.dir);
  return { file: location.file, relativeFile, before: found.text, after: replaceSpan(found, version) };
}

/** Writes the version where the project declares it, atomically; returns what changed. */
export function writeVersion(declaration: VersionDeclaration, version: string): VersionEdit {
  const edit = planVersionEdit(declaration, version);
  if (edit.after !== edit.before) writeFileAtomic(edit.file, edit.after);
  return edit;
}
