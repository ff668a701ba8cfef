import { createHash, randomBytes } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import * as zlib from "node:zlib";
import { crc32, deflateRawSync } from "node:zlib";
import { join } from "node:path";
import { tempDir } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { checkDistributions } from "../src/index.js";
import { WORKER_SOURCE } from "../src/member-worker.js";
import { writeWheel } from "./support/generate.js";
import { toolsPython } from "./support/run.js";
import { type ZipInput, writeZip } from "./support/zip-writer.js";

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
