import { chmodSync, chownSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { VersionUtilEnvironmentError } from "./errors.js";

let tempCounter = 0;

/** A new content written to a temp file beside its target, ready to be renamed over it. */
interface Prepared {
  file: string;
  temp: string;
  original: Buffer;
}

/**
 * Replaces several files' contents, all or none: every new content is first written to a temp file beside
 * its target (any failure there removes the temps and changes nothing), then each is renamed over its target,
 * so a reader (or a crash) sees a file's old bytes or its new ones, never half; should a rename fail, the
 * files already replaced get their old bytes back. A file without any write permission bit is refused even
 * for root, as editors do: it was made read-only on purpose.
 */
export function writeFilesAtomic(files: readonly { path: string; content: string }[]): void {
  const prepared: Prepared[] = [];
  try {
    for (const { path, content } of files) prepared.push(prepare(path, content));
  } catch (error) {
    for (const p of prepared) rmSync(p.temp, { force: true });
    throw error;
  }
  const replaced: Prepared[] = [];
  for (const [i, p] of prepared.entries()) {
    try {
      renameSync(p.temp, p.file);
      replaced.push(p);
    } catch (error) {
      for (const rest of prepared.slice(i)) rmSync(rest.temp, { force: true });
      for (const done of replaced) writeFileSync(done.file, done.original);
      throw new VersionUtilEnvironmentError("VU_WRITE_FAILED", `cannot write ${p.file}: ${(error as Error).message}; nothing was changed`, {
        cause: error,
        data: { file: p.file },
      });
    }
  }
}

function prepare(path: string, content: string): Prepared {
  let file: string;
  let mode: number;
  let owner: { uid: number; gid: number };
  let original: Buffer;
  try {
    file = realpathSync(path); // replace a symlink's target, not the link
    const stat = statSync(file);
    mode = stat.mode & 0o7777;
    owner = { uid: stat.uid, gid: stat.gid };
    original = readFileSync(file);
  } catch (error) {
    throw new VersionUtilEnvironmentError("VU_WRITE_FAILED", `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  if ((mode & 0o222) === 0) {
    throw new VersionUtilEnvironmentError("VU_WRITE_FAILED", `cannot write ${file}: the file is read-only; nothing was changed`, {
      data: { file },
    });
  }
  // Unique per process and call ("wx" refuses an existing file); node:crypto is not worth loading for a name.
  tempCounter += 1;
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${tempCounter}.tmp`);
  try {
    writeFileSync(temp, content, { mode, flag: "wx" });
    chmodSync(temp, mode);
    keepOwner(temp, owner);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new VersionUtilEnvironmentError("VU_WRITE_FAILED", `cannot write ${file}: ${(error as Error).message}; nothing was changed`, {
      cause: error,
      data: { file },
    });
  }
  return { file, temp, original };
}

/** Root rewriting another user's file keeps that user as the owner; anyone else cannot chown, nor needs to. */
function keepOwner(file: string, owner: { uid: number; gid: number }): void {
  try {
    chownSync(file, owner.uid, owner.gid);
  } catch {
    // not permitted for non-root users: the new file is theirs, as the old one was
  }
}
