import { statSync } from "node:fs";
import { join } from "node:path";
import { type IndexFile, listProjectFiles, parseDistFilename, sha256OfIndexFile } from "@pypi-workflows/index-client";
import { parseVersion } from "@pypi-workflows/version-util";
import { formatBytes } from "./archive.js";
import type { DistFacts } from "./dist-file.js";
import type { Report } from "./findings.js";

export interface IndexCheckOptions {
  simpleUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /**
   * Where the index has a file of this name with other bytes, or this release's sdist under another name,
   * download the index's copy into this directory (a temporary one the caller removes) instead of refusing:
   * re-publishing or verifying a release that is already on the index.
   */
  usePublishedInto?: string;
}

/** A built file to be replaced by the index's copy (downloaded, its sha256 checked against the index's page). */
export interface PublishedCopy {
  /** The built file it replaces. */
  built: DistFacts;
  /** The index's file name (the built one's, or the release's sdist under another name). */
  filename: string;
  /** Where the copy was downloaded to. */
  stagedPath: string;
  sha256: string;
  size: number;
  /** The DC_PUBLISHED_COPY finding's message, reported once the copy is known to be used (see published-source). */
  message: string;
}

export interface IndexComparison {
  /** Whether the index has the project at all (a page for it); false means the first upload creates it. */
  projectFound: boolean;
  /** Built files the index already has byte for byte. */
  published: Set<string>;
  /** With usePublishedInto: the built files the index's copies replace (not yet reported: see reportCopies). */
  copies: PublishedCopy[];
  /** Built files the index has nothing of, by name or (an sdist) as the release's sdist: what an upload adds. */
  missing: DistFacts[];
  /** When the release came to the index: its earliest file's upload time, where the index gives one (PEP 700). */
  releaseCreated?: Date;
  /** What the project's files take on the index, where its page gives every file's size (PEP 700); 0 for a new project. */
  projectBytes?: number;
}

/**
 * Compares the set with what the index already has for this release: identical files are "already
 * published" (re-runs converge), the same name with other bytes or a second sdist are errors, or with
 * usePublishedInto the index's copies to use instead.
 */
