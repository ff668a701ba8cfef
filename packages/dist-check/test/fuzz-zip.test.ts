import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateRawSync } from "node:zlib";
import { mulberry32, pythonTools, tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../src/archive.js";
import { scanZip } from "../src/zip-scan.js";
import { BASE_FILES, writeWheel } from "./support/generate.js";

// A seeded random differential test of how dist-check reads a wheel (one streaming pass: end records, central
// directory, local headers, member data) against how pip reads it: Python's zipfile (ZipFile(path), then every
// infolist() entry opened and read, which checks its CRC-32). Small valid wheels written by the test writer are
// parsed into their records (local headers with name, extra and data; central entries; ZIP64 end record and
// locator; end record and comment), then damaged one to a few times: a field of any record set to an edge value
// (0, 1, all ones, one off, another record's value, flag bits 0/3/5/6/11, compression methods, versions, disk
// numbers), names changed in one header or both (non-ASCII, invalid UTF-8, cp437, control characters), the UTF-8
// flag toggled, ZIP64 extras added (right, wrong, short), extra fields malformed or repeated, central entries
// duplicated, dropped or reordered, members swapped, data corrupted, recompressed, cut or extended, data
// descriptors, bytes inserted before, between or after records, archive comments holding an end record signature;
// then, sometimes, raw bytes flipped, inserted, deleted, cut off or appended. Checked for each archive:
// - dist-check never throws (every problem is a finding);
// - when dist-check reports nothing, zipfile opens the archive, lists the same member names (as a multiset) and
//   reads every member without an exception, with the sha256 dist-check computed;
// - when zipfile cannot open the archive, dist-check reports something.
// DC_FUZZ_ZIP_SEED and DC_FUZZ_ZIP_CASES override the seed and the count (for longer hunts).

const SEED = Number(process.env.DC_FUZZ_ZIP_SEED ?? 0x5eed_21f0);
const CASES = Number(process.env.DC_FUZZ_ZIP_CASES ?? 2000);
/** Every LARGE_EVERY-th case damages the large wheel (its member is inflated on the worker thread). */
const LARGE_EVERY = Number(process.env.DC_FUZZ_ZIP_LARGE_EVERY ?? 400);

const REFERENCE = `
import base64, hashlib, json, sys, zipfile

def digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode("ascii").rstrip("=")

out = []
for path in json.loads(sys.stdin.read()):
    try:
        zf = zipfile.ZipFile(path)
    except Exception as e:
        out.append({"opens": False, "error": (type(e).__name__ + ": " + str(e))[:300]})
        continue
    members, error = [], None
    with zf:
        for info in zf.infolist():
            try:
                with zf.open(info) as f:
                    members.append([info.filename, digest(f.read())])
            except Exception as e:
                members.append([info.filename, None])
                error = error or (repr(info.filename) + ": " + type(e).__name__ + ": " + str(e))[:300]
    out.append({"opens": True, "members": members, "error": error})
sys.stdout.write(json.dumps(out))
`;

interface Reference {
  opens: boolean;
  members?: [string, string | null][];
  error: string | null;
}

function zipfileReads(paths: string[]): Reference[] {
  return JSON.parse(execFileSync(pythonTools().python, ["-c", REFERENCE], { input: JSON.stringify(paths), encoding: "utf8", maxBuffer: 1 << 30 }));
}

// ---- The records of a zip, as fields that can be set to anything (undefined: computed when the zip is written) ----

type Format = ReadonlyArray<readonly [string, number]>;
const LOCAL_FORMAT: Format = [["sig", 4], ["version", 2], ["flags", 2], ["method", 2], ["time", 2], ["date", 2], ["crc", 4], ["csize", 4], ["usize", 4], ["nameLen", 2], ["extraLen", 2]];
// prettier-ignore
const CENTRAL_FORMAT: Format = [
  ["sig", 4], ["madeBy", 1], ["system", 1], ["needed", 1], ["reserved", 1], ["flags", 2], ["method", 2], ["time", 2], ["date", 2], ["crc", 4], ["csize", 4],
  ["usize", 4], ["nameLen", 2], ["extraLen", 2], ["commentLen", 2], ["disk", 2], ["internal", 2], ["external", 4], ["offset", 4],
];
const EOCD_FORMAT: Format = [["sig", 4], ["disk", 2], ["cdDisk", 2], ["countDisk", 2], ["count", 2], ["cdSize", 4], ["cdOffset", 4], ["commentLen", 2]];
const Z64_FORMAT: Format = [["sig", 4], ["size", 8], ["madeBy", 2], ["needed", 2], ["disk", 4], ["cdDisk", 4], ["countDisk", 8], ["count", 8], ["cdSize", 8], ["cdOffset", 8]];
const LOCATOR_FORMAT: Format = [["sig", 4], ["disk", 4], ["offset", 8], ["disks", 4]];

type Fields = Record<string, number | undefined>;

interface Member {
  local: Fields;
  name: Buffer;
  extra: Buffer;
  data: Buffer;
  /** What follows the data before the next record: a data descriptor, padding. */
  after: Buffer;
}

interface Entry {
  f: Fields;
  name: Buffer;
  extra: Buffer;
  comment: Buffer;
  /** The member whose local header the offset points at (when the offset is computed). */
  member: number;
  /** The offset is in a ZIP64 extra field (the last 8 bytes of the first one), filled in when written. */
  zip64Offset?: boolean;
}

interface Model {
  leading: Buffer;
  members: Member[];
  beforeCentral: Buffer;
  central: Entry[];
  z64: { f: Fields; extensible: Buffer; between: Buffer; locator: Fields } | undefined;
  eocd: Fields;
  comment: Buffer;
  trailing: Buffer;
}

function readFields(buf: Buffer, at: number, format: Format): Fields {
  const fields: Fields = {};
  for (const [name, width] of format) {
    fields[name] = width === 8 ? Number(buf.readBigUInt64LE(at)) : buf.readUIntLE(at, width);
    at += width;
  }
  return fields;
}

function writeFields(fields: Fields, format: Format, auto: Fields): Buffer {
  const out = Buffer.alloc(format.reduce((n, [, w]) => n + w, 0));
  let at = 0;
  for (const [name, width] of format) {
    const value = fields[name] ?? auto[name] ?? 0;
    // -1 stands for all ones at any width.
    if (width === 8) out.writeBigUInt64LE(BigInt.asUintN(64, BigInt(value)), at);
    else out.writeUIntLE(value < 0 ? 2 ** (8 * width) - 1 : value % 2 ** (8 * width), at, width);
    at += width;
  }
  return out;
}

/** The records of a valid zip written by the test writer. */
function parseZip(bytes: Buffer): Model {
  let eocdAt = bytes.length - 22;
  while (bytes.readUInt32LE(eocdAt) !== 0x06054b50 || eocdAt + 22 + bytes.readUInt16LE(eocdAt + 20) !== bytes.length) eocdAt--;
  const eocd = readFields(bytes, eocdAt, EOCD_FORMAT);
  let z64: Model["z64"];
  let cdOffset = eocd.cdOffset!;
  let count = eocd.count!;
  if (eocdAt >= 20 && bytes.readUInt32LE(eocdAt - 20) === 0x07064b50) {
    const locator = readFields(bytes, eocdAt - 20, LOCATOR_FORMAT);
    const f = readFields(bytes, locator.offset!, Z64_FORMAT);
    z64 = { f, extensible: bytes.subarray(locator.offset! + 56, locator.offset! + 12 + f.size!), between: bytes.subarray(locator.offset! + 12 + f.size!, eocdAt - 20), locator };
    cdOffset = f.cdOffset!;
    count = f.count!;
    for (const k of ["size", "countDisk", "count", "cdSize", "cdOffset"]) delete f[k];
    delete locator.offset;
  }
  const central: Entry[] = [];
  const byOffset = new Map<number, number>();
  const offsets: number[] = [];
  const compressedSizes: number[] = [];
  for (let p = cdOffset, i = 0; i < count; i++) {
    const f = readFields(bytes, p, CENTRAL_FORMAT);
    const name = bytes.subarray(p + 46, p + 46 + f.nameLen!);
    const extra = bytes.subarray(p + 46 + f.nameLen!, p + 46 + f.nameLen! + f.extraLen!);
    const comment = bytes.subarray(p + 46 + f.nameLen! + f.extraLen!, p + 46 + f.nameLen! + f.extraLen! + f.commentLen!);
    p += 46 + f.nameLen! + f.extraLen! + f.commentLen!;
    // The writer's ZIP64 extra holds usize, csize, offset.
    const zip64 = f.offset === 0xffffffff;
    const offset = zip64 ? Number(extra.readBigUInt64LE(20)) : f.offset!;
    compressedSizes.push(zip64 ? Number(extra.readBigUInt64LE(12)) : f.csize!);
    if (!zip64) delete f.offset;
    for (const k of ["nameLen", "extraLen", "commentLen"]) delete f[k];
    byOffset.set(offset, i);
    offsets.push(offset);
    central.push({ f, name, extra, comment, member: -1, ...(zip64 ? { zip64Offset: true } : {}) });
  }
  const sorted = [...offsets].sort((a, b) => a - b);
  const members: Member[] = [];
  const starts: number[] = [];
  for (const [k, offset] of sorted.entries()) {
    const index = byOffset.get(offset)!;
    const csize = compressedSizes[index]!;
    const local = readFields(bytes, offset, LOCAL_FORMAT);
    const dataStart = offset + 30 + local.nameLen! + local.extraLen!;
    const end = k + 1 < sorted.length ? sorted[k + 1]! : cdOffset;
    members.push({
      local,
      name: bytes.subarray(offset + 30, offset + 30 + local.nameLen!),
      extra: bytes.subarray(offset + 30 + local.nameLen!, dataStart),
      data: bytes.subarray(dataStart, dataStart + csize),
      after: bytes.subarray(dataStart + csize, end),
    });
    delete local.nameLen;
    delete local.extraLen;
    central[index]!.member = k;
    starts.push(offset);
  }
  for (const k of ["countDisk", "count", "cdSize", "cdOffset", "commentLen"]) delete eocd[k];
  const first = starts[0] ?? cdOffset;
  return {
    leading: bytes.subarray(0, first),
    members,
    beforeCentral: Buffer.alloc(0),
    central,
    z64,
    eocd,
    comment: bytes.subarray(eocdAt + 22),
    trailing: Buffer.alloc(0),
  };
}

function buildZip(m: Model): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const push = (b: Buffer) => {
    parts.push(b);
    offset += b.length;
  };
  push(m.leading);
  const starts: number[] = [];
  for (const member of m.members) {
    starts.push(offset);
    push(writeFields(member.local, LOCAL_FORMAT, { nameLen: member.name.length, extraLen: member.extra.length }));
    push(member.name);
    push(member.extra);
    push(member.data);
    push(member.after);
  }
  push(m.beforeCentral);
  const cdOffset = offset;
  for (const e of m.central) {
    const auto = { nameLen: e.name.length, extraLen: e.extra.length, commentLen: e.comment.length, offset: starts[e.member] ?? 0 };
    push(writeFields(e.f, CENTRAL_FORMAT, auto));
    push(e.name);
    push(e.extra);
    push(e.comment);
  }
  const cdSize = offset - cdOffset;
  const count = m.central.length;
  if (m.z64) {
    const z64Offset = offset;
    push(writeFields(m.z64.f, Z64_FORMAT, { size: 44 + m.z64.extensible.length, countDisk: count, count, cdSize, cdOffset }));
    push(m.z64.extensible);
    push(m.z64.between);
    push(writeFields(m.z64.locator, LOCATOR_FORMAT, { offset: z64Offset }));
  }
  push(writeFields(m.eocd, EOCD_FORMAT, { countDisk: Math.min(count, 0xffff), count: Math.min(count, 0xffff), cdSize, cdOffset, commentLen: m.comment.length }));
  push(m.comment);
  push(m.trailing);
  return Buffer.concat(parts);
}

