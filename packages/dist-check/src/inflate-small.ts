import { constants, createInflateRaw, deflateRawSync, type InflateRaw, inflateRawSync } from "node:zlib";

/** zlib's native handle as node:zlib drives it for inflateRawSync (not a public API: checked before use). */
interface RawHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void;
  reset(): void;
}

/**
 * Inflates many small members through ONE zlib stream, reset between members, into one reused output buffer.
 * inflateRawSync builds a whole stream object per call (zlib state, window, a Transform, output buffers); for a
 * wheel of 20,000 modules that setup costs more than the inflating. This drives the same native handle that
 * inflateRawSync uses, the same way, so results are identical; anything unusual (an error, more output than
 * declared, a node:zlib without this handle) returns undefined and the caller uses inflateRawSync for that member.
 */
export class SmallInflater {
  private stream: InflateRaw | undefined;
  private handle: RawHandle | undefined;
  private state: Uint32Array | undefined;
  private output = Buffer.allocUnsafe(64 * 1024);
  private usable: boolean | undefined;

  /** The inflated bytes, a view valid until the next call (copy to keep), or undefined (use inflateRawSync). */
  inflate(input: Buffer, declared: number): Buffer | undefined {
    if (this.usable === undefined) this.usable = this.selfTest();
    return this.usable ? this.inflateFast(input, declared) : undefined;
  }

  close(): void {
    this.stream?.destroy();
    this.stream = this.handle = this.state = undefined;
  }

  private inflateFast(input: Buffer, declared: number): Buffer | undefined {
    if (!this.handle && !this.open()) return undefined;
    const room = declared + 1;
    if (this.output.length < room) this.output = Buffer.allocUnsafe(room);
    try {
      this.handle!.writeSync(constants.Z_FINISH, input, 0, input.length, this.output, 0, room);
    } catch {
      this.close();
      return undefined;
    }
    // An error destroys the stream (node:zlib's error callback runs inside writeSync): start a fresh one next time.
    if (this.stream!.destroyed) {
      this.close();
      return undefined;
    }
    const produced = room - this.state![0]!;
    this.handle!.reset();
    // Output filling the room means more than declared: inflateRawSync words that case.
    return produced <= declared ? this.output.subarray(0, produced) : undefined;
  }

  private open(): boolean {
    const stream = createInflateRaw();
    const internals = stream as unknown as { _handle?: Partial<RawHandle>; _writeState?: unknown };
    const handle = internals._handle;
    const state = internals._writeState;
    if (typeof handle?.writeSync !== "function" || typeof handle.reset !== "function" || !(state instanceof Uint32Array) || state.length < 2) {
      stream.destroy();
      return false;
    }
    // The error is read from stream.destroyed; this keeps the deferred 'error' event from being unhandled.
    stream.on("error", () => {});
    this.stream = stream;
    this.handle = handle as RawHandle;
    this.state = state;
    return true;
  }

  /** Whether the fast path gives inflateRawSync's answer on a known input (guards the internal API's shape). */
  private selfTest(): boolean {
    const text = Buffer.from("dist-check inflates each member once and hashes it. ".repeat(40));
    const input = deflateRawSync(text);
    const first = this.inflateFast(input, text.length);
    const again = first && Buffer.from(first);
    const second = this.inflateFast(input, text.length);
    const ok = !!again && !!second && again.equals(text) && second.equals(inflateRawSync(input));
    if (!ok) this.close();
    return ok;
  }
}
