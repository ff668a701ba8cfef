import { copyFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { sha256File, type Manifest } from "@pypi-workflows/index-client";
import { buildDist, exampleRepo, tempDir } from "@pypi-workflows/testkit";
import { statSync } from "node:fs";

export interface BuiltDist {
  distDir: string;
  manifest: Manifest;
  manifestPath: string;
}

/** The hatch-static example built once by the real `python -m build`, with its manifest. */
export async function builtExample(): Promise<BuiltDist> {
  const { distDir, files } = buildDist(exampleRepo("hatch-static"));
  return withManifest(distDir, files);
}

export async function withManifest(distDir: string, files: string[]): Promise<BuiltDist> {
  const manifest: Manifest = {
    name: "hatch-static-demo",
    version: "0.1.0",
    files: await Promise.all(
      files.map(async (f) => ({
        filename: basename(f),
        kind: f.endsWith(".whl") ? ("wheel" as const) : ("sdist" as const),
        size: statSync(f).size,
        sha256: await sha256File(f),
      })),
    ),
  };
  const manifestPath = join(tempDir(), "manifest.json");
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { distDir, manifest, manifestPath };
}

/** A copy of a dist directory, so a test can change bytes without touching the shared build. */
export function copyDist(dist: BuiltDist): string {
  const dir = tempDir();
  for (const f of dist.manifest.files) copyFileSync(join(dist.distDir, f.filename), join(dir, f.filename));
  return dir;
}
