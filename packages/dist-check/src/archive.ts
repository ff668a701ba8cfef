import type { DistCheckCode } from "./errors.js";

/** What reading an archive found, before any wheel or sdist rule is applied. */
export interface ArchiveProblem {
  code: DistCheckCode;
  message: string;
  member?: string;
}

export interface ArchiveMember {
  name: string;
  isDirectory: boolean;
  /** Bytes after decompression (what the archive really held). */
  size: number;
  /** urlsafe base64 sha256 without padding (RECORD's form): zip members, and tar members when asked for. */
  sha256?: string;
  /** tar members: the entry type, link target and permission bits. */
  type?: "file" | "directory" | "symlink" | "hardlink" | "char-device" | "block-device" | "fifo" | "other";
  linkName?: string;
  mode?: number;
}

export interface ArchiveScan {
  /** sha256 of the whole file, hex. */
  sha256: string;
  size: number;
  members: ArchiveMember[];
  /** Contents of the members asked for (metadata files), each under the size cap. */
  kept: Map<string, Buffer>;
  problems: ArchiveProblem[];
  /** True when the archive could not be read to the end (member list incomplete). */
  incomplete: boolean;
}

/** Guards against archives that inflate to far more than they weigh. */
export interface ArchiveLimits {
  /** A member whose uncompressed size exceeds `ratioMinBytes` may inflate at most this many times its size. Default 100. */
  maxRatio: number;
  /** Default 10 MiB: small members may compress arbitrarily well (empty-ish files, repetitive data). */
  ratioMinBytes: number;
  /** Total uncompressed bytes allowed in one archive. Default 4 GiB. */
  maxTotalBytes: number;
  /** Largest member kept in memory for reading (METADATA, RECORD, PKG-INFO). Default 64 MiB. */
  keepMaxBytes: number;
  /**
   * Largest distribution file the index accepts. Default 100 MiB, PyPI's default per-file limit; a project PyPI
   * granted a higher limit passes that instead.
   */
  maxFileBytes: number;
}

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxRatio: 100,
  ratioMinBytes: 10 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  keepMaxBytes: 64 * 1024 * 1024,
  maxFileBytes: 100 * 1024 * 1024,
};

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