function cloneModel(m: Model): Model {
  return {
    ...m,
    members: m.members.map((x) => ({ ...x, local: { ...x.local } })),
    central: m.central.map((e) => ({ ...e, f: { ...e.f } })),
    z64: m.z64 && { ...m.z64, f: { ...m.z64.f }, locator: { ...m.z64.locator } },
    eocd: { ...m.eocd },
  };
}

// ---- Damage ----

type Rand = () => number;

const extraField = (id: number, data: Buffer, declared = data.length) => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(declared, 2);
  return Buffer.concat([head, data]);
};
/** 64-bit little-endian values (-1: all ones). */
const u64s = (...values: number[]) => {
  const out = Buffer.alloc(8 * values.length);
  for (const [i, v] of values.entries()) out.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), 8 * i);
  return out;
};

/** Bytes to put in names: ASCII, separators, UTF-8 of every length, lone and broken UTF-8, cp437 highs, controls. */
const NAME_BYTES: Buffer[] = [
  ..."aZ09._-/\\ ".split("").map((c) => Buffer.from(c)),
  ...["é", "é", "ı", "\u212a", "٣", "²", "ﬁ", "名", "😀", "\u0301", "\u00a0", "\u2028", "\ufeff"].map((c) => Buffer.from(c, "utf8")),
  ...[[0x80], [0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0x00], [0x07], [0x1f], [0x7f], [0x0a], [0x0d]].map((b) => Buffer.from(b)),
  Buffer.from("PK\x03\x04"),
  Buffer.from("PK\x05\x06"),
];

