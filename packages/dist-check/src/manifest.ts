import { renameSync, writeFileSync } from "node:fs";
import type { DistCheckResult } from "./check.js";
import { ManifestUnwritableError } from "./errors.js";

/** What later steps (upload, verification, release notes) read: the exact files and bytes that passed. */
export interface Manifest {
  name: string;
  version: string;
  files: { filename: string; kind: "wheel" | "sdist"; size: number; sha256: string }[];
}

export function buildManifest(result: DistCheckResult): Manifest | undefined {
  if (!result.ok || !result.name || !result.version) return undefined;
  return {
    name: result.name,
    version: result.version,
    files: result.files.map(({ filename, kind, size, sha256 }) => ({ filename, kind, size, sha256 })),
  };
}

/** Writes through a temp file and rename, so a reader never sees half a manifest. */
export function writeManifest(path: string, manifest: Manifest): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(temp, path);
  } catch (error) {
    throw new ManifestUnwritableError(path, (error as Error).message);
  }
}
