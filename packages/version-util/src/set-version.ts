import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { setTomlVersion } from "./edit-toml.js";
import type { VersionDeclaration } from "./source.js";
import { findVersionInText, replaceSpan, type VersionLocation } from "./version-file.js";
import { writeFilesAtomic } from "./write-file.js";

export interface VersionEdit {
  /** The file changed (absolute), and relative to the project. */
  file: string;
  relativeFile: string;
  before: string;
  after: string;
}

/**
 * The new content of every file that declares the static version: the declaration's own file first, then
 * the places that must agree with it (pure: nothing written). One edit per file; a location the editor
 * cannot place safely throws, so nothing is planned by halves.
 */
export function planVersionEdits(declaration: VersionDeclaration, version: string): VersionEdit[] {
  const location = declaration.location;
  if (!location) throw new Error("planVersionEdits needs a static version source");
  const edits = new Map<string, VersionEdit>();
  for (const place of [location, ...(declaration.also ?? [])]) {
    const relativeFile = relative(declaration.dir, place.file);
    const previous = edits.get(place.file);
    const before = previous?.after ?? readFileSync(place.file, "utf8");
    const after = editText(place, before, version, relativeFile, declaration.dir);
    edits.set(place.file, { file: place.file, relativeFile, before: previous?.before ?? before, after });
  }
  return [...edits.values()];
}

function editText(location: VersionLocation, text: string, version: string, relativeFile: string, root: string): string {
  if (location.kind === "toml") return setTomlVersion(text, location.table, version, relativeFile);
  return replaceSpan(findVersionInText(location, text, root), version);
}

/** Writes the version everywhere the project declares it: every file replaced, or none. Returns the edits. */
export function writeVersion(declaration: VersionDeclaration, version: string): VersionEdit[] {
  const edits = planVersionEdits(declaration, version);
  writeFilesAtomic(edits.filter((e) => e.after !== e.before).map((e) => ({ path: e.file, content: e.after })));
  return edits;
}
