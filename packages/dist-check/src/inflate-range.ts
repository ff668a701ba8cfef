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
  return memberData(await streamMember(path, start, entry, "sha256", wanted), entry);
}

/** A member read with sha256 (streamed or in one piece) as the scan records it: data short of its declared size is a problem too. */
export function memberData(read: StreamedMember, entry: ZipEntry): MemberData {
  if (read.problem) return { size: read.size, sha256: "", problem: read.problem };
  const { size, digest: sha256, crc32, content } = read;
  const problem = size !== entry.uncompressedSize ? sizeMismatch(size, entry.uncompressedSize) : undefined;
  return { size, sha256, crc32, ...(content ? { content } : {}), ...(problem ? { problem } : {}) };
}

export interface StreamedMember {
  size: number;
  /** The data's digest with the algorithm asked for, urlsafe base64 without padding (RECORD's form). */
  digest: string;
  crc32: number;
  content?: Buffer;
  /** Data that does not inflate, or inflates past its declared size: no digest then. */
  problem?: Omit<ArchiveProblem, "member">;
}

/**
 * Streams one member's data (stored or deflated) from its own read stream: its digest with `algorithm`, its
 * CRC-32 and, when `wanted`, its bytes. Never inflates past the declared size (the bomb guard).
 */
export async function streamMember(path: string, start: number, entry: ZipEntry, algorithm: string, wanted: boolean): Promise<StreamedMember> {
  const hash = createHash(algorithm);
  const parts: Buffer[] = [];
  let size = 0;
  let crc = 0;
  let tooLarge = false;
  // An empty member has no bytes to stream (a read stream cannot end before it starts).
  if (entry.compressedSize > 0) {
    try {
      const input = createReadStream(path, { start, end: start + entry.compressedSize - 1, highWaterMark: 256 * 1024 });
      const consume = async (output: AsyncIterable<Buffer>) => {
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
      };
      if (entry.method === 0) await pipeline(input, consume);
      else await pipeline(input, createInflateRaw({ chunkSize: 64 * 1024 }), consume);
    } catch (error) {
      // The pipeline may report the stop as a premature close rather than the error thrown: trust the flag.
      if (tooLarge) return { size, digest: "", crc32: crc, problem: sizeMismatch(size, entry.uncompressedSize) };
      return { size, digest: "", crc32: crc, problem: { code: "DC_ZIP_CORRUPT", message: `member data does not inflate: ${(error as Error).message}` } };
    }
  }
  return { size, digest: hash.digest("base64url"), crc32: crc, ...(wanted ? { content: Buffer.concat(parts) } : {}) };
}
