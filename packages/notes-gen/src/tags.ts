import { type ParsedVersion, parseVersion } from "@pypi-workflows/version-util";
import { NotesError } from "./errors.js";
import { runGit } from "./git.js";
import { TAG_LIST_ARGS, takeEarlyTagList } from "./log-process.js";
import { compareCodeUnits } from "@pypi-workflows/cli-kit";

/** A tag whose name holds a PEP 440 version. */
export interface VersionTag {
  name: string;
  /** The commit the tag points at (annotated tags peeled). */
  commit: string;
  /** That commit's committer date, YYYY-MM-DD (as git log's %cs prints it). */
  date: string;
  /** The normalized PEP 440 version. */
  version: string;
  prerelease: boolean;
  /** PEP 440 sort key (see sortKey). */
  key: SortKey;
}

/**
 * The PEP 440 version a tag names, or null: strips `refs/tags/` and one leading v/V. Deliberately more lenient
 * than version-util's versionFromTag, the gate a tag must pass to be released (three release numbers, no
 * local part): the notes order and link every version tag a project already has, e.g. an old `v1.0`.
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
  const args = [...TAG_LIST_ARGS];
  if (mergedInto) args.splice(1, 0, `--merged=${mergedInto}`);
  // The CLI entry may have asked already (log-process.ts); a failure there is asked again, to report it.
  const out = (mergedInto ? null : await takeEarlyTagList(cwd, env)) ?? (await runGit(cwd, args, env));
  const tags: VersionTag[] = [];
  for (const line of out.split("\n")) {
    if (!line) continue;
    const [name = "", object = "", peeled = "", date = "", peeledDate = ""] = line.split("\0");
    const parsed = parseVersion(name.replace(/^[vV](?=\d)/, ""));
    if (!parsed) continue;
    const tag = { name, commit: peeled || object, date: peeled ? peeledDate : date };
    tags.push({ ...tag, version: parsed.normalized, prerelease: parsed.isPrerelease, key: sortKey(parsed) });
  }
  return tags.sort((a, b) => compareKeys(a.key, b.key) || compareCodeUnits(a.name, b.name));
}

export type SortKey = number[];

/**
 * PEP 440 order as a flat number list (packaging's _cmpkey), computed once per tag: sorting hundreds of tags
 * through compareVersions re-parses both sides on every comparison. A test checks this agrees with
 * version-util's compareVersions. Local versions are not releases on an index and are not ordered here.
 */
export function sortKey(v: ParsedVersion): SortKey {
  const release = [...v.release];
  while (release.length > 1 && release.at(-1) === 0) release.pop();
  const PRE = { a: 0, b: 1, rc: 2 } as const;
  // dev-only releases sort before pre-releases; releases without pre after them.
  const pre = v.pre ? [1, PRE[v.pre[0]], v.pre[1]] : v.post === null && v.dev !== null ? [0, 0, 0] : [2, 0, 0];
  const post = v.post === null ? [0, 0] : [1, v.post];
  const dev = v.dev === null ? [1, 0] : [0, v.dev];
  return [v.epoch, release.length, ...release, ...pre, ...post, ...dev];
}

export function compareKeys(a: SortKey, b: SortKey): number {
  // Release segments differ in length: compare epoch, then release padded with zeros, then the rest.
  if (a[0] !== b[0]) return (a[0] as number) - (b[0] as number);
  const la = a[1] as number;
  const lb = b[1] as number;
  for (let i = 0; i < Math.max(la, lb); i++) {
    const d = (i < la ? (a[2 + i] as number) : 0) - (i < lb ? (b[2 + i] as number) : 0);
    if (d) return d;
  }
  const ra = a.slice(2 + la);
  const rb = b.slice(2 + lb);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return (ra[i] as number) - (rb[i] as number);
  return 0;
}

/**
 * The releases the notes may start from, best first: for a final release, earlier FINAL releases (so
 * 1.3.0's notes include what its rcs had); for a pre-release (or unreleased work), earlier releases of any
 * kind. Ordered as PEP 440 versions, never as strings. Whether each is in the history is asked separately.
 */
export function previousCandidates(tags: readonly VersionTag[], current: { version: string | null; commit: string }): VersionTag[] {
  const parsed = current.version === null ? null : parseVersion(current.version);
  const final = parsed !== null && !parsed.isPrerelease;
  const key = parsed ? sortKey(parsed) : null;
  return tags
    .filter((t) => t.commit !== current.commit && (key === null || compareKeys(t.key, key) < 0) && (!final || !t.prerelease))
    .reverse();
}

/** The best candidate among tags already known to be in the history (see previousCandidates). */
export function selectPreviousTag(tags: readonly VersionTag[], current: { version: string | null; commit: string }): VersionTag | undefined {
  return previousCandidates(tags, current)[0];
}

const BATCH = 16;

/**
 * The first of `candidates` that `commit` reaches. One `git for-each-ref --merged` per batch of candidates:
 * asking about a few named tags is fast, asking about every tag walks the whole history; the best candidate
 * is in the history almost always, so this is one process.
 */
export async function firstReachable(
  cwd: string,
  commit: string,
  candidates: readonly VersionTag[],
  env?: NodeJS.ProcessEnv,
): Promise<VersionTag | undefined> {
  for (let at = 0; at < candidates.length; at += BATCH) {
    const batch = candidates.slice(at, at + BATCH);
    const refs = batch.map((t) => `refs/tags/${t.name}`);
    const out = await runGit(cwd, ["for-each-ref", `--merged=${commit}`, "--format=%(refname)", ...refs], env);
    const reached = new Set(out.split("\n"));
    const found = batch.find((t) => reached.has(`refs/tags/${t.name}`));
    if (found) return found;
  }
  return undefined;
}

/** Whether `version` is the newest final release among `tags` (GitHub's "latest" release). */
export function isNewestFinal(version: string, tags: readonly VersionTag[]): boolean {
  const parsed = parseVersion(version);
  if (!parsed || parsed.isPrerelease) return false;
  const key = sortKey(parsed);
  return tags.every((t) => t.prerelease || compareKeys(t.key, key) <= 0);
}
