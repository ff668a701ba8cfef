import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import * as zlib from "node:zlib";
import { crc32, deflateRawSync } from "node:zlib";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions } from "../src/index.js";
import { WORKER_SOURCE } from "../src/member-worker.js";
import { BASE_FILES, type WheelOptions, writeWheel } from "./support/generate.js";
import { toolsPython } from "./support/run.js";
import { type ZipInput, writeZip } from "./support/zip-writer.js";
import { gzipSync } from "node:zlib";
import { ExtractedTree } from "../src/paths.js";
import { checkMember } from "../src/sdist.js";
import { scanTarGz } from "../src/tar-scan.js";
import { octalField, padded, paxRecord, type RawHeader, rawHeader } from "./support/tar-writer.js";

const check = (dir: string, paths = [dir], limits = {}) => checkDistributions({ paths, cwd: dir, env: process.env, python: toolsPython(), limits });
const codes = (r: Awaited<ReturnType<typeof check>>) => r.findings.map((f) => f.code);

describe("archive reading", () => {
  it("checks a wheel with 100,000 members (zip64 end records) and verifies every RECORD hash", async () => {
    const dir = tempDir("dc-many-");
    const files = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`demo_pkg/m${Math.floor(i / 1000)}/f${i}.py`, `X = ${i}\n`]));
    // One member changed after RECORD was written (same size): exactly one finding proves the other 99,999 matched.
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files, mutate: (entries) => entries.map((e) => (e.name === "demo_pkg/m99/f99999.py" ? { ...e, data: "X = 00000\n" } : e)) });
    const bad = await check(dir);
    expect(bad.findings.map((f) => `${f.code} ${f.member}`)).toEqual(["DC_RECORD_HASH_MISMATCH demo_pkg/m99/f99999.py"]);
    // Over 8 MiB with only small members: the worker thread hashes the file while this thread reads the members.
    const bytes = readFileSync(join(dir, "demo_pkg-1.0.0-py3-none-any.whl"));
    expect(bytes.length).toBeGreaterThan(8 * 1024 * 1024);
    expect(bad.files.map((f) => f.sha256)).toEqual([createHash("sha256").update(bytes).digest("hex")]);
  });

  it("streams a member larger than the one-shot limit and hashes it correctly", async () => {
    const dir = tempDir("dc-large-");
    const big = randomBytes(12 * 1024 * 1024);
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files: { "demo_pkg/__init__.py": "", "demo_pkg/blob.bin": big } });
    const good = await check(dir);
    expect(good.findings).toEqual([]);
    // A file this large is hashed on the worker thread: the hash must still be the file's.
    const bytes = readFileSync(join(dir, "demo_pkg-1.0.0-py3-none-any.whl"));
    expect(good.files.map((f) => f.sha256)).toEqual([createHash("sha256").update(bytes).digest("hex")]);
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", {
      files: { "demo_pkg/__init__.py": "", "demo_pkg/blob.bin": big },
      mutate: (entries) => entries.map((e) => (e.name === "demo_pkg/blob.bin" ? { ...e, data: Buffer.concat([big.subarray(1), Buffer.from("x")]) } : e)),
    });
    expect(codes(await check(dir))).toEqual(["DC_RECORD_HASH_MISMATCH"]);
  });

  it("stops inflating a member that grows past its declared size (streamed and one-shot)", async () => {
    const dir = tempDir("dc-lie-");
    const big = Buffer.concat([randomBytes(10 * 1024 * 1024), Buffer.alloc(1024 * 1024)]);
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", {
      files: { "demo_pkg/__init__.py": "", "demo_pkg/blob.bin": big, "demo_pkg/small.txt": "0123456789".repeat(100) },
      mutate: (entries) => entries.map((e) => (e.name === "demo_pkg/blob.bin" ? { ...e, declaredSize: 1024 } : e.name === "demo_pkg/small.txt" ? { ...e, declaredSize: 10 } : e)),
    });
    const result = await check(dir);
    expect(result.findings.filter((f) => f.code === "DC_ZIP_BOMB").map((f) => f.member).sort()).toEqual(["demo_pkg/blob.bin", "demo_pkg/small.txt"]);
  });

  it("reports members whose deflate data is corrupt, cut short or shorter than declared (streamed and one-shot)", async () => {
    const dir = tempDir("dc-corrupt-");
    const big = randomBytes(12 * 1024 * 1024);
    const text = Buffer.from("print('hello')\n".repeat(200));
    // 0x07 starts a final block of the reserved type 3: invalid from the first byte, at either size.
    const invalid = (length: number) => Buffer.concat([Buffer.from([0x07]), Buffer.alloc(length)]);
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", {
      files: { "demo_pkg/__init__.py": "", "demo_pkg/big_bad.bin": big, "demo_pkg/big_cut.bin": big, "demo_pkg/big_short.bin": big, "demo_pkg/bad.py": text, "demo_pkg/cut.py": text, "demo_pkg/short.py": text },
      mutate: (entries) =>
        entries.map((e) => {
          const data = Buffer.from(e.data);
          if (e.name.endsWith("_bad.bin")) return { ...e, body: invalid(9 * 1024 * 1024) };
          if (e.name.endsWith("bad.py")) return { ...e, body: invalid(100) };
          if (e.name.endsWith("cut.bin") || e.name.endsWith("cut.py")) {
            const body = deflateRawSync(data);
            return { ...e, body: body.subarray(0, Math.floor(body.length / 2)) };
          }
          if (e.name.endsWith("short.bin") || e.name.endsWith("short.py")) return { ...e, declaredSize: data.length + 10 };
          return e;
        }),
    });
    const findings = (await check(dir)).findings.filter((f) => f.code === "DC_ZIP_CORRUPT").map((f) => `${f.member}: ${f.message}`);
    expect(findings.sort()).toEqual([
      "demo_pkg/bad.py: member data does not inflate: invalid block type",
      "demo_pkg/big_bad.bin: member data does not inflate: invalid block type",
      "demo_pkg/big_cut.bin: member data does not inflate: unexpected end of file",
      `demo_pkg/big_short.bin: member holds ${big.length} bytes, the central directory says ${big.length + 10}`,
      "demo_pkg/cut.py: member data does not inflate: unexpected end of file",
      `demo_pkg/short.py: member holds ${text.length} bytes, the central directory says ${text.length + 10}`,
    ]);
  });

  it("applies the total-size cap of the bomb guard", async () => {
    const dir = tempDir("dc-total-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files: { "demo_pkg/__init__.py": "", "demo_pkg/a.txt": "a".repeat(3000) } });
    const result = await check(dir, [dir], { maxTotalBytes: 2000 });
    expect(result.findings.map((f) => f.message)).toEqual([expect.stringMatching(/members total .* uncompressed .*limit 2.0 KiB/)]);
  });

  it("reports a zip that is not a wheel's shape and a zip whose central directory is cut off", async () => {
    const dir = tempDir("dc-shape-");
    writeZip(join(dir, "demo_pkg-1.0.0-py3-none-any.whl"), [{ name: "readme.txt", data: "hello" }]);
    expect(codes(await check(dir))).toEqual(["DC_DIST_INFO_INVALID"]);
  });

  it("reads stored (uncompressed) members and reports unsupported compression methods", async () => {
    const dir = tempDir("dc-stored-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutate: (entries) => entries.map((e) => ({ ...e, method: 0 })) });
    expect((await check(dir)).findings).toEqual([]);
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutate: (entries) => entries.map((e) => (e.name.endsWith("greeting.txt") ? { ...e, method: 0, flags: 1 } : e)) });
    expect(codes(await check(dir))).toContain("DC_ZIP_UNSUPPORTED");
  });
});

