import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { NotesEnvironmentError } from "./errors.js";
import { compareCodeUnits } from "@pypi-workflows/cli-kit";

/** A file to attach to the release. */
export interface LocalAsset {
  name: string;
  path: string | null;
  size: number;
  sha256: string;
  data: Buffer;
}

export const CHECKSUMS_NAME = "SHA256SUMS";

function toAsset(name: string, path: string | null, data: Buffer): LocalAsset {
  // node:crypto is taken here, when a release has assets, not imported: the CLI is one CommonJS file whose
  // imports of built-ins all run at start-up, and loading node:crypto costs some 3.5 ms every notes-gen run.
  const { createHash } = process.getBuiltinModule("node:crypto");
  return { name, path, size: data.length, sha256: createHash("sha256").update(data).digest("hex"), data };
}

/**
 * Reads the asset files and adds SHA256SUMS (`sha256  name` lines, the format `sha256sum -c` checks).
 * A missing file is NG_ASSET_NOT_FOUND, two files of one name NG_DUPLICATE_ASSET (both exit 2).
 */
export async function prepareAssets(cwd: string, paths: readonly string[]): Promise<LocalAsset[]> {
  if (!paths.length) return [];
  const assets: LocalAsset[] = [];
  const seen = new Set<string>([CHECKSUMS_NAME]);
  for (const p of paths) {
    const path = resolve(cwd, p);
    const name = basename(path);
    if (seen.has(name)) throw new NotesEnvironmentError("NG_DUPLICATE_ASSET", `two assets are named ${name}`);
    seen.add(name);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      throw new NotesEnvironmentError("NG_ASSET_NOT_FOUND", `cannot read asset ${path}: ${(error as Error).message}`);
    }
    assets.push(toAsset(name, path, data));
  }
  // Code-unit order: SHA256SUMS must come out byte for byte the same on a re-run, whatever the runner's locale.
  assets.sort((a, b) => compareCodeUnits(a.name, b.name));
  const sums = assets.map((a) => `${a.sha256}  ${a.name}\n`).join("");
  return [...assets, toAsset(CHECKSUMS_NAME, null, Buffer.from(sums))];
}
