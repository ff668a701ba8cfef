import { readSync } from "node:fs";
import { centralEntryFraming } from "./zip-framing.js";

export interface ZipEntry {
  name: string;
  /** The name's bytes as stored (compared with the local header's). */
  rawName: Buffer;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** CRC-32 of the uncompressed data, as the central directory records it (what zipfile checks on reading). */
  crc32: number;
  localOffset: number;
  externalAttributes: number;
  versionMadeBy: number;
}

/** A way the archive's records are framed that PyPI refuses (zip-framing.ts), with the member it concerns. */
export interface FramingProblem {
  member?: string;
  reason: string;
}

export interface ZipDirectory {
  entries: ZipEntry[];
  /** Where the central directory starts: member data must end here. */
  centralOffset: number;
  /** Bytes after the end-of-central-directory record (and its comment). */
  trailingBytes: number;
  /** What PyPI refuses in the central directory and end records (zip-framing.ts). */
  framing: FramingProblem[];
}

/** A structural problem found while locating the central directory. */
export class ZipStructureError extends Error {
  constructor(
    readonly kind: "not-archive" | "truncated" | "corrupt" | "too-large",
    message: string,
  ) {
    super(message);
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
/** A central directory this big would describe millions of members: refuse rather than buffer it. */
const MAX_CENTRAL_BYTES = 256 * 1024 * 1024;

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, offset);
  return n < length ? buf.subarray(0, n) : buf;
}

/** Reads the end records and the central directory (never the member data). */
export function readZipDirectory(fd: number, size: number): ZipDirectory {
  const tailLength = Math.min(size, 65_535 + 22 + 20 + 1024);
  const tailStart = size - tailLength;
  const tail = readAt(fd, tailStart, tailLength);
  const at = findEndRecord(tail);
  if (at < 0) {
    const head = readAt(fd, 0, 4);
    const looksZip = head.length === 4 && head.readUInt32LE(0) === 0x04034b50;
    if (looksZip) throw new ZipStructureError("truncated", "the zip has no end-of-central-directory record (file cut short?)");
    throw new ZipStructureError("not-archive", "not a zip archive");
  }
  const eocdOffset = tailStart + at;
  const trailingBytes = size - (eocdOffset + 22 + tail.readUInt16LE(at + 20));
  const framing: FramingProblem[] = [];
  if (tail.readUInt16LE(at + 8) !== tail.readUInt16LE(at + 10)) framing.push({ reason: "an end record whose two counts of central directory entries differ" });
  let count = tail.readUInt16LE(at + 10);
  let centralSize = tail.readUInt32LE(at + 12);
  let centralOffset = tail.readUInt32LE(at + 16);
  let centralEnd = eocdOffset;
  if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    const z64Offset = Number(tail.readBigUInt64LE(at - 12));
    const z64 = readAt(fd, z64Offset, 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipStructureError("corrupt", "the zip64 end record is missing");
    if (z64.readBigUInt64LE(4) !== 44n) framing.push({ reason: "a ZIP64 end record with extensible data" });
    else if (z64Offset + 56 !== tailStart + at - 20) framing.push({ reason: "bytes between the ZIP64 end record and its locator" });
    if (z64.readBigUInt64LE(24) !== z64.readBigUInt64LE(32)) framing.push({ reason: "a ZIP64 end record whose two counts of central directory entries differ" });
    count = Number(z64.readBigUInt64LE(32));
    centralSize = Number(z64.readBigUInt64LE(40));
    centralOffset = Number(z64.readBigUInt64LE(48));
    centralEnd = z64Offset;
  }
  if (centralOffset + centralSize > centralEnd) {
    throw new ZipStructureError("truncated", "the central directory runs past the end of the file (file cut short?)");
  }
  if (centralOffset + centralSize < centralEnd) throw new ZipStructureError("corrupt", "unexpected bytes before the end-of-central-directory record");
  if (centralSize > MAX_CENTRAL_BYTES) throw new ZipStructureError("too-large", `the central directory is ${centralSize} bytes`);
  const central = readAt(fd, centralOffset, centralSize);
  return { entries: parseCentral(central, count, framing), centralOffset, trailingBytes, framing };
}

/** The last end record whose comment length fits the file (a comment may contain the signature itself). */
function findEndRecord(tail: Buffer): number {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) return i;
  }
  return -1;
}

function parseCentral(central: Buffer, count: number, framing: FramingProblem[]): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > central.length || central.readUInt32LE(p) !== CENTRAL) {
      throw new ZipStructureError("corrupt", `central directory entry ${i + 1} of ${count} is damaged`);
    }
    const flags = central.readUInt16LE(p + 8);
    const nameLength = central.readUInt16LE(p + 28);
    const extraLength = central.readUInt16LE(p + 30);
    const commentLength = central.readUInt16LE(p + 32);
    const rawName = central.subarray(p + 46, p + 46 + nameLength);
    const entry: ZipEntry = {
      name: flags & 0x800 ? rawName.toString("utf8") : decodeCp437(rawName),
      rawName,
      flags,
      method: central.readUInt16LE(p + 10),
      compressedSize: central.readUInt32LE(p + 20),
      uncompressedSize: central.readUInt32LE(p + 24),
      crc32: central.readUInt32LE(p + 16),
      localOffset: central.readUInt32LE(p + 42),
      externalAttributes: central.readUInt32LE(p + 38),
      versionMadeBy: central.readUInt16LE(p + 4),
    };
    if (extraLength > 0) applyZip64(entry, central.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    const reason = centralEntryFraming(rawName, commentLength);
    if (reason) framing.push({ member: entry.name, reason });
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  // The end record's size covers more than its count of entries: PyPI counts the records themselves.
  if (p < central.length) framing.push({ reason: `a central directory holding more than the ${count} entries its end record counts` });
  return entries;
}

/** Zip64 extra field: 64-bit sizes and offset replace the 0xFFFFFFFF placeholders, in this order. */
function applyZip64(entry: ZipEntry, extra: Buffer): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        const v = r + 8 <= q + 4 + len ? Number(extra.readBigUInt64LE(r)) : undefined;
        r += 8;
        return v;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next() ?? entry.uncompressedSize;
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next() ?? entry.compressedSize;
      if (entry.localOffset === 0xffffffff) entry.localOffset = next() ?? entry.localOffset;
    }
    q += 4 + len;
  }
}

const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

/** Names without the UTF-8 flag are cp437, as Python's zipfile reads them. */
function decodeCp437(raw: Buffer): string {
  let out = "";
  for (const byte of raw) out += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  return out;
}
