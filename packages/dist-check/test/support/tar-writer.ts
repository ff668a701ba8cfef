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

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (`${length}${body}`.length !== length) length++;
  return `${length}${body}`;
}

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
