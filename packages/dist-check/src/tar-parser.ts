import { createHash, type Hash } from "node:crypto";
import type { ArchiveMember, ArchiveScan } from "./archive.js";

/** Thrown to stop reading once the tar stream is known to be damaged (the problem is already recorded). */
export class TarStop extends Error {}

const BLOCK = 512;
const TYPES: Record<string, NonNullable<ArchiveMember["type"]>> = {
  "0": "file", "\0": "file", "7": "file", "5": "directory", "2": "symlink", "1": "hardlink", "3": "char-device", "4": "block-device", "6": "fifo",
};
/** pax and GNU long-name records are small; anything bigger is not metadata. */
const MAX_EXTENDED = 1024 * 1024;

interface Pending {
  member?: ArchiveMember;
  kind: "member" | "pax" | "gnu-name" | "gnu-link" | "skip";
  parts: Buffer[] | undefined;
  /** With hashMembers: a regular file's sha256, fed as its data streams by. */
  hash?: Hash;
}

/** A push parser for ustar/pax/GNU tar streams, the subset Python's tarfile writes and reads. */
export class TarParser {
  private header = Buffer.alloc(0);
  private dataLeft = 0;
  private padLeft = 0;
  private pending: Pending | undefined;
  private overrides: { path?: string; linkpath?: string; size?: number } = {};
  private ended = false;

  constructor(
    private readonly scan: ArchiveScan,
    private readonly keep: (name: string) => boolean,
    private readonly keepMaxBytes: number,
    /** Whether each regular file's sha256 is taken (member.sha256), for comparing two archives' contents. */
    private readonly hashMembers = false,
  ) {}

  push(chunk: Buffer): void {
    let p = 0;
    while (p < chunk.length && !this.ended) {
      if (this.dataLeft > 0) {
        const k = Math.min(this.dataLeft, chunk.length - p);
        this.pending?.parts?.push(chunk.subarray(p, p + k));
        this.pending?.hash?.update(chunk.subarray(p, p + k));
        this.dataLeft -= k;
        p += k;
        if (this.dataLeft === 0) this.finishData();
      } else if (this.padLeft > 0) {
        const k = Math.min(this.padLeft, chunk.length - p);
        this.padLeft -= k;
        p += k;
      } else {
        const k = Math.min(BLOCK - this.header.length, chunk.length - p);
        this.header = Buffer.concat([this.header, chunk.subarray(p, p + k)]);
        p += k;
        if (this.header.length === BLOCK) {
          const block = this.header;
          this.header = Buffer.alloc(0);
          this.readHeader(block);
        }
      }
    }
  }

  /** The stream ended: fine after the end-of-archive block or between members, damaged inside one. */
  end(): void {
    if (this.ended || (this.dataLeft === 0 && this.padLeft === 0 && this.header.length === 0)) return;
    this.scan.problems.push({ code: "DC_TRUNCATED", message: "the tar stream ends inside a member (file cut short?)" });
    this.scan.incomplete = true;
  }

  private readHeader(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumMatches(block)) {
      this.scan.problems.push({ code: "DC_TAR_CORRUPT", message: `tar header ${this.scan.members.length + 1} has a bad checksum` });
      throw new TarStop();
    }
    const typeflag = String.fromCharCode(block[156] ?? 0);
    const size = this.overrides.size ?? parseNumber(block.subarray(124, 136));
    if (size === undefined) {
      this.scan.problems.push({ code: "DC_TAR_CORRUPT", message: "a tar header has an unreadable size field" });
      throw new TarStop();
    }
    if (typeflag === "x" || typeflag === "g" || typeflag === "L" || typeflag === "K") {
      const kind = typeflag === "x" ? "pax" : typeflag === "L" ? "gnu-name" : typeflag === "K" ? "gnu-link" : "skip";
      this.startData({ kind, parts: kind === "skip" || size > MAX_EXTENDED ? undefined : [] }, size);
      return;
    }
    const member = this.memberFrom(block, typeflag, size);
    this.scan.members.push(member);
    this.overrides = {};
    const dataSize = member.type === "file" || member.type === "other" ? size : 0;
    const wanted = member.type === "file" && this.keep(member.name) && size <= this.keepMaxBytes;
    const hash = this.hashMembers && member.type === "file" ? createHash("sha256") : undefined;
    this.startData({ kind: "member", member, parts: wanted ? [] : undefined, ...(hash ? { hash } : {}) }, dataSize);
  }

  private memberFrom(block: Buffer, typeflag: string, size: number): ArchiveMember {
    const isUstar = block.subarray(257, 262).toString("latin1") === "ustar";
    const prefix = isUstar ? cString(block.subarray(345, 500)) : "";
    const baseName = cString(block.subarray(0, 100));
    const name = this.overrides.path ?? (prefix ? `${prefix}/${baseName}` : baseName);
    const type = TYPES[typeflag] ?? "other";
    return {
      name,
      isDirectory: type === "directory",
      size,
      type,
      linkName: this.overrides.linkpath ?? cString(block.subarray(157, 257)),
      mode: parseNumber(block.subarray(100, 108)) ?? 0,
    };
  }

  private startData(pending: Pending, size: number): void {
    this.pending = pending;
    this.dataLeft = size;
    this.padLeft = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishData();
  }

  private finishData(): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending?.hash && pending.member) pending.member.sha256 = pending.hash.digest("base64url");
    if (!pending?.parts) return;
    const data = Buffer.concat(pending.parts);
    if (pending.kind === "member" && pending.member) this.scan.kept.set(pending.member.name, data);
    else if (pending.kind === "gnu-name") this.overrides.path = cString(data);
    else if (pending.kind === "gnu-link") this.overrides.linkpath = cString(data);
    else if (pending.kind === "pax") Object.assign(this.overrides, parsePax(data));
  }
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end < 0 ? buf.length : end).toString("utf8");
}

/** Octal (NUL/space padded) or GNU base-256 numbers. */
function parseNumber(field: Buffer): number | undefined {
  if ((field[0] ?? 0) & 0x80) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = field.toString("latin1").replace(/[\0 ]+$/g, "").replace(/^[ ]+/, "");
  if (text === "") return 0;
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : undefined;
}

function checksumMatches(block: Buffer): boolean {
  const stored = parseNumber(block.subarray(148, 156));
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** pax records: "LEN key=value\n". */
function parsePax(data: Buffer): { path?: string; linkpath?: string; size?: number } {
  const result: { path?: string; linkpath?: string; size?: number } = {};
  let p = 0;
  while (p < data.length) {
    const space = data.indexOf(0x20, p);
    if (space < 0) break;
    const length = Number.parseInt(data.subarray(p, space).toString("latin1"), 10);
    if (!(length > 0)) break;
    const record = data.subarray(space + 1, p + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    if (key === "path") result.path = value;
    else if (key === "linkpath") result.linkpath = value;
    else if (key === "size" && /^\d+$/.test(value)) result.size = Number(value);
    p += length;
  }
  return result;
}
