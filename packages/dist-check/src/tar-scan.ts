import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { crc32, createGunzip, inflateRawSync } from "node:zlib";
import { type ArchiveLimits, type ArchiveScan, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { TarParser, TarStop } from "./tar-parser.js";

/**
 * Reads a .tar.gz once through a streaming gunzip and a tar header parser: the file's sha256, every member's
 * name, type, link target, mode and size, and the members `keep` asks for (small metadata files only). With
 * `hashMembers`, each regular file's sha256 too (only when two sdists' contents are compared).
 */
export async function scanTarGz(path: string, keep: (name: string) => boolean, limits: ArchiveLimits = DEFAULT_LIMITS, hashMembers = false): Promise<ArchiveScan> {
  const { size } = await stat(path);
  const scan: ArchiveScan = { sha256: "", size, members: [], kept: new Map(), problems: [], incomplete: false };
  const fileHash = createHash("sha256");
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  let head = Buffer.alloc(0);
  input.on("data", (chunk) => {
    fileHash.update(chunk);
    if (head.length < 2) head = Buffer.concat([head, chunk as Buffer]).subarray(0, 2);
  });
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  input.on("error", (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const parser = new TarParser(scan, keep, limits.keepMaxBytes, hashMembers);
  let total = 0;
  let complete = true;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxTotalBytes || (total > limits.ratioMinBytes && total > limits.maxRatio * size)) {
        scan.problems.push({ code: "DC_ZIP_BOMB", message: `the sdist inflates past ${formatBytes(total)} from a ${formatBytes(size)} file (ratio limit ${limits.maxRatio}x, total limit ${formatBytes(limits.maxTotalBytes)})` });
        complete = false;
        break;
      }
      parser.push(chunk);
    }
    if (complete) parser.end();
    if (complete && !parser.endOfArchive && head[0] === 0x1f && head[1] === 0x8b && size <= MAX_REREAD) {
      // No end-of-archive block: tarfile reads on past the last gzip member, where node's gunzip ignores zero bytes
      // and whatever follows them, and Python's gzip skips the zeros but fails on anything else.
      const file = await readFile(path);
      const again = scanGzipMembers(file, scan, keep, limits, hashMembers);
      scan.incomplete = !again || scan.incomplete;
      scan.sha256 = createHash("sha256").update(file).digest("hex");
      return scan;
    }
  } catch (error) {
    complete = false;
    if (!(error instanceof TarStop)) {
      const gzipMagic = head[0] === 0x1f && head[1] === 0x8b;
      if ((error as NodeJS.ErrnoException).code === "Z_DATA_ERROR" && gzipMagic && size <= MAX_REREAD) {
        // node's gunzip fails on any bytes after the last gzip member that are not another member, and drops what it
        // inflated from the same chunk; Python's gzip (pip, PyPI) fails only if tarfile reads that far.
        const file = await readFile(path);
        const again = scanGzipMembers(file, scan, keep, limits, hashMembers);
        scan.incomplete = !again || scan.incomplete;
        scan.sha256 = createHash("sha256").update(file).digest("hex");
        return scan;
      }
      scan.problems.push(gzipProblem(error as NodeJS.ErrnoException, total, gzipMagic));
    }
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  scan.incomplete = !complete || scan.incomplete;
  scan.sha256 = complete ? fileHash.digest("hex") : await hashFile(path);
  return scan;
}

/** Largest damaged file read again member by member (in memory). */
const MAX_REREAD = 256 * 1024 * 1024;

/**
 * The tar stream of a gzip file read as Python's gzip reads it, member after member, into a fresh scan: zero bytes
 * between members are skipped; bytes after the last member that are no gzip member matter only when the tar stream
 * has not ended by then (tarfile stops at the end-of-archive block). A damaged or cut member, or a CRC-32 or size
 * that does not match, is a problem. Returns whether the archive was read to its end.
 */
function scanGzipMembers(file: Buffer, scan: ArchiveScan, keep: (name: string) => boolean, limits: ArchiveLimits, hashMembers: boolean): boolean {
  scan.members.length = 0;
  scan.kept.clear();
  scan.problems.length = 0;
  scan.incomplete = false;
  const parser = new TarParser(scan, keep, limits.keepMaxBytes, hashMembers);
  let total = 0;
  try {
    for (let pos = 0, first = true; ; first = false) {
      if (!first) while (pos < file.length && file[pos] === 0) pos++;
      if (pos >= file.length) break;
      const body = gzipHeaderEnd(file, pos);
      if (body === undefined && first) {
        scan.problems.push({ code: "DC_TRUNCATED", message: "the gzip stream is damaged: its header is unreadable" });
        return false;
      }
      if (body === undefined) {
        // Python's gzip raises where tarfile reads into these bytes: the member it was reading is not listed.
        if (parser.endOfArchive) return true;
        scan.problems.push({ code: "DC_TRUNCATED", message: "the gzip stream is damaged: bytes after its last member are not gzip data" });
        return false;
      }
      // The bomb guard's limit, as a cap on what one member may inflate to.
      const allowed = Math.min(limits.maxTotalBytes, Math.max(limits.ratioMinBytes, limits.maxRatio * file.length));
      let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
      try {
        inflated = inflateRawSync(file.subarray(body), { info: true, maxOutputLength: Math.max(1, allowed - total + 1) }) as unknown as typeof inflated;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ERR_BUFFER_TOO_LARGE") {
          scan.problems.push(gzipProblem(error as NodeJS.ErrnoException, total, true));
          return false;
        }
        inflated = { buffer: Buffer.alloc(0), engine: { bytesWritten: 0 } };
        total = allowed + 1;
      }
      const data = inflated.buffer;
      total += data.length;
      if (total > allowed) {
        scan.problems.push({ code: "DC_ZIP_BOMB", message: `the sdist inflates past ${formatBytes(total)} from a ${formatBytes(file.length)} file (ratio limit ${limits.maxRatio}x, total limit ${formatBytes(limits.maxTotalBytes)})` });
        return false;
      }
      parser.push(data);
      const trailer = body + inflated.engine.bytesWritten;
      if (trailer + 8 > file.length) {
        scan.problems.push({ code: "DC_TRUNCATED", message: "the gzip stream ends early (file cut short?)" });
        return false;
      }
      if (crc32(data) !== file.readUInt32LE(trailer) || data.length % 2 ** 32 !== file.readUInt32LE(trailer + 4)) {
        scan.problems.push({ code: "DC_TRUNCATED", message: "the gzip stream is damaged: a member's CRC-32 or size does not match its data" });
        return false;
      }
      pos = trailer + 8;
    }
    parser.end();
    return true;
  } catch (error) {
    if (error instanceof TarStop) return false;
    throw error;
  }
}

