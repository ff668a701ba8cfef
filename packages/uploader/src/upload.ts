import { basename } from "node:path";
import {
  IndexUnreachableError,
  listProjectFiles,
  verifyAgainstManifest,
  type IndexFile,
  type Manifest,
  type ManifestFile,
} from "@pypi-workflows/index-client";
import { uploadError } from "./errors.js";
import { planUpload } from "./plan.js";
import { uploadWithTwine, type TwineOutcome } from "./twine.js";

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
  const uploaded: string[] = [];
  const skipped = plan.skip.map((f) => f.filename);
  for (const file of plan.upload) {
    const path = paths.find((p) => basename(p) === file.filename)!;
    const result = await uploadOne(path, file, options);
    (result === "uploaded" ? uploaded : skipped).push(file.filename);
  }
  return { name: options.manifest.name, version: options.manifest.version, uploaded, skipped };
}

async function uploadOne(path: string, file: ManifestFile, o: UploadOptions): Promise<"uploaded" | "present"> {
  const attempts = o.attempts ?? 3;
  const sleep = o.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: TwineOutcome | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    o.onProgress?.({ type: "upload", filename: file.filename, attempt });
    const started = performance.now();
    last = await uploadWithTwine(path, {
      command: o.twine ?? ["twine"],
      uploadUrl: o.uploadUrl,
      username: o.username,
      password: o.password,
      cwd: o.cwd,
      env: o.env,
      timeoutMs: o.attemptTimeoutMs ?? 300_000,
    });
    if (last.kind === "uploaded") {
      o.onProgress?.({ type: "uploaded", filename: file.filename, attempt, durationMs: performance.now() - started });
      return "uploaded";
    }
    if (last.kind === "auth") throw uploadError("UP_AUTH", `the index refused the credentials for ${file.filename}: ${last.message}`);
    // Did an earlier attempt land although its answer was lost? Then this file is done.
    if (await isOnIndexWithSameBytes(file, o)) {
      o.onProgress?.({ type: "found-after-failure", filename: file.filename });
      return "present";
    }
    if (last.kind === "rejected") {
      throw uploadError("UP_REJECTED", `the index rejected ${file.filename}: ${last.message}`, { status: last.status });
    }
    if (attempt < attempts) {
      const waitMs = (o.backoffMs ?? 2000) * 2 ** (attempt - 1);
      o.onProgress?.({ type: "retry", filename: file.filename, attempt, reason: last.message, waitMs });
      await sleep(waitMs);
    }
  }
  throw uploadError(
    "UP_RETRIES_EXHAUSTED",
    `${file.filename} was not uploaded after ${attempts} attempts: ${last && "message" in last ? last.message : "unknown"}`,
    { filename: file.filename },
  );
}

async function filesOnIndex(o: UploadOptions): Promise<IndexFile[]> {
  const listed = await listProjectFiles(o.simpleUrl, o.manifest.name, { fresh: true });
  // An index that lists no hash: fetch the file and hash it rather than assume it is ours.
  return Promise.all(listed.files.map(async (f) => (f.sha256 ? f : { ...f, sha256: await hashRemote(f.url) })));
}

async function isOnIndexWithSameBytes(file: ManifestFile, o: UploadOptions): Promise<boolean> {
  const listed = await listProjectFiles(o.simpleUrl, o.manifest.name, { fresh: true }).catch(() => undefined);
  const found = listed?.files.find((f) => f.filename === file.filename);
  if (!found) return false;
  const sha256 = found.sha256 ?? (await hashRemote(found.url));
  if (sha256 !== file.sha256) {
    throw uploadError("UP_FILE_CONFLICT", `${file.filename} is on the index with different bytes (sha256 ${sha256})`);
  }
  return true;
}

async function hashRemote(url: string): Promise<string> {
  const { createHash } = await import("node:crypto");
  const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
  if (!response.ok || !response.body) throw new IndexUnreachableError(url, `HTTP ${response.status} while fetching the file to compare it`);
  const hash = createHash("sha256");
  for await (const chunk of response.body) hash.update(chunk);
  return hash.digest("hex");
}
