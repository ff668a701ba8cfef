import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

export interface TarInput {
  name: string;
  data?: Buffer | string;
  /** "0" file (default), "5" directory, "2" symlink, "1" hard link, "3" char device, "6" fifo. */
  type?: string;
  linkName?: string;
  mode?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

/** One ustar header block (names up to 100 bytes; longer ones use a pax record). */
function header(name: string, size: number, type: string, linkName: string, mode: number): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, "utf8");
  block.write(octal(mode, 8), 100, "latin1");
  block.write(octal(0, 8), 108, "latin1");
  block.write(octal(0, 8), 116, "latin1");
  block.write(octal(size, 12), 124, "latin1");
  block.write(octal(0, 12), 136, "latin1");
  block.write("        ", 148, "latin1");
  block.write(type, 156, "latin1");
  block.write(linkName, 157, 100, "utf8");
  block.write("ustar\u000000", 257, "latin1");
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return block;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);


/** The uncompressed tar bytes for `entries` (end-of-archive blocks included). */
export function tarBytes(entries: TarInput[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.data === "string" ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0));
    const type = e.type ?? "0";
    if (Buffer.byteLength(e.name) > 100) {
      const pax = Buffer.from(paxRecord("path", e.name));
      parts.push(header("././@PaxHeader", pax.length, "x", "", 0o644), pax, pad(pax.length));
    }
    const size = type === "0" ? data.length : 0;
    parts.push(header(e.name.slice(0, 100), size, type, e.linkName ?? "", e.mode ?? (type === "5" ? 0o755 : 0o644)));
    if (size) parts.push(data, pad(size));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function writeTarGz(path: string, entries: TarInput[]): void {
  writeFileSync(path, gzipSync(tarBytes(entries)));
}

/**
 * One header block written field by field, for headers tar-writer's tarBytes would not write: every field is the
 * raw bytes put at its offset (cut to its width), numbers default to NUL-terminated octal, the checksum is computed
 * last unless `checksum` gives the field's bytes. `extra` writes raw bytes anywhere (GNU sparse fields).
 */
export interface RawHeader {
  name?: Buffer;
  mode?: Buffer;
  uid?: Buffer;
  gid?: Buffer;
  size?: Buffer;
  mtime?: Buffer;
  checksum?: Buffer;
  /** The type flag byte ("0" when not given). */
  type?: number;
  linkname?: Buffer;
  /** Bytes 257..265: "ustar\0" "00" when not given. */
  magic?: Buffer;
  uname?: Buffer;
  gname?: Buffer;
  devmajor?: Buffer;
  devminor?: Buffer;
  prefix?: Buffer;
  extra?: { offset: number; bytes: Buffer }[];
}

const FIELDS: [keyof RawHeader, number, number][] = [
  ["name", 0, 100],
  ["mode", 100, 8],
  ["uid", 108, 8],
  ["gid", 116, 8],
  ["size", 124, 12],
  ["mtime", 136, 12],
  ["linkname", 157, 100],
  ["magic", 257, 8],
  ["uname", 265, 32],
  ["gname", 297, 32],
  ["devmajor", 329, 8],
  ["devminor", 337, 8],
  ["prefix", 345, 155],
];

export const octalField = (value: number | bigint, width: number): Buffer => Buffer.from(octal(Number(value), width), "latin1");

/** The header checksum tar readers expect: the block's bytes summed with the checksum field read as spaces. */
export function headerChecksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum;
}

export function rawHeader(fields: RawHeader): Buffer {
  const block = Buffer.alloc(512);
  const defaults: Partial<Record<keyof RawHeader, Buffer>> = {
    mode: octalField(0o644, 8),
    uid: octalField(0, 8),
    gid: octalField(0, 8),
    size: octalField(0, 12),
    mtime: octalField(1_700_000_000, 12),
    magic: Buffer.from("ustar\u000000", "latin1"),
    devmajor: octalField(0, 8),
    devminor: octalField(0, 8),
  };
  for (const [key, offset, width] of FIELDS) {
    const value = (fields[key] as Buffer | undefined) ?? defaults[key];
    value?.copy(block, offset, 0, Math.min(width, value.length));
  }
  block[156] = fields.type ?? 0x30;
  for (const { offset, bytes } of fields.extra ?? []) bytes.copy(block, offset);
  (fields.checksum ?? Buffer.from(`${headerChecksum(block).toString(8).padStart(6, "0")}\0 `, "latin1")).copy(block, 148, 0, 8);
  return block;
}

/** One pax record, "LEN key=value\n", its length counting itself. */
export function paxRecord(key: string | Buffer, value: string | Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(" "), Buffer.from(key), Buffer.from("="), Buffer.from(value), Buffer.from("\n")]);
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length++;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

/** `data` padded with NULs to whole 512-byte blocks. */
export const padded = (data: Buffer): Buffer => Buffer.concat([data, pad(data.length)]);
