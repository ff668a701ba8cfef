import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { IndexFileSaveError, IndexUnauthorizedError, IndexUnreachableError } from "./errors.js";
import { normalizeProjectName, parseDistFilename } from "./filenames.js";

export interface IndexFile {
  filename: string;
  /** Absolute download URL (fragment removed). */
  url: string;
  sha256?: string;
  requiresPython?: string;
  yanked: boolean;
  /** The version as the file name spells it (undefined when the name is not a distribution's). */
  version?: string;
  /** When the index received the file (PEP 700 `upload-time`, JSON pages of api-version 1.1 and later). */
  uploadTime?: Date;
  /** The file's size in bytes (PEP 700 `size`, JSON pages of api-version 1.1 and later). */
  size?: number;
}

export interface ProjectFiles {
  /** False when the index does not know the project (404). */
  found: boolean;
  files: IndexFile[];
}

export interface ListOptions {
  fetch?: typeof fetch;
  /** Abort a request after this long (default 30 s). */
  timeoutMs?: number;
  /** Basic auth for private indexes. */
  auth?: { username: string; password: string };
  /** Ask caches for a fresh page (used while polling an index that lags). */
  fresh?: boolean;
}

/** The Accept header of every Simple API request: PEP 691 JSON first, PEP 503 HTML otherwise. */
const SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/**
 * Lists the files an index has for a project through the Simple Repository API: PEP 691 JSON when the index
 * offers it, PEP 503 HTML otherwise. A 404 means the project is not there; other failures throw (exit 2).
 */
export async function listProjectFiles(simpleUrl: string, project: string, options: ListOptions = {}): Promise<ProjectFiles> {
  const base = simpleUrl.endsWith("/") ? simpleUrl : `${simpleUrl}/`;
  const pageUrl = `${base}${normalizeProjectName(project)}/`;
  const response = await fetchSimplePage(pageUrl, options, 30_000);
  if (response.status === 404) return { found: false, files: [] };
  if (!response.ok) throw new IndexUnreachableError(pageUrl, `HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  const body = await response.text();
  const files = type.includes("json") ? parseJsonPage(body, response.url || pageUrl) : parseHtmlPage(body, response.url || pageUrl);
  return { found: true, files };
}

/**
 * GETs a Simple API page (PEP 691 JSON asked for first) with the options' freshness and credentials. A request
 * that fails (network, timeout) is IndexUnreachableError and a refusal (401/403) IndexUnauthorizedError, both
 * exit 2; any other answer is the caller's to read.
 */
export async function fetchSimplePage(url: string, options: Pick<ListOptions, "auth" | "fresh" | "fetch" | "timeoutMs">, defaultTimeoutMs: number): Promise<Response> {
  const headers: Record<string, string> = { Accept: SIMPLE_ACCEPT };
  if (options.fresh) headers["Cache-Control"] = "max-age=0";
  if (options.auth) {
    headers.Authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString("base64")}`;
  }
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers, redirect: "follow", signal: AbortSignal.timeout(options.timeoutMs ?? defaultTimeoutMs) });
  } catch (error) {
    throw new IndexUnreachableError(url, describeFetchError(error), error);
  }
  if (response.status === 401 || response.status === 403) throw new IndexUnauthorizedError(url, response.status);
  return response;
}

export function describeFetchError(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError") return "timed out";
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
}

interface JsonFile {
  filename: string;
  url: string;
  hashes?: Record<string, string>;
  "requires-python"?: string | null;
  yanked?: boolean | string;
  "upload-time"?: string;
  size?: number;
}

export function parseJsonPage(body: string, pageUrl: string): IndexFile[] {
  const page = JSON.parse(body) as { files?: JsonFile[] };
  return (page.files ?? []).map((f) => {
    const file = indexFile(f.filename, new URL(f.url, pageUrl).href, f.hashes?.sha256, f["requires-python"] ?? undefined, Boolean(f.yanked));
    // PEP 700: an ISO 8601 time with a Z zone; anything else is left out rather than guessed at.
    const uploaded = typeof f["upload-time"] === "string" && /Z$/.test(f["upload-time"]) ? new Date(f["upload-time"]) : undefined;
    const size = Number.isSafeInteger(f.size) && (f.size ?? -1) >= 0 ? f.size : undefined;
    return { ...file, ...(uploaded && !Number.isNaN(uploaded.getTime()) ? { uploadTime: uploaded } : {}), ...(size !== undefined ? { size } : {}) };
  });
}

