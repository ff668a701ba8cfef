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

/** A line of the changelog with where it starts, and whether markdown reads it as text (not code, not a comment). */
interface Line {
  start: number;
  text: string;
  /** false inside a fenced code block or an HTML comment block, and for their opening and closing lines. */
  markdown: boolean;
}

/**
 * The lines as CommonMark reads them, as far as headings go: a `## 1.0.0` line inside a fenced code block (a
 * shell comment in an example) or inside a commented-out template (`<!--` ... `-->`, common in Keep a Changelog
 * files) is no heading, and must neither be taken for a release nor receive the new section.
 */
function markdownLines(text: string): Line[] {
  const lines: Line[] = [];
  let fence: { char: string; length: number } | null = null;
  let comment = false;
  let start = 0;
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    let markdown = false;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close?.[1]?.[0] === fence.char && close[1].length >= fence.length) fence = null;
    } else if (comment) {
      if (line.includes("-->")) comment = false;
    } else {
      const open = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line);
      if (open?.[1]) fence = { char: open[1][0] as string, length: open[1].length };
      else if (/^ {0,3}<!--/.test(line) && !line.slice(line.indexOf("<!--") + 4).includes("-->")) comment = true;
      else markdown = true;
    }
    lines.push({ start, text: line, markdown });
    start += raw.length + 1;
  }
  return lines;
}

/** The text of a level-2 ATX heading (`## text`, up to three spaces before), or null for any other line. */
function h2Text(line: Line): string | null {
  if (!line.markdown) return null;
  const match = /^ {0,3}##(?:[ \t]+(.*?))?[ \t]*$/.exec(line.text);
  return match ? (match[1] ?? "") : null;
}

/** Whether a `## ` heading's text names `version` (any spelling that normalizes to it: v1.0, [1.0.0], ...). */
function headingNamesVersion(heading: string, version: string): boolean {
  const match = /^\[?v?([^\]\s(]+)\]?/i.exec(heading);
  if (!match?.[1] || !isValidVersion(match[1])) return false;
  // PEP 440 equality: "1.0" and "1.0.0" are the same release.
  return compareVersions(match[1], version) === 0;
}

/**
 * Inserts `section` (markdown, "\n" line ends) into a Keep-a-Changelog file: below the
 * `<!-- next-release -->` marker line if there is one, else above the first `## ` heading that is not
 * "Unreleased", else at the end. Code blocks and commented-out text are not read for either.
 * Pure: every other byte stays as it was; CRLF files stay CRLF; a version already present changes nothing.
 */
export function insertSection(existing: string, section: string, version: string): ChangelogUpdate {
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const lines = markdownLines(existing);
  if (lines.some((line) => headingNamesVersion(h2Text(line) ?? "", version))) {
    return { text: existing, changed: false, reason: `the changelog already has a section for ${version}` };
  }
  const block = `${section.trimEnd().replace(/\n/g, eol)}${eol}${eol}`;
  const at = insertionOffset(existing, lines);
  if (at === null) {
    const base = existing.length === 0 || existing.endsWith(eol) ? existing : `${existing}${eol}`;
    const sep = base.length === 0 || base.endsWith(`${eol}${eol}`) ? "" : eol;
    return { text: `${base}${sep}${block.slice(0, -eol.length)}`, changed: true };
  }
  return { text: `${existing.slice(0, at)}${block}${existing.slice(at)}`, changed: true };
}

/** Where the new section starts: after the marker line (and one blank line), or at the first release heading. */
function insertionOffset(text: string, lines: readonly Line[]): number | null {
  // The marker is a line of its own (an HTML comment, so markdownLines does not count it as text).
  const marker = lines.findIndex((line) => line.text.trim() === NEXT_RELEASE_MARKER);
  if (marker !== -1) {
    const after = lines[marker + 1];
    if (!after || after.start >= text.length) return null;
    // Keep one blank line after the marker, as written.
    const blank = lines[marker + 2];
    return after.text === "" && blank && blank.start <= text.length ? blank.start : after.start;
  }
  // Keep a Changelog keeps "## [Unreleased]" on top: the release goes below it, above the newest release.
  const heading = lines.find((line) => {
    const title = h2Text(line);
    return title !== null && !/^\[?unreleased\b/i.test(title);
  });
  return heading ? heading.start : null;
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