export async function checkAgainstIndex(files: DistFacts[], name: string, version: string, options: IndexCheckOptions, reportFor: (file: string) => Report): Promise<IndexComparison> {
  const listed = await listProjectFiles(options.simpleUrl, name, { ...(options.fetch ? { fetch: options.fetch } : {}), timeoutMs: options.timeoutMs ?? 30_000 });
  const comparison: IndexComparison = { projectFound: listed.found, published: new Set(), copies: [], missing: [] };
  if (!listed.found) return { ...comparison, missing: [...files], projectBytes: 0 };
  if (listed.files.every((f) => f.size !== undefined)) comparison.projectBytes = listed.files.reduce((sum, f) => sum + f.size!, 0);
  const byName = new Map(listed.files.map((f) => [f.filename, f]));
  const release = parseVersion(version)?.normalized;
  const uploaded = listed.files.filter((f) => f.uploadTime && f.version !== undefined && parseVersion(f.version)?.normalized === release).map((f) => f.uploadTime!.getTime());
  if (uploaded.length > 0) comparison.releaseCreated = new Date(Math.min(...uploaded));
  const fetchOptions = { ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  for (const file of files) {
    const report = reportFor(file.filename);
    const remote = byName.get(file.filename);
    if (remote) {
      if (remote.sha256 === file.sha256) {
        comparison.published.add(file.filename);
        report("DC_ALREADY_PUBLISHED", `already on the index with the same sha256 (${options.simpleUrl})`);
        continue;
      }
      if (options.usePublishedInto) {
        const copy = await downloadCopy(file, remote, options.usePublishedInto, fetchOptions, report);
        if (copy?.sha256 === file.sha256) {
          comparison.published.add(file.filename);
          report("DC_ALREADY_PUBLISHED", `already on the index with the same sha256 (${options.simpleUrl})`);
        } else if (copy) {
          comparison.copies.push({ ...copy, message: `the index has ${file.filename} with sha256 ${copy.sha256}, the rebuild is ${file.sha256}: the index's copy replaces it` });
        }
        continue;
      }
      const remoteSha = remote.sha256 ?? (await sha256OfIndexFile(remote.url, fetchOptions));
      if (remoteSha === file.sha256) {
        comparison.published.add(file.filename);
        report("DC_ALREADY_PUBLISHED", `already on the index with the same sha256 (${options.simpleUrl})`);
      } else {
        report("DC_FILENAME_TAKEN", `the index has ${file.filename} with sha256 ${remoteSha}, this file is ${file.sha256}`, {
          hint: `a file name can never be reused: bump the version (e.g. past ${version}) and rebuild; to re-publish or verify the release already on the index, pass --use-published`,
        });
      }
      continue;
    }
    const other =
      file.kind === "sdist"
        ? listed.files.find((f) => {
            const parsed = parseDistFilename(f.filename);
            return parsed?.kind === "sdist" && parseVersion(parsed.version)?.normalized === release;
          })
        : undefined;
    if (!other) {
      comparison.missing.push(file);
      continue;
    }
    // The other sdist's name comes from the index: one a file system could misread (a separator, a dot name)
    // is never used as a file name here.
    if (!options.usePublishedInto || !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(other.filename)) {
      report("DC_SDIST_EXISTS", `the index already has the sdist ${other.filename} for ${name} ${version}`, { hint: "a release holds one sdist: bump the version, or upload only the wheels; to re-publish or verify the release already on the index, pass --use-published" });
      continue;
    }
    const copy = await downloadCopy(file, other, options.usePublishedInto, fetchOptions, report);
    if (copy) comparison.copies.push({ ...copy, message: `the index holds this release's sdist as ${other.filename} (sha256 ${copy.sha256}): it replaces the built ${file.filename}` });
  }
  return comparison;
}

/**
 * Downloads the index's file into `dir` and checks it against the sha256 the index's page lists (an index
 * whose page lists none is taken at its word: the bytes it serves are the published file). Undefined, with
 * DC_PUBLISHED_COPY_MISMATCH reported, when the bytes disagree with the page.
 */
async function downloadCopy(built: DistFacts, remote: IndexFile, dir: string, fetchOptions: { fetch?: typeof fetch; timeoutMs?: number }, report: Report): Promise<Omit<PublishedCopy, "message"> | undefined> {
  const stagedPath = join(dir, remote.filename);
  const sha256 = await sha256OfIndexFile(remote.url, { ...fetchOptions, saveTo: stagedPath });
  if (remote.sha256 !== undefined && remote.sha256 !== sha256) {
    report("DC_PUBLISHED_COPY_MISMATCH", `the index's page lists ${remote.filename} with sha256 ${remote.sha256}, but the file it served has ${sha256}`);
    return undefined;
  }
  return { built, filename: remote.filename, stagedPath, sha256, size: statSync(stagedPath).size };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * PyPI and TestPyPI refuse new files for a release created more than `closesAfterDays` ago (identical
 * re-uploads still pass): each built file the index lacks is then DC_RELEASE_CLOSED, before anything is uploaded.
 * Nothing is reported when the index gives no upload times, or when nothing new would be uploaded.
 */
/** The most a project's files may take on the index; `isDefault`: the index's default, not one given for the project. */
export interface ProjectSizeLimit {
  bytes: number;
  isDefault: boolean;
}

/**
 * PyPI's project size limit: the upload fails ("Project size too large") once the project's files, every release and
 * yanked files included, would take more than the limit. Reported on the set: which file tips it over depends on
 * the upload order. Not checked when the index gives no sizes, nor against the index's default limit for a project
 * already over it (PyPI granted it more, and how much is not on its pages).
 */
export function reportProjectSize(comparison: IndexComparison, name: string, limit: ProjectSizeLimit, report: Report): void {
  const limitBytes = limit.bytes;
  const added = comparison.missing.reduce((sum, file) => sum + file.size, 0);
  if (comparison.projectBytes === undefined || added === 0 || comparison.projectBytes + added <= limitBytes) return;
  if (limit.isDefault && comparison.projectBytes > limitBytes) return;
  const room = limitBytes - comparison.projectBytes;
  const left = room > 0 ? `${formatBytes(room)} under the project limit of ${formatBytes(limitBytes)}` : `already over the project limit of ${formatBytes(limitBytes)}`;
  report("DC_PROJECT_TOO_LARGE", `${name}'s files take ${formatBytes(comparison.projectBytes)} on the index, ${left}, and this upload adds ${formatBytes(added)}`);
}

export function reportClosedRelease(comparison: IndexComparison, release: { name: string; version: string }, closesAfterDays: number, now: Date, reportFor: (file: string) => Report): void {
  const created = comparison.releaseCreated;
  if (!created || now.getTime() - created.getTime() <= closesAfterDays * DAY_MS) return;
  const days = Math.floor((now.getTime() - created.getTime()) / DAY_MS);
  for (const file of comparison.missing) {
    reportFor(file.filename)(
      "DC_RELEASE_CLOSED",
      `${release.name} ${release.version} came to the index ${days} days ago (its first file on ${created.toISOString().slice(0, 10)}), and the index refuses new files for releases older than ${closesAfterDays} days: this file cannot be added`,
    );
  }
}