function damage(m: Model, rand: Rand, log: string[]): void {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const chance = (p: number) => rand() < p;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const interesting = (value: number | undefined, width: number): number => {
    const v = value ?? 0;
    const max = width === 8 ? 2 ** 53 : 2 ** (8 * width) - 1;
    // Past 2^53 only as all ones or 2^63 (exact as numbers): offsets no file has and no Number holds exactly.
    if (width === 8 && chance(0.25)) return pick([-1, 2 ** 63, 2 ** 53, 2 ** 32]);
    return pick([0, 1, 2, v + 1, Math.max(0, v - 1), (v ^ (1 << int(Math.min(8 * width, 31)))) >>> 0, 0xff, 0xffff, 0xfffe, 0xffffffff, -1, int(max), v * 2, v + 0x10000, 44, 45, 63, 64])! % (max + 1);
  };
  const member = () => int(m.members.length);
  const entry = () => int(m.central.length);
  const entriesOf = (k: number) => m.central.filter((e) => e.member === k);
  /** Which headers a change applies to: the local one, the central one(s), or both. */
  const where = () => pick(["local", "central", "both", "both", "both"] as const);
  const onMember = (k: number, what: string, local: (x: Member) => void, central: (e: Entry) => void) => {
    const w = where();
    log.push(`${what} of member ${k} (${m.members[k]?.name.toString("latin1")}) in ${w}`);
    if (w !== "central") local(m.members[k]!);
    if (w !== "local") for (const e of entriesOf(k)) central(e);
  };
  const ops: Array<[number, () => void]> = [
    // A field of any record set to an edge value.
    [
      12,
      () => {
        const kind = pick(["local", "central", "central", "eocd", "z64", "locator"] as const);
        const [fields, format] =
          kind === "local" && m.members.length
            ? [m.members[member()]!.local, LOCAL_FORMAT]
            : kind === "central" && m.central.length
              ? [m.central[entry()]!.f, CENTRAL_FORMAT]
              : kind === "z64" && m.z64
                ? [m.z64.f, Z64_FORMAT]
                : kind === "locator" && m.z64
                  ? [m.z64.locator, LOCATOR_FORMAT]
                  : [m.eocd, EOCD_FORMAT];
        const [name, width] = chance(0.03) ? format[0]! : format[1 + int(format.length - 1)]!;
        const value = interesting(fields[name], width);
        log.push(`${kind === "central" || kind === "local" ? kind : format === EOCD_FORMAT ? "eocd" : kind}.${name} = ${value}`);
        fields[name] = value;
      },
    ],
    // Flag bits: encrypted, data descriptor (without one), patched data, strong encryption, UTF-8, masked header.
    [
      6,
      () => {
        const bit = pick([0, 1, 2, 3, 5, 6, 11, 11, 11, 13]);
        const toggle = (f: Fields) => {
          f.flags = (f.flags ?? 0) ^ (1 << bit);
        };
        onMember(member(), `flag bit ${bit} toggled`, (x) => toggle(x.local), (e) => toggle(e.f));
      },
    ],
    [
      3,
      () => {
        const method = pick([0, 1, 6, 8, 9, 12, 14, 93, 99]);
        const set = (f: Fields) => {
          f.method = method;
        };
        onMember(member(), `method ${method}`, (x) => set(x.local), (e) => set(e.f));
      },
    ],
    [
      3,
      () => {
        const k = entry();
        const needed = pick([0, 10, 20, 45, 62, 63, 64, 99, 255]);
        log.push(`central ${k} version needed ${needed}`);
        m.central[k]!.f.needed = needed;
      },
    ],
    // A member recompressed, or its content replaced (CRC and sizes updated in both headers, or not).
    [
      5,
      () => {
        const k = member();
        const x = m.members[k]!;
        const content = chance(0.5) ? bytes(int(300)) : Buffer.from("print('changed')\n".repeat(int(20)));
        const method = pick([0, 8]);
        const data = method === 8 ? deflateRawSync(content, { level: pick([0, 1, 9]) }) : content;
        const update = chance(0.8);
        log.push(`member ${k} content replaced (${content.length} bytes, method ${method}, headers ${update ? "updated" : "kept"})`);
        x.data = data;
        const set = (f: Fields) => {
          f.method = method;
          if (!update) return;
          f.crc = crc32(content);
          f.csize = data.length;
          f.usize = content.length;
        };
        if (!(x.local.flags! & 8)) set(x.local);
        for (const e of entriesOf(k)) set(e.f);
      },
    ],
    // Member data damaged: a byte changed, cut, extended (the sizes follow, or not).
    [
      4,
      () => {
        const k = member();
        const x = m.members[k]!;
        const how = pick(["byte", "cut", "extend", "garbage after deflate", "empty"] as const);
        const follow = chance(0.5);
        log.push(`member ${k} data: ${how} (sizes ${follow ? "follow" : "kept"})`);
        const data = Buffer.from(x.data);
        if (how === "byte" && data.length) data[int(data.length)] = int(256);
        x.data =
          how === "cut"
            ? data.subarray(0, int(data.length + 1))
            : how === "extend" || how === "garbage after deflate"
              ? Buffer.concat([data, bytes(1 + int(8))])
              : how === "empty"
                ? Buffer.alloc(0)
                : data;
        if (follow) {
          x.local.csize = x.data.length;
          for (const e of entriesOf(k)) e.f.csize = x.data.length;
        }
      },
    ],
    // CRC and sizes in one header or both.
    [
      5,
      () => {
        const field = pick(["crc", "csize", "usize"]);
        const delta = pick([1, -1, 0x100, 0xffffffff]);
        const change = (f: Fields) => {
          f[field] = delta === 0xffffffff ? delta : ((f[field] ?? 0) + delta) >>> 0;
        };
        onMember(member(), `${field} ${delta > 0 ? "+" : ""}${delta}`, (x) => change(x.local), (e) => change(e.f));
      },
    ],
    // ZIP64 extras: sizes (and offset) moved into them, right or wrong, complete or short.
    [
      5,
      () => {
        const k = member();
        const x = m.members[k]!;
        const usize = x.local.usize ?? 0;
        const csize = x.data.length;
        const wrong = chance(0.3) ? pick([1, -1, 0x100000000, 2 ** 63]) : 0;
        const inLocal = pick(["none", "both sizes", "usize only", "short"] as const);
        const inCentral = pick(["sizes", "sizes+offset", "usize only", "csize only", "offset only", "short", "none"] as const);
        log.push(`member ${k} zip64 extras: local ${inLocal}, central ${inCentral}, off by ${wrong}`);
        if (inLocal !== "none") {
          const values = inLocal === "both sizes" ? [usize + wrong, csize] : inLocal === "usize only" ? [usize + wrong] : [];
          x.extra = Buffer.concat([extraField(1, inLocal === "short" ? Buffer.alloc(4) : u64s(...values)), x.extra]);
          x.local.csize = 0xffffffff;
          x.local.usize = 0xffffffff;
        }
        for (const e of entriesOf(k)) {
          if (inCentral === "none") continue;
          const values: number[] = [];
          if (inCentral !== "offset only" && inCentral !== "csize only") values.push(usize + wrong);
          if (inCentral !== "offset only" && inCentral !== "usize only") values.push(csize);
          if (inCentral === "sizes+offset" || inCentral === "offset only") values.push(-2);
          // The offset is filled in when written (-2: the member's offset, known only then).
          e.extra = Buffer.concat([extraField(1, inCentral === "short" ? Buffer.alloc(12) : u64s(...values.map((v) => (v === -2 ? (wrong ? -1 : 0) : v)))), e.extra]);
          if (values.includes(-2)) e.zip64Offset = !wrong;
          if (inCentral !== "offset only" && inCentral !== "csize only") e.f.usize = 0xffffffff;
          if (inCentral !== "offset only" && inCentral !== "usize only") e.f.csize = 0xffffffff;
          if (values.includes(-2)) e.f.offset = 0xffffffff;
          if (inCentral === "short") e.f.csize = e.f.usize = 0xffffffff;
        }
      },
    ],
    // Other extra fields: well-formed unknown ones, malformed lengths, stray bytes, repeats, Unicode Path.
    [
      4,
      () => {
        const k = member();
        const x = m.members[k]!;
        const what = pick(["timestamp", "bad length", "stray bytes", "zip64 twice", "unicode path", "unicode path other"] as const);
        const field =
          what === "timestamp"
            ? extraField(0x5455, Buffer.from([3, 1, 2, 3, 4]))
            : what === "bad length"
              ? extraField(pick([0x5455, 0x0001, 0x7075, 0xcafe]), bytes(int(6)), 6 + int(100))
              : what === "stray bytes"
                ? bytes(1 + int(3))
                : what === "zip64 twice"
                  ? extraField(1, u64s(x.local.usize ?? 0, x.data.length))
                  : extraField(0x7075, Buffer.concat([Buffer.from([1]), u64s(0).subarray(0, 4), what === "unicode path" ? x.name : Buffer.from("demo_pkg/other.py")]));
        const add = (to: { extra: Buffer }) => {
          to.extra = Buffer.concat([to.extra, field]);
        };
        onMember(k, `extra ${what}`, add, add);
      },
    ],
    // Names: a byte changed, inserted or deleted, in one header or both; the UTF-8 flag with it or not.
    [
      8,
      () => {
        const k = member();
        const x = m.members[k]!;
        const name = Buffer.from(x.name);
        const at = int(name.length + 1);
        const piece = pick(NAME_BYTES);
        const how = pick(["insert", "replace", "delete", "empty", "upper"] as const);
        const changed =
          how === "insert"
            ? Buffer.concat([name.subarray(0, at), piece, name.subarray(at)])
            : how === "replace"
              ? Buffer.concat([name.subarray(0, at), piece, name.subarray(at + 1)])
              : how === "delete"
                ? Buffer.concat([name.subarray(0, at), name.subarray(at + 1)])
                : how === "empty"
                  ? Buffer.alloc(0)
                  : Buffer.from(name.toString("latin1").toUpperCase(), "latin1");
        const rename = (to: { name: Buffer }) => {
          to.name = changed;
        };
        onMember(k, `name ${how} ${JSON.stringify(piece.toString("latin1"))} at ${at}`, rename, rename);
        // The UTF-8 flag set or cleared with it, in one header or both.
        const flag = pick(["keep", "keep", "set", "clear"] as const);
        if (flag !== "keep") {
          const set = (f: Fields) => {
            f.flags = flag === "set" ? (f.flags ?? 0) | 0x800 : (f.flags ?? 0) & ~0x800;
          };
          onMember(k, `UTF-8 flag ${flag}`, (y) => set(y.local), (e) => set(e.f));
        }
      },
    ],
    // Central entries duplicated, dropped, reordered; members swapped in the file; a member and its entry repeated.
    [
      5,
      () => {
        const how = pick(["duplicate entry", "drop entry", "swap entries", "swap members", "repeat member", "entry points at another member"] as const);
        log.push(how);
        if (how === "duplicate entry" && m.central.length) {
          const k = entry();
          m.central.splice(int(m.central.length + 1), 0, { ...m.central[k]!, f: { ...m.central[k]!.f } });
        } else if (how === "drop entry" && m.central.length) m.central.splice(entry(), 1);
        else if (how === "swap entries" && m.central.length > 1) {
          const [a, b] = [entry(), entry()];
          [m.central[a], m.central[b]] = [m.central[b]!, m.central[a]!];
        } else if (how === "swap members" && m.members.length > 1) {
          const [a, b] = [member(), member()];
          [m.members[a], m.members[b]] = [m.members[b]!, m.members[a]!];
          for (const e of m.central) e.member = e.member === a ? b : e.member === b ? a : e.member;
        } else if (how === "repeat member" && m.members.length) {
          const k = member();
          m.members.push({ ...m.members[k]!, local: { ...m.members[k]!.local } });
          for (const e of entriesOf(k)) m.central.push({ ...e, f: { ...e.f }, member: m.members.length - 1 });
        } else if (how === "entry points at another member" && m.central.length) m.central[entry()]!.member = member();
      },
    ],
    // Data descriptors (with or without their signature, sizes zeroed in the local header or not).
    [
      3,
      () => {
        const k = member();
        const x = m.members[k]!;
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(0x08074b50, 0);
        descriptor.writeUInt32LE(x.local.crc ?? 0, 4);
        descriptor.writeUInt32LE(x.local.csize ?? 0, 8);
        descriptor.writeUInt32LE(x.local.usize ?? 0, 12);
        const signed = chance(0.7);
        const zeroed = chance(0.7);
        log.push(`member ${k} data descriptor (${signed ? "signed" : "unsigned"}, local fields ${zeroed ? "zeroed" : "kept"})`);
        x.after = Buffer.concat([signed ? descriptor : descriptor.subarray(4), x.after]);
        x.local.flags = (x.local.flags ?? 0) | 8;
        if (zeroed) x.local.crc = x.local.csize = x.local.usize = 0;
        if (chance(0.8)) for (const e of entriesOf(k)) e.f.flags = (e.f.flags ?? 0) | 8;
      },
    ],
    // Bytes where no record is.
    [
      4,
      () => {
        const where = pick(["leading", "between", "beforeCentral", "trailing", "between z64 and locator"] as const);
        const junk = chance(0.3) ? Buffer.concat([pick([Buffer.from("PK\x05\x06"), Buffer.from("PK\x03\x04"), Buffer.from("PK\x01\x02"), Buffer.from("PK\x07\x08")]), bytes(int(30))]) : bytes(1 + int(20));
        log.push(`${junk.length} bytes ${where}`);
        if (where === "leading") m.leading = Buffer.concat([m.leading, junk]);
        else if (where === "between" && m.members.length) {
          const x = m.members[member()]!;
          x.after = Buffer.concat([x.after, junk]);
        } else if (where === "beforeCentral") m.beforeCentral = Buffer.concat([m.beforeCentral, junk]);
        else if (where === "between z64 and locator" && m.z64) m.z64.between = Buffer.concat([m.z64.between, junk]);
        else m.trailing = Buffer.concat([m.trailing, junk]);
      },
    ],
    // The archive comment, and end record signatures inside it.
    [
      5,
      () => {
        const eocd = Buffer.alloc(22);
        eocd.writeUInt32LE(0x06054b50, 0);
        const how = pick(["text", "signature", "signature at the end", "whole end record", "length too long", "length too short"] as const);
        log.push(`archive comment: ${how}`);
        const text = Buffer.from("made by hand ".repeat(int(3)));
        if (how === "text") m.comment = text;
        else if (how === "signature") m.comment = Buffer.concat([text, Buffer.from("PK\x05\x06"), bytes(int(40))]);
        else if (how === "signature at the end") m.comment = Buffer.concat([text, Buffer.from("PK\x05\x06"), bytes(int(18))]);
        else if (how === "whole end record") {
          // A copy of the real end record inside the comment (what zipfile's backwards search finds first).
          const copy = writeFields({ ...m.eocd }, EOCD_FORMAT, { countDisk: m.central.length, count: m.central.length, cdSize: 0, cdOffset: 0, commentLen: pick([0, 1, 5]) });
          m.comment = Buffer.concat([text, copy, bytes(int(3))]);
        } else {
          m.comment = text;
          m.eocd.commentLen = Math.max(0, text.length + (how === "length too long" ? 1 + int(5) : -1 - int(3)));
        }
      },
    ],
    // Comments on central entries.
    [
      1,
      () => {
        const k = entry();
        log.push(`comment on entry ${k}`);
        if (m.central[k]) m.central[k]!.comment = Buffer.from("hi");
      },
    ],
    // ZIP64 end records added or removed; their extensible data.
    [
      3,
      () => {
        const how = m.z64 ? pick(["remove", "extensible", "32-bit fields all ones"] as const) : pick(["add", "add", "32-bit fields all ones"] as const);
        log.push(`zip64 end records: ${how}`);
        if (how === "remove") m.z64 = undefined;
        else if (how === "extensible" && m.z64) m.z64.extensible = bytes(1 + int(12));
        else {
          m.z64 ??= { f: { sig: 0x06064b50, madeBy: 45, needed: 45, disk: 0, cdDisk: 0 }, extensible: Buffer.alloc(0), between: Buffer.alloc(0), locator: { sig: 0x07064b50, disk: 0, disks: 1 } };
          if (how === "32-bit fields all ones") Object.assign(m.eocd, { disk: 0xffff, cdDisk: 0xffff, countDisk: 0xffff, count: 0xffff, cdSize: 0xffffffff, cdOffset: 0xffffffff });
        }
      },
    ],
  ];
  const total = ops.reduce((n, [w]) => n + w, 0);
  let r = rand() * total;
  for (const [weight, op] of ops) {
    r -= weight;
    if (r < 0) {
      op();
      return;
    }
  }
}

