import { VersionUtilError } from "./errors.js";
import { compareVersions, type ExactVersionParts, formatVersion, isValidVersion, parseExactVersion, parseVersion, PRE_RELEASE_SPELLINGS, requireVersion } from "./pep440.js";

const ORDER = ["epoch", "release", "pre", "post", "dev", "local"] as const;
type Part = (typeof ORDER)[number];

/** hatchling's reset_version_parts: set the given parts and clear every later one. */
function resetParts(version: ExactVersionParts, changes: Partial<ExactVersionParts>): ExactVersionParts {
  const next: Record<string, unknown> = {};
  let reset = false;
  for (const name of ORDER as readonly Part[]) {
    if (reset) next[name] = name in changes ? changes[name] : null;
    else if (name in changes) {
      next[name] = changes[name];
      reset = true;
    } else next[name] = version[name];
  }
  return next as unknown as ExactVersionParts;
}

/** hatchling's update_release: the new leading numbers, padded with zeros to the old length. */
function updateRelease(version: ExactVersionParts, leading: bigint[]): bigint[] {
  return [...leading, ...Array<bigint>(Math.max(0, version.release.length - leading.length)).fill(0n)];
}

/** Numbers are bigints: Python's ints are exact at any size (1e+23 or 9007199254740992 for 2^53+1 would be wrong). */
function applySegment(v: ExactVersionParts, segment: string): ExactVersionParts {
  const [major = 0n, minor = 0n, micro = 0n] = v.release;
  if (segment === "release") return resetParts(v, { release: v.release });
  if (segment === "major") return resetParts(v, { release: updateRelease(v, [major + 1n]) });
  if (segment === "minor") return resetParts(v, { release: updateRelease(v, [major, minor + 1n]) });
  if (segment === "micro" || segment === "patch" || segment === "fix") {
    return resetParts(v, { release: updateRelease(v, [major, minor, micro + 1n]) });
  }
  const phase = PRE_RELEASE_SPELLINGS[segment];
  if (phase) return resetParts(v, { pre: [phase, v.pre && v.pre[0] === phase ? v.pre[1] + 1n : 0n] });
  if (segment === "post" || segment === "rev" || segment === "r") return resetParts(v, { post: v.post === null ? 0n : v.post + 1n });
  if (segment === "dev") return resetParts(v, { dev: v.dev === null ? 0n : v.dev + 1n });
  throw new Error(`unreachable segment ${segment}`);
}

const KNOWN = new Set(["release", "major", "minor", "micro", "patch", "fix", "post", "rev", "r", "dev", ...Object.keys(PRE_RELEASE_SPELLINGS)]);

/**
 * The next version, as hatchling's standard version scheme (`hatch version <segments>`) computes it:
 * comma-separated segments applied in order (`minor,rc`: 1.2.3 -> 1.3.0rc0), or one explicit version that
 * must be higher than the current one.
 */
export function bumpVersion(current: string, segments: string): string {
  const original = requireVersion(current);
  const list = segments.split(",");
  let version = parseExactVersion(current);
  for (const segment of list) {
    if (KNOWN.has(segment)) {
      version = applySegment(version, segment);
      continue;
    }
    if (list.length > 1) {
      throw new VersionUtilError("VU_BAD_BUMP", `"${segments}" mixes an explicit version or unknown segment "${segment}" with other segments`, {
        data: { segments },
      });
    }
    const explicit = parseVersion(segment);
    if (!explicit) {
      throw new VersionUtilError("VU_BAD_BUMP", `"${segment}" is neither a bump segment nor a PEP 440 version`, { data: { segments } });
    }
    if (compareVersions(segment, current) <= 0) {
      throw new VersionUtilError("VU_BAD_BUMP", `version ${explicit.normalized} is not higher than the current version ${original.normalized}`, {
        data: { segments, current: original.normalized },
      });
    }
    return explicit.normalized;
  }
  const next = formatVersion(version);
  // A number grown past Python's 4300-digit int limit: hatchling's str() raises ValueError.
  if (!isValidVersion(next)) throw new VersionUtilError("VU_BAD_BUMP", "the bumped version has a number too long for Python", { data: { segments } });
  return next;
}
