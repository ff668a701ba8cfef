import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { compareVersions, isValidVersion } from "@pypi-workflows/version-util";
import { NotesEnvironmentError } from "./errors.js";

export const NEXT_RELEASE_MARKER = "<!-- next-release -->";

const NEW_FILE = "# Changelog\n\nAll notable changes to this project are documented in this file.\n";

export interface ChangelogUpdate {
  text: string;
  changed: boolean;
  /** Why nothing changed, when it did not. */
  reason?: string;
}

/** The `## [version](link) - date` heading of a release section. */
export function sectionHeading(version: string, date: string, link: string | null): string {
  return `## ${link ? `[${version}](${link})` : `[${version}]`} - ${date}`;
}

/** Whether a `## ` heading line names `version` (any spelling that normalizes to it: v1.0, [1.0.0], ...). */
function headingNamesVersion(line: string, version: string): boolean {
  const match = /^##\s+\[?v?([^\]\s(]+)\]?/i.exec(line);
  if (!match?.[1] || !isValidVersion(match[1])) return false;
  // PEP 440 equality: "1.0" and "1.0.0" are the same release.
  return compareVersions(match[1], version) === 0;
}

/**
 * Inserts `section` (markdown, "\n" line ends) into a Keep-a-Changelog file: below the
 * `<!-- next-release -->` marker if there is one, else above the first `## ` heading that is not
 * "Unreleased", else at the end.
 * Pure: every other byte stays as it was; CRLF files stay CRLF; a version already present changes nothing.
 */
export function insertSection(existing: string, section: string, version: string): ChangelogUpdate {
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const lines = existing.split(/\r?\n/);
  if (lines.some((l) => headingNamesVersion(l, version))) {
    return { text: existing, changed: false, reason: `the changelog already has a section for ${version}` };
  }
  const block = `${section.trimEnd().replace(/\n/g, eol)}${eol}${eol}`;
  const at = insertionOffset(existing);
  if (at === null) {
    const base = existing.length === 0 || existing.endsWith(eol) ? existing : `${existing}${eol}`;
    const sep = base.length === 0 || base.endsWith(`${eol}${eol}`) ? "" : eol;
    return { text: `${base}${sep}${block.slice(0, -eol.length)}`, changed: true };
  }
  return { text: `${existing.slice(0, at)}${block}${existing.slice(at)}`, changed: true };
}

/** Where the new section starts: after the marker line (and one blank line), or at the first release heading. */
function insertionOffset(text: string): number | null {
  const marker = text.indexOf(NEXT_RELEASE_MARKER);
  if (marker !== -1) {
    let end = text.indexOf("\n", marker);
    if (end === -1) return null;
    end += 1;
    // Keep one blank line after the marker, as written.
    const blank = /^\r?\n/.exec(text.slice(end));
    return end + (blank ? blank[0].length : 0);
  }
  // Keep a Changelog keeps "## [Unreleased]" on top: the release goes below it, above the newest release.
  const heading = /^## (?!\s*\[?unreleased\b)/im.exec(text);
  return heading ? heading.index : null;
}

/** Reads the changelog ("" when it does not exist yet, then a title is added). */
export async function readChangelog(cwd: string, file: string): Promise<{ path: string; text: string; exists: boolean }> {
  const path = resolve(cwd, file);
  try {
    return { path, text: await readFile(path, "utf8"), exists: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { path, text: NEW_FILE, exists: false };
    throw new NotesEnvironmentError("NG_CHANGELOG_IO", `cannot read ${path}: ${(error as Error).message}`);
  }
}

let tempCounter = 0;

/** Writes through a temp file in the same directory and a rename: a failure leaves the old file as it was. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  // Unique per process and call; node:crypto is not worth loading at start-up for a temp name.
  tempCounter += 1;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter}.tmp`);
  try {
    const mode = await stat(path).then((s) => s.mode & 0o777, () => 0o644);
    await writeFile(temp, text, { mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new NotesEnvironmentError("NG_CHANGELOG_IO", `cannot write ${path}: ${(error as Error).message}`);
  }
}
