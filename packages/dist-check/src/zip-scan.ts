import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync } from "node:fs";
import { once } from "node:events";
import { createInflateRaw, inflateRawSync } from "node:zlib";
import { type ArchiveLimits, type ArchiveProblem, type ArchiveScan, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { ByteSource, EndOfFileError } from "./byte-source.js";
import { readZipDirectory, type ZipEntry, ZipStructureError } from "./zip-directory.js";

const LOCAL = 0x04034b50;
/** Members this small are inflated in one call: far faster than a stream per member for 100,000 files. */
const SYNC_COMPRESSED_MAX = 8 * 1024 * 1024;
const SYNC_UNCOMPRESSED_MAX = 32 * 1024 * 1024;

class MemberTooLargeError extends Error {}

/**
 * Reads a zip front to back once: the file's sha256, each member's sha256 and real size (inflated while
 * streaming), and the members `keep` asks for. Never holds more than about one chunk plus one small member.
 */
export async function scanZip(path: string, keep: (name: string) => boolean, limits: ArchiveLimits = DEFAULT_LIMITS): Promise<ArchiveScan> {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const scan: ArchiveScan = { sha256: "", size, members: [], kept: new Map(), problems: [], incomplete: false };
    let directory: ReturnType<typeof readZipDirectory>;
    try {
      directory = readZipDirectory(fd, size);
    } catch (error) {
      if (!(error instanceof ZipStructureError)) throw error;
      scan.problems.push(structureProblem(error));
      scan.incomplete = true;
      scan.sha256 = new ByteSource(fd, size).finish();
      return scan;
    }
    if (directory.trailingBytes > 0) {
      scan.problems.push({ code: "DC_TRAILING_DATA", message: `${directory.trailingBytes} bytes follow the end of the zip archive` });
    }
    checkDeclaredSizes(directory.entries, size, limits, scan.problems);
    const source = new ByteSource(fd, size);
    try {
      await readMembers(source, directory.entries, directory.centralOffset, keep, limits, scan);
    } catch (error) {
      if (!(error instanceof EndOfFileError)) throw error;
      scan.problems.push({ code: "DC_TRUNCATED", message: "the archive ends inside a member (file cut short?)" });
      scan.incomplete = true;
    }
    scan.sha256 = source.finish();
    return scan;
  } finally {
    closeSync(fd);
  }
}

function structureProblem(error: ZipStructureError): ArchiveProblem {
  const code = { "not-archive": "DC_NOT_ARCHIVE", truncated: "DC_TRUNCATED", corrupt: "DC_ZIP_CORRUPT", "too-large": "DC_ZIP_BOMB" } as const;
  return { code: code[error.kind], message: error.message };
}

/** The bomb guard on what the central directory claims, before inflating anything. */
function checkDeclaredSizes(entries: ZipEntry[], fileSize: number, limits: ArchiveLimits, problems: ArchiveProblem[]): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
    if (e.uncompressedSize > limits.ratioMinBytes && ratio > limits.maxRatio) {
      problems.push({
        code: "DC_ZIP_BOMB",
        member: e.name,
        message: `member inflates ${Math.round(ratio)}x (${formatBytes(e.compressedSize)} -> ${formatBytes(e.uncompressedSize)}; limit ${limits.maxRatio}x)`,
      });
    }
  }
  if (total > limits.maxTotalBytes) {
    problems.push({
      code: "DC_ZIP_BOMB",
      message: `members total ${formatBytes(total)} uncompressed from a ${formatBytes(fileSize)} file (limit ${formatBytes(limits.maxTotalBytes)})`,
    });
  }
}

async function readMembers(
  source: ByteSource,
  entries: ZipEntry[],
  centralOffset: number,
  keep: (name: string) => boolean,
  limits: ArchiveLimits,
  scan: ArchiveScan,
): Promise<void> {
  const bombs = new Set(scan.problems.filter((p) => p.code === "DC_ZIP_BOMB" && p.member).map((p) => p.member));
  const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  for (const entry of ordered) {
    const isDirectory = entry.name.endsWith("/");
    if (entry.localOffset < source.position) {
      scan.problems.push({ code: "DC_ZIP_BOMB", member: entry.name, message: "member data overlaps another member (a zip bomb technique)" });
      continue;
    }
    source.skipTo(entry.localOffset);
    const dataLength = readLocalHeader(source, entry, scan.problems);
    if (dataLength === undefined) continue;
    if (source.position + dataLength > centralOffset) {
      scan.problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: "member data runs into the central directory" });
      continue;
    }
    const unreadable = entry.flags & 1 ? "encrypted" : entry.method !== 0 && entry.method !== 8 ? `compression method ${entry.method}` : "";
    if (unreadable || bombs.has(entry.name)) {
      if (unreadable) scan.problems.push({ code: "DC_ZIP_UNSUPPORTED", member: entry.name, message: `member is ${unreadable}` });
      source.skipTo(source.position + dataLength);
      scan.members.push({ name: entry.name, isDirectory, size: entry.uncompressedSize });
      continue;
    }
    const wanted = keep(entry.name) && entry.uncompressedSize <= limits.keepMaxBytes;
    const result = await readMemberData(source, entry, wanted);
    if (result.problem) scan.problems.push({ ...result.problem, member: entry.name });
    if (wanted && result.content) scan.kept.set(entry.name, result.content);
    scan.members.push({ name: entry.name, isDirectory, size: result.size, sha256: result.sha256 });
  }
}

