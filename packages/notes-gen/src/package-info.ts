import { readManifest as readIndexManifest, type Manifest, type ManifestFile } from "@pypi-workflows/index-client";
import { resolve } from "node:path";
import { normalizeVersion, parseVersion, readProjectName as readVersionUtilProjectName } from "@pypi-workflows/version-util";
import { NotesEnvironmentError, NotesError } from "./errors.js";

/** What dist-check writes: the built distributions of one release (index-client reads and validates it). */
export type DistManifest = Manifest;
export type { ManifestFile };

/** Reads and validates a dist-check manifest (MANIFEST_INVALID, exit 2, when it is not one). */
export function readManifest(cwd: string, file: string): Promise<DistManifest> {
  return readIndexManifest(resolve(cwd, file));
}

/** The manifest must describe the release being noted: NG_MANIFEST_MISMATCH (exit 1) otherwise. */
export function checkManifestVersion(manifest: DistManifest, version: string): void {
  const built = parseVersion(manifest.version)?.normalized ?? manifest.version;
  if (built !== normalizeVersion(version)) {
    throw new NotesError("NG_MANIFEST_MISMATCH", `the manifest is for ${manifest.name} ${manifest.version}, the tag is ${version}`);
  }
}

/**
 * The project's name as its build backend reads it ([project], [tool.poetry] or setup.cfg's [metadata]), or null
 * when there is none (version-util's reading, so every helper finds the same name).
 */
export async function readProjectName(dir: string): Promise<string | null> {
  try {
    return readVersionUtilProjectName(dir) ?? null;
  } catch (error) {
    throw new NotesEnvironmentError("NG_NO_PACKAGE_NAME", `cannot parse the project's files in ${dir} for its name: ${(error as Error).message}`);
  }
}

/** The package name: the manifest's, else --name, else pyproject.toml's. */
export async function resolvePackageName(cwd: string, manifest: DistManifest | null, name: string | undefined): Promise<string> {
  const found = manifest?.name ?? name ?? (await readProjectName(cwd));
  if (!found) {
    throw new NotesEnvironmentError("NG_NO_PACKAGE_NAME", `no package name: no --manifest, no --name, and no name in ${cwd}'s pyproject.toml ([project] or [tool.poetry]) or setup.cfg`);
  }
  return found;
}
