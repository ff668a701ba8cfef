import { createHash, hash as hashOnce } from "node:crypto";
import { closeSync, fstatSync, openSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { type ArchiveLimits, type ArchiveMember, type ArchiveProblem, type ArchiveScan, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { inflateRange, type MemberData, sizeMismatch } from "./inflate-range.js";
import { SmallInflater } from "./inflate-small.js";
import { MemberWorker, peekDataStart } from "./member-worker.js";
import { ByteSource, EndOfFileError } from "./byte-source.js";
import { readZipDirectory, type ZipDirectory, type ZipEntry, ZipStructureError } from "./zip-directory.js";

const LOCAL = 0x04034b50;
/** Members this small are inflated in one call: far faster than a stream per member for 100,000 files. */
const SYNC_COMPRESSED_MAX = 8 * 1024 * 1024;
const SYNC_UNCOMPRESSED_MAX = 32 * 1024 * 1024;
/** Files from this size on are hashed, and their large members inflated, on a worker thread. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Called once the pass over the file has listed every member, while large members may still be inflating:
 * `isPending` tells them (their size, sha256 and kept content are not known yet). Work on the member names done
 * here overlaps that wait.
 */
export type WhilePending = (scan: ArchiveScan, isPending: (name: string) => boolean) => void;

/**
 * Reads a zip front to back once: the file's sha256, each member's sha256 and real size (inflated while
 * streaming), and the members `keep` asks for. Never holds more than about one chunk plus one small member.
 */
export async function scanZip(path: string, keep: (name: string) => boolean, limits: ArchiveLimits = DEFAULT_LIMITS, whilePending?: WhilePending): Promise<ArchiveScan> {
  const fd = openSync(path, "r");
  // On a large file a worker thread inflates the large members, or hashes the file when this thread has the
  // more work (many small members). It is started first: its start-up (some 50 ms of loading a second Node
  // environment) then overlaps reading the central directory. A small file is read here alone (a thread would
  // cost more than it saves).
  const worker = new MemberWorker();
  try {
    const size = fstatSync(fd).size;
    if (size >= WORKER_MIN_BYTES) worker.warmUp();
    return await scanOpened(fd, path, size, keep, limits, size >= WORKER_MIN_BYTES ? worker : undefined, whilePending);
  } finally {
    await worker.close();
    closeSync(fd);
  }
}

async function scanOpened(
  fd: number,
  path: string,
  size: number,
  keep: (name: string) => boolean,
  limits: ArchiveLimits,
  worker: MemberWorker | undefined,
  whilePending: WhilePending | undefined,
): Promise<ArchiveScan> {
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
  const fileHash = worker && hashFileOffThread(directory.entries) ? worker.hashFile(path) : undefined;
  const source = new ByteSource(fd, size, !fileHash);
  const inflater = new SmallInflater();
  try {
    const early = worker ? startLargeMembers(fd, path, directory, keep, limits, scan.problems, worker) : new Map<ZipEntry, EarlyMember>();
    await readMembers({ path, source, centralOffset: directory.centralOffset, keep, limits, scan, background: [], pending: new Map(), early, inflater, whilePending }, directory.entries);
  } catch (error) {
    if (!(error instanceof EndOfFileError)) throw error;
    scan.problems.push({ code: "DC_TRUNCATED", message: "the archive ends inside a member (file cut short?)" });
    scan.incomplete = true;
  } finally {
    inflater.close();
  }
  scan.sha256 = fileHash ? await fileHash : source.finish();
  return scan;
}

/**
 * Whether the worker should hash the file: the side with less to do takes it. Rough costs measured on 2 cores:
 * about 10 µs per small member on this thread (one reused zlib handle), about 2.3 ns per byte a large member
 * inflates to on the worker (inflating and hashing in turn on one thread).
 */
function hashFileOffThread(entries: ZipEntry[]): boolean {
  let mainNs = 0;
  let workerNs = 0;
  for (const entry of entries) {
    if (isLarge(entry)) workerNs += 2.3 * entry.uncompressedSize;
    else mainNs += 10_000 + 2 * entry.uncompressedSize;
  }
  return workerNs < mainNs;
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

interface EarlyMember {
  start: number;
  result: Promise<MemberData>;
}

/**
 * Hands the large deflated members to the worker thread before the sequential pass starts, so their inflating
 * and hashing overlaps the pass over the file (its hash and the small members) from the first byte.
 */
function startLargeMembers(
  fd: number,
  path: string,
  directory: ZipDirectory,
  keep: (name: string) => boolean,
  limits: ArchiveLimits,
  problems: ArchiveProblem[],
  worker: MemberWorker,
): Map<ZipEntry, EarlyMember> {
  const early = new Map<ZipEntry, EarlyMember>();
  const bombs = new Set(problems.filter((p) => p.code === "DC_ZIP_BOMB" && p.member).map((p) => p.member));
  for (const entry of directory.entries) {
    if (!isLarge(entry) || entry.flags & 1 || bombs.has(entry.name)) continue;
    const start = peekDataStart(fd, entry, directory.centralOffset);
    if (start === undefined) continue;
    const wanted = keep(entry.name) && entry.uncompressedSize <= limits.keepMaxBytes;
    early.set(entry, { start, result: worker.inflate(path, start, entry, wanted) });
  }
  return early;
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
  /** How many members of each name in `background` are not finished yet. */
  pending: Map<string, number>;
  whilePending: WhilePending | undefined;
  /** Large members already handed to the worker thread, by entry. */
  early: Map<ZipEntry, EarlyMember>;
  /** One zlib stream reused for every small deflated member. */
  inflater: SmallInflater;
}

async function readMembers(ctx: ReadContext, entries: ZipEntry[]): Promise<void> {
  try {
    await readInOrder(ctx, entries);
    ctx.whilePending?.(ctx.scan, (name) => (ctx.pending.get(name) ?? 0) > 0);
  } finally {
    await Promise.all(ctx.background);
  }
}

async function readInOrder(ctx: ReadContext, entries: ZipEntry[]): Promise<void> {
  const { path, source, centralOffset, keep, limits, scan, background, pending, early, inflater } = ctx;
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
      record(readMemberData(source, entry, wanted, inflater));
      continue;
    }
    // A large member inflates on the worker thread (started before this pass) while this pass hashes the file
    // and reads the small members; the worker takes them one at a time, so memory stays bounded.
    const start = source.position;
    source.skipTo(start + dataLength);
    const handed = early.get(entry);
    pending.set(entry.name, (pending.get(entry.name) ?? 0) + 1);
    const result = handed?.start === start ? handed.result : inflateRange(path, start, entry, wanted);
    background.push(
      result.then((data) => {
        pending.set(entry.name, (pending.get(entry.name) ?? 1) - 1);
        record(data);
      }),
    );
  }
}

/** Checks the local header against the central directory; returns the member's data length or undefined. */
function readLocalHeader(source: ByteSource, entry: ZipEntry, problems: ArchiveProblem[]): number | undefined {
  const header = source.take(30);
  if (header.readUInt32LE(0) !== LOCAL) {
    problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: "no local file header where the central directory points" });
    return undefined;
  }
  const nameLength = header.readUInt16LE(26);
  const rest = source.take(nameLength + header.readUInt16LE(28));
  // Compared in place: no Buffer object per member for the name.
  if (nameLength !== entry.rawName.length || rest.compare(entry.rawName, 0, nameLength, 0, nameLength) !== 0) {
    const localName = rest.toString("utf8", 0, nameLength);
    problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: `the local header names it ${JSON.stringify(localName)} (headers disagree)` });
    return undefined;
  }
  return entry.compressedSize;
}

