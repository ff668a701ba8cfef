import { readFileSync } from "node:fs";
import { VerifierInputError } from "./errors.js";

/** dist-check's manifest: what was built, with each file's sha256 (INTERFACES.md). */
export interface Manifest {
  name: string;
  version: string;
  files: { filename: string; kind: "wheel" | "sdist"; size: number; sha256: string }[];
}

export function readManifest(path: string): Manifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new VerifierInputError("IV_MANIFEST_INVALID", `cannot read the manifest ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new VerifierInputError("IV_MANIFEST_INVALID", `the manifest ${path} is not JSON`);
  }
  return checkManifest(data, path);
}

export function checkManifest(data: unknown, path: string): Manifest {
  const m = data as Partial<Manifest> | null;
  const problem = (what: string) => new VerifierInputError("IV_MANIFEST_INVALID", `the manifest ${path} ${what}`);
  if (!m || typeof m !== "object") throw problem("is not an object");
  if (typeof m.name !== "string" || !m.name) throw problem("has no name");
  if (typeof m.version !== "string" || !m.version) throw problem("has no version");
  if (!Array.isArray(m.files) || m.files.length === 0) throw problem("lists no files");
  for (const f of m.files) {
    if (typeof f?.filename !== "string" || !/^[0-9a-f]{64}$/i.test(String(f.sha256))) {
      throw problem(`has a file without a filename and a sha256 (${JSON.stringify(f).slice(0, 120)})`);
    }
  }
  return m as Manifest;
}