/** Raw damage to the written bytes (offsets no longer followed). */
function damageBytes(bytes: Buffer, rand: Rand, log: string[]): Buffer {
  const int = (n: number) => Math.floor(rand() * n);
  const at = int(bytes.length + 1);
  const how = ["flip", "set", "insert", "delete", "truncate", "append", "signature"][int(7)]!;
  log.push(`bytes: ${how} at ${at}`);
  const out = Buffer.from(bytes);
  if (how === "flip" && at < out.length) out[at]! ^= 1 << int(8);
  else if (how === "set" && at < out.length) out[at] = [0, 0xff, 0x50, 0x4b, int(256)][int(5)]!;
  else if (how === "insert") return Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256))), bytes.subarray(at)]);
  else if (how === "delete") return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + int(8))]);
  else if (how === "truncate") return bytes.subarray(0, at);
  else if (how === "append") return Buffer.concat([bytes, Buffer.from(Array.from({ length: 1 + int(30) }, () => int(256)))]);
  else if (how === "signature" && at + 4 <= out.length) out.writeUInt32LE([0x04034b50, 0x02014b50, 0x06054b50, 0x06064b50, 0x07064b50, 0x08074b50][int(6)]!, at);
  return out;
}

/** Writes the model, filling in the offsets of ZIP64 extras that point at their member's local header. */
function writeModel(m: Model): Buffer {
  const first = buildZip(m);
  const needsOffsets = m.central.some((e) => e.zip64Offset);
  if (!needsOffsets) return first;
  const starts: number[] = [];
  let offset = m.leading.length;
  for (const x of m.members) {
    starts.push(offset);
    offset += 30 + x.name.length + x.extra.length + x.data.length + x.after.length;
  }
  for (const e of m.central) {
    if (!e.zip64Offset) continue;
    // The offset is the last value of the first ZIP64 extra (the op writes it first).
    const extra = Buffer.from(e.extra);
    const length = extra.readUInt16LE(2);
    if (length >= 8 && 4 + length <= extra.length) extra.writeBigUInt64LE(BigInt(starts[e.member] ?? 0), 4 + length - 8);
    e.extra = extra;
  }
  return buildZip(m);
}