describe("CRC-32", () => {
  const flip = (name: string, entries: ZipInput[], extra: (e: ZipInput) => Partial<ZipInput>) => entries.map((e) => (e.name === name ? { ...e, ...extra(e) } : e));
  const wrongCrc = (e: ZipInput) => ({ crc: (crc32(Buffer.from(e.data)) ^ 0xff) >>> 0 });

  it("reports a member whose bytes do not match the central directory's CRC-32 although RECORD matches (stored and deflated)", async () => {
    for (const method of [0, 8]) {
      const dir = tempDir("dc-crc-");
      writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutate: (entries) => flip("demo_pkg/__init__.py", entries, (e) => ({ method, ...wrongCrc(e) })) });
      const result = await check(dir);
      expect(result.findings.map((f) => `${f.code} ${f.member}`), `method ${method}`).toEqual(["DC_ZIP_CRC_MISMATCH demo_pkg/__init__.py"]);
      expect(result.findings[0]!.message).toMatch(/^data has CRC-32 [0-9a-f]{8}, the central directory says [0-9a-f]{8}$/);
      expect(result.ok).toBe(false);
    }
  });

  it("checks the CRC-32 of a large member inflated on the worker thread", async () => {
    const dir = tempDir("dc-crc-large-");
    const big = randomBytes(9 * 1024 * 1024);
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { files: { "demo_pkg/__init__.py": "", "demo_pkg/blob.bin": big }, mutate: (entries) => flip("demo_pkg/blob.bin", entries, wrongCrc) });
    expect((await check(dir)).findings.map((f) => `${f.code} ${f.member}`)).toEqual(["DC_ZIP_CRC_MISMATCH demo_pkg/blob.bin"]);
  });

  it("reports a local header whose CRC-32 disagrees with the central directory's", async () => {
    const dir = tempDir("dc-crc-local-");
    writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutate: (entries) => flip("demo_pkg/__init__.py", entries, () => ({ localCrc: 0x12345678 })) });
    const result = await check(dir);
    expect(result.findings.map((f) => `${f.code} ${f.member}: ${f.message}`)).toEqual([
      expect.stringMatching(/^DC_ZIP_CRC_MISMATCH demo_pkg\/__init__.py: the local header's CRC-32 is 12345678, the central directory's [0-9a-f]{8} \(headers disagree\)$/),
    ]);
  });

  it("agrees with Python's zipfile, which refuses the same wheel with BadZipFile", async () => {
    const dir = tempDir("dc-crc-py-");
    const path = writeWheel(dir, "demo_pkg-1.0.0-py3-none-any.whl", { mutate: (entries) => flip("demo_pkg/__init__.py", entries, wrongCrc) });
    const script = "import sys, zipfile\ntry:\n    zipfile.ZipFile(sys.argv[1]).read('demo_pkg/__init__.py')\nexcept zipfile.BadZipFile as e:\n    print(type(e).__name__)";
    expect(execFileSync(toolsPython(), ["-c", script, path], { encoding: "utf8" })).toBe("BadZipFile\n");
    expect(codes(await check(dir))).toEqual(["DC_ZIP_CRC_MISMATCH"]);
  });
});

