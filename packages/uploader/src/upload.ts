import { basename } from "node:path";
import {
  listProjectFiles,
  sha256OfIndexFile,
  verifyAgainstManifest,
  type IndexFile,
  type Manifest,
  type ManifestFile,
} from "@pypi-workflows/index-client";
import { rejectionHint, uploadError } from "./errors.js";
import { planUpload } from "./plan.js";
import { uploadWithTwine, type TwineFailure } from "./twine.js";

export interface UploadOptions {
  distDir: string;
  manifest: Manifest;
  /** The index's Simple API root: what is already there. */
  simpleUrl: string;
  uploadUrl: string;
  username: string;
  password: string;
  /** How to run twine (default ["twine"]). */
  twine?: readonly string[];
  /** Attempts per file for retryable failures (5xx, resets, timeouts); default 3. */
  attempts?: number;
  /** Per-attempt time limit in ms; default 300 000 (twine itself has none). */
  attemptTimeoutMs?: number;
  /** First backoff in ms, doubled per retry; default 2000. */
  backoffMs?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (event: UploadEvent) => void;
}

export type UploadEvent =
  | { type: "skip"; filename: string }
  | { type: "upload"; filename: string; attempt: number }
  | { type: "uploaded"; filename: string; attempt: number; durationMs: number }
  | { type: "retry"; filename: string; attempt: number; reason: string; waitMs: number }
  | { type: "found-after-failure"; filename: string };

export interface UploadReport {
  name: string;
  version: string;
  uploaded: string[];
  /** Already on the index with the same bytes: nothing to do (re-runs converge). */
  skipped: string[];
}

/**
 * Uploads the manifest's files that the index lacks, one at a time, and converges on re-runs: identical files
 * are skipped, a file with other bytes stops everything before the first upload. Retryable failures are
 * retried with backoff; after each failure the index is asked again, so an upload whose response was lost is
 * recognised instead of sent twice.
 */
export async function uploadDistributions(options: UploadOptions): Promise<UploadReport> {
  const paths = await verifyAgainstManifest(options.distDir, options.manifest);
  const onIndex = await filesOnIndex(options);
  const plan = planUpload(options.manifest, onIndex);
  for (const file of plan.skip) options.onProgress?.({ type: "skip", filename: file.filename });
  const report: UploadReport = { name: options.manifest.name, version: options.manifest.version, uploaded: [], skipped: plan.skip.map((f) => f.filename) };
  const pathOf = (file: ManifestFile) => paths.find((p) => basename(p) === file.filename)!;
  // First attempt: every missing file in one twine process (one start-up, one connection); what that
  // leaves undone goes on file by file with its own retries.
  const batch = plan.upload.length > 1 ? await uploadBatch(plan.upload, pathOf, options) : { done: [], failed: undefined };
  report.uploaded.push(...batch.done);
  for (const file of plan.upload) {
    if (batch.done.includes(file.filename)) continue;
    const prior = batch.failed?.file === file.filename ? batch.failed.outcome : undefined;
    const result = await uploadOne(pathOf(file), file, options, prior);
    (result === "uploaded" ? report.uploaded : report.skipped).push(file.filename);
  }
  return report;
}

interface BatchResult {
  done: string[];
  /** The file twine was on when it failed, and how it failed (its first attempt). */
  failed: { file: string; outcome: TwineFailure } | undefined;
}

async function uploadBatch(files: ManifestFile[], pathOf: (f: ManifestFile) => string, o: UploadOptions): Promise<BatchResult> {
  const started = performance.now();
  const outcome = await uploadWithTwine(files.map(pathOf), twineCall(o, files.length));
  const durationMs = performance.now() - started;
  // Each file's first attempt is reported once twine is known to have started it: a file the batch never
  // reached gets its attempt 1 from uploadOne instead (not a second "attempt 1").
  const announce = (filename: string) => o.onProgress?.({ type: "upload", filename, attempt: 1 });
  if (outcome.kind === "uploaded") {
    for (const file of files) {
      announce(file.filename);
      o.onProgress?.({ type: "uploaded", filename: file.filename, attempt: 1, durationMs });
    }
    return { done: files.map((f) => f.filename), failed: undefined };
  }
  if (outcome.kind === "auth") throw uploadError("UP_AUTH", `the index refused the credentials: ${outcome.message}`);
  // twine goes in order and stops at the first failure: the files it started before the last one landed.
  const attempted = (outcome.attempted ?? []).filter((name) => files.some((f) => f.filename === name));
  const done = attempted.slice(0, -1);
  for (const name of attempted) announce(name);
  for (const name of done) o.onProgress?.({ type: "uploaded", filename: name, attempt: 1, durationMs });
  const current = attempted.at(-1);
  return { done, failed: current ? { file: current, outcome } : undefined };
}

