import { VersionUtilError } from "./errors.js";
import { parseVersion, stripPythonWhitespace, type ParsedVersion } from "./pep440.js";

export interface TagVersion {
  /** The tag as given, without refs/tags/. */
  tag: string;
  /** The normalized PEP 440 version the tag stands for. */
  version: string;
  isPrerelease: boolean;
  parsed: ParsedVersion;
}

/**
 * `refs/tags/v1.2.3` (GITHUB_REF) and `v1.2.3` name the same tag. Surrounding whitespace is what Python's
 * str.strip() removes, as packaging's Version does (not JS's trim(), which also drops U+FEFF and keeps \x1c-\x1f).
 */
export function stripTagRef(tag: string): string {
  return stripPythonWhitespace(tag).replace(/^refs\/tags\//, "");
}

/**
 * The release version a tag stands for: whatever PEP 440 accepts (`v1.2.3`, `V1.2.3-rc.1` -> 1.2.3rc1),
 * with at least three release numbers and no local part (PyPI rejects local versions). Throws a
 * VersionUtilError (exit 1) naming the reason otherwise.
 */
export function versionFromTag(tag: string): TagVersion {
  const name = stripTagRef(tag);
  const parsed = parseVersion(name);
  if (!parsed) {
    throw new VersionUtilError("VU_INVALID_TAG", `the tag "${name}" is not a PEP 440 version`, { data: { tag: name } });
  }
  if (parsed.local !== null) {
    throw new VersionUtilError(
      "VU_TAG_LOCAL_VERSION",
      `the tag "${name}" has a local version part "+${parsed.local}", which PyPI rejects`,
      { hint: `tag the release as v${parsed.public}`, data: { tag: name, version: parsed.normalized } },
    );
  }
  if (parsed.release.length < 3) {
    // From the exact strings (parsed.release holds JS numbers, inexact above 2^53): base_version plus zeros.
    const padded = `${parsed.baseVersion}${".0".repeat(3 - parsed.release.length)}${parsed.public.slice(parsed.baseVersion.length)}`;
    throw new VersionUtilError(
      "VU_TAG_TOO_SHORT",
      `the tag "${name}" has ${parsed.release.length} release number${parsed.release.length === 1 ? "" : "s"}; release tags need three (X.Y.Z)`,
      { hint: `tag the release as v${padded} instead`, data: { tag: name, version: parsed.normalized } },
    );
  }
  return { tag: name, version: parsed.normalized, isPrerelease: parsed.isPrerelease, parsed };
}

/** versionFromTag without throwing: undefined for tags that are not release versions. */
export function tryVersionFromTag(tag: string): TagVersion | undefined {
  try {
    return versionFromTag(tag);
  } catch {
    return undefined;
  }
}
