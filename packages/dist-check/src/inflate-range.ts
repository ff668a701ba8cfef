import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { crc32, createInflateRaw } from "node:zlib";
import type { ArchiveProblem } from "./archive.js";
import type { ZipEntry } from "./zip-directory.js";

export interface MemberData {
  size: number;
  sha256: string;
  /** CRC-32 of the data read (compared with the central directory's), absent when the data could not be read. */
  crc32?: number;
  content?: Buffer;
  problem?: Omit<ArchiveProblem, "member">;
}

class MemberTooLargeError extends Error {}

export function sizeMismatch(actual: number, declared: number): Omit<ArchiveProblem, "member"> {
  if (actual > declared) return { code: "DC_ZIP_BOMB", message: `member inflates past its declared size of ${declared} bytes` };
  return { code: "DC_ZIP_CORRUPT", message: `member holds ${actual} bytes, the central directory says ${declared}` };
}

/**
 * Inflates one large member from its own read stream (zlib works in the thread pool while the caller's pass
 * over the file goes on), hashing the output as it arrives and stopping as soon as it passes the declared size.
 */
export async function inflateRange(path: string, start: number, entry: ZipEntry, wanted: boolean): Promise<MemberData> {
  const hash = createHash("sha256");
  const parts: Buffer[] = [];
  let size = 0;
  let crc = 0;
  let tooLarge = false;
  try {
    await pipeline(
      createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 256 * 1024 }),
      createInflateRaw({ chunkSize: 64 * 1024 }),
      async (output: AsyncIterable<Buffer>) => {
        for await (const chunk of output) {
          size += chunk.length;
          if (size > entry.uncompressedSize) {
            tooLarge = true;
            throw new MemberTooLargeError();
          }
          hash.update(chunk);
          crc = crc32(chunk, crc);
          if (wanted) parts.push(chunk);
        }
      },
    );
  } catch (error) {
    // The pipeline may report the stop as a premature close rather than the error thrown: trust the flag.
    if (tooLarge) return { size, sha256: "", problem: sizeMismatch(size, entry.uncompressedSize) };
    return { size, sha256: "", problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
  }
  const problem = size !== entry.uncompressedSize ? sizeMismatch(size, entry.uncompressedSize) : undefined;
  return { size, sha256: hash.digest("base64url"), crc32: crc, ...(wanted ? { content: Buffer.concat(parts) } : {}), ...(problem ? { problem } : {}) };
}
