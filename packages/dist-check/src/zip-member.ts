import { createHash, hash as hashOnce } from "node:crypto";
import { crc32, inflateRawSync } from "node:zlib";
import type { ArchiveProblem } from "./archive.js";
import type { ByteSource } from "./byte-source.js";
import { type MemberData, memberData, sizeMismatch, type StreamedMember } from "./inflate-range.js";
import type { SmallInflater } from "./inflate-small.js";
import type { ZipEntry } from "./zip-directory.js";
import { framingProblem, isAscii, localHeaderFraming } from "./zip-framing.js";

// One member as the sequential pass over a zip meets it: its local header, then its data (stored, or small
// enough to inflate in one call). Large members are zip-scan's (a worker thread inflates them).

const LOCAL = 0x04034b50;

/** A member's local header as the pass uses it: where its data ends, and whether a data descriptor follows it. */
export interface LocalHeader {
  dataLength: number;
  streamed: boolean;
}

/** Checks the local header against the central directory; undefined when its data cannot be located. */
export function readLocalHeader(source: ByteSource, entry: ZipEntry, problems: ArchiveProblem[]): LocalHeader | undefined {
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
  const localFlags = header.readUInt16LE(6);
  // zipfile decodes each header's name by its own UTF-8 flag (cp437 without it) and refuses a member whose two
  // names then differ: same bytes, but a non-ASCII name read as UTF-8 in one header and as cp437 in the other.
  if ((localFlags ^ entry.flags) & 0x800 && !isAscii(entry.rawName)) {
    problems.push({ code: "DC_ZIP_CORRUPT", member: entry.name, message: "the local header and the central directory disagree on the UTF-8 flag of a non-ASCII name (zipfile reads two different names)" });
  }
  // With a data descriptor (flag bit 3) the local header's CRC is 0 and the real one follows the data.
  const localCrc = header.readUInt32LE(14);
  if (!(localFlags & 0x8) && localCrc !== entry.crc32) {
    problems.push({ code: "DC_ZIP_CRC_MISMATCH", member: entry.name, message: `the local header's CRC-32 is ${hex(localCrc)}, the central directory's ${hex(entry.crc32)} (headers disagree)` });
  }
  const framing = localHeaderFraming(header, rest, entry);
  if (framing) problems.push(framingProblem(framing, entry.name));
  return { dataLength: entry.compressedSize, streamed: (localFlags & 0x8) !== 0 };
}

/** Stored members and members small enough to inflate in one call, read from the sequential pass. */
export function readMemberData(source: ByteSource, entry: ZipEntry, wanted: boolean, inflater: SmallInflater): MemberData {
  if (entry.method === 0) {
    const hash = createHash("sha256");
    const parts: Buffer[] = [];
    let crc = 0;
    for (const slice of source.slices(entry.compressedSize)) {
      hash.update(slice);
      crc = crc32(slice, crc);
      if (wanted) parts.push(Buffer.from(slice));
    }
    const size = entry.compressedSize;
    const sizeProblem = size !== entry.uncompressedSize ? sizeMismatch(size, entry.uncompressedSize) : undefined;
    return { size, sha256: hash.digest("base64url"), crc32: crc, ...(wanted ? { content: Buffer.concat(parts) } : {}), ...(sizeProblem ? { problem: sizeProblem } : {}) };
  }
  // take() may gather the member into the source's spare buffer: inflate it before reading on.
  return memberData(readWhole(source.take(entry.compressedSize), entry, "sha256", wanted, inflater), entry);
}

/**
 * A member small enough to handle in one piece: `data` is its bytes as the zip holds them (stored, or deflated
 * and then inflated in one call), hashed one-shot with `algorithm` (no Hash object or stream per member: tens of
 * thousands of them in a large wheel). The same answer as streamMember gives, problems included.
 */
export function readWhole(data: Buffer, entry: ZipEntry, algorithm: string, wanted: boolean, inflater: SmallInflater): StreamedMember {
  if (entry.method === 0) return whole(data, entry, algorithm, wanted, true);
  const fast = inflater.inflate(data, entry.uncompressedSize);
  if (fast) return whole(fast, entry, algorithm, wanted, true);
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") return { size: entry.uncompressedSize, digest: "", crc32: 0, problem: sizeMismatch(entry.uncompressedSize + 1, entry.uncompressedSize) };
    return { size: 0, digest: "", crc32: 0, problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
  }
  return whole(out, entry, algorithm, wanted, false);
}

/** reused: out is a view on a buffer that is used again (the inflater's, the reader's), so content to keep is copied. */
function whole(out: Buffer, entry: ZipEntry, algorithm: string, wanted: boolean, reused: boolean): StreamedMember {
  // Only stored data can be longer than declared here (inflating stops at the declared size).
  if (out.length > entry.uncompressedSize) return { size: out.length, digest: "", crc32: 0, problem: sizeMismatch(out.length, entry.uncompressedSize) };
  const digest = hashOnce(algorithm, out, "base64url");
  return { size: out.length, digest, crc32: crc32(out), ...(wanted ? { content: reused ? Buffer.from(out) : out } : {}) };
}

export function hex(crc: number): string {
  return crc.toString(16).padStart(8, "0");
}
