import { compareVersions, parseVersion } from "@pypi-workflows/version-util";
import { NotesError } from "./errors.js";
import { runGit } from "./git.js";

/** A tag whose name holds a PEP 440 version. */
export interface VersionTag {
  name: string;
  /** The commit the tag points at (annotated tags peeled). */
  commit: string;
  /** The normalized PEP 440 version. */
  version: string;
  prerelease: boolean;
}

/**
 * The PEP 440 version a tag names, or null: strips `refs/tags/` and one leading v/V.
 * TODO: switch to version-util's versionFromTag once it lands (same rule).
 */
export function versionOfTag(tag: string): string | null {
  const name = tag.replace(/^refs\/tags\//, "").replace(/^[vV](?=\d)/, "");
  const parsed = parseVersion(name);
  return parsed ? parsed.normalized : null;
}

/** Like versionOfTag, but a tag that is not a version is NG_INVALID_TAG (exit 1). */
export function requireTagVersion(tag: string): string {
  const version = versionOfTag(tag);
  if (!version) throw new NotesError("NG_INVALID_TAG", `tag "${tag}" is not a PEP 440 version`);
  return version;
}

/**
 * Lists version tags with ONE `git for-each-ref` (never one process per tag). `mergedInto` keeps only the
 * tags reachable from that commit. Tags that are not versions are ignored.
 */
export async function listVersionTags(cwd: string, mergedInto?: string, env?: NodeJS.ProcessEnv): Promise<VersionTag[]> {
  const args = ["for-each-ref", "--format=%(refname:short)%00%(objectname)%00%(*objectname)", "refs/tags"];
  if (mergedInto) args.splice(1, 0, `--merged=${mergedInto}`);
  const out = await runGit(cwd, args, env);
  const tags: VersionTag[] = [];
  for (const line of out.split("\n")) {
    if (!line) continue;
    const [name = "", object = "", peeled = ""] = line.split("\0");
    const version = versionOfTag(name);
    if (!version) continue;
    tags.push({ name, commit: peeled || object, version, prerelease: parseVersion(version)?.isPrerelease ?? false });
  }
  return tags.sort((a, b) => compareVersions(a.version, b.version) || a.name.localeCompare(b.name));
}

/**
 * The release the notes start from: for a final release, the previous FINAL release (so 1.3.0's notes
 * include what its rcs had); for a pre-release (or unreleased work), the previous release of any kind.
 * Ordered as PEP 440 versions, never as strings.
 */
export function selectPreviousTag(tags: readonly VersionTag[], current: { version: string | null; commit: string }): VersionTag | undefined {
  const final = current.version !== null && !parseVersion(current.version)?.isPrerelease;
  const candidates = tags.filter(
    (t) =>
      t.commit !== current.commit &&
      (current.version === null || compareVersions(t.version, current.version) < 0) &&
      (!final || !t.prerelease),
  );
  return candidates.at(-1);
}

/** Whether `version` is the newest final release among `tags` (GitHub's "latest" release). */
export function isNewestFinal(version: string, tags: readonly VersionTag[]): boolean {
  if (parseVersion(version)?.isPrerelease) return false;
  return tags.every((t) => t.prerelease || compareVersions(t.version, version) <= 0);
}
