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
  /** Stream the member: flag bit 3, zero CRC and sizes in the local header, a data descriptor after the data. */
  descriptor?: boolean;
  /** A comment on the member's central directory entry. */
  comment?: string;
  /** Extra field bytes in the local header. */
  localExtra?: Buffer;
  /** Write this compressed or uncompressed size in the local header only (headers disagree). */
  localCompressedSize?: number;
  localSize?: number;
  /** Leave the UTF-8 flag off (the names are then cp437 to zipfile). */
  noUtf8Flag?: boolean;
  /** Zero bytes written after the member's data, before the next record. */
  paddingAfter?: number;
  /** Extra field bytes in the central directory entry. */
  centralExtra?: Buffer;
  /** Write the sizes (and in the central directory the offset) as 0xFFFFFFFF with the values in ZIP64 extra fields. */
  zip64?: boolean;
  /** Write these flags in the local header instead of the central directory's. */
  localFlags?: number;
  /** The central directory's "version needed to extract" (default 20). */
  versionNeeded?: number;
  /** Write this local header offset in the central directory instead of the real one. */
  centralOffset?: number;
}

export interface ZipOptions {
  trailing?: Buffer;
  level?: number;
  /** Bytes before the first member (a stub, as self-extracting archives have). */
  leading?: Buffer;
  /** Bytes after the last member's data, before the central directory. */
  beforeCentral?: Buffer;
  /** The end record's count of entries on this disk, when it should differ from the total. */
  entriesOnDisk?: number;
  /** The end record counts this many fewer entries than the central directory holds (its size covers them all). */
  uncountedEntries?: number;
  /**
   * Force zip64 end records; `extensible` adds bytes to the zip64 end record (its size then is not 44),
   * `beforeLocator` writes bytes between that record and its locator.
   */
  zip64?: { extensible?: boolean; beforeLocator?: Buffer; locatorDisk?: number; totalDisks?: number };
  /** The archive comment (after the end record). */
  comment?: Buffer;
}

/**
 * Writes a zip with full control over its structure (duplicates, lies, trailing bytes), streaming entries to
 * disk; zip64 end records are added when there are more than 65,535 entries.
 */
export function writeZip(path: string, inputs: Iterable<ZipInput>, options: ZipOptions = {}): void {
  const fd = openSync(path, "w");
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  const write = (buf: Buffer) => {
    writeSync(fd, buf);
    offset += buf.length;
  };
  if (options.leading) write(options.leading);
  for (const input of inputs) {
    const data = typeof input.data === "string" ? Buffer.from(input.data) : input.data;
    const method = input.method ?? 8;
    const body = input.body ?? (method === 8 ? deflateRawSync(data, { level: options.level ?? 6 }) : data);
    const name = Buffer.from(input.name, "utf8");
    const localName = Buffer.from(input.localName ?? input.name, "utf8");
    const size = input.declaredSize ?? data.length;
    const crc = input.crc ?? crc32(data);
    const flags = (input.flags ?? 0) | (input.noUtf8Flag ? 0 : 0x800) | (input.descriptor ? 0x8 : 0);
    const localOffset = offset;
    const zip64 = (...values: number[]) => {
      const field = Buffer.alloc(4 + 8 * values.length);
      field.writeUInt16LE(0x0001, 0);
      field.writeUInt16LE(8 * values.length, 2);
      for (const [i, v] of values.entries()) field.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
      return field;
    };
    const localExtra = Buffer.concat([input.zip64 ? zip64(size, body.length) : Buffer.alloc(0), input.localExtra ?? Buffer.alloc(0)]);
    const centralExtra = Buffer.concat([input.zip64 ? zip64(size, body.length, localOffset) : Buffer.alloc(0), input.centralExtra ?? Buffer.alloc(0)]);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(input.localFlags ?? flags, 6);
    local.writeUInt16LE(method, 8);
    if (!input.descriptor) {
      local.writeUInt32LE(input.localCrc ?? crc, 14);
      local.writeUInt32LE(input.localCompressedSize ?? (input.zip64 ? 0xffffffff : body.length), 18);
      local.writeUInt32LE(input.localSize ?? (input.zip64 ? 0xffffffff : size), 22);
    }
    local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    write(local);
    write(localName);
    write(localExtra);
    write(body);
    if (input.descriptor) {
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(body.length, 8);
      descriptor.writeUInt32LE(size, 12);
      write(descriptor);
    }
    if (input.paddingAfter) write(Buffer.alloc(input.paddingAfter));
    const comment = Buffer.from(input.comment ?? "", "utf8");
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(0x031e, 4);
    entry.writeUInt16LE(input.versionNeeded ?? 20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(input.zip64 ? 0xffffffff : body.length, 20);
    entry.writeUInt32LE(input.zip64 ? 0xffffffff : size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt16LE(centralExtra.length, 30);
    entry.writeUInt16LE(comment.length, 32);
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    entry.writeUInt32LE(input.centralOffset ?? (input.zip64 ? 0xffffffff : localOffset), 42);
    central.push(entry, name, centralExtra, comment);
    count++;
  }
  if (options.beforeCentral) write(options.beforeCentral);
  count -= options.uncountedEntries ?? 0;
  const centralOffset = offset;
  for (const part of central) write(part);
  const centralSize = offset - centralOffset;
  if (count > 0xffff || options.zip64) {
    const extensible = options.zip64?.extensible ? Buffer.from("extensible data") : Buffer.alloc(0);
    const z64 = Buffer.alloc(56 + extensible.length);
    z64.writeUInt32LE(0x06064b50, 0);
    z64.writeBigUInt64LE(BigInt(44 + extensible.length), 4);
    extensible.copy(z64, 56);
    z64.writeUInt16LE(45, 12);
    z64.writeUInt16LE(45, 14);
    z64.writeBigUInt64LE(BigInt(count), 24);
    z64.writeBigUInt64LE(BigInt(count), 32);
    z64.writeBigUInt64LE(BigInt(centralSize), 40);
    z64.writeBigUInt64LE(BigInt(centralOffset), 48);
    const z64Offset = offset;
    write(z64);
    if (options.zip64?.beforeLocator) write(options.zip64.beforeLocator);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeUInt32LE(options.zip64?.locatorDisk ?? 0, 4);
    locator.writeBigUInt64LE(BigInt(z64Offset), 8);
    locator.writeUInt32LE(options.zip64?.totalDisks ?? 1, 16);
    write(locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.entriesOnDisk ?? Math.min(count, 0xffff), 8);
  end.writeUInt16LE(Math.min(count, 0xffff), 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  end.writeUInt16LE(options.comment?.length ?? 0, 20);
  write(end);
  if (options.comment) write(options.comment);
  if (options.trailing) write(options.trailing);
  closeSync(fd);
}
