import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { normalizeVersion, parseVersion } from "@pypi-workflows/version-util";
import { parse as parseToml } from "smol-toml";
import { NotesEnvironmentError, NotesError } from "./errors.js";

/** One file of a dist-check manifest. */
export interface ManifestFile {
  filename: string;
  kind: string;
  size: number;
  sha256: string;
}

/** What dist-check writes: the built distributions of one release. */
export interface DistManifest {
  name: string;
  version: string;
  files: ManifestFile[];
}

/** Reads and validates a dist-check manifest (NG_MANIFEST_INVALID, exit 2, when it is not one). */
export async function readManifest(cwd: string, file: string): Promise<DistManifest> {
  const path = resolve(cwd, file);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new NotesEnvironmentError("NG_MANIFEST_INVALID", `cannot read manifest ${path}: ${(error as Error).message}`);
  }
  const m = data as Partial<DistManifest> | null;
  const validFile = (f: Partial<ManifestFile>) =>
    typeof f?.filename === "string" && typeof f.size === "number" && typeof f.sha256 === "string" && /^[0-9a-f]{64}$/.test(f.sha256);
  if (typeof m?.name !== "string" || typeof m.version !== "string" || !Array.isArray(m.files) || !m.files.every(validFile)) {
    throw new NotesEnvironmentError(
      "NG_MANIFEST_INVALID",
      `${path} is not a dist-check manifest: expected {name, version, files: [{filename, kind, size, sha256}]}`,
    );
  }
  return { name: m.name, version: m.version, files: m.files.map((f) => ({ ...f, kind: String(f.kind ?? "") })) };
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
