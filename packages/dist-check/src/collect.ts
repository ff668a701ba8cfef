import { type Dirent, readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { PathMissingError } from "./errors.js";
import type { Report } from "./findings.js";

export interface Candidate {
  path: string;
  filename: string;
  kind: "wheel" | "sdist";
}

/**
 * The set to check: files given directly, or every entry of a directory. Anything that is not a .whl or
 * .tar.gz is reported (legacy .zip sdists separately); a missing path throws (exit 2).
 */
export function collectCandidates(paths: string[], cwd: string, reportFor: (file: string) => Report): Candidate[] {
  const candidates: Candidate[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new PathMissingError(given);
      reportFor(given)("DC_UNREADABLE", (error as Error).message);
      continue;
    }
    if (!stats.isDirectory()) {
      addFile(path, stats.isFile(), candidates, reportFor);
      continue;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch (error) {
      reportFor(given)("DC_UNREADABLE", `cannot list the directory: ${(error as Error).message}`);
      continue;
    }
    // Symlinks count as files here; one that cannot be opened is reported as unreadable.
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      addFile(join(path, entry.name), entry.isFile() || entry.isSymbolicLink(), candidates, reportFor);
    }
  }
  return candidates;
}

function addFile(path: string, isFile: boolean, into: Candidate[], reportFor: (file: string) => Report): void {
  const filename = basename(path);
  const report = reportFor(filename);
  if (!isFile) report("DC_NOT_DISTRIBUTION", "is not a regular file; only .whl and .tar.gz files belong in the upload set");
  else if (filename.endsWith(".whl")) into.push({ path, filename, kind: "wheel" });
  else if (filename.endsWith(".tar.gz")) into.push({ path, filename, kind: "sdist" });
  else if (filename.endsWith(".zip")) report("DC_LEGACY_ZIP_SDIST", "a .zip sdist; PyPI accepts only .tar.gz sdists");
  else report("DC_NOT_DISTRIBUTION", "is neither a wheel (.whl) nor an sdist (.tar.gz)");
}

/** Control characters or characters that cannot appear in an uploaded file name. */
export function badFilenameReason(filename: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what PyPI refuses
  if (/[\x00-\x1f\x7f]/.test(filename)) return "contains control characters";
  if (/[\\/]/.test(filename)) return "contains a path separator";
  if (/\s/.test(filename)) return "contains whitespace";
  if (!/^[\x21-\x7e]+$/.test(filename)) return "contains non-ASCII characters";
  // PyPI stores a wheel's METADATA beside it as NAME.metadata, under a file name of at most 255 bytes (a longer
  // name than that cannot exist here in the first place).
  if (filename.endsWith(".whl") && filename.length > 255 - ".metadata".length) {
    return `is ${filename.length} characters long; PyPI refuses a wheel name over ${255 - ".metadata".length} ("Filename is too long": it stores the wheel's METADATA as NAME.metadata)`;
  }
  return undefined;
}
