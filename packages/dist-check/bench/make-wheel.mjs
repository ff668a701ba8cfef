// Writes a large, valid wheel fast: many small modules plus one large member of random-ish data that deflate
// cannot shrink to nothing (random 48 KiB runs from a 4 MiB pool, each followed by 16 KiB of text), streamed
// to disk so the generator itself stays small in memory.
import { createHash, randomBytes } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

const b64 = (h) => h.digest("base64url");

export async function makeWheel(path, { members = 20_000, largeBytes = 240 * 1024 * 1024 } = {}) {
  const fd = openSync(path, "w");
  const central = [];
  let offset = 0;
  const write = (buf) => {
    writeSync(fd, buf);
    offset += buf.length;
  };
  const record = [];
  const addSmall = (name, data) => {
    const body = deflateRawSync(data, { level: 6 });
    const entry = { name: Buffer.from(name), crc: crc32(data), csize: body.length, usize: data.length, offset, flags: 0x800 };
    write(localHeader(entry));
    write(body);
    central.push(entry);
    record.push(`${name},sha256=${b64(createHash("sha256").update(data))},${data.length}`);
  };
  const pool = randomBytes(4 * 1024 * 1024);
  const text = Buffer.from("def function_%d(x):\n    return x * 2  # padding text that compresses well\n".repeat(220)).subarray(0, 16 * 1024);
  for (let i = 0; i < members; i++) {
    const start = (i * 7919) % (pool.length - 2048);
    addSmall(`bigdemo/sub${i % 100}/mod_${i}.py`, Buffer.concat([Buffer.from(`# module ${i}\n`), pool.subarray(start, start + 1024), text.subarray(0, 1024)]));
  }
  // The large member is streamed, then its local header is completed in place (as zipfile does on a regular file):
  // PyPI refuses a wheel with a data descriptor.
  const patchAt = (buf, position) => writeSync(fd, buf, 0, buf.length, position);
  await addLarge("bigdemo/data/blob.bin", largeBytes, pool, text, { write, patchAt, central, record, offsetRef: () => offset });
  addSmall("bigdemo/__init__.py", Buffer.from('__version__ = "1.0.0"\n'));
  const di = "bigdemo-1.0.0.dist-info";
  addSmall(`${di}/METADATA`, Buffer.from("Metadata-Version: 2.4\nName: bigdemo\nVersion: 1.0.0\nSummary: benchmark wheel\nLicense-Expression: MIT\nDescription-Content-Type: text/markdown\n\n# bigdemo\n\nA generated benchmark wheel.\n"));
  addSmall(`${di}/WHEEL`, Buffer.from("Wheel-Version: 1.0\nGenerator: dist-check-bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n"));
  record.push(`${di}/RECORD,,`);
  const recordData = Buffer.from(`${record.join("\n")}\n`);
  const body = deflateRawSync(recordData);
  const entry = { name: Buffer.from(`${di}/RECORD`), crc: crc32(recordData), csize: body.length, usize: recordData.length, offset, flags: 0x800 };
  write(localHeader(entry));
  write(body);
  central.push(entry);
  writeCentral(central, write, () => offset);
  closeSync(fd);
  return offset;
}

async function addLarge(name, size, pool, text, ctx) {
  const entry = { name: Buffer.from(name), crc: 0, csize: 0, usize: size, offset: ctx.offsetRef(), flags: 0x800 };
  ctx.write(localHeader(entry));
  const hash = createHash("sha256");
  const deflate = createDeflateRaw({ level: 1, chunkSize: 1 << 20 });
  deflate.on("data", (chunk) => {
    ctx.write(chunk);
    entry.csize += chunk.length;
  });
  const done = new Promise((resolve, reject) => deflate.on("end", resolve).on("error", reject));
  let crc = 0;
  for (let produced = 0, i = 0; produced < size; i++) {
    const start = (i * 104_729) % (pool.length - 48 * 1024);
    const block = Buffer.concat([pool.subarray(start, start + 48 * 1024), text]).subarray(0, Math.min(64 * 1024, size - produced));
    crc = crc32(block, crc);
    hash.update(block);
    produced += block.length;
    if (!deflate.write(block)) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  entry.crc = crc;
  const sizes = Buffer.alloc(12);
  sizes.writeUInt32LE(entry.crc >>> 0, 0);
  sizes.writeUInt32LE(entry.csize, 4);
  sizes.writeUInt32LE(entry.usize, 8);
  ctx.patchAt(sizes, entry.offset + 14);
  ctx.central.push(entry);
  ctx.record.push(`${name},sha256=${b64(hash)},${size}`);
}

function localHeader(e) {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(e.flags, 6);
  h.writeUInt16LE(8, 8);
  h.writeUInt32LE(e.crc >>> 0, 14);
  h.writeUInt32LE(e.csize, 18);
  h.writeUInt32LE(e.usize, 22);
  h.writeUInt16LE(e.name.length, 26);
  return Buffer.concat([h, e.name]);
}

function writeCentral(entries, write, offsetRef) {
  const start = offsetRef();
  for (const e of entries) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(0x031e, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(e.flags, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(e.crc >>> 0, 16);
    c.writeUInt32LE(e.csize, 20);
    c.writeUInt32LE(e.usize, 24);
    c.writeUInt16LE(e.name.length, 28);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(e.offset, 42);
    write(Buffer.concat([c, e.name]));
  }
  const size = offsetRef() - start;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(start, 16);
  write(end);
}
