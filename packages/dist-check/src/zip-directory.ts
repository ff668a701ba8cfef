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
  /** The "version needed to extract" byte: zipfile refuses an archive with one over 63 (ZIP 6.3). */
  versionNeeded: number;
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
const EOCD_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
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
  const at = findEndRecord(tail, size);
  if (at < 0) {
    const head = readAt(fd, 0, 4);
    const looksZip = head.length === 4 && head.readUInt32LE(0) === 0x04034b50;
    if (looksZip) throw new ZipStructureError("truncated", "the zip has no end-of-central-directory record (file cut short?)");
    throw new ZipStructureError("not-archive", "not a zip archive");
  }
  // zipfile reads the last signature and refuses the file when no whole record follows it (a record cut short, or a
  // signature in the comment); a comment running past the end of the file it cuts short, but such a file was cut.
  if (at + 22 > tail.length) throw new ZipStructureError("truncated", "the end-of-central-directory record is cut short (file cut short?), or a signature in the archive comment ends it");
  const eocdOffset = tailStart + at;
  const trailingBytes = size - (eocdOffset + 22 + tail.readUInt16LE(at + 20));
  if (trailingBytes < 0) throw new ZipStructureError("truncated", "the archive comment runs past the end of the file (file cut short?)");
  const framing: FramingProblem[] = [];
  if (tail.readUInt16LE(at + 8) !== tail.readUInt16LE(at + 10)) framing.push({ reason: "an end record whose two counts of central directory entries differ" });
  let count = tail.readUInt16LE(at + 10);
  let centralSize = tail.readUInt32LE(at + 12);
  let centralOffset = tail.readUInt32LE(at + 16);
  let centralEnd = eocdOffset;
  if (at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    // zipfile refuses a locator naming another disk, or more than one.
    if (tail.readUInt32LE(at - 16) !== 0 || tail.readUInt32LE(at - 4) > 1) throw new ZipStructureError("corrupt", "the zip64 end record locator names another disk (multi-disk zips are not supported)");
    const z64Offset = Number(tail.readBigUInt64LE(at - 12));
    // The record lies before its locator (an offset past it could not even be read).
    if (z64Offset + 56 > eocdOffset - 20) throw new ZipStructureError("corrupt", "the zip64 end record is missing");
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

/**
 * Where the end record is, found the way zipfile (so pip) finds it: the last 22 bytes when they are an end record
 * without a comment, else the LAST end record signature in the file's last 64 KiB + 22 bytes, whatever follows it
 * (a comment may hold a signature: zipfile then reads that one). -1 when there is no signature.
 */
function findEndRecord(tail: Buffer, size: number): number {
  const last = tail.length - 22;
  if (last >= 0 && tail.readUInt32LE(last) === EOCD && tail.readUInt16LE(last + 20) === 0) return last;
  const from = Math.max(0, tail.length - Math.min(size, 65_536 + 22));
  const at = tail.lastIndexOf(EOCD_SIGNATURE);
  return at >= from ? at : -1;
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
      versionNeeded: central[p + 6]!,
    };
    const extraProblem = extraLength > 0 ? applyZip64(entry, central.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength)) : undefined;
    if (extraProblem) throw new ZipStructureError("corrupt", `the central directory entry of ${JSON.stringify(entry.name)} has ${extraProblem} (zipfile cannot open the archive)`);
    const reason = centralEntryFraming(rawName, commentLength);
    if (reason) framing.push({ member: entry.name, reason });
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  // The end record's size covers more than its count of entries: PyPI counts the records themselves.
  if (p < central.length) framing.push({ reason: `a central directory holding more than the ${count} entries its end record counts` });
  return entries;
}

/**
 * Zip64 extra field: 64-bit sizes and offset replace the 0xFFFFFFFF placeholders, in this order. Returns what
 * makes zipfile refuse the whole archive (ZipInfo._decodeExtra): an extra field longer than the bytes left, or a
 * ZIP64 field without a value for a placeholder. Up to 3 bytes after the last field it ignores, as zipfile does.
 */
function applyZip64(entry: ZipEntry, extra: Buffer): string | undefined {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (q + 4 + len > extra.length) return `an extra field 0x${id.toString(16).padStart(4, "0")} longer than its entry`;
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        const v = r + 8 <= q + 4 + len ? Number(extra.readBigUInt64LE(r)) : undefined;
        r += 8;
        return v;
      };
      let missing = false;
      const value = (placeholder: number) => {
        const v = next();
        missing ||= v === undefined;
        return v ?? placeholder;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = value(entry.uncompressedSize);
      if (!missing && entry.compressedSize === 0xffffffff) entry.compressedSize = value(entry.compressedSize);
      if (!missing && entry.localOffset === 0xffffffff) entry.localOffset = value(entry.localOffset);
      if (missing) return "a ZIP64 extra field without the 64-bit value of a size or offset";
    }
    q += 4 + len;
  }
  return undefined;
}

const CP437_HIGH =
  "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0";

/** Names without the UTF-8 flag are cp437, as Python's zipfile reads them. */
function decodeCp437(raw: Buffer): string {
  let out = "";
  for (const byte of raw) out += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  return out;
}