describe("the worker thread's inflating", () => {
  // The worker's code run on this thread with the node:zlib given, to reach its functions directly.
  const load = (zlib: object) => {
    const require = createRequire(import.meta.url);
    const modules = (id: string) => (id === "node:worker_threads" ? { parentPort: { on() {} } } : id === "node:zlib" ? zlib : require(id));
    return new Function("require", `${WORKER_SOURCE}\nreturn { selfTest, inflateFast };`)(modules) as {
      selfTest: () => boolean;
      inflateFast: (job: object) => { sha256: string; size: number; crc32: number } | undefined;
    };
  };
  /** node:zlib whose streams' _writeState holds its two counts the other way round (its meaning changed). */
  const swappedZlib = {
    ...zlib,
    createInflateRaw: () => {
      const stream = zlib.createInflateRaw() as unknown as { _writeState: Uint32Array; _handle: { writeSync: (...args: unknown[]) => void } };
      const real = stream._writeState;
      const handle = stream._handle;
      const writeSync = handle.writeSync.bind(handle);
      stream._writeState = new Uint32Array(2);
      handle.writeSync = (...args) => {
        writeSync(...args);
        stream._writeState.set([real[1]!, real[0]!]);
      };
      return stream;
    },
  };

  it("trusts zlib's internal handle only after a self-test: a changed _writeState sends every member back", () => {
    const dir = tempDir("dc-worker-");
    const data = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `row ${i}: ${i * 7}\n`).join(""));
    const path = join(dir, "member.deflate");
    writeFileSync(path, deflateRawSync(data));
    const job = { id: 1, path, start: 0, compressedSize: statSync(path).size, declared: data.length, wanted: false };
    const real = load(zlib);
    expect(real.selfTest()).toBe(true);
    expect(real.inflateFast(job)).toMatchObject({ size: data.length, sha256: createHash("sha256").update(data).digest("base64url"), crc32: crc32(data) });
    const changed = load(swappedZlib);
    expect(changed.selfTest()).toBe(false);
    expect(changed.inflateFast(job)).toBeUndefined();
  });
});

