import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { normalizeProjectName, parseDistFilename } from "@pypi-workflows/index-client";
import { VerifierInputError } from "./errors.js";

/** One project's built files in a --dist directory. */
export interface DistFiles {
  dir: string;
  name: string;
  version: string;
  wheels: string[];
  sdist: string | undefined;
}

/** Finds the wheels and the sdist in `dir`; they must all be one project's one version. */
export function findDistFiles(dir: string, cwd: string): DistFiles {
  const abs = resolve(cwd, dir);
  let entries: string[];
  try {
    entries = readdirSync(abs).sort();
  } catch (error) {
    throw new VerifierInputError("IV_NO_DIST", `cannot read --dist ${abs}: ${(error as Error).message}`);
  }
  const parsed = entries.map((f) => parseDistFilename(f)).filter((p) => p !== undefined);
  if (!parsed.some((p) => p.kind === "wheel")) {
    throw new VerifierInputError("IV_NO_DIST", `no wheel (.whl) in ${abs}`, { data: { files: entries } });
  }
  const releases = new Set(parsed.map((p) => `${normalizeProjectName(p.name)} ${p.version}`));
  if (releases.size > 1) {
    throw new VerifierInputError("IV_NO_DIST", `${abs} holds files of several releases: ${[...releases].join(", ")}`);
  }
  const wheel = parsed.find((p) => p.kind === "wheel")!;
  return {
    dir: abs,
    name: normalizeProjectName(wheel.name),
    version: wheel.version,
    wheels: parsed.filter((p) => p.kind === "wheel").map((p) => join(abs, p.filename)),
    sdist: parsed.filter((p) => p.kind === "sdist").map((p) => join(abs, p.filename))[0],
  };
}