/** Checks the local header against the central directory; returns the member's data length or undefined. */
function readLocalHeader(source: ByteSource, entry: ZipEntry, problems: ArchiveProblem[]): number | undefined {
  const header = source.take(30);
  if (header.readUInt32LE(0) !== LOCAL) {
    problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: "no local file header where the central directory points" });
    return undefined;
  }
  const rest = source.take(header.readUInt16LE(26) + header.readUInt16LE(28));
  const rawName = rest.subarray(0, header.readUInt16LE(26));
  if (!rawName.equals(entry.rawName)) {
    const localName = rawName.toString("utf8");
    problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: `the local header names it ${JSON.stringify(localName)} (headers disagree)` });
    return undefined;
  }
  return entry.compressedSize;
}

interface MemberData {
  size: number;
  sha256: string;
  content?: Buffer;
  problem?: Omit<ArchiveProblem, "member">;
}

async function readMemberData(source: ByteSource, entry: ZipEntry, wanted: boolean): Promise<MemberData> {
  const hash = createHash("sha256");
  if (entry.method === 0) {
    const parts: Buffer[] = [];
    for (const slice of source.slices(entry.compressedSize)) {
      hash.update(slice);
      if (wanted) parts.push(Buffer.from(slice));
    }
    const size = entry.compressedSize;
    const sizeProblem = size !== entry.uncompressedSize ? mismatch(size, entry.uncompressedSize) : undefined;
    return { size, sha256: hash.digest("base64url"), ...(wanted ? { content: Buffer.concat(parts) } : {}), ...(sizeProblem ? { problem: sizeProblem } : {}) };
  }
  if (entry.compressedSize <= SYNC_COMPRESSED_MAX && entry.uncompressedSize <= SYNC_UNCOMPRESSED_MAX) {
    // take() may gather the member into the source's spare buffer: inflate it before reading on.
    return inflateWhole(source.take(entry.compressedSize), entry, wanted);
  }
  return inflateStreaming(source, entry, wanted);
}

function mismatch(actual: number, declared: number): Omit<ArchiveProblem, "member"> {
  if (actual > declared) return { code: "DC_ZIP_BOMB", message: `member inflates past its declared size of ${declared} bytes` };
  return { code: "DC_ZIP_CORRUPT", message: `member holds ${actual} bytes, the central directory says ${declared}` };
}

function inflateWhole(compressed: Buffer, entry: ZipEntry, wanted: boolean): MemberData {
  const hash = createHash("sha256");
  let out: Buffer;
  try {
    out = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") return { size: entry.uncompressedSize, sha256: "", problem: mismatch(entry.uncompressedSize + 1, entry.uncompressedSize) };
    return { size: 0, sha256: "", problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
  }
  const problem = out.length !== entry.uncompressedSize ? mismatch(out.length, entry.uncompressedSize) : undefined;
  return { size: out.length, sha256: hash.update(out).digest("base64url"), ...(wanted ? { content: out } : {}), ...(problem ? { problem } : {}) };
}

/** Large members: inflate in a stream with backpressure, stopping as soon as output passes the declared size. */
async function inflateStreaming(source: ByteSource, entry: ZipEntry, wanted: boolean): Promise<MemberData> {
  const hash = createHash("sha256");
  const parts: Buffer[] = [];
  let size = 0;
  const inflater = createInflateRaw({ chunkSize: 64 * 1024 });
  inflater.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > entry.uncompressedSize) inflater.destroy(new MemberTooLargeError());
    hash.update(chunk);
    if (wanted) parts.push(chunk);
  });
  const ended = once(inflater, "end");
  ended.catch(() => undefined);
  try {
    // One slice in flight while the next is read and hashed: the source's two buffers alternate, so the slice
    // before last must be consumed by zlib before the source reads on.
    let previous: Promise<unknown> = Promise.resolve();
    for (const slice of source.slices(entry.compressedSize)) {
      await Promise.race([previous, ended]);
      if (inflater.destroyed) continue;
      previous = new Promise((resolve) => inflater.write(slice, resolve));
    }
    await Promise.race([previous, ended]);
    if (!inflater.destroyed) inflater.end();
    await ended;
  } catch (error) {
    if (error instanceof EndOfFileError) throw error;
    if (error instanceof MemberTooLargeError) return { size, sha256: "", problem: mismatch(size, entry.uncompressedSize) };
    return { size, sha256: "", problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
  }
  const problem = size !== entry.uncompressedSize ? mismatch(size, entry.uncompressedSize) : undefined;
  return { size, sha256: hash.digest("base64url"), ...(wanted ? { content: Buffer.concat(parts) } : {}), ...(problem ? { problem } : {}) };
}
