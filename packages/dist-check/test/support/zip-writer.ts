import { closeSync, openSync, writeSync } from "node:fs";
import { crc32, deflateRawSync } from "node:zlib";

export interface ZipInput {
  name: string;
  data: Buffer | string;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** Lie about the uncompressed size in the headers. */
  declaredSize?: number;
  /** Use another name in the local header than in the central directory. */
  localName?: string;
  flags?: number;
  /** Write these bytes as the member's data instead of data's deflated or stored form (corrupt data). */
  body?: Buffer;
  /** Write this CRC-32 in both headers instead of the data's (bytes changed without updating the headers). */
  crc?: number;
  /** Write this CRC-32 in the local header only (headers disagree). */
  localCrc?: number;
}

/**
 * Writes a zip with full control over its structure (duplicates, lies, trailing bytes), streaming entries to
 * disk; zip64 end records are added when there are more than 65,535 entries.
 */
export function writeZip(path: string, inputs: Iterable<ZipInput>, options: { trailing?: Buffer; level?: number } = {}): void {
  const fd = openSync(path, "w");
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const write = (buf: Buffer) => {
    writeSync(fd, buf);
    offset += buf.length;
  };
  for (const input of inputs) {
    const data = typeof input.data === "string" ? Buffer.from(input.data) : input.data;
    const method = input.method ?? 8;
    const body = input.body ?? (method === 8 ? deflateRawSync(data, { level: options.level ?? 6 }) : data);
    const name = Buffer.from(input.name, "utf8");
    const localName = Buffer.from(input.localName ?? input.name, "utf8");
    const size = input.declaredSize ?? data.length;
    const crc = input.crc ?? crc32(data);
    const flags = (input.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(input.localCrc ?? crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(localName.length, 26);
    const localOffset = offset;
    write(local);
    write(localName);
    write(body);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x031e, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(body.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    entry.writeUInt32LE(localOffset, 42);
    central.push(entry, name);
    count++;
  }
  const centralOffset = offset;
  for (const part of central) write(part);
  const centralSize = offset - centralOffset;
  if (count > 0xffff) {
    const z64 = Buffer.alloc(56);
    z64.writeUInt32LE(0x06064b50, 0);
    z64.writeBigUInt64LE(44n, 4);
    z64.writeUInt16LE(45, 12);
    z64.writeUInt16LE(45, 14);
    z64.writeBigUInt64LE(BigInt(count), 24);
    z64.writeBigUInt64LE(BigInt(count), 32);
    z64.writeBigUInt64LE(BigInt(centralSize), 40);
    z64.writeBigUInt64LE(BigInt(centralOffset), 48);
    const z64Offset = offset;
    write(z64);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(z64Offset), 8);
    locator.writeUInt32LE(1, 16);
    write(locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  write(end);
  if (options.trailing) write(options.trailing);
  closeSync(fd);
}