const ANCHOR = /<a\s([^>]*)>([^<]*)<\/a>/gi;
const ATTRIBUTE = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function parseHtmlPage(body: string, pageUrl: string): IndexFile[] {
  const files: IndexFile[] = [];
  for (const [, attributes = "", text = ""] of body.matchAll(ANCHOR)) {
    const attrs = new Map<string, string>();
    for (const [, key, dq, sq] of attributes.matchAll(ATTRIBUTE)) attrs.set(key!.toLowerCase(), decodeEntities(dq ?? sq ?? ""));
    const href = attrs.get("href");
    if (!href) continue;
    const url = new URL(href, pageUrl);
    const sha256 = /(?:^#|&)sha256=([0-9a-f]{64})/i.exec(url.hash)?.[1]?.toLowerCase();
    url.hash = "";
    const filename = decodeEntities(text).trim() || decodeURIComponent(url.pathname.split("/").pop() ?? "");
    files.push(indexFile(filename, url.href, sha256, attrs.get("data-requires-python"), attrs.has("data-yanked")));
  }
  return files;
}

function indexFile(filename: string, url: string, sha256: string | undefined, requiresPython: string | undefined, yanked: boolean): IndexFile {
  const version = parseDistFilename(filename)?.version;
  return {
    filename,
    url,
    yanked,
    ...(sha256 ? { sha256: sha256.toLowerCase() } : {}),
    ...(requiresPython ? { requiresPython } : {}),
    ...(version ? { version } : {}),
  };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

/**
 * The sha256 of a file the index serves, downloaded and hashed as a stream (for indexes whose pages list no
 * hash: a file is only "ours" when its bytes are); with `saveTo`, the bytes are also written to that path.
 * A failure to fetch it is IndexUnreachableError (exit 2, the index's side); a failure to write `saveTo`
 * is IndexFileSaveError (exit 2, this machine's side: waiting for the index would not help).
 */
export async function sha256OfIndexFile(url: string, options: Pick<ListOptions, "fetch" | "timeoutMs"> & { saveTo?: string } = {}): Promise<string> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
  } catch (error) {
    throw new IndexUnreachableError(url, describeFetchError(error), error);
  }
  if (!response.ok || !response.body) throw new IndexUnreachableError(url, `HTTP ${response.status} while fetching the file`);
  const hash = createHash("sha256");
  const saveTo = options.saveTo;
  const out = saveTo === undefined ? undefined : createWriteStream(saveTo);
  // Listened to from the start: the file may fail to open, or a write fail, at any moment (not only while
  // waiting for 'drain'); `writeFailed` rejects then, and every wait on the stream races with it.
  let writeError: unknown;
  const writeFailed = new Promise<never>((_, reject) => {
    out?.on("error", (error) => {
      writeError ??= error;
      reject(error);
    });
  });
  writeFailed.catch(() => {});
  const saveError = () => new IndexFileSaveError(url, saveTo!, describeFetchError(writeError), writeError);
  try {
    for await (const chunk of response.body) {
      if (writeError !== undefined) throw saveError();
      hash.update(chunk);
      if (out && !out.write(chunk)) await Promise.race([once(out, "drain"), writeFailed]);
    }
    if (out) {
      out.end();
      await Promise.race([once(out, "finish"), writeFailed]);
    }
  } catch (error) {
    out?.destroy();
    // Leaving the loop cancels the response body: a file that cannot be kept is not downloaded to the end.
    if (writeError !== undefined) throw error instanceof IndexFileSaveError ? error : saveError();
    throw new IndexUnreachableError(url, `the download broke off: ${describeFetchError(error)}`, error);
  }
  return hash.digest("hex");
}