function twineCall(o: UploadOptions, files: number) {
  return {
    command: o.twine ?? ["twine"],
    uploadUrl: o.uploadUrl,
    username: o.username,
    password: o.password,
    cwd: o.cwd,
    env: o.env,
    timeoutMs: (o.attemptTimeoutMs ?? 300_000) * files,
  };
}

/**
 * Uploads one file with retries. `prior` is the failure of a first attempt already made (in the batch): it
 * counts as attempt 1.
 */
async function uploadOne(path: string, file: ManifestFile, o: UploadOptions, prior?: TwineFailure): Promise<"uploaded" | "present"> {
  const attempts = o.attempts ?? 3;
  const sleep = o.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  let failure = prior;
  let attempt = prior ? 1 : 0;
  for (;;) {
    if (failure) {
      if ((await judgeFailure(file, failure, o)) === "present") return "present";
      if (attempt >= attempts) break;
      const waitMs = (o.backoffMs ?? 2000) * 2 ** (attempt - 1);
      o.onProgress?.({ type: "retry", filename: file.filename, attempt, reason: failure.message, waitMs });
      await sleep(waitMs);
    }
    attempt++;
    o.onProgress?.({ type: "upload", filename: file.filename, attempt });
    const started = performance.now();
    const outcome = await uploadWithTwine([path], twineCall(o, 1));
    if (outcome.kind === "uploaded") {
      o.onProgress?.({ type: "uploaded", filename: file.filename, attempt, durationMs: performance.now() - started });
      return "uploaded";
    }
    failure = outcome;
  }
  throw uploadError("UP_RETRIES_EXHAUSTED", `${file.filename} was not uploaded after ${attempts} attempts: ${failure?.message ?? "unknown"}`, {
    filename: file.filename,
  });
}

/** After a failed attempt: did it land after all (its answer lost)? Else stop on what must not be retried. */
async function judgeFailure(file: ManifestFile, failure: TwineFailure, o: UploadOptions): Promise<"present" | "retry"> {
  if (failure.kind === "auth") throw uploadError("UP_AUTH", `the index refused the credentials for ${file.filename}: ${failure.message}`);
  if (await isOnIndexWithSameBytes(file, o)) {
    o.onProgress?.({ type: "found-after-failure", filename: file.filename });
    return "present";
  }
  if (failure.kind === "rejected") {
    throw uploadError("UP_REJECTED", `the index rejected ${file.filename}: ${failure.message}`, { status: failure.status }, rejectionHint(failure.message));
  }
  return "retry";
}

async function filesOnIndex(o: UploadOptions): Promise<IndexFile[]> {
  const listed = await listProjectFiles(o.simpleUrl, o.manifest.name, { fresh: true });
  // An index that lists no hash: fetch the file and hash it rather than assume it is ours.
  return Promise.all(listed.files.map(async (f) => (f.sha256 ? f : { ...f, sha256: await sha256OfIndexFile(f.url) })));
}

async function isOnIndexWithSameBytes(file: ManifestFile, o: UploadOptions): Promise<boolean> {
  const listed = await listProjectFiles(o.simpleUrl, o.manifest.name, { fresh: true }).catch(() => undefined);
  const found = listed?.files.find((f) => f.filename === file.filename);
  if (!found) return false;
  const sha256 = found.sha256 ?? (await sha256OfIndexFile(found.url));
  if (sha256 !== file.sha256) {
    throw uploadError("UP_FILE_CONFLICT", `${file.filename} is on the index with different bytes (sha256 ${sha256})`);
  }
  return true;
}
