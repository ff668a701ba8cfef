import type { ArchiveProblem } from "./archive.js";
import type { ZipEntry } from "./zip-directory.js";

// PyPI reads every wheel and zip sdist record by record from the first byte, the way a streaming installer does,
// and refuses one that such a reader and a central-directory reader (zipfile, pip) would read differently: "ZIP
// archive not accepted: <reason>" (warehouse's validate_zipfile, since August 2025). These functions give its
// reasons for what dist-check reads anyway (local headers in the sequential pass, the central directory and end
// records); zip-scan checks that the records follow each other with nothing in between. What dist-check already
// reports under its own code (trailing data, duplicate names, names that disagree, overlapping members) is not
// repeated here.

/** A record PyPI's sequential reading of the zip refuses ("ZIP archive not accepted"), as a finding. */
export function framingProblem(reason: string, member?: string): ArchiveProblem {
  return { code: "DC_ZIP_FRAMING", message: `PyPI refuses the archive's framing: ${reason}`, ...(member === undefined ? {} : { member }) };
}

/** Control characters PyPI refuses in a member name (its UNPRINTABLE_CHARS). */
function hasControlCharacter(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte < 0x20 || byte === 0x7f) return true;
  }
  return false;
}

export function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Reasons PyPI gives for a local header, in the order it checks them (the first applies), or undefined. */
export function localHeaderFraming(header: Buffer, rest: Buffer, entry: ZipEntry): string | undefined {
  const flags = header.readUInt16LE(6);
  const method = header.readUInt16LE(8);
  let compressedSize = header.readUInt32LE(18);
  let fileSize = header.readUInt32LE(22);
  const nameLength = header.readUInt16LE(26);
  const name = rest.subarray(0, nameLength);
  if (hasControlCharacter(name)) return "a control character in the member's name";
  let extra = rest.subarray(nameLength);
  const seen = new Set<number>();
  while (extra.length > 0) {
    if (extra.length < 4) return "a malformed extra field in the local header";
    const id = extra.readUInt16LE(0);
    const size = extra.readUInt16LE(2);
    if (size + 4 > extra.length) return "a malformed extra field in the local header";
    if (seen.has(id) && (id === 0x0001 || id === 0x7075)) return `extra field 0x${id.toString(16).padStart(4, "0")} twice in the local header`;
    seen.add(id);
    if (id === 0x0001) {
      if (![0, 8, 16, 24, 28].includes(size)) return "a malformed ZIP64 extra field in the local header";
      if (size === 0) {
        if (compressedSize === 0xffffffff || fileSize === 0xffffffff) return "a malformed ZIP64 extra field in the local header";
      } else if (size === 8) {
        // Only the uncompressed size: valid for stored data alone.
        if (method !== 0) return "a malformed ZIP64 extra field in the local header";
        compressedSize = Number(extra.readBigUInt64LE(4));
        if (fileSize === 0xffffffff) fileSize = compressedSize;
      } else {
        if (fileSize === 0xffffffff) fileSize = Number(extra.readBigUInt64LE(4));
        compressedSize = Number(extra.readBigUInt64LE(12));
      }
    } else if (id === 0x7075) {
      const unicodeName = extra.subarray(9, 4 + size);
      if (hasControlCharacter(unicodeName)) return "a control character in the member's Unicode Path extra field";
      if (!isUtf8(unicodeName)) return "a Unicode Path extra field that is not UTF-8";
    }
    extra = extra.subarray(size + 4);
  }
  if (flags & 0x8) return "a data descriptor (sizes and CRC-32 written after the data instead of in the local header)";
  if (!isAscii(name)) {
    if (!isUtf8(name)) return "a member name that is not UTF-8";
    // zipfile names a member without the UTF-8 flag in cp437, which differs from the UTF-8 reading.
    if (!(entry.flags & 0x800)) return "a non-ASCII member name without the UTF-8 flag in the central directory";
  }
  if (compressedSize !== entry.compressedSize) return `a local header giving ${compressedSize} compressed bytes where the central directory gives ${entry.compressedSize}`;
  if (fileSize !== entry.uncompressedSize) return `a local header giving a size of ${fileSize} bytes where the central directory gives ${entry.uncompressedSize}`;
  return undefined;
}

/** PyPI's reasons for a central directory entry (the entry's own bytes: name and comment), or undefined. */
export function centralEntryFraming(rawName: Uint8Array, commentLength: number): string | undefined {
  if (commentLength !== 0) return "a comment on a central directory entry";
  if (hasControlCharacter(rawName)) return "a control character in a member's name in the central directory";
  return undefined;
}
