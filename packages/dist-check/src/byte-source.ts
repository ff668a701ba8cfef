import { createHash, type Hash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;

/** Thrown when the file ends before the structure says it should. */
export class EndOfFileError extends Error {}

/**
 * Reads a file front to back exactly once, in 1 MiB chunks, hashing every byte as it is read. Callers take
 * small pieces (headers) as Buffers and large pieces (member data) as a sequence of slices, so memory stays
 * at about one chunk however large the file.
 *
 * Two buffers are used in turn instead of a fresh one per chunk: garbage buffers are only collected once some
 * 64 MiB of them pile up, which would double the peak memory. A Buffer returned by take() or slices() is
 * therefore valid only until the next read after the one that follows it: use it (or copy it) at once.
 */
export class ByteSource {
  readonly sha256: Hash = createHash("sha256");
  private buf: Buffer = Buffer.alloc(0);
  private spare: Buffer[] = [Buffer.allocUnsafe(2 * CHUNK), Buffer.allocUnsafe(2 * CHUNK)];
  private turn = 0;
  private bufStart = 0;
  private readOffset = 0;
  position = 0;

  /** hashFile false: the file's hash is taken elsewhere, so skipped bytes need not be read at all. */
  constructor(
    private readonly fd: number,
    readonly size: number,
    private readonly hashFile = true,
  ) {}

  private available(): number {
    return this.buf.length - (this.position - this.bufStart);
  }

  /** Appends the next chunk of the file to the buffer (keeping only the unconsumed tail). */
  private fill(): boolean {
    if (this.readOffset >= this.size) return false;
    const rest = this.buf.subarray(this.position - this.bufStart);
    const want = Math.min(CHUNK, this.size - this.readOffset);
    this.turn ^= 1;
    let target = this.spare[this.turn]!;
    if (target.length < rest.length + want) {
      target = Buffer.allocUnsafe(rest.length + want + CHUNK);
      this.spare[this.turn] = target;
    }
    rest.copy(target, 0);
    const n = readSync(this.fd, target, rest.length, want, this.readOffset);
    if (n <= 0) return false;
    this.readOffset += n;
    if (this.hashFile) this.sha256.update(target.subarray(rest.length, rest.length + n));
    this.buf = target.subarray(0, rest.length + n);
    this.bufStart = this.position;
    return true;
  }

  /** The next n bytes (n small: headers, kept metadata). */
  take(n: number): Buffer {
    while (this.available() < n) if (!this.fill()) throw new EndOfFileError();
    const start = this.position - this.bufStart;
    this.position += n;
    return this.buf.subarray(start, start + n);
  }

  /** The next n bytes as consecutive slices, without gathering them. */
  *slices(n: number): Generator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.available() === 0 && !this.fill()) throw new EndOfFileError();
      const k = Math.min(left, this.available());
      const start = this.position - this.bufStart;
      this.position += k;
      left -= k;
      yield this.buf.subarray(start, start + k);
    }
  }

  skipTo(offset: number): void {
    if (!this.hashFile && offset > this.bufStart + this.buf.length) {
      if (offset > this.size) throw new EndOfFileError();
      this.buf = Buffer.alloc(0);
      this.position = this.bufStart = this.readOffset = offset;
      return;
    }
    for (const _ of this.slices(Math.max(0, offset - this.position))) {
      // hashed while read; nothing else to do with skipped bytes
    }
  }

  /** Reads the rest of the file (for the file's hash) and returns its sha256, hex. */
  finish(): string {
    this.skipTo(this.size);
    return this.sha256.digest("hex");
  }
}

/** The sha256 (hex) of a file, read the way a wheel scan reads it (1 MiB chunks, one pass). */
export function sha256File(path: string): string {
  const fd = openSync(path, "r");
  try {
    return new ByteSource(fd, fstatSync(fd).size).finish();
  } finally {
    closeSync(fd);
  }
}
