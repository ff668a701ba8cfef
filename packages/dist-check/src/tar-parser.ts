import { createHash, type Hash } from "node:crypto";
import type { ArchiveMember, ArchiveScan } from "./archive.js";

/** Thrown to stop reading once the tar stream is known to be damaged (the problem is already recorded). */
export class TarStop extends Error {}

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
/** tarfile's REGULAR_TYPES: read as files (their data follows the header). */
const REGULAR = new Set(["0", "\0", "7", "S"]);
/** tarfile's SUPPORTED_TYPES: any other type flag is an unknown member whose data follows it like a file's. */
const SUPPORTED = new Set(["0", "\0", "1", "2", "5", "6", "7", "3", "4", "L", "K", "S"]);
const MEMBER_TYPES: Record<string, NonNullable<ArchiveMember["type"]>> = {
  "0": "file", "\0": "file", "7": "file", S: "file", "5": "directory", "2": "symlink", "1": "hardlink", "3": "char-device", "4": "block-device", "6": "fifo",
};
/** pax and GNU long-name records are small; anything bigger is not metadata (tarfile would read it, this refuses it). */
const MAX_EXTENDED = 1024 * 1024;

/** tarfile's HeaderError family: what next() turns into "end of archive" or ReadError depending on where it is. */
class HeaderError extends Error {
  constructor(
    readonly kind: "empty" | "truncated" | "eof" | "invalid" | "subsequent",
    message: string,
  ) {
    super(message);
  }
}
/** Any other exception tarfile raises while listing (ValueError, IndexError...): the archive cannot be listed. */
class Unreadable extends Error {}

/** One member while its headers are read: TarInfo's fields that matter here. */
interface Info {
  name: string;
  linkname: string;
  type: string;
  mode: bigint;
  size: bigint;
  /** An integer from the header, a float from a pax record (NaN when unreadable there: tarfile then takes 0). */
  mtime: bigint | number;
  /** A GNU sparse file's map: (offset, length) of each stored piece. */
  sparse?: [bigint, bigint][];
  /** Where the member's data starts in the stream, and where the next header starts (tarfile.offset). */
  offsetData: number;
  nextOffset: number;
}

type Request = { read: number } | { stream: number; sink: ((chunk: Buffer) => void) | undefined };

/**
 * A push parser for tar streams that lists members exactly as Python's tarfile (3.11) does when pip or PyPI read an
 * sdist: TarInfo.frombuf's checksum and number fields (nti: NUL/whitespace-terminated octal, GNU base-256), ustar
 * prefixes, old-style directories, GNU long names and link names, pax extended and global headers (path, linkpath,
 * size, GNU.sparse.*), old GNU sparse headers, and TarFile.next's end-of-archive rules. Where tarfile raises, this
 * records DC_TAR_CORRUPT or DC_TRUNCATED; where tarfile quietly takes a damaged header for the end of the archive
 * (dropping every member after it), this records the damage too.
 */
export class TarParser {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private eof = false;
  private done = false;
  private position = 0;
  private request: Request | undefined;
  private readonly run: Generator<Request, void, Buffer | number>;
  /** Whether the stream held an end-of-archive block (tarfile reads nothing after it). */
  endOfArchive = false;
  /** tarfile.pax_headers: the global (type g) records so far. */
  private readonly globals = new Map<string, string>();

  constructor(
    private readonly scan: ArchiveScan,
    private readonly keep: (name: string) => boolean,
    private readonly keepMaxBytes: number,
    /** Whether each regular file's sha256 is taken (member.sha256), for comparing two archives' contents. */
    private readonly hashMembers = false,
  ) {
    this.run = this.members();
    this.resume(undefined);
  }

  push(chunk: Buffer): void {
    if (this.done || chunk.length === 0) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    this.pump();
  }

  /** The stream ended: fine after the end-of-archive block or between members, damaged inside one. */
  end(): void {
    this.eof = true;
    this.pump();
  }

