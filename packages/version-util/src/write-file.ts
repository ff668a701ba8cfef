import { chmodSync, chownSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { VersionUtilEnvironmentError } from "./errors.js";

let tempCounter = 0;

/**
 * Replaces a file's content atomically: a temp file beside it, then rename, so a reader (or a crash) sees the
 * old bytes or the new ones, never half. A file without any write permission bit is refused even for root,
 * as editors do: it was made read-only on purpose.
 */
export function writeFileAtomic(path: string, content: string): void {
  let file: string;
  let mode: number;
  let owner: { uid: number; gid: number };
  try {
    file = realpathSync(path); // replace a symlink's target, not the link
    const stat = statSync(file);
    mode = stat.mode & 0o7777;
    owner = { uid: stat.uid, gid: stat.gid };
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
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new VersionUtilEnvironmentError("VU_WRITE_FAILED", `cannot write ${file}: ${(error as Error).message}; nothing was changed`, {
      cause: error,
      data: { file },
    });
  }
}

/** Root rewriting another user's file keeps that user as the owner; anyone else cannot chown, nor needs to. */
function keepOwner(file: string, owner: { uid: number; gid: number }): void {
  try {
    chownSync(file, owner.uid, owner.gid);
  } catch {
    // not permitted for non-root users: the new file is theirs, as the old one was
  }
}
