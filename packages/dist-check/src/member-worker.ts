import { readSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { sha256File } from "./byte-source.js";
import { inflateRange, type MemberData, sizeMismatch } from "./inflate-range.js";
import type { ZipEntry } from "./zip-directory.js";

/**
 * The worker's code, kept as source text (node built-ins only) so it runs the same from the bundle and from
 * the TypeScript sources under test. It inflates large members one after another and sha256-hashes the output
 * on its own thread, and hashes the whole file meanwhile, so the main thread's pass over the small members runs
 * on the other core. It stops as soon as the output passes the declared size; a member it cannot finish cleanly
 * is redone by inflateRange on the main thread. Exported for its tests (they run its functions on their thread).
 */
export const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { open } = require("node:fs/promises");
const { crc32, createInflateRaw, deflateRawSync, inflateRawSync, constants: { Z_FINISH, Z_NO_FLUSH } } = require("node:zlib");
const { createHash } = require("node:crypto");
// The fast way: zlib's native handle driven synchronously on this thread, the way zlib.inflateRawSync drives it
// (not a public API: its shape is checked, and selfTest checks its answers once before any member), with one
// reused output buffer: no stream machinery, thread-pool hop or garbage buffer per 64 KiB. Only a clean result
// is returned; anything else (an error, more output than declared, no such handle) gives undefined, and the
// member goes back to the main thread (inflateRange).
let usable;
function inflateFast({ id, path, start, compressedSize, declared, wanted }) {
  if (!(usable ??= selfTest())) return undefined;
  const fd = openSync(path, "r");
  try {
    const read = (buffer, length, at) => readSync(fd, buffer, 0, length, start + at);
    const result = inflateWith(read, compressedSize, declared, wanted, Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(256 * 1024));
    return result && { id, ...result };
  } finally {
    closeSync(fd);
  }
}
// Inflates \`length\` bytes of deflate data that read(buffer, n, at) copies into \`input\` (n bytes from offset at).
function inflateWith(read, length, declared, wanted, input, output) {
  const stream = createInflateRaw();
  const handle = stream._handle;
  const state = stream._writeState;
  if (typeof (handle && handle.writeSync) !== "function" || !(state instanceof Uint32Array)) return void stream.destroy();
  stream.on("error", () => {});
  const hash = createHash("sha256");
  const parts = [];
  let consumed = 0;
  let size = 0;
  let crc = 0;
  try {
    for (let ended = false; !ended; ) {
      const n = read(input, Math.min(input.length, length - consumed), consumed);
      if (n <= 0) return undefined;
      consumed += n;
      const last = consumed >= length;
      let inOffset = 0;
      let inLength = n;
      for (;;) {
        handle.writeSync(last ? Z_FINISH : Z_NO_FLUSH, input, inOffset, inLength, output, 0, output.length);
        // Counts out of range would mean _writeState changed meaning: never index with them.
        if (stream.destroyed || state[0] > output.length || state[1] > inLength) return undefined;
        const produced = output.length - state[0];
        size += produced;
        if (size > declared) return undefined;
        hash.update(output.subarray(0, produced));
        crc = crc32(output.subarray(0, produced), crc);
        if (wanted) parts.push(Buffer.from(output.subarray(0, produced)));
        inOffset += inLength - state[1];
        inLength = state[1];
        // Output room left: zlib wants more input, or the deflate stream ended (input left over: ends it early).
        if (state[0] !== 0) {
          ended = last || inLength > 0;
          break;
        }
      }
    }
  } catch {
    return undefined;
  } finally {
    stream.destroy();
  }
  return { size, sha256: hash.digest("base64url"), crc32: crc, content: wanted ? Buffer.concat(parts) : undefined };
}
// Whether inflateWith gives inflateRawSync's answer on a known input, fed in small pieces into a small output
// buffer so that both counts in _writeState are used many times. If not, every member goes back.
function selfTest() {
  const text = Buffer.from(Array.from({ length: 2000 }, (_, i) => "line " + i + " holds " + i * i + "\\n").join(""));
  const data = deflateRawSync(text);
  const copy = (buffer, length, at) => data.copy(buffer, 0, at, at + length);
  const result = inflateWith(copy, data.length, text.length, true, Buffer.allocUnsafe(1024), Buffer.allocUnsafe(512));
  const expected = inflateRawSync(data);
  return !!result && result.size === expected.length && result.content.equals(expected) && result.sha256 === createHash("sha256").update(expected).digest("base64url") && result.crc32 === crc32(expected);
}
// Async reads into one reused buffer: no garbage, and the inflating in zlib's thread pool goes on in between.
async function hashFile({ id, path }) {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1 << 20);
  const handle = await open(path, "r");
  try {
    for (let n; (n = (await handle.read(buffer, 0, buffer.length, null)).bytesRead) > 0; ) hash.update(buffer.subarray(0, n));
  } finally {
    await handle.close();
  }
  return { id, size: 0, sha256: hash.digest("hex"), crc32: 0 };
}
let queue = Promise.resolve();
parentPort.on("message", (job) => {
  // The file's hash runs beside the member queue; members are inflated one at a time.
  // A member the fast way cannot finish cleanly is handed back: the main thread's inflateRange words its problem.
  const result = job.file ? hashFile(job) : (queue = queue.then(() => inflateFast(job) || { id: job.id, size: 0, sha256: "", crc32: 0, failed: "not inflated here" }));
  result.then((r) => parentPort.postMessage(r), (error) => parentPort.postMessage({ id: job.id, size: 0, sha256: "", crc32: 0, failed: String(error) }));
});
`;

interface WorkerResult {
  id: number;
  size: number;
  sha256: string;
  /** A member's CRC-32 (0 in the other replies, like size and sha256). */
  crc32: number;
  content?: Uint8Array;
  failed?: string;
}

interface Job {
  /** Turns the worker's answer into the caller's result. */
  settle: (result: WorkerResult) => void;
  /** Does the same work in this thread (when the worker is gone). */
  fallBack: () => void;
}

/** Large members inflated (and the file hashed) on a worker thread; if it cannot run, the work runs here. */
export class MemberWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Job>();
  private nextId = 0;

  inflate(path: string, start: number, entry: ZipEntry, wanted: boolean): Promise<MemberData> {
    return new Promise((resolve) => {
      this.post({ path, start, compressedSize: entry.compressedSize, declared: entry.uncompressedSize, wanted }, {
        // Anything but a clean result is redone by inflateRange, which also words what is wrong with the member.
        settle: (result) => resolve(result.failed === undefined ? toMemberData(result, entry) : inflateRange(path, start, entry, wanted)),
        fallBack: () => resolve(inflateRange(path, start, entry, wanted)),
      });
    });
  }

  /** The sha256 (hex) of the whole file, read by the worker while this thread reads the members. */
  hashFile(path: string): Promise<string> {
    return new Promise((resolve) => {
      // Hashing here instead reports a read error the way the one-pass reader would.
      const hashHere = () => resolve(Promise.resolve().then(() => sha256File(path)));
      this.post({ file: true, path }, { settle: (result) => (result.failed === undefined ? resolve(result.sha256) : hashHere()), fallBack: hashHere });
    });
  }

  /** Starts the thread now, so that its start-up overlaps what this thread does before the first job. */
  warmUp(): void {
    this.start();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    // Work never waited for (the pass stopped early) needs no fallback once the worker is gone.
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  private post(message: object, job: Job): number {
    const id = this.nextId++;
    this.pending.set(id, job);
    this.start().postMessage({ id, ...message });
    return id;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on("message", (result: WorkerResult) => {
      const job = this.pending.get(result.id);
      this.pending.delete(result.id);
      job?.settle(result);
    });
    // A worker that fails hands its unfinished work back to this thread: every member is still verified.
    worker.on("error", () => this.fallBack());
    worker.on("exit", () => this.fallBack());
    this.worker = worker;
    return worker;
  }

  private fallBack(): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) job.fallBack();
  }
}

function toMemberData(result: WorkerResult, entry: ZipEntry): MemberData {
  const { size, sha256, crc32 } = result;
  const content = result.content ? Buffer.from(result.content.buffer, result.content.byteOffset, result.content.byteLength) : undefined;
  const problem = size !== entry.uncompressedSize ? sizeMismatch(size, entry.uncompressedSize) : undefined;
  return { size, sha256, crc32, ...(content ? { content } : {}), ...(problem ? { problem } : {}) };
}

/**
 * Where a member's data starts, read straight from its local header (before the sequential pass gets there),
 * or undefined when the header is missing or disagrees: then the sequential pass reports it as before.
 */
export function peekDataStart(fd: number, entry: ZipEntry, centralOffset: number): number | undefined {
  // The header and the name the central directory gives, in one read (the sha384/sha512 pass peeks per member).
  const nameLength = entry.rawName.length;
  // A header that would reach into the central directory is not one (and an offset from a ZIP64 extra may be
  // past what readSync takes).
  if (entry.localOffset + 30 + nameLength > centralOffset) return undefined;
  const header = Buffer.allocUnsafe(30 + nameLength);
  if (readSync(fd, header, 0, header.length, entry.localOffset) !== header.length || header.readUInt32LE(0) !== 0x04034b50) return undefined;
  if (header.readUInt16LE(26) !== nameLength || header.compare(entry.rawName, 0, nameLength, 30) !== 0) return undefined;
  const start = entry.localOffset + 30 + nameLength + header.readUInt16LE(28);
  return start + entry.compressedSize <= centralOffset ? start : undefined;
}