  private resume(value: Buffer | number | undefined): void {
    const step = this.run.next(value as Buffer | number);
    if (step.done) {
      this.done = true;
      this.request = undefined;
    } else this.request = step.value;
  }

  private pump(): void {
    while (!this.done && this.request) {
      const request = this.request;
      if ("read" in request) {
        if (this.queued < request.read && !this.eof) return;
        this.resume(this.take(Math.min(request.read, this.queued)));
      } else {
        let left = request.stream;
        while (left > 0 && this.queued > 0) {
          const piece = this.take(Math.min(left, this.chunks[0]!.length));
          request.sink?.(piece);
          left -= piece.length;
        }
        if (left > 0 && !this.eof) {
          this.request = { stream: left, sink: request.sink };
          return;
        }
        this.resume(left);
      }
    }
  }

  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const first = this.chunks[0]!;
      if (first.length <= left) {
        parts.push(first);
        this.chunks.shift();
        left -= first.length;
      } else {
        parts.push(first.subarray(0, left));
        this.chunks[0] = first.subarray(left);
        left = 0;
      }
    }
    this.queued -= n;
    this.position += n;
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  private fail(code: "DC_TAR_CORRUPT" | "DC_TRUNCATED", message: string): never {
    this.scan.problems.push({ code, message });
    this.scan.incomplete = true;
    throw new TarStop();
  }

  /** TarFile.next(), member after member. */
  private *members(): Generator<Request, void, Buffer | number> {
    let offset = 0;
    for (;;) {
      if (offset > this.position) {
        const left = (yield { stream: offset - this.position, sink: undefined }) as number;
        if (left > 0) this.fail("DC_TRUNCATED", "the tar stream ends inside a member (file cut short?)");
      }
      const index = this.scan.members.length + 1;
      let info: Info;
      try {
        info = yield* this.readMember();
      } catch (error) {
        if (error instanceof HeaderError) {
          if (error.kind === "eof") {
            this.endOfArchive = true;
            return;
          }
          if (error.kind === "empty") {
            if (offset === 0) this.fail("DC_TAR_CORRUPT", "the archive holds no tar data");
            return;
          }
          if (error.kind === "truncated") this.fail("DC_TRUNCATED", `the tar stream ends inside header ${index} (file cut short?)`);
          this.fail("DC_TAR_CORRUPT", `tar header ${index} ${error.message}`);
        }
        if (error instanceof Unreadable) this.fail("DC_TAR_CORRUPT", `tar member ${index} ${error.message}`);
        throw error;
      }
      offset = info.nextOffset;
      const back = offset < this.position;
      yield* this.memberData(info, offset);
      // tarfile goes back to read the next header there: the same header again (for ever), or bytes already read.
      if (back) this.fail("DC_TAR_CORRUPT", `tar header ${index} sends the reader back to an earlier block (a negative size?)`);
    }
  }

  /** Records the member and reads its data (kept or hashed when asked), up to the next header at `offset`. */
  private *memberData(info: Info, offset: number): Generator<Request, void, Buffer | number> {
    const type = MEMBER_TYPES[info.type] ?? "other";
    const size = info.size > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : info.size < 0n ? 0 : Number(info.size);
    const member: ArchiveMember = { name: info.name, isDirectory: type === "directory", size, type, linkName: info.linkname, mode: Number(info.mode & 0o7777n) };
    this.scan.members.push(member);
    if ((type === "file" || type === "other") && info.size < 0n) {
      // tarfile lists it (reading on after its header), but extracting it fails with ReadError.
      this.scan.problems.push({ code: "DC_TAR_CORRUPT", message: `the tar header gives a negative size (${info.size})`, member: member.name });
    }
    if (type !== "symlink" && !timestampFits(info.mtime)) {
      // os.utime() raises OverflowError (ValueError for NaN) once the member is extracted.
      this.scan.problems.push({ code: "DC_TAR_CORRUPT", message: `the tar header gives a modification time tarfile cannot set (${info.mtime})`, member: member.name });
    }
    if (type !== "file") return;
    if (!info.sparse && info.size > BigInt(offset - this.position)) {
      // A global pax size (it does not move the next header): extracting reads on into the headers after it.
      this.scan.problems.push({ code: "DC_TAR_CORRUPT", message: `the member's size (${info.size}) is more than the archive holds for it`, member: member.name });
    }
    if (info.sparse && !sparseFits(info.sparse, info.size, offset - this.position)) {
      // TarFile.makefile seeks to each piece and copies it from the archive: a negative or huge number fails.
      this.scan.problems.push({ code: "DC_TAR_CORRUPT", message: "the GNU sparse map does not fit the member's data (tarfile fails to extract it)", member: member.name });
    }
    const length = Math.max(0, Math.min(size, offset - this.position));
    const kept: Buffer[] | undefined = this.keep(member.name) && size <= this.keepMaxBytes ? [] : undefined;
    const hash: Hash | undefined = this.hashMembers ? createHash("sha256") : undefined;
    if (!kept && !hash) return;
    const left = (yield {
      stream: length,
      sink: (chunk) => {
        kept?.push(chunk);
        hash?.update(chunk);
      },
    }) as number;
    if (left > 0) this.fail("DC_TRUNCATED", "the tar stream ends inside a member (file cut short?)");
    if (kept) this.scan.kept.set(member.name, Buffer.concat(kept));
    if (hash) member.sha256 = hash.digest("base64url");
  }

  /** TarInfo.fromtarfile: one header block, and the ones it stands for (long names, pax, GNU sparse). */
  private *readMember(): Generator<Request, Info, Buffer | number> {
    const buf = (yield { read: BLOCK }) as Buffer;
    if (buf.length === 0) throw new HeaderError("empty", "is missing");
    if (buf.length < BLOCK) throw new HeaderError("truncated", "is cut short");
    if (buf.equals(ZERO_BLOCK)) throw new HeaderError("eof", "is an end-of-archive block");
    const header = fromBuf(buf);
    const info: Info = { ...header, offsetData: this.position, nextOffset: this.position };
    if (info.type === "L" || info.type === "K") return yield* this.gnuLong(info);
    if (info.type === "x" || info.type === "X" || info.type === "g") return yield* this.pax(info);
    if (info.type === "S") return yield* this.oldSparse(info, buf);
    // _proc_builtin
    if (isReg(info.type) || !SUPPORTED.has(info.type)) info.nextOffset = info.offsetData + blockSize(info.size);
    applyPax(info, this.globals);
    if (info.type === "5") info.name = info.name.replace(/\/+$/, "");
    return info;
  }

  /** The header after a long-name or pax header: any header problem there makes the archive unreadable. */
  private *nextMember(): Generator<Request, Info, Buffer | number> {
    try {
      return yield* this.readMember();
    } catch (error) {
      if (error instanceof HeaderError) throw new HeaderError("subsequent", `is followed by a header that ${error.message}`);
      throw error;
    }
  }

  private *extendedData(size: bigint): Generator<Request, Buffer, Buffer | number> {
    // A negative size above -512 reads as no blocks; from -512 down tarfile reads the rest of the archive as this one.
    if (size <= -512n) throw new Unreadable("is an extended header of negative size");
    if (size > BigInt(MAX_EXTENDED)) throw new Unreadable(`is an extended header of ${size} bytes, too large`);
    // tarfile reads whole blocks: bytes after the declared size (padding) count too.
    return (yield { read: blockSize(size) }) as Buffer;
  }

  /** _proc_gnulong: a GNU long name (L) or link name (K) for the member after it. */
  private *gnuLong(info: Info): Generator<Request, Info, Buffer | number> {
    const data = yield* this.extendedData(info.size);
    const next = yield* this.nextMember();
    if (info.type === "L") next.name = cString(data);
    else next.linkname = cString(data);
    if (next.type === "5" && next.name.endsWith("/")) next.name = next.name.slice(0, -1);
    return next;
  }

  /** _proc_pax: pax extended (x, Solaris X) or global (g) records, and the member they describe. */
  private *pax(info: Info): Generator<Request, Info, Buffer | number> {
    const data = yield* this.extendedData(info.size);
    const headers = info.type === "g" ? this.globals : new Map(this.globals);
    const charset = /\d+ hdrcharset=([^\n]+)\n/.exec(data.toString("latin1"));
    if (charset) {
      const value = decodeStrict(Buffer.from(charset[1]!, "latin1"));
      if (value === undefined) throw new Unreadable("has a pax hdrcharset record that is not UTF-8");
      headers.set("hdrcharset", value);
    }
    parsePaxRecords(data, headers);
    const next = yield* this.nextMember();
    if (headers.has("GNU.sparse.map")) {
      // Version 0.1: "offset,length,offset,length..."
      const numbers = headers.get("GNU.sparse.map")!.split(",").map(pyInt);
      if (numbers.some((n) => n === undefined)) throw new Unreadable("has an unreadable GNU.sparse.map pax record");
      next.sparse = pairs(numbers as bigint[]);
    } else if (headers.has("GNU.sparse.size")) {
      // Version 0.0: repeated GNU.sparse.offset and GNU.sparse.numbytes records in this header.
      const text = data.toString("latin1");
      const offsets = [...text.matchAll(/\d+ GNU\.sparse\.offset=(\d+)\n/g)].map((m) => BigInt(m[1]!));
      const lengths = [...text.matchAll(/\d+ GNU\.sparse\.numbytes=(\d+)\n/g)].map((m) => BigInt(m[1]!));
      next.sparse = offsets.slice(0, lengths.length).map((offset, i) => [offset, lengths[i]!]);
    } else if (headers.get("GNU.sparse.major") === "1" && headers.get("GNU.sparse.minor") === "0") {
      yield* this.sparseMap(next);
    }
    if (info.type !== "g") {
      applyPax(next, headers);
      if (headers.has("size")) next.nextOffset = next.offsetData + (isReg(next.type) || !SUPPORTED.has(next.type) ? blockSize(next.size) : 0);
    }
    return next;
  }

  /** _proc_gnusparse_10: a GNU sparse 1.0 map, read from the blocks after the member's header. */
  private *sparseMap(next: Info): Generator<Request, void, Buffer | number> {
    let buf = (yield { read: BLOCK }) as Buffer;
    let newline = buf.indexOf(0x0a);
    if (newline < 0) throw new Unreadable("has a GNU sparse map without a line end");
    const fields = pyIntBytes(buf.subarray(0, newline));
    if (fields === undefined) throw new Unreadable("has an unreadable GNU sparse map");
    buf = buf.subarray(newline + 1);
    const numbers: bigint[] = [];
    for (let count = 0n; count < fields * 2n; count++) {
      // One more block when the line end is not there yet; still none: tarfile's split() fails (ValueError).
      if (buf.indexOf(0x0a) < 0) buf = Buffer.concat([buf, (yield { read: BLOCK }) as Buffer]);
      newline = buf.indexOf(0x0a);
      if (newline < 0) throw new Unreadable("has a GNU sparse map line without a line end");
      const number = pyIntBytes(buf.subarray(0, newline));
      if (number === undefined) throw new Unreadable("has an unreadable GNU sparse map");
      numbers.push(number);
      buf = buf.subarray(newline + 1);
    }
    next.sparse = pairs(numbers);
    next.offsetData = this.position;
  }

  /** _proc_sparse: an old GNU sparse file (S), whose extension blocks come before its data. */
  private *oldSparse(info: Info, header: Buffer): Generator<Request, Info, Buffer | number> {
    // The four pieces in the header, then those of the extension blocks (where tarfile skips empty ones).
    const sparse: [bigint, bigint][] = [];
    for (let pos = 386; pos < 386 + 4 * 24; pos += 24) sparse.push([nti(header.subarray(pos, pos + 12))!, nti(header.subarray(pos + 12, pos + 24))!]);
    let extended = header[482] !== 0;
    while (extended) {
      const buf = (yield { read: BLOCK }) as Buffer;
      if (buf.length < BLOCK) throw new Unreadable("has GNU sparse extension blocks cut short");
      for (let pos = 0; pos < 21 * 24; pos += 24) {
        const offset = nti(buf.subarray(pos, pos + 12));
        const length = nti(buf.subarray(pos + 12, pos + 24));
        if (offset === undefined || length === undefined) throw new HeaderError("invalid", "has an unreadable GNU sparse extension block");
        if (offset && length) sparse.push([offset, length]);
      }
      extended = buf[504] !== 0;
    }
    info.sparse = sparse;
    info.offsetData = this.position;
    info.nextOffset = info.offsetData + blockSize(info.size);
    // The size of a sparse file is the size it expands to.
    info.size = nti(header.subarray(483, 495)) ?? 0n;
    return info;
  }
}