// ---- The bases: small valid wheels from the test writer ----

/** Incompressible bytes from a seed: deflated, more than 8 MiB still (a large member, inflated off the main thread). */
function noise(length: number, seed: number): Buffer {
  const rand = mulberry32(seed);
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i + 4 <= length; i += 4) out.writeUInt32LE(Math.floor(rand() * 2 ** 32), i);
  return out;
}

function bases(dir: string): Array<{ name: string; model: Model }> {
  const whl = "demo_pkg-1.0.0-py3-none-any.whl";
  const variants: Array<[string, Parameters<typeof writeWheel>[2]]> = [
    ["plain", {}],
    ["stored", { mutate: (entries) => entries.map((e) => ({ ...e, method: 0 })) }],
    ["zip64 end records", { zip: { zip64: {} } }],
    [
      "names and empties",
      { files: { ...BASE_FILES, "demo_pkg/café.txt": "x\n", "demo_pkg/empty.py": "", "demo_pkg/sub/": "" }, mutate: (entries) => entries.map((e) => (e.name.endsWith("/") ? { ...e, method: 0 } : e)) },
    ],
    ["zip64 extras", { mutate: (entries) => entries.map((e, i) => (i % 2 === 0 ? { ...e, zip64: true } : e)) }],
    [
      "extras and a comment",
      {
        zip: { comment: Buffer.from("built by hand") },
        mutate: (entries) => entries.map((e, i) => (i % 2 ? { ...e, localExtra: extraField(0x5455, Buffer.from([3, 1, 2, 3, 4])), centralExtra: extraField(0x5455, Buffer.from([3, 1, 2, 3, 4])) } : e)),
      },
    ],
    // Last: picked every LARGE_EVERY-th case only.
    ["large", { files: { ...BASE_FILES, "demo_pkg/big.bin": noise(8.5 * 1024 * 1024, 7) }, zip: { level: 1 } }],
  ];
  return variants.map(([name, options], i) => {
    const path = writeWheel(dir, `${i}-${whl}`, options);
    return { name, model: parseZip(readFileSync(path)) };
  });
}