describe("zips Python's zipfile reads otherwise (fuzz-zip.test.ts regressions)", () => {
  const WHL = "demo_pkg-1.0.0-py3-none-any.whl";
  const onMember = (name: string, change: Partial<ZipInput>): WheelOptions => ({ mutate: (entries) => entries.map((e) => (e.name === name ? { ...e, ...change } : e)) });
  const onInit = (change: Partial<ZipInput>) => onMember("demo_pkg/__init__.py", change);
  const extraField = (id: number, data: Buffer, declared = data.length) => Buffer.concat([Buffer.from([id & 0xff, id >> 8, declared & 0xff, declared >> 8]), data]);
  const allOnes = Buffer.alloc(8, 0xff);
  /** A wheel, then its bytes changed in place. */
  const wheel = (options: WheelOptions, patch?: (bytes: Buffer) => void) => (dir: string) => {
    const path = writeWheel(dir, WHL, options);
    if (patch) {
      const bytes = readFileSync(path);
      patch(bytes);
      writeFileSync(path, bytes);
    }
    return path;
  };
  // What zipfile (pip) makes of a file: its exception, or how many members it read (every one opened and read).
  const ZIPFILE = [
    "import json, sys, zipfile",
    "def read(path):",
    "    try:",
    "        with zipfile.ZipFile(path) as zf:",
    "            for info in zf.infolist():",
    "                zf.open(info).read()",
    "            return f'{len(zf.infolist())} members'",
    "    except Exception as e:",
    "        return f'{type(e).__name__}: {e}'",
    "print(json.dumps([read(p) for p in json.loads(sys.stdin.read())]))",
  ].join("\n");
  const cafe = { ...BASE_FILES, "demo_pkg/café.txt": "x\n" };
  // [what, the wheel, the findings (code member: start of message), what zipfile says]
  const cases: Array<[string, (dir: string) => string, string[], string | RegExp]> = [
    // zipfile reads the LAST end record signature in the last 64 KiB, in the comment or not.
    ["an archive comment ending in an end record signature", wheel({ zip: { comment: Buffer.from("signed PK\x05\x06") } }), ["DC_TRUNCATED : the end-of-central-directory record is cut short (file cut short?), or a signature in the archive comment ends it"], "BadZipFile: File is not a zip file"],
    ["an archive comment holding a signature and other bytes", wheel({ zip: { comment: Buffer.concat([Buffer.from("PK\x05\x06"), Buffer.alloc(30, 0x41)]) } }), ["DC_TRUNCATED : the archive comment runs past the end"], "BadZipFile: Bad offset for central directory"],
    [
      "an archive comment holding an end record of an empty zip",
      wheel({ zip: { comment: Buffer.concat([Buffer.from("PK\x05\x06"), Buffer.alloc(18)]) } }),
      ["DC_ZIP_CORRUPT : unexpected bytes before the end-of-central-directory record"],
      "0 members",
    ],
    ["a member needing zip 6.4 to extract", wheel(onInit({ versionNeeded: 64 })), ["DC_ZIP_UNSUPPORTED demo_pkg/__init__.py: member is marked as needing zip version 6.4"], "NotImplementedError: zip file version 6.4"],
    ["flag bit 5 (compressed patched data)", wheel(onInit({ flags: 0x20 })), ["DC_ZIP_UNSUPPORTED demo_pkg/__init__.py: member is compressed patched data (flag bit 5)"], /^NotImplementedError: compressed patched data/],
    ["flag bit 6 (strong encryption)", wheel(onInit({ flags: 0x40 })), ["DC_ZIP_UNSUPPORTED demo_pkg/__init__.py: member is strongly encrypted (flag bit 6)"], /^NotImplementedError: strong encryption/],
    ["a ZIP64 locator naming disk 1", wheel({ zip: { zip64: { locatorDisk: 1 } } }), ["DC_ZIP_CORRUPT : the zip64 end record locator names another disk"], "BadZipFile: zipfiles that span multiple disks are not supported"],
    ["a ZIP64 locator counting 2 disks", wheel({ zip: { zip64: { totalDisks: 2 } } }), ["DC_ZIP_CORRUPT : the zip64 end record locator names another disk"], "BadZipFile: zipfiles that span multiple disks are not supported"],
    // zipfile reads the ZIP64 end record just before its locator, whatever offset the locator gives.
    ["a ZIP64 locator pointing past 2^53", wheel({ zip: { zip64: {} } }, (b) => allOnes.copy(b, b.length - 22 - 20 + 8)), ["DC_ZIP_CORRUPT : the zip64 end record is missing"], "6 members"],
    ["a central extra field longer than its entry", wheel(onInit({ centralExtra: extraField(0xcafe, Buffer.from([1, 2]), 32) })), ["DC_ZIP_CORRUPT : the central directory entry of \"demo_pkg/__init__.py\" has an extra field 0xcafe"], "BadZipFile: Corrupt extra field cafe (size=32)"],
    [
      "a ZIP64 extra field without the offset it stands for",
      wheel(onInit({ centralOffset: 0xffffffff, centralExtra: extraField(0x0001, Buffer.alloc(0)) })),
      ["DC_ZIP_CORRUPT : the central directory entry of \"demo_pkg/__init__.py\" has a ZIP64 extra field without the 64-bit value"],
      "BadZipFile: Corrupt zip64 extra field. Header offset not found.",
    ],
    // zipfile decodes each header's name by its own UTF-8 flag.
    [
      "a non-ASCII name without the UTF-8 flag in the local header only",
      wheel({ files: cafe, mutate: onMember("demo_pkg/café.txt", { localFlags: 0 }).mutate }),
      ["DC_ZIP_CORRUPT demo_pkg/café.txt: the local header and the central directory disagree on the UTF-8 flag"],
      /^BadZipFile: File name in directory 'demo_pkg\/café.txt' and header b'demo_pkg\/caf\\xc3\\xa9.txt' differ/,
    ],
    ["an ASCII name without the UTF-8 flag in the local header only", wheel(onInit({ localFlags: 0 })), [], "6 members"],
    [
      "a large member whose ZIP64 offset is past 2^53 (read ahead for the worker thread)",
      wheel({ ...onMember("demo_pkg/blob.bin", { centralOffset: 0xffffffff, centralExtra: extraField(0x0001, allOnes) }), files: { ...BASE_FILES, "demo_pkg/blob.bin": randomBytes(9 * 1024 * 1024) } }),
      ["DC_ZIP_FRAMING : PyPI refuses the archive's framing: 9440116 bytes at offset 138", "DC_TRUNCATED : the archive ends inside a member"],
      "ValueError: cannot fit 'int' into an offset-sized integer",
    ],
  ];

  it("reports what zipfile refuses, and never throws", async () => {
    const dir = tempDir("dc-zipfile-");
    const paths: string[] = [];
    const findings: string[][] = [];
    for (const [i, [, build]] of cases.entries()) {
      const caseDir = join(dir, String(i));
      mkdirSync(caseDir);
      paths.push(build(caseDir));
      const result = await check(caseDir);
      findings.push(result.findings.filter((f) => f.code.startsWith("DC_ZIP") || f.code === "DC_TRUNCATED" || f.code === "DC_UNREADABLE").map((f) => `${f.code} ${f.member ?? ""}: ${f.message}`));
    }
    const zipfile: string[] = JSON.parse(execFileSync(toolsPython(), ["-c", ZIPFILE], { input: JSON.stringify(paths), encoding: "utf8" }));
    for (const [i, [what, , expected, says]] of cases.entries()) {
      expect(findings[i], what).toEqual(expected.map((e) => expect.stringContaining(e)));
      expect(zipfile[i], what).toMatch(says);
    }
  });
});