/** TarInfo.frombuf: the checksum, every number field, names; undefined numbers make the header invalid. */
function fromBuf(buf: Buffer): Omit<Info, "offsetData" | "nextOffset"> {
  const stored = nti(buf.subarray(148, 156));
  if (stored === undefined) throw new HeaderError("invalid", "has an unreadable checksum field");
  let unsigned = 256;
  let signed = 256;
  for (let i = 0; i < BLOCK; i++) {
    if (i >= 148 && i < 156) continue;
    const b = buf[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  if (stored !== BigInt(unsigned) && stored !== BigInt(signed)) throw new HeaderError("invalid", "has a bad checksum");
  const number = (start: number, end: number, field: string): bigint => {
    const value = nti(buf.subarray(start, end));
    if (value === undefined) throw new HeaderError("invalid", `has an unreadable ${field} field`);
    return value;
  };
  const mode = number(100, 108, "mode");
  number(108, 116, "uid");
  number(116, 124, "gid");
  const size = number(124, 136, "size");
  const mtime = number(136, 148, "mtime");
  let type = String.fromCharCode(buf[156]!);
  let name = cString(buf.subarray(0, 100));
  const linkname = cString(buf.subarray(157, 257));
  number(329, 337, "devmajor");
  number(337, 345, "devminor");
  const prefix = cString(buf.subarray(345, 500));
  if (type === "S") {
    for (let pos = 386; pos < 386 + 4 * 24; pos += 24) {
      number(pos, pos + 12, "GNU sparse offset");
      number(pos + 12, pos + 24, "GNU sparse size");
    }
    number(483, 495, "GNU sparse real size");
  }
  // Old V7 tar writes a directory as a regular file whose name ends with a slash.
  if (type === "\0" && name.endsWith("/")) type = "5";
  if (type === "5") name = name.replace(/\/+$/, "");
  if (prefix && type !== "L" && type !== "K" && type !== "S") name = `${prefix}/${name}`;
  return { name, linkname, type, mode, size, mtime };
}

function isReg(type: string): boolean {
  return REGULAR.has(type);
}

/** TarInfo._block: a byte count rounded up to whole blocks (Python's floor division for negative counts). */
function blockSize(count: bigint): number {
  const blocks = count / 512n - (count < 0n && count % 512n !== 0n ? 1n : 0n) + (count % 512n !== 0n ? 1n : 0n);
  const bytes = blocks * 512n;
  return bytes > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(bytes);
}

/** nts(): up to the first NUL, decoded as tarfile decodes names. */
function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return decodeName(buf.subarray(0, end < 0 ? buf.length : end));
}

/**
 * UTF-8 as tarfile decodes names (errors="surrogateescape"): each byte that is not part of a well-formed sequence
 * becomes U+DC80..U+DCFF, so two names that differ in such bytes stay apart (and equal Python's strings).
 */
export function decodeName(buf: Buffer): string {
  const strict = decodeStrict(buf);
  if (strict !== undefined) return strict;
  let out = "";
  for (let i = 0; i < buf.length; ) {
    const length = wellFormedLength(buf, i);
    if (length === 0) {
      out += String.fromCharCode(0xdc00 + buf[i]!);
      i++;
    } else {
      out += buf.subarray(i, i + length).toString("utf8");
      i += length;
    }
  }
  return out;
}

/** The length of the well-formed UTF-8 sequence at `i` (Unicode's table 3-7), or 0. */
function wellFormedLength(buf: Buffer, i: number): number {
  const b = buf[i]!;
  if (b < 0x80) return 1;
  const within = (j: number, low = 0x80, high = 0xbf) => i + j < buf.length && buf[i + j]! >= low && buf[i + j]! <= high;
  if (b >= 0xc2 && b <= 0xdf) return within(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const second = b === 0xe0 ? within(1, 0xa0) : b === 0xed ? within(1, 0x80, 0x9f) : within(1);
    return second && within(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const second = b === 0xf0 ? within(1, 0x90) : b === 0xf4 ? within(1, 0x80, 0x8f) : within(1);
    return second && within(2) && within(3) ? 4 : 0;
  }
  return 0;
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

function decodeStrict(buf: Buffer): string | undefined {
  try {
    return STRICT_UTF8.decode(buf);
  } catch {
    return undefined;
  }
}

/**
 * nti(): a number field. A first byte 0x80 (or 0xff, negative) starts GNU base-256; anything else is ASCII up to
 * the first NUL, stripped of whitespace, read by Python's int(s, 8) (sign, 0o prefix and underscores included).
 */
function nti(field: Buffer): bigint | undefined {
  // The usual spelling first: octal digits, then NULs or spaces to the end.
  let octal = 0;
  let i = 0;
  while (i < field.length && field[i]! >= 0x30 && field[i]! <= 0x37) octal = octal * 8 + field[i++]! - 0x30;
  if (i > 0 && i <= 15) {
    let end = i;
    while (end < field.length && (field[end] === 0 || field[end] === 0x20)) end++;
    if (end === field.length) return BigInt(octal);
  }
  const first = field[0] ?? 0;
  if (first === 0x80 || first === 0xff) {
    let n = 0n;
    for (let i = 1; i < field.length; i++) n = (n << 8n) + BigInt(field[i]!);
    return first === 0xff ? n - 256n ** BigInt(field.length - 1) : n;
  }
  const end = field.indexOf(0);
  const bytes = field.subarray(0, end < 0 ? field.length : end);
  if (bytes.some((b) => b > 0x7f)) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: str.strip() strips exactly these
  const text = bytes.toString("latin1").replace(/^[\t\n\x0b\x0c\r\x1c-\x1f ]+|[\t\n\x0b\x0c\r\x1c-\x1f ]+$/g, "");
  if (text === "") return 0n;
  const match = /^([+-]?)(0[oO]_?)?([0-7](?:_?[0-7])*)$/.exec(text);
  if (!match) return undefined;
  const value = BigInt(`0o${match[3]!.replace(/_/g, "")}`);
  return match[1] === "-" ? -value : value;
}

/** What Python's int() skips around a number: ASCII " \t\n\r\v\f" and non-ASCII Unicode whitespace (not \x1c-\x1f). */
const PY_SPACE = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_INT = new RegExp(`^[${PY_SPACE}]*([+-]?)(\\d(?:_?\\d)*)[${PY_SPACE}]*$`);

/** Python's int(str): surrounding whitespace, a sign, digits (any Unicode decimal digit) with single underscores. */
export function pyInt(text: string): bigint | undefined {
  const ascii = text.replace(/\p{Nd}/gu, (digit) => String(decimalValue(digit)));
  const match = PY_INT.exec(ascii);
  if (!match) return undefined;
  const value = BigInt(match[2]!.replace(/_/g, ""));
  return match[1] === "-" ? -value : value;
}

const PY_FLOAT = new RegExp(
  `^[${PY_SPACE}]*([+-]?(?:(?:\\d(?:_?\\d)*(?:\\.(?:\\d(?:_?\\d)*)?)?|\\.\\d(?:_?\\d)*)(?:[eE][+-]?\\d(?:_?\\d)*)?|inf|infinity|nan))[${PY_SPACE}]*$`,
  "i",
);

/** Python's float(str), as far as the range of the result goes. */
function pyFloat(text: string): number | undefined {
  const match = PY_FLOAT.exec(text.replace(/\p{Nd}/gu, (digit) => String(decimalValue(digit))));
  if (!match) return undefined;
  const literal = match[1]!.replace(/_/g, "").toLowerCase();
  if (literal.endsWith("nan")) return Number.NaN;
  if (literal.endsWith("inf") || literal.endsWith("infinity")) return literal.startsWith("-") ? -Infinity : Infinity;
  return Number(literal);
}

function pairs(numbers: bigint[]): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (let i = 0; i + 1 < numbers.length; i += 2) out.push([numbers[i]!, numbers[i + 1]!]);
  return out;
}

/** A sparse map tarfile can write: offsets and sizes a file can seek to, pieces within the stored data. */
function sparseFits(map: [bigint, bigint][], size: bigint, stored: number): boolean {
  const limit = 2n ** 63n;
  let total = 0n;
  for (const [offset, length] of map) {
    if (offset < 0n || offset >= limit || length < 0n || length >= limit) return false;
    total += length;
  }
  return size >= 0n && size < limit && total <= BigInt(stored);
}

/** Whether os.utime() takes the time: a 64-bit time_t. */
function timestampFits(mtime: bigint | number): boolean {
  if (typeof mtime === "bigint") return mtime >= -(2n ** 63n) && mtime < 2n ** 63n;
  return Number.isFinite(mtime) && Math.abs(mtime) < 2 ** 63;
}

/** Python's int(bytes): ASCII only, whitespace limited to " \t\n\r\v\f", no NUL. */
function pyIntBytes(buf: Buffer): bigint | undefined {
  if (buf.some((b) => b > 0x7f || b === 0)) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whitespace int() skips
  const match = /^[\t\n\x0b\x0c\r ]*([+-]?)(\d(?:_?\d)*)[\t\n\x0b\x0c\r ]*$/.exec(buf.toString("latin1"));
  if (!match) return undefined;
  const value = BigInt(match[2]!.replace(/_/g, ""));
  return match[1] === "-" ? -value : value;
}

/** Unicode keeps each run of decimal digits contiguous, 0 to 9: the value is the distance from the run's start. */
function decimalValue(digit: string): number {
  const code = digit.codePointAt(0)!;
  let start = code;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (code - start) % 10;
}

/** The records of a pax header ("LEN key=value\n"), read the way tarfile's _proc_pax reads them. */
function parsePaxRecords(data: Buffer, headers: Map<string, string>): void {
  const text = data.toString("latin1");
  const record = /(\d+) ([^=]+)=/y;
  let pos = 0;
  for (;;) {
    record.lastIndex = pos;
    const match = record.exec(text);
    if (!match) return;
    const length = Number(match[1]!);
    if (length === 0) throw new HeaderError("invalid", "has a pax record of length 0");
    const valueStart = pos + match[1]!.length + 1 + match[2]!.length + 1;
    const value = data.subarray(valueStart, Math.max(valueStart, pos + length - 1));
    headers.set(decodeName(Buffer.from(match[2]!, "latin1")), decodeName(value));
    pos += length;
  }
}


/** _apply_pax_info: the pax fields that override a member's header. */
function applyPax(info: Info, headers: Map<string, string>): void {
  for (const [key, value] of headers) {
    if (key === "GNU.sparse.name") info.name = value;
    else if (key === "GNU.sparse.size" || key === "GNU.sparse.realsize") {
      const size = pyInt(value);
      if (size === undefined) throw new Unreadable(`has an unreadable ${key} pax record`);
      info.size = size;
    } else if (key === "size") info.size = pyInt(value) ?? 0n;
    else if (key === "path") info.name = value.replace(/\/+$/, "");
    else if (key === "linkpath") info.linkname = value;
    else if (key === "mtime") info.mtime = pyFloat(value) ?? 0;
  }
}
