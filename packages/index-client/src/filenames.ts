/**
 * PEP 503 normalization: runs of -_. become -, lower case (packaging's canonicalize_name, which lowers first: a
 * capital sigma before "." or "_" and a letter is not word-final, before "-" it is).
 */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The form a wheel or PEP 625 sdist file name carries: normalized, with _ for -. */
export function filenameProjectName(name: string): string {
  return normalizeProjectName(name).replace(/-/g, "_");
}

export interface DistFilename {
  filename: string;
  kind: "wheel" | "sdist";
  /** The name as written in the file name (not normalized). */
  name: string;
  version: string;
  /** Wheel tags, when a wheel: python, abi, platform and the optional build tag. */
  wheelTags?: { build?: string; python: string; abi: string; platform: string };
}

const WHEEL = /^(?<name>[^-\s]+?)-(?<version>[^-\s]+?)(-(?<build>\d[^-\s]*))?-(?<python>[^-\s]+?)-(?<abi>[^-\s]+?)-(?<platform>[^-\s]+?)\.whl$/;
const SDIST = /^(?<name>.+)-(?<version>[^-]+)\.(tar\.gz|zip)$/;

/** Splits a distribution file name; undefined when it is neither a wheel nor an sdist name. */
export function parseDistFilename(filename: string): DistFilename | undefined {
  const wheel = WHEEL.exec(filename)?.groups;
  if (wheel) {
    const { name, version, build, python, abi, platform } = wheel as Record<string, string>;
    return {
      filename,
      kind: "wheel",
      name: name!,
      version: version!,
      wheelTags: { python: python!, abi: abi!, platform: platform!, ...(build ? { build } : {}) },
    };
  }
  const sdist = SDIST.exec(filename)?.groups;
  if (sdist) return { filename, kind: "sdist", name: sdist.name!, version: sdist.version! };
  return undefined;
}