describe("sdists read as Python's tarfile reads them (fuzz-tar.test.ts regressions)", () => {
  // Each case: a tar stream built block by block, what the venv's tarfile (3.11) makes of it (checked here, live:
  // its member list or the exception getmembers raises; per member, the data filter's exception, the extraction's,
  // or "escape" when tarfile 3.11.7 would write outside the destination), and what dist-check reports.
  const TARFILE = `
import json, os, shutil, sys, tarfile, tempfile
class Escape(Exception):
    pass
ROOT = [None]
def guard(fn, arg, follow):
    def inner(*args, **kwargs):
        p = os.fspath(args[arg])
        real = os.path.realpath(p) if follow else os.path.join(os.path.realpath(os.path.dirname(p)), os.path.basename(p))
        if ROOT[0] and os.path.commonpath([real, ROOT[0]]) != ROOT[0]:
            raise Escape(real)
        return fn(*args, **kwargs)
    return inner
_open = open
tarfile.bltn_open = lambda f, mode="r", *a, **k: (guard(_open, 0, True) if "w" in mode else _open)(f, mode, *a, **k)
os.symlink, os.link, os.mkdir = guard(os.symlink, 1, False), guard(os.link, 1, False), guard(os.mkdir, 0, False)
os.chmod, os.utime, os.chown = guard(os.chmod, 0, True), guard(os.utime, 0, True), guard(os.chown, 0, True)
def read(path):
    try:
        tf = tarfile.open(path, "r:gz")
        members = tf.getmembers()
    except Exception as e:
        return {"error": type(e).__name__}
    dest = os.path.realpath(tempfile.mkdtemp())
    verdicts = []
    for m in members:
        try:
            tarfile.data_filter(m, dest)
        except Exception as e:
            verdicts.append(type(e).__name__)
            continue
        try:
            ROOT[0] = dest
            tf.extract(m, dest, filter="data")
            verdicts.append("ok")
        except Escape:
            verdicts.append("escape")
        except Exception as e:
            verdicts.append("extract " + type(e).__name__)
        finally:
            ROOT[0] = None
    shutil.rmtree(dest, ignore_errors=True)
    return {"members": [[m.name, m.type.decode("latin1"), m.linkname] for m in members], "verdicts": verdicts}
print(json.dumps([read(p) for p in json.load(sys.stdin)]))
`;
  const latin1 = (s: string) => Buffer.from(s, "latin1");
  const header = (name: string, fields: Omit<RawHeader, "name"> = {}) => rawHeader({ name: latin1(name), ...fields });
  const file = (name: string, data: string, fields: Omit<RawHeader, "name" | "size"> = {}) => [header(name, { size: octalField(data.length, 12), ...fields }), padded(Buffer.from(data))];
  const dir = (name: string) => [header(name, { type: 0x35 })];
  const symlink = (name: string, target: string) => [header(name, { type: 0x32, linkname: latin1(target) })];
  const hardlink = (name: string, target: string) => [header(name, { type: 0x31, linkname: latin1(target) })];
  const extended = (type: string, data: Buffer, name = "././@PaxHeader") => [header(name, { type: type.charCodeAt(0), size: octalField(data.length, 12) }), padded(data)];
  const pax = (records: Record<string, string>, type = "x") => extended(type, Buffer.concat(Object.entries(records).map(([k, v]) => paxRecord(k, v))));
  const END = [Buffer.alloc(1024)];
  const gz = (...parts: (Buffer | Buffer[])[]) => gzipSync(Buffer.concat(parts.flat()));

  interface Case {
    title: string;
    gz: Buffer;
    /** tarfile's member list ([name, type flag, link name]), or the exception it raises. */
    tarfile: { members: string[][]; verdicts?: string[] } | { error: string };
    /** dist-check's members (names) and what it reports about the archive and each member. */
    port: { members?: string[]; problems?: string[]; members_refused?: string[] };
  }
  const CASES: Case[] = [
    {
      title: "a directory named with a slash, and an old-style (type NUL) one, are directories without the slash",
      gz: gz(dir("top/"), header("top/d/", { type: 0 }), END),
      tarfile: { members: [["top", "5", ""], ["top/d", "5", ""]] },
      port: { members: ["top", "top/d"] },
    },
    {
      title: "the prefix field counts whatever the magic says",
      gz: gz(header("x", { prefix: latin1("top"), magic: Buffer.alloc(8) }), END),
      tarfile: { members: [["top/x", "0", ""]] },
      port: { members: ["top/x"] },
    },
    {
      title: "number fields read as int(s, 8) up to the first NUL: sign, 0o prefix, underscores, whitespace",
      gz: gz(header("top/a", { mode: latin1("+6_44\0"), size: latin1(" 0o0 \0junk"), uid: latin1("\x1c7\0"), mtime: latin1("1234\0\xff") }), END),
      tarfile: { members: [["top/a", "0", ""]] },
      port: { members: ["top/a"] },
    },
    {
      title: "a number field tarfile cannot read: the first header makes the archive unreadable",
      gz: gz(header("top/a", { gid: Buffer.from([0x81, 0, 0, 0, 0, 0, 0, 0]) }), END),
      tarfile: { error: "ReadError" },
      port: { members: [], problems: ["DC_TAR_CORRUPT: tar header 1 has an unreadable gid field"] },
    },
    {
      title: "a later unreadable header: tarfile quietly stops there, dist-check reports it",
      gz: gz(file("top/a", "x"), header("top/b", { devmajor: latin1("9\0") }), file("top/c", "x"), END),
      tarfile: { members: [["top/a", "0", ""]] },
      port: { members: ["top/a"], problems: ["DC_TAR_CORRUPT: tar header 2 has an unreadable devmajor field"] },
    },
    {
      title: "a pax size tarfile cannot read is 0: the data that follows is read as the next header",
      gz: gz(pax({ size: "x" }), header("top/a", { size: octalField(512, 12) }), header("top/hidden"), END),
      tarfile: { members: [["top/a", "0", ""], ["top/hidden", "0", ""]] },
      port: { members: ["top/a", "top/hidden"] },
    },
    {
      title: "a pax size in Python's int() spelling",
      gz: gz(pax({ size: " 1_0 " }), header("top/a", { size: octalField(0, 12) }), padded(Buffer.from("0123456789")), END),
      tarfile: { members: [["top/a", "0", ""]] },
      port: { members: ["top/a"] },
    },
    {
      title: "nested long-name headers: the first one wins",
      gz: gz(
        extended("L", Buffer.from("top/from-L\0"), "././@LongLink"),
        pax({ path: "top/from-pax" }),
        header("short"),
        pax({ path: "top/from-pax-2" }),
        extended("L", Buffer.from("top/from-L-2\0"), "././@LongLink"),
        header("short"),
        END,
      ),
      tarfile: { members: [["top/from-L", "0", ""], ["top/from-pax-2", "0", ""]] },
      port: { members: ["top/from-L", "top/from-pax-2"] },
    },
    {
      title: "a GNU long name runs to the first NUL of its blocks, padding included",
      gz: gz([header("././@LongLink", { type: 0x4c, size: octalField(5, 12) }), Buffer.concat([Buffer.from("top/abc"), Buffer.alloc(505)])], header("x"), END),
      tarfile: { members: [["top/abc", "0", ""]] },
      port: { members: ["top/abc"] },
    },
    {
      title: "global pax records apply to every member after them; a Solaris X header is a pax header",
      gz: gz(pax({ linkpath: "g-target" }, "g"), file("top/a", "x"), pax({ path: "top/solaris" }, "X"), file("top/b", "x"), END),
      tarfile: { members: [["top/a", "0", "g-target"], ["top/solaris", "0", "g-target"]] },
      port: { members: ["top/a", "top/solaris"] },
    },
    {
      title: "an old GNU sparse file is a file; its extension block comes before its data",
      gz: gz(
        [
          header("top/sparse", {
            type: 0x53,
            size: octalField(5, 12),
            extra: [
              { offset: 386, bytes: octalField(0, 12) },
              { offset: 398, bytes: octalField(5, 12) },
              { offset: 482, bytes: Buffer.from([1]) },
              { offset: 483, bytes: octalField(4096, 12) },
            ],
          }),
          Buffer.concat([octalField(4000, 12), octalField(0, 12), Buffer.alloc(488)]),
          padded(Buffer.from("hello")),
        ],
        file("top/after", "x"),
        END,
      ),
      tarfile: { members: [["top/sparse", "S", ""], ["top/after", "0", ""]] },
      port: { members: ["top/sparse", "top/after"] },
    },
    {
      title: "a pax header followed by the end of the archive: unreadable",
      gz: gz(file("top/a", "x"), pax({ path: "top/b" }), END),
      tarfile: { error: "ReadError" },
      port: { members: ["top/a"], problems: ["DC_TAR_CORRUPT: tar header 2 is followed by a header that is an end-of-archive block"] },
    },
    {
      title: "a pax hdrcharset that is not UTF-8: tarfile fails with UnicodeDecodeError",
      gz: gz(extended("x", latin1("16 hdrcharset=\xff\n")), file("top/a", "x"), END),
      tarfile: { error: "UnicodeDecodeError" },
      port: { members: [], problems: ["DC_TAR_CORRUPT: tar member 1 has a pax hdrcharset record that is not UTF-8"] },
    },
    {
      title: "an empty tar stream",
      gz: gzipSync(Buffer.alloc(0)),
      tarfile: { error: "ReadError" },
      port: { members: [], problems: ["DC_TAR_CORRUPT: the archive holds no tar data"] },
    },
    {
      title: "bytes after the gzip stream: tarfile stops at the end-of-archive block before reading them",
      gz: Buffer.concat([gz(dir("top"), file("top/a", "x"), END), Buffer.from("junk")]),
      tarfile: { members: [["top", "5", ""], ["top/a", "0", ""]] },
      port: { members: ["top", "top/a"] },
    },
    {
      title: "zero bytes and then others after the gzip stream of an archive without its end block: node skips them all",
      gz: Buffer.concat([gz(dir("top"), file("top/a", "x")), Buffer.alloc(20), Buffer.from("junk")]),
      tarfile: { error: "BadGzipFile" },
      port: { members: ["top", "top/a"], problems: ["DC_TRUNCATED: the gzip stream is damaged: bytes after its last member are not gzip data"] },
    },
    {
      title: "bytes after the gzip stream of an archive without its end block: tarfile reads into them and fails",
      gz: Buffer.concat([gz(dir("top"), file("top/a", "x")), Buffer.from("junk")]),
      tarfile: { error: "BadGzipFile" },
      port: { members: ["top", "top/a"], problems: ["DC_TRUNCATED: the gzip stream is damaged: bytes after its last member are not gzip data"] },
    },
    {
      title: "a negative size and a modification time out of range: tarfile lists them, extracting them fails",
      gz: gz(dir("top"), header("top/neg", { size: latin1("-3\0") }), file("top/late", "x", { mtime: Buffer.from([0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }), END),
      tarfile: { members: [["top", "5", ""], ["top/neg", "0", ""], ["top/late", "0", ""]], verdicts: ["ok", "extract ReadError", "extract OverflowError"] },
      port: { members: ["top", "top/neg", "top/late"], problems: ["DC_TAR_CORRUPT top/neg: the tar header gives a negative size (-3)", "DC_TAR_CORRUPT top/late: the tar header gives a modification time tarfile cannot set (309485009821345068724781055)"] },
    },
    {
      // Each byte outside a well-formed UTF-8 sequence stands for itself (surrogateescape), as in tarfile's names.
      title: "names that differ only in bytes that are not UTF-8 stay apart",
      gz: gz(dir("top"), file("top/\xff", "x"), file("top/\xfe", "y"), file("top/\xc3\xa9\xed\xa0\x80", "z"), END),
      tarfile: { members: [["top", "5", ""], ["top/\udcff", "0", ""], ["top/\udcfe", "0", ""], ["top/é\udced\udca0\udc80", "0", ""]] },
      port: { members: ["top", "top/\udcff", "top/\udcfe", "top/é\udced\udca0\udc80"], members_refused: [] },
    },
    {
      title: "a global pax size is every member's size without moving the next header: tarfile extracts the headers after it as content",
      gz: gz(pax({ size: "600" }, "g"), file("top/a", "x"), END),
      tarfile: { members: [["top/a", "0", ""]], verdicts: ["ok"] },
      port: { members: ["top/a"], problems: ["DC_TAR_CORRUPT top/a: the member's size (600) is more than the archive holds for it"] },
    },
    {
      title: "members named ./TOP/... and . are inside the destination",
      gz: gz(dir("."), dir("./top"), file("./top/a", "x"), END),
      tarfile: { members: [[".", "5", ""], ["./top", "5", ""], ["./top/a", "0", ""]], verdicts: ["ok", "ok", "ok"] },
      port: { members: [".", "./top", "./top/a"], members_refused: [] },
    },
    {
      title: "a symlink named NAME/ lands at NAME: the filter reads its target one directory too deep",
      gz: gz(dir("top"), symlink("top/x/", "../.."), END),
      tarfile: { members: [["top", "5", ""], ["top/x/", "2", "../.."]], verdicts: ["ok", "ok"] },
      port: { members_refused: ['top/x/: symlink to "../.." leaves the source tree'] },
    },
    {
      title: "a symlink made through a symlinked directory is where that directory is, for the members after it",
      gz: gz(dir("top"), dir("top/d"), symlink("top/l", "d"), symlink("top/l/up", ".."), symlink("top/d/up/esc", "../.."), END),
      tarfile: { members: [["top", "5", ""], ["top/d", "5", ""], ["top/l", "2", "d"], ["top/l/up", "2", ".."], ["top/d/up/esc", "2", "../.."]], verdicts: ["ok", "ok", "ok", "ok", "LinkOutsideDestinationError"] },
      port: { members_refused: ['top/d/up/esc: symlink to "../.." leaves the source tree'] },
    },
    {
      title: "a symlink over a directory is not made: later links resolve through the directory",
      gz: gz(dir("top"), dir("top/d"), symlink("top/d", "a/b/c"), symlink("top/d/esc", "../../.."), END),
      tarfile: { members: [["top", "5", ""], ["top/d", "5", ""], ["top/d", "2", "a/b/c"], ["top/d/esc", "2", "../../.."]], verdicts: ["ok", "ok", "ok", "LinkOutsideDestinationError"] },
      port: { members_refused: ['top/d/esc: symlink to "../../.." leaves the source tree'] },
    },
    {
      title: "past a symlink loop realpath leaves the rest unresolved, and a rest starting with a slash makes the path /",
      gz: gz(dir("top"), symlink("top/p/", "p/c"), hardlink("top/p//", "top/x"), END),
      tarfile: { members: [["top", "5", ""], ["top/p/", "2", "p/c"], ["top/p//", "1", "top/x"]], verdicts: ["ok", "ok", "OutsideDestinationError"] },
      port: { members_refused: ["top/p//: its path leads outside the source tree through a symlink extracted before it"] },
    },
    {
      // It then sets the link's owner, mode and times through the copy: on /tmp/dist-check-escape (intercepted here).
      title: "a hard link to a symlink the filter refused: tarfile 3.11.7 copies that symlink in its place",
      gz: gz(dir("top"), symlink("top/abs", "/tmp/dist-check-escape"), hardlink("top/copy", "top/abs"), END),
      tarfile: { members: [["top", "5", ""], ["top/abs", "2", "/tmp/dist-check-escape"], ["top/copy", "1", "top/abs"]], verdicts: ["ok", "AbsoluteLinkError", "escape"] },
      port: {
        members_refused: [
          'top/abs: symlink to "/tmp/dist-check-escape" leaves the source tree',
          'top/copy: hard link to "top/abs", which tarfile replaces with a symlink to "/tmp/dist-check-escape", leaving the source tree',
        ],
      },
    },
    {
      // The symlink TOP/ cannot replace the directory TOP, nor be made with an empty target: tarfile extracts the
      // member named TOP in its place, looked up in the whole archive: the last symlink, which escapes.
      title: "a hard link whose fallback falls back again to a member further on",
      gz: gz(dir("top"), symlink("top/", ""), hardlink("top/h", "top/x/.."), symlink("top/", "../top/../.."), END),
      tarfile: { members: [["top", "5", ""], ["top/", "2", ""], ["top/h", "1", "top/x/.."], ["top/", "2", "../top/../.."]], verdicts: ["ok", "ok", "escape", "LinkOutsideDestinationError"] },
      port: {
        members_refused: [
          'top/: symlink to "" leaves the source tree',
          'top/h: hard link to "top/x/..", which tarfile replaces with a symlink to "../top/../..", leaving the source tree',
          'top/: symlink to "../top/../.." leaves the source tree',
        ],
      },
    },
    {
      title: "os.makedirs fails on a directory name ending in ..: nothing is made there",
      gz: gz(dir("x/../p"), file("p", "x"), END),
      tarfile: { members: [["x/../p", "5", ""], ["p", "0", ""]], verdicts: ["extract FileExistsError", "ok"] },
      port: { members_refused: ["x/../p: member path contains .."] },
    },
    {
      title: "members tarfile cannot extract: a hard link to no earlier member, a file under a file, a name too long",
      gz: gz(dir("top"), hardlink("top/h", "top/missing"), file("top/f", "x"), file("top/f/g", "x"), pax({ path: `top/${"n".repeat(300)}` }), file("top/n", "x"), END),
      tarfile: {
        members: [["top", "5", ""], ["top/h", "1", "top/missing"], ["top/f", "0", ""], ["top/f/g", "0", ""], [`top/${"n".repeat(300)}`, "0", ""]],
        verdicts: ["ok", "extract KeyError", "ok", "extract NotADirectoryError", "extract OSError"],
      },
      port: {
        members_refused: [
          'top/h: tarfile cannot extract it: it is a hard link to "top/missing", which is no earlier member: tarfile fails with KeyError',
          'top/f/g: tarfile cannot extract it: its directory "top/f" is a file',
          `top/${"n".repeat(300)}: tarfile cannot extract it: a path component is longer than file systems allow`,
        ],
      },
    },
  ];

  it("tarfile reads each case as recorded", () => {
    const dir = tempDir("dc-tar-cases-");
    const paths = CASES.map((c, i) => {
      const path = join(dir, `case-${i}.tar.gz`);
      writeFileSync(path, c.gz);
      return path;
    });
    const seen = JSON.parse(execFileSync(toolsPython(), ["-c", TARFILE], { input: JSON.stringify(paths), encoding: "utf8" })) as ({ error: string } | { members: string[][]; verdicts: string[] })[];
    for (const [i, c] of CASES.entries()) {
      const actual = seen[i]!;
      if ("error" in c.tarfile || "error" in actual) expect(actual, c.title).toEqual(c.tarfile);
      else {
        expect(actual.members, c.title).toEqual(c.tarfile.members);
        if (c.tarfile.verdicts) expect(actual.verdicts, c.title).toEqual(c.tarfile.verdicts);
      }
    }
  });

  it.each(CASES.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    const dir = tempDir("dc-tar-case-");
    const path = join(dir, "case.tar.gz");
    writeFileSync(path, c.gz);
    const scan = await scanTarGz(path, () => false);
    if (c.port.members) expect(scan.members.map((m) => m.name)).toEqual(c.port.members);
    expect(scan.problems.map((p) => (p.member === undefined ? `${p.code}: ${p.message}` : `${p.code} ${p.member}: ${p.message}`))).toEqual(c.port.problems ?? []);
    if (c.port.members_refused) {
      const tree = new ExtractedTree(scan.members);
      const refused: string[] = [];
      for (const member of scan.members) checkMember(member, tree, (_code, message, extra) => void refused.push(`${extra?.member}: ${message}`));
      expect(refused).toEqual(c.port.members_refused);
    }
  });
});
