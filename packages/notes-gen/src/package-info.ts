import { readFile } from "node:fs/promises";
import { readManifest as readIndexManifest, type Manifest, type ManifestFile } from "@pypi-workflows/index-client";
import { join, resolve } from "node:path";
import { normalizeVersion, parseVersion } from "@pypi-workflows/version-util";
import { parse as parseToml } from "smol-toml";
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

/** `[project] name` from pyproject.toml in `dir`, or null when there is none. */
export async function readProjectName(dir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(dir, "pyproject.toml"), "utf8");
  } catch {
    return null;
  }
  try {
    const project = (parseToml(text) as { project?: { name?: unknown } }).project;
    return typeof project?.name === "string" ? project.name : null;
  } catch (error) {
    throw new NotesEnvironmentError("NG_NO_PACKAGE_NAME", `cannot parse ${join(dir, "pyproject.toml")}: ${(error as Error).message}`);
  }
}

/** The package name: the manifest's, else --name, else pyproject.toml's. */
export async function resolvePackageName(cwd: string, manifest: DistManifest | null, name: string | undefined): Promise<string> {
  const found = manifest?.name ?? name ?? (await readProjectName(cwd));
  if (!found) {
    throw new NotesEnvironmentError("NG_NO_PACKAGE_NAME", `no package name: no --manifest, no --name and no [project] name in ${cwd}/pyproject.toml`);
  }
  return found;
}