/** Where a gzip member's deflate data starts (after its header's optional fields); undefined: no gzip member here. */
function gzipHeaderEnd(file: Buffer, start: number): number | undefined {
  if (file[start] !== 0x1f || file[start + 1] !== 0x8b || file[start + 2] !== 8 || start + 10 > file.length) return undefined;
  const flags = file[start + 3]!;
  let pos = start + 10;
  if (flags & 4) {
    if (pos + 2 > file.length) return undefined;
    pos += 2 + file.readUInt16LE(pos);
  }
  for (const flag of [8, 16]) {
    if (!(flags & flag)) continue;
    const end = file.indexOf(0, pos);
    if (end < 0) return undefined;
    pos = end + 1;
  }
  if (flags & 2) pos += 2;
  return pos <= file.length ? pos : undefined;
}

/**
 * A gzip error as a finding. node's gunzip fails on bytes after the last gzip member that are not another member
 * (Python's gzip only when it reads that far) and throws away what it inflated from the same chunk: a file that
 * starts like gzip is a damaged gzip stream, not "not gzip".
 */
function gzipProblem(error: NodeJS.ErrnoException, inflated: number, gzipMagic: boolean): ArchiveScan["problems"][number] {
  if (error.code === "Z_BUF_ERROR" || /unexpected end/i.test(error.message)) {
    return { code: "DC_TRUNCATED", message: "the gzip stream ends early (file cut short?)" };
  }
  if (inflated === 0 && !gzipMagic && (error.code === "Z_DATA_ERROR" || /header/i.test(error.message))) {
    return { code: "DC_NOT_ARCHIVE", message: "not a gzip-compressed file" };
  }
  if (error.code === "EACCES" || error.code === "EISDIR") return { code: "DC_UNREADABLE", message: error.message };
  return { code: "DC_TRUNCATED", message: `the gzip stream is damaged: ${error.message}` };
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