interface Outcome {
  what: string;
  problems: string[];
  members: [string, string | undefined][];
  crash?: string;
}

const multiset = (pairs: ReadonlyArray<readonly [string, string | null | undefined]>) => pairs.map(([n, h]) => `${JSON.stringify(n)} ${h}`).sort();

describe("dist-check reads wheels the way Python's zipfile does", () => {
  it(`agrees with zipfile on ${CASES} damaged wheels (seed ${SEED})`, async () => {
    const dir = tempDir("dc-fuzz-zip-");
    const bases_ = bases(dir);
    // The bases themselves must be read alike and pass.
    const started = performance.now();
    const rand = mulberry32(SEED);
    const paths: string[] = [];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < CASES; i++) {
      const large = i % LARGE_EVERY === LARGE_EVERY - 1;
      const base = bases_[i < bases_.length ? i : large ? bases_.length - 1 : Math.floor(rand() * (bases_.length - 1))]!;
      const model = cloneModel(base.model);
      const log = [`base ${base.name}`];
      const rounds = i < bases_.length ? 0 : 1 + (rand() < 0.4 ? 1 : 0) + (rand() < 0.15 ? 1 : 0);
      for (let k = 0; k < rounds; k++) damage(model, rand, log);
      let bytes = writeModel(model);
      if (i >= bases_.length && rand() < 0.12) bytes = damageBytes(bytes, rand, log);
      const path = join(dir, `case-${i}.whl`);
      writeFileSync(path, bytes);
      paths.push(path);
      const outcome: Outcome = { what: log.join("; "), problems: [], members: [] };
      try {
        const keep = rand() < 0.3 ? () => true : () => false;
        const scan = await scanZip(path, keep, DEFAULT_LIMITS);
        outcome.problems = scan.problems.map((p) => `${p.code} ${p.member ?? ""}: ${p.message}`);
        outcome.members = scan.members.map((x) => [x.name, x.sha256]);
      } catch (error) {
        outcome.crash = (error as Error).stack ?? String(error);
      }
      outcomes.push(outcome);
    }
    const scanned = performance.now();
    const references = zipfileReads(paths);
    const disagreements: string[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const ref = references[i]!;
      const passes = !outcome.crash && outcome.problems.length === 0;
      let why = "";
      if (outcome.crash) why = `dist-check throws: ${outcome.crash.split("\n").slice(0, 3).join(" | ")}`;
      else if (passes && !ref.opens) why = `dist-check passes, zipfile cannot open it: ${ref.error}`;
      else if (passes && ref.error) why = `dist-check passes, zipfile cannot read a member: ${ref.error}`;
      else if (passes && JSON.stringify(multiset(outcome.members)) !== JSON.stringify(multiset(ref.members!))) {
        why = `dist-check passes, zipfile reads other members: dist-check ${JSON.stringify(multiset(outcome.members))}, zipfile ${JSON.stringify(multiset(ref.members!))}`;
      } else if (!ref.opens && outcome.problems.length === 0) why = `zipfile cannot open it (${ref.error}), dist-check reports nothing`;
      if (i < bases_.length && !passes) why ||= `a base wheel fails: ${outcome.problems.join(", ")}`;
      if (why) disagreements.push(`case ${i} [${outcome.what}]: ${why}`);
    }
    if (process.env.DC_FUZZ_ZIP_STATS) {
      const passing = outcomes.filter((o) => !o.crash && o.problems.length === 0).length;
      console.log(`${passing} of ${CASES} pass dist-check; zipfile opens ${references.filter((r) => r.opens && !r.error).length} cleanly`);
      console.log(`bases and damage and dist-check ${Math.round(scanned - started)} ms, zipfile ${Math.round(performance.now() - scanned)} ms`);
    }
    expect(disagreements).toEqual([]);
  });
});
