import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { type ArchiveLimits, type ArchiveScan, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { TarParser, TarStop } from "./tar-parser.js";

/**
 * Reads a .tar.gz once through a streaming gunzip and a tar header parser: the file's sha256, every member's
 * name, type, link target, mode and size, and the members `keep` asks for (small metadata files only). With
 * `hashMembers`, each regular file's sha256 too (only when two sdists' contents are compared).
 */
export async function scanTarGz(path: string, keep: (name: string) => boolean, limits: ArchiveLimits = DEFAULT_LIMITS, hashMembers = false): Promise<ArchiveScan> {
  const { size } = await stat(path);
  const scan: ArchiveScan = { sha256: "", size, members: [], kept: new Map(), problems: [], incomplete: false };
  const fileHash = createHash("sha256");
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  input.on("data", (chunk) => fileHash.update(chunk));
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  input.on("error", (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  const parser = new TarParser(scan, keep, limits.keepMaxBytes, hashMembers);
  let total = 0;
  let complete = true;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limits.maxTotalBytes || (total > limits.ratioMinBytes && total > limits.maxRatio * size)) {
        scan.problems.push({ code: "DC_ZIP_BOMB", message: `the sdist inflates past ${formatBytes(total)} from a ${formatBytes(size)} file (ratio limit ${limits.maxRatio}x, total limit ${formatBytes(limits.maxTotalBytes)})` });
        complete = false;
        break;
      }
      parser.push(chunk);
    }
    if (complete) parser.end();
  } catch (error) {
    complete = false;
    if (!(error instanceof TarStop)) scan.problems.push(gzipProblem(error as NodeJS.ErrnoException, total));
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  scan.incomplete = !complete || scan.incomplete;
  scan.sha256 = complete ? fileHash.digest("hex") : await hashFile(path);
  return scan;
}

function gzipProblem(error: NodeJS.ErrnoException, inflated: number): ArchiveScan["problems"][number] {
  if (error.code === "Z_BUF_ERROR" || /unexpected end/i.test(error.message)) {
    return { code: "DC_TRUNCATED", message: "the gzip stream ends early (file cut short?)" };
  }
  if (inflated === 0 && (error.code === "Z_DATA_ERROR" || /header/i.test(error.message))) {
    return { code: "DC_NOT_ARCHIVE", message: "not a gzip-compressed file" };
  }
  if (error.code === "EACCES" || error.code === "EISDIR") return { code: "DC_UNREADABLE", message: error.message };
  return { code: "DC_TRUNCATED", message: `the gzip stream is damaged: ${error.message}` };
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
