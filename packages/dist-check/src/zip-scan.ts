import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { type ArchiveLimits, type ArchiveMember, type ArchiveProblem, type ArchiveScan, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { inflateRange, type MemberData, type StreamedMember, streamMember } from "./inflate-range.js";
import { SmallInflater } from "./inflate-small.js";
import { MemberWorker, peekDataStart } from "./member-worker.js";
import { ByteSource, EndOfFileError } from "./byte-source.js";
import { readZipDirectory, type ZipDirectory, type ZipEntry, ZipStructureError } from "./zip-directory.js";
import { framingProblem } from "./zip-framing.js";
import { hex, readLocalHeader, readMemberData, readWhole } from "./zip-member.js";

/** Members this small are inflated in one call: far faster than a stream per member for 100,000 files. */
const SYNC_COMPRESSED_MAX = 8 * 1024 * 1024;
const SYNC_UNCOMPRESSED_MAX = 32 * 1024 * 1024;
/** Files from this size on are hashed, and their large members inflated, on a worker thread. */
const WORKER_MIN_BYTES = 8 * 1024 * 1024;

/**
 * Called once the pass over the file has listed every member and every kept member's content is in, while
 * other large members may still be inflating (their size and sha256 are not known yet). Work on the member
 * names and kept files done here overlaps that wait. Not called while a kept member is still inflating.
 */
export type WhilePending = (scan: ArchiveScan) => void;

/** A zip's scan with the central directory it read (undefined when none could be read), for digestMembers. */
export interface ZipScan extends ArchiveScan {
  directory: ZipDirectory | undefined;
}

/**
 * Reads a zip front to back once: the file's sha256, each member's sha256 and real size (inflated while
 * streaming), and the members `keep` asks for. Never holds more than about one chunk plus one small member.
 */
export async function scanZip(path: string, keep: (name: string) => boolean, limits: ArchiveLimits = DEFAULT_LIMITS, whilePending?: WhilePending): Promise<ZipScan> {
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
): Promise<ZipScan> {
  const scan: ZipScan = { sha256: "", size, members: [], kept: new Map(), problems: [], incomplete: false, directory: undefined };
  let directory: ZipDirectory;
  try {
    directory = readZipDirectory(fd, size);
    scan.directory = directory;
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
  for (const { reason, member } of directory.framing) scan.problems.push(framingProblem(reason, member));
  checkDeclaredSizes(directory.entries, size, limits, scan.problems);
  const fileHash = worker && hashFileOffThread(directory.entries) ? worker.hashFile(path) : undefined;
  const source = new ByteSource(fd, size, !fileHash);
  const inflater = new SmallInflater();
  try {
    const bombs = new Set(scan.problems.filter((p) => p.code === "DC_ZIP_BOMB" && p.member).map((p) => p.member));
    const wants = (entry: ZipEntry) => keep(entry.name) && entry.uncompressedSize <= limits.keepMaxBytes;
    const early = worker ? startLargeMembers(fd, path, directory, bombs, wants, worker) : new Map<ZipEntry, Promise<MemberData>>();
    const ctx: ReadContext = { path, source, centralOffset: directory.centralOffset, bombs, wants, scan, background: [], keptPending: 0, early, inflater, whilePending };
    await readMembers(ctx, directory.entries);
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

/** PyPI refuses a zip whose members total more than this and more than PYPI_MAX_RATIO times the file's size. */
const PYPI_RATIO_MIN_BYTES = 64 * 1024 * 1024;
const PYPI_MAX_RATIO = 50;

/** The bomb guards on what the central directory claims (dist-check's, then PyPI's), before inflating anything. */
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
  // PyPI's own guard on the whole file (warehouse's COMPRESSION_RATIO_MIN_SIZE and _THRESHOLD).
  if (total > PYPI_RATIO_MIN_BYTES && total / Math.max(1, fileSize) > PYPI_MAX_RATIO) {
    problems.push({
      code: "DC_COMPRESSION_RATIO",
      message: `members total ${formatBytes(total)} from a ${formatBytes(fileSize)} file (${Math.floor(total / Math.max(1, fileSize))}x); PyPI refuses a zip whose members total over ${formatBytes(PYPI_RATIO_MIN_BYTES)} and over ${PYPI_MAX_RATIO} times its size`,
    });
  }
  if (total > limits.maxTotalBytes) {
    problems.push({
      code: "DC_ZIP_BOMB",
      message: `members total ${formatBytes(total)} uncompressed from a ${formatBytes(fileSize)} file (limit ${formatBytes(limits.maxTotalBytes)})`,
    });
  }
}

/**
 * Hands the large deflated members to the worker thread before the sequential pass starts, so their inflating
 * and hashing overlaps the pass over the file (its hash and the small members) from the first byte. The data
 * start is read from the same local header the pass reads later, so the pass can take the result as it is.
 */
function startLargeMembers(
  fd: number,
  path: string,
  directory: ZipDirectory,
  bombs: ReadonlySet<string | undefined>,
  wants: (entry: ZipEntry) => boolean,
  worker: MemberWorker,
): Map<ZipEntry, Promise<MemberData>> {
  const early = new Map<ZipEntry, Promise<MemberData>>();
  for (const entry of directory.entries) {
    if (!isLarge(entry) || unreadableReason(entry) || bombs.has(entry.name)) continue;
    const start = peekDataStart(fd, entry, directory.centralOffset);
    if (start !== undefined) early.set(entry, worker.inflate(path, start, entry, wants(entry)));
  }
  return early;
}

interface ReadContext {
  path: string;
  source: ByteSource;
  centralOffset: number;
  /** Members already reported as zip bombs: not inflated. */
  bombs: ReadonlySet<string | undefined>;
  /** Whether a member's content is kept (asked for, and small enough). */
  wants: (entry: ZipEntry) => boolean;
  scan: ArchiveScan;
  /** Large members being inflated from their own streams. */
  background: Promise<void>[];
  /** How many kept large members are still inflating. */
  keptPending: number;
  whilePending: WhilePending | undefined;
  /** Large members already handed to the worker thread, by entry. */
  early: Map<ZipEntry, Promise<MemberData>>;
  /** One zlib stream reused for every small deflated member. */
  inflater: SmallInflater;
}

async function readMembers(ctx: ReadContext, entries: ZipEntry[]): Promise<void> {
  try {
    await readInOrder(ctx, entries);
    if (ctx.keptPending === 0) ctx.whilePending?.(ctx.scan);
  } finally {
    await Promise.all(ctx.background);
  }
}

async function readInOrder(ctx: ReadContext, entries: ZipEntry[]): Promise<void> {
  const { path, source, centralOffset, bombs, scan, background, early, inflater } = ctx;
  const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  // PyPI reads the records one after another from the first byte: each member must start where the one before
  // ended. One gap is reported (after a data descriptor, reported already, its bytes are the gap).
  let gapReported = false;
  let afterDescriptor = false;
  const checkAdjacent = (offset: number, what: string) => {
    if (offset > source.position && !afterDescriptor && !gapReported) {
      gapReported = true;
      scan.problems.push(framingProblem(`${offset - source.position} bytes at offset ${source.position} that are no zip record, before ${what}`));
    }
  };
  for (const entry of ordered) {
    const isDirectory = entry.name.endsWith("/");
    if (entry.localOffset < source.position) {
      scan.problems.push({ code: "DC_ZIP_BOMB", member: entry.name, message: "member data overlaps another member (a zip bomb technique)" });
      continue;
    }
    checkAdjacent(entry.localOffset, `the member ${JSON.stringify(entry.name)}`);
    source.skipTo(entry.localOffset);
    const local = readLocalHeader(source, entry, scan.problems);
    // Where a member's data is lost, the reading below is out of step: gaps are no longer told apart.
    if (local === undefined) {
      gapReported = true;
      continue;
    }
    const { dataLength } = local;
    afterDescriptor = local.streamed;
    if (source.position + dataLength > centralOffset) {
      scan.problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: "member data runs into the central directory" });
      gapReported = true;
      continue;
    }
    const unreadable = unreadableReason(entry);
    if (unreadable || bombs.has(entry.name)) {
      if (unreadable) scan.problems.push({ code: "DC_ZIP_UNSUPPORTED", member: entry.name, message: `member is ${unreadable}` });
      source.skipTo(source.position + dataLength);
      scan.members.push({ name: entry.name, isDirectory, size: entry.uncompressedSize });
      continue;
    }
    const wanted = ctx.wants(entry);
    const member: ArchiveMember = { name: entry.name, isDirectory, size: 0 };
    scan.members.push(member);
    const record = (result: MemberData) => {
      if (result.problem) scan.problems.push({ ...result.problem, member: entry.name });
      // zipfile (so pip) checks the central directory's CRC-32 on reading: a member whose bytes changed without
      // it fails to install with BadZipFile even when RECORD matches. Not repeated for data already reported.
      else if (result.crc32 !== undefined && result.crc32 !== entry.crc32) {
        scan.problems.push({ code: "DC_ZIP_CRC_MISMATCH", member: entry.name, message: `data has CRC-32 ${hex(result.crc32)}, the central directory says ${hex(entry.crc32)}` });
      }
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
    if (wanted) ctx.keptPending += 1;
    background.push(
      (early.get(entry) ?? inflateRange(path, start, entry, wanted)).then((data) => {
        if (wanted) ctx.keptPending -= 1;
        record(data);
      }),
    );
  }
  checkAdjacent(centralOffset, "the central directory");
}

/**
 * Why zipfile (so pip) cannot read a member, or "": encrypted, a flag bit it refuses (5: patched data, 6: strong
 * encryption), a compression method other than stored and deflate (wheels may use no other), or a "version
 * needed to extract" above the 6.3 it reads (it then refuses to open the whole archive).
 */
function unreadableReason(entry: ZipEntry): string {
  if (entry.flags & 0x61) return entry.flags & 1 ? "encrypted" : entry.flags & 0x40 ? "strongly encrypted (flag bit 6)" : "compressed patched data (flag bit 5)";
  if (entry.method !== 0 && entry.method !== 8) return `compression method ${entry.method}`;
  if (entry.versionNeeded > 63) return `marked as needing zip version ${(entry.versionNeeded / 10).toFixed(1)} to extract (zipfile reads up to 6.3)`;
  return "";
}

/** A deflated member too large to inflate in one call (a stored one is read in slices by the pass). */
function isLarge(entry: ZipEntry): boolean {
  return entry.method === 8 && !fitsOneCall(entry);
}

/** Whether a member's data, and what it inflates to, are small enough to hold whole. */
function fitsOneCall(entry: ZipEntry): boolean {
  return entry.compressedSize <= SYNC_COMPRESSED_MAX && entry.uncompressedSize <= SYNC_UNCOMPRESSED_MAX;
}

/**
 * Hashes the named members with another algorithm (RECORD rows may use sha384 or sha512): a second, targeted
 * read, since such rows are rare and hashing every member three ways would slow every check. `directory` is the
 * one the scan read (not read again). Small members are read in one call and inflated and hashed the way the
 * scan reads them; large ones are streamed (flat memory). A member whose data cannot be located or read again is
 * left out (the first pass has reported what is wrong with it). Values are urlsafe base64 without padding,
 * RECORD's form.
 */
export async function digestMembers(path: string, directory: ZipDirectory | undefined, wanted: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  if (!directory || wanted.size === 0) return digests;
  const fd = openSync(path, "r");
  const inflater = new SmallInflater();
  let buffer = Buffer.allocUnsafe(64 * 1024);
  try {
    for (const entry of directory.entries) {
      const algorithm = wanted.get(entry.name);
      if (!algorithm || digests.has(entry.name) || (entry.method !== 0 && entry.method !== 8)) continue;
      const start = peekDataStart(fd, entry, directory.centralOffset);
      if (start === undefined) continue;
      let read: StreamedMember;
      if (fitsOneCall(entry)) {
        const length = entry.compressedSize;
        if (buffer.length < length) buffer = Buffer.allocUnsafe(length);
        if (readSync(fd, buffer, 0, length, start) !== length) continue;
        read = readWhole(buffer.subarray(0, length), entry, algorithm, false, inflater);
      } else read = await streamMember(path, start, entry, algorithm, false);
      if (!read.problem) digests.set(entry.name, read.digest);
    }
  } finally {
    inflater.close();
    closeSync(fd);
  }
  return digests;
}
