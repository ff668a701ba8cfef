import { VersionUtilError } from "./errors.js";
import { compareVersions, formatVersion, parseVersion, requireVersion, type VersionParts } from "./pep440.js";

const PHASES: Record<string, "a" | "b" | "rc"> = { a: "a", alpha: "a", b: "b", beta: "b", c: "rc", rc: "rc", pre: "rc", preview: "rc" };
const ORDER = ["epoch", "release", "pre", "post", "dev", "local"] as const;
type Part = (typeof ORDER)[number];

/** hatchling's reset_version_parts: set the given parts and clear every later one. */
function resetParts(version: VersionParts, changes: Partial<VersionParts>): VersionParts {
  const next: Record<string, unknown> = {};
  let reset = false;
  for (const name of ORDER as readonly Part[]) {
    if (reset) next[name] = name in changes ? changes[name] : null;
    else if (name in changes) {
      next[name] = changes[name];
      reset = true;
    } else next[name] = version[name];
  }
  return next as unknown as VersionParts;
}

/** hatchling's update_release: the new leading numbers, padded with zeros to the old length. */
function updateRelease(version: VersionParts, leading: number[]): number[] {
  return [...leading, ...Array<number>(Math.max(0, version.release.length - leading.length)).fill(0)];
}

function applySegment(v: VersionParts, segment: string): VersionParts {
  const [major = 0, minor = 0, micro = 0] = v.release;
  if (segment === "release") return resetParts(v, { release: v.release });
  if (segment === "major") return resetParts(v, { release: updateRelease(v, [major + 1]) });
  if (segment === "minor") return resetParts(v, { release: updateRelease(v, [major, minor + 1]) });
  if (segment === "micro" || segment === "patch" || segment === "fix") {
    return resetParts(v, { release: updateRelease(v, [major, minor, micro + 1]) });
  }
  const phase = PHASES[segment];
  if (phase) return resetParts(v, { pre: [phase, v.pre && v.pre[0] === phase ? v.pre[1] + 1 : 0] });
  if (segment === "post" || segment === "rev" || segment === "r") return resetParts(v, { post: v.post === null ? 0 : v.post + 1 });
  if (segment === "dev") return resetParts(v, { dev: v.dev === null ? 0 : v.dev + 1 });
  throw new Error(`unreachable segment ${segment}`);
}

const KNOWN = new Set(["release", "major", "minor", "micro", "patch", "fix", "post", "rev", "r", "dev", ...Object.keys(PHASES)]);

/**
 * The next version, as hatchling's standard version scheme (`hatch version <segments>`) computes it:
 * comma-separated segments applied in order (`minor,rc`: 1.2.3 -> 1.3.0rc0), or one explicit version that
 * must be higher than the current one.
 */
export function bumpVersion(current: string, segments: string): string {
  const original = requireVersion(current);
  const list = segments.split(",");
  let version: VersionParts = original;
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
  return formatVersion(version);
}
