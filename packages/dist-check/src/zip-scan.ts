import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { type ArchiveLimits, type ArchiveMember, type ArchiveProblem, type ArchiveScan, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { inflateRange, type MemberData, sizeMismatch } from "./inflate-range.js";
import { ByteSource, EndOfFileError } from "./byte-source.js";
import { readZipDirectory, type ZipEntry, ZipStructureError } from "./zip-directory.js";

const LOCAL = 0x04034b50;
/** Members this small are inflated in one call: far faster than a stream per member for 100,000 files. */
const SYNC_COMPRESSED_MAX = 8 * 1024 * 1024;
const SYNC_UNCOMPRESSED_MAX = 32 * 1024 * 1024;

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
      await readMembers({ path, source, centralOffset: directory.centralOffset, keep, limits, scan, background: [] }, directory.entries);
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

interface ReadContext {
  path: string;
  source: ByteSource;
  centralOffset: number;
  keep: (name: string) => boolean;
  limits: ArchiveLimits;
  scan: ArchiveScan;
  /** Large members being inflated from their own streams. */
  background: Promise<void>[];
}

async function readMembers(ctx: ReadContext, entries: ZipEntry[]): Promise<void> {
  try {
    await readInOrder(ctx, entries);
  } finally {
    await Promise.all(ctx.background);
  }
}

async function readInOrder(ctx: ReadContext, entries: ZipEntry[]): Promise<void> {
  const { path, source, centralOffset, keep, limits, scan, background } = ctx;
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
    const member: ArchiveMember = { name: entry.name, isDirectory, size: 0 };
    scan.members.push(member);
    const record = (result: MemberData) => {
      if (result.problem) scan.problems.push({ ...result.problem, member: entry.name });
      if (wanted && result.content) scan.kept.set(entry.name, result.content);
      member.size = result.size;
      member.sha256 = result.sha256;
    };
    if (!isLarge(entry)) {
      record(readMemberData(source, entry, wanted));
      continue;
    }
    // A large member inflates from its own stream in zlib's thread pool while this pass hashes the file and
    // reads the small members; at most two at a time, so memory stays bounded.
    const start = source.position;
    source.skipTo(start + dataLength);
    background.push(inflateRange(path, start, entry, wanted).then(record));
    if (background.length >= 2) await background.shift();
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

/** Stored members and members small enough to inflate in one call, read from the sequential pass. */
function readMemberData(source: ByteSource, entry: ZipEntry, wanted: boolean): MemberData {
  const hash = createHash("sha256");
  if (entry.method === 0) {
    const parts: Buffer[] = [];
    for (const slice of source.slices(entry.compressedSize)) {
      hash.update(slice);
      if (wanted) parts.push(Buffer.from(slice));
    }
    const size = entry.compressedSize;
    const sizeProblem = size !== entry.uncompressedSize ? sizeMismatch(size, entry.uncompressedSize) : undefined;
    return { size, sha256: hash.digest("base64url"), ...(wanted ? { content: Buffer.concat(parts) } : {}), ...(sizeProblem ? { problem: sizeProblem } : {}) };
  }
  // take() may gather the member into the source's spare buffer: inflate it before reading on.
  return inflateWhole(source.take(entry.compressedSize), entry, wanted);
}

function isLarge(entry: ZipEntry): boolean {
  return entry.method === 8 && (entry.compressedSize > SYNC_COMPRESSED_MAX || entry.uncompressedSize > SYNC_UNCOMPRESSED_MAX);
}

function inflateWhole(compressed: Buffer, entry: ZipEntry, wanted: boolean): MemberData {
  const hash = createHash("sha256");
  let out: Buffer;
  try {
    out = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") return { size: entry.uncompressedSize, sha256: "", problem: sizeMismatch(entry.uncompressedSize + 1, entry.uncompressedSize) };
    return { size: 0, sha256: "", problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
  }
  const problem = out.length !== entry.uncompressedSize ? sizeMismatch(out.length, entry.uncompressedSize) : undefined;
  return { size: out.length, sha256: hash.update(out).digest("base64url"), ...(wanted ? { content: out } : {}), ...(problem ? { problem } : {}) };
}
