import { createHash, type Hash } from "node:crypto";
import { readSync } from "node:fs";

const CHUNK = 1 << 20;

/** Thrown when the file ends before the structure says it should. */
export class EndOfFileError extends Error {}

/**
 * Reads a file front to back exactly once, in 1 MiB chunks, hashing every byte as it is read. Callers take
 * small pieces (headers) as Buffers and large pieces (member data) as a sequence of slices, so memory stays
 * at about one chunk however large the file.
 */
export class ByteSource {
  readonly sha256: Hash = createHash("sha256");
  private buf: Buffer = Buffer.alloc(0);
  private bufStart = 0;
  private readOffset = 0;
  position = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private available(): number {
    return this.buf.length - (this.position - this.bufStart);
  }

  /** Appends the next chunk of the file to the buffer (keeping only the unconsumed tail). */
  private fill(): boolean {
    if (this.readOffset >= this.size) return false;
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, this.size - this.readOffset));
    const n = readSync(this.fd, chunk, 0, chunk.length, this.readOffset);
    if (n <= 0) return false;
    const data = n < chunk.length ? chunk.subarray(0, n) : chunk;
    this.readOffset += n;
    this.sha256.update(data);
    const rest = this.buf.subarray(this.position - this.bufStart);
    this.buf = rest.length ? Buffer.concat([rest, data]) : data;
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