/** Stored members and members small enough to inflate in one call, read from the sequential pass. */
function readMemberData(source: ByteSource, entry: ZipEntry, wanted: boolean, inflater: SmallInflater): MemberData {
  if (entry.method === 0) {
    const hash = createHash("sha256");
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
  return inflateWhole(source.take(entry.compressedSize), entry, wanted, inflater);
}

function isLarge(entry: ZipEntry): boolean {
  return entry.method === 8 && (entry.compressedSize > SYNC_COMPRESSED_MAX || entry.uncompressedSize > SYNC_UNCOMPRESSED_MAX);
}

function inflateWhole(compressed: Buffer, entry: ZipEntry, wanted: boolean, inflater: SmallInflater): MemberData {
  const fast = inflater.inflate(compressed, entry.uncompressedSize);
  if (fast) return inflated(fast, entry, wanted, true);
  let out: Buffer;
  try {
    out = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") return { size: entry.uncompressedSize, sha256: "", problem: sizeMismatch(entry.uncompressedSize + 1, entry.uncompressedSize) };
    return { size: 0, sha256: "", problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
  }
  return inflated(out, entry, wanted, false);
}

/** reused: out is the inflater's buffer, so content to keep is copied. */
function inflated(out: Buffer, entry: ZipEntry, wanted: boolean, reused: boolean): MemberData {
  const problem = out.length !== entry.uncompressedSize ? sizeMismatch(out.length, entry.uncompressedSize) : undefined;
  // One-shot hashing: no Hash object per member (tens of thousands of them in a large wheel).
  const sha256 = hashOnce("sha256", out, "base64url");
  return { size: out.length, sha256, ...(wanted ? { content: reused ? Buffer.from(out) : out } : {}), ...(problem ? { problem } : {}) };
}
