import { basename, join } from "node:path";
import { HelperError } from "@pypi-workflows/cli-kit";
import { listProjectFiles, normalizeProjectName, parseDistFilename, sha256OfIndexFile, type IndexFile, type ProjectFiles } from "@pypi-workflows/index-client";
import { VerifierEnvironmentError, type ErrorCode } from "./errors.js";
import { sameVersion } from "./inspect.js";

export interface ExpectedFile {
  filename: string;
  sha256: string;
}

/** Time, injectable so tests of the backoff take no time. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollOptions {
  simpleUrl: string;
  name: string;
  version: string;
  /** The manifest's files: each must be listed with this sha256. Without: any file of the version will do. */
  expected?: ExpectedFile[];
  timeoutMs: number;
  /** First wait between attempts (default 1 s), doubled after each attempt up to maxDelayMs (default 60 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  /** Called before each wait, with what was seen. */
  onProgress?: (message: string) => void;
  list?: (simpleUrl: string, name: string, options: { fresh: boolean; timeoutMs: number }) => Promise<ProjectFiles>;
  /** The sha256 of a listed file, downloaded (for files the index lists without a hash), kept at `saveTo` if given. */
  hashFile?: (url: string, options: { timeoutMs: number; saveTo?: string }) => Promise<string>;
  /** An existing directory where the files downloaded for their hash are kept (so nobody downloads them again). */
  saveDir?: string;
}

/** A file the poll downloaded, kept, and found to have the manifest's sha256. */
export interface SavedFile {
  filename: string;
  path: string;
  sha256: string;
}

export interface PollResult {
  published: boolean;
  attempts: number;
  /** The index's files of this version, as last seen. */
  files: IndexFile[];
  detail: string;
  code?: ErrorCode;
  /** Manifest files listed without a sha256: published only once their downloaded bytes have the manifest's. */
  toHash?: (ExpectedFile & { url: string })[];
  /** With `saveDir`: the files downloaded for their hash, kept there, with the manifest's sha256. */
  saved?: SavedFile[];
}

/**
 * Polls the simple page (asking caches for a fresh copy) with exponential backoff until the release's files
 * are listed, a listed file has other bytes than the manifest says, or the time is up. Never loops forever;
 * an index that never answered is an environment error (exit 2), a file that never appeared is a result.
 */
export async function waitForRelease(options: PollOptions): Promise<PollResult> {
  const clock = options.clock ?? realClock;
  const list = options.list ?? ((url, name, o) => listProjectFiles(url, name, o));
  const deadline = clock.now() + options.timeoutMs;
  let delay = options.initialDelayMs ?? 1000;
  let attempts = 0;
  let reachable = false;
  let lastError = "";
  let last: PollResult = { published: false, attempts, files: [], detail: "not asked yet" };
  for (;;) {
    attempts++;
    try {
      const page = await list(options.simpleUrl, options.name, { fresh: true, timeoutMs: Math.max(1000, Math.min(30_000, deadline - clock.now())) });
      reachable = true;
      last = { ...evaluatePage(page, options), attempts };
      if (last.toHash?.length) last = await checkDownloads(last, options, Math.max(1000, deadline - clock.now()));
      if (last.published || last.code === "IV_SHA_MISMATCH") return last;
    } catch (error) {
      // A 401/403 will not go away by waiting (and no credentials are sent); network errors and 5xx may.
      if (error instanceof HelperError && error.code === "IDX_UNAUTHORIZED") {
        throw new VerifierEnvironmentError("IV_INDEX_UNAUTHORIZED", error.message, { data: { simpleUrl: options.simpleUrl } });
      }
      if (!(error instanceof HelperError) || error.code !== "IDX_UNREACHABLE") throw error;
      lastError = error.message;
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) break;
    const seen = reachable ? last.detail : `index not reachable: ${lastError}`;
    options.onProgress?.(`waiting for ${options.name} ${options.version} (attempt ${attempts}): ${seen}; next look in ${Math.ceil(Math.min(delay, remaining) / 1000)} s`);
    await clock.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, options.maxDelayMs ?? 60_000);
  }
  if (!reachable) {
    const seconds = Math.round(options.timeoutMs / 1000);
    throw new VerifierEnvironmentError("IV_INDEX_UNREACHABLE", `the index did not answer in ${seconds} s (${countAttempts(attempts)}): ${lastError}`, {
      data: { simpleUrl: options.simpleUrl, attempts },
    });
  }
  return { ...last, attempts, code: "IV_NOT_PUBLISHED" };
}

