import { insertSection, readChangelog, sectionHeading, writeFileAtomic } from "./changelog.js";
import { UsageError } from "@pypi-workflows/cli-kit";
import { compareUrl } from "./links.js";
import { type NotesOptions, generateNotes } from "./notes.js";
import { renderChanges } from "./render.js";

export interface ChangelogOptions extends NotesOptions {
  /** The changelog file, relative to cwd. */
  file: string;
  tag: string;
  /** The release date (YYYY-MM-DD); pass the clock in. */
  date: string;
  /** Compute and return the new section, write nothing. */
  dryRun?: boolean;
}

export interface ChangelogResult {
  path: string;
  version: string;
  changed: boolean;
  /** The section inserted (or that would be). */
  section: string;
  written: boolean;
  message: string;
}

/** Adds the release's section to the changelog, atomically; running it twice changes nothing. */
export async function updateChangelog(options: ChangelogOptions): Promise<ChangelogResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new UsageError(`--date ${options.date} is not YYYY-MM-DD`);
  // Read first: a file we cannot read fails before any git work, and nothing is written on failure.
  const current = await readChangelog(options.cwd, options.file);
  const notes = await generateNotes({ ...options, footer: false });
  const version = notes.version as string;
  const link = notes.repo ? compareUrl(notes.repo, notes.from, notes.tag ?? notes.to) : null;
  const section = `${sectionHeading(version, options.date, link)}\n\n${renderChanges(notes.sections, notes.repo, 3, notes.hidden)}\n`;
  const update = insertSection(current.text, section, version);
  const base = { path: current.path, version, section, changed: update.changed };
  if (!update.changed) return { ...base, written: false, message: `${update.reason}: nothing to do` };
  if (options.dryRun) return { ...base, written: false, message: `would add ${version} to ${current.path}` };
  await writeFileAtomic(current.path, update.text);
  return { ...base, written: true, message: `added ${version} to ${current.path}` };
}
