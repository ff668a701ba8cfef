import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { HelperError } from "@pypi-workflows/cli-kit";

/** What dist-check writes after a clean check and every later step reads: the exact bytes we built. */
export interface Manifest {
  name: string;
  version: string;
  files: ManifestFile[];
}

export interface ManifestFile {
  filename: string;
  kind: "wheel" | "sdist";
  size: number;
  sha256: string;
}

export const MANIFEST_ERROR_CODES = {
  MANIFEST_INVALID: {
    summary: "The manifest file is missing, is not JSON, or lacks name, version or files.",
    fix: "Pass the manifest that dist-check wrote for this build (dist-check DIR --manifest FILE).",
  },
  MANIFEST_MISMATCH: {
    summary: "The files in the directory are not the files the manifest describes (missing, extra or changed bytes).",
    fix: "Do not rebuild between steps: download the same artifact the build job uploaded, with its manifest.",
  },
} as const;

export async function readManifest(path: string): Promise<Manifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw invalid(`cannot read the manifest ${path}: ${(error as Error).message}`);
  }
  const m = parsed as Partial<Manifest>;
  const fileOk = (f: Partial<ManifestFile>) =>
    typeof f?.filename === "string" &&
    (f.kind === "wheel" || f.kind === "sdist") &&
    typeof f.size === "number" &&
    typeof f.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(f.sha256);
  if (typeof m?.name !== "string" || typeof m.version !== "string" || !Array.isArray(m.files) || m.files.length === 0 || !m.files.every(fileOk)) {
    throw invalid(`${path} is not a dist-check manifest (needs name, version and files with filename, kind, size, sha256)`);
  }
  return { name: m.name, version: m.version, files: m.files as ManifestFile[] };
}

/** A file that is not a manifest is a wrong argument (exit 2); files that differ from one are exit 1. */
function invalid(message: string): HelperError {
  return new HelperError("MANIFEST_INVALID", message, 2, { hint: MANIFEST_ERROR_CODES.MANIFEST_INVALID.fix });
}

/**
 * sha256 of a file, streamed (flat memory whatever its size). A helper that reads manifests but never hashes
 * a file does not load node:crypto for it: its bundle drops the unused import (moduleSideEffects "no-external").
 */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Proves that `dir` holds exactly the manifest's files with the same bytes (size and sha256): no file
 * missing, none extra, none changed. Returns the absolute paths in manifest order.
 */
export async function verifyAgainstManifest(dir: string, manifest: Manifest): Promise<string[]> {
  const present = (await readdir(dir)).filter((f) => f.endsWith(".whl") || f.endsWith(".tar.gz") || f.endsWith(".zip"));
  const expected = new Set(manifest.files.map((f) => f.filename));
  const problems: string[] = [];
  for (const f of present) if (!expected.has(f)) problems.push(`${f}: not in the manifest`);
  for (const f of manifest.files) {
    const path = join(dir, f.filename);
    const info = await stat(path).catch(() => undefined);
    if (!info) problems.push(`${f.filename}: missing`);
    else if (info.size !== f.size || (await sha256File(path)) !== f.sha256) problems.push(`${f.filename}: bytes differ from the manifest`);
  }
  if (problems.length) {
    throw new HelperError("MANIFEST_MISMATCH", `${dir} does not match the manifest:\n  ${problems.join("\n  ")}`, 1, {
      hint: MANIFEST_ERROR_CODES.MANIFEST_MISMATCH.fix,
      data: { problems },
    });
  }
  return manifest.files.map((f) => join(dir, f.filename));
}