/** Whether one listing shows the release: all manifest files with their sha256, or any file of the version. */
export function evaluatePage(page: ProjectFiles, options: Pick<PollOptions, "name" | "version" | "expected">): Omit<PollResult, "attempts"> {
  const project = normalizeProjectName(options.name);
  const files = page.files.filter((f) => {
    const parsed = parseDistFilename(f.filename);
    return parsed !== undefined && normalizeProjectName(parsed.name) === project && sameVersion(parsed.version, options.version);
  });
  if (!page.found) return { published: false, files, detail: `the index has no project ${options.name} (yet)` };
  if (!options.expected?.length) {
    return files.length
      ? { published: true, files, detail: `listed: ${files.map((f) => f.filename).join(", ")}` }
      : { published: false, files, detail: `no file of version ${options.version} listed; versions listed: ${listedVersions(page)}` };
  }
  const byName = new Map(files.map((f) => [f.filename, f]));
  const missing = options.expected.filter((e) => !byName.has(e.filename)).map((e) => e.filename);
  const different = options.expected.filter((e) => {
    const sha = byName.get(e.filename)?.sha256;
    return sha !== undefined && sha !== e.sha256.toLowerCase();
  });
  if (different.length) {
    const what = different.map((e) => `${e.filename}: index ${byName.get(e.filename)?.sha256}, manifest ${e.sha256}`).join("; ");
    return { published: false, files, code: "IV_SHA_MISMATCH", detail: `other bytes on the index: ${what}` };
  }
  if (missing.length) return { published: false, files, detail: `not listed yet: ${missing.join(", ")}` };
  const unhashed = options.expected.filter((e) => byName.get(e.filename)?.sha256 === undefined);
  const listed = options.expected.map((e) => e.filename).join(", ");
  if (unhashed.length) {
    // "Published" means the right bytes are there: without the index's word for them, they must be downloaded.
    const toHash = unhashed.map((e) => ({ ...e, url: byName.get(e.filename)!.url }));
    return { published: false, files, toHash, detail: `listed, the index gives no sha256 for ${unhashed.map((e) => e.filename).join(", ")}: ${listed}` };
  }
  return { published: true, files, detail: `listed with the manifest's sha256: ${listed}` };
}

/**
 * Downloads the files the index lists without a sha256 and compares their bytes with the manifest's; with
 * `saveDir`, keeps them there and lists the ones checked in `saved`.
 */
async function checkDownloads(result: PollResult, options: PollOptions, timeoutMs: number): Promise<PollResult> {
  const hashFile = options.hashFile ?? ((url, o) => sha256OfIndexFile(url, o));
  const different: string[] = [];
  const saved: SavedFile[] = [];
  for (const file of result.toHash ?? []) {
    const saveTo = options.saveDir === undefined ? undefined : join(options.saveDir, basename(file.filename));
    const actual = await hashFile(file.url, { timeoutMs: Math.min(timeoutMs, 600_000), ...(saveTo ? { saveTo } : {}) });
    if (actual !== file.sha256.toLowerCase()) different.push(`${file.filename}: downloaded ${actual}, manifest ${file.sha256}`);
    else if (saveTo) saved.push({ filename: file.filename, path: saveTo, sha256: actual });
  }
  const { toHash, ...rest } = result;
  const names = (toHash ?? []).map((f) => f.filename).join(", ");
  if (different.length) return { ...rest, published: false, code: "IV_SHA_MISMATCH", detail: `other bytes on the index: ${different.join("; ")}` };
  return { ...rest, published: true, ...(saved.length ? { saved } : {}), detail: `listed (the index gives no sha256 for ${names}: downloaded, the manifest's sha256 checked): ${(options.expected ?? []).map((e) => e.filename).join(", ")}` };
}

function listedVersions(page: ProjectFiles): string {
  const versions = [...new Set(page.files.map((f) => f.version ?? parseDistFilename(f.filename)?.version).filter((v): v is string => Boolean(v)))];
  return versions.length ? versions.slice(-10).join(", ") : "none";
}

export function countAttempts(n: number): string {
  return n === 1 ? "1 attempt" : `${n} attempts`;
}
