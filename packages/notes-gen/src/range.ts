import { NotesEnvironmentError, NotesError } from "./errors.js";
import { runGit, tryGit } from "./git.js";
import type { NotesConfig } from "./classify.js";
import { type Collected, collectEntries } from "./collect.js";
import { type VersionTag, firstReachable, listVersionTags, previousCandidates, requireTagVersion } from "./tags.js";

export interface RangeOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Start (exclusive). Default: the previous release tag (see previousCandidates). */
  from?: string;
  /** End (inclusive). Default: `tag` when that tag exists, else HEAD. */
  to?: string;
  /** The release's tag; it may not exist yet (notes before tagging). */
  tag?: string;
}

/** What is known about the release before its commits are read. */
export interface ReleaseContext {
  /** The ref the range ends at, as given (a tag name when there is one). */
  to: string;
  toCommit: string;
  /** The release's tag and version, or null for unreleased work. */
  tag: string | null;
  version: string | null;
  shallow: boolean;
  /** --from, checked; null: the previous release is picked from `candidates`. */
  from: string | null;
  /** Previous-release candidates, best first (see previousCandidates). */
  candidates: VersionTag[];
}

/** Resolves --to/--tag/--from with two git processes side by side (no history walk). */
export async function resolveRelease(options: RangeOptions): Promise<ReleaseContext> {
  const { cwd, env } = options;
  // The repository check's error is the one to report, so the tag listing's failure waits for it.
  const [head, listed] = await Promise.all([
    inspectRepository(cwd, options.to ?? "HEAD", env),
    listVersionTags(cwd, undefined, env).catch((error: Error) => error),
  ]);
  if (listed instanceof Error) throw listed;
  const tags = listed;
  // --tag without --to: the tag when it exists, else HEAD (notes written before tagging).
  const tagged = !options.to && options.tag ? tags.find((t) => t.name === options.tag) : undefined;
  const to = tagged?.name ?? options.to ?? "HEAD";
  const toCommit = tagged?.commit ?? head.commit;
  // The release's tag: --tag, else --to when it names a version tag, else the highest version tag on --to.
  const tag = options.tag ?? tags.find((t) => t.name === to)?.name ?? tags.filter((t) => t.commit === toCommit).at(-1)?.name ?? null;
  const version = tag ? requireTagVersion(tag) : null;
  const from = options.from ?? null;
  if (from !== null) {
    if ((await tryGit(cwd, ["rev-parse", "--verify", "--quiet", `${from}^{commit}`], env)) === null) {
      throw new NotesEnvironmentError("NG_UNKNOWN_REF", `--from ${from} is not a commit or tag in ${cwd}`);
    }
    if (head.shallow && (await tryGit(cwd, ["merge-base", "--is-ancestor", from, toCommit], env)) === null) throwShallow(from);
  }
  const candidates = from === null ? previousCandidates(tags, { version, commit: toCommit }) : [];
  return { to, toCommit, tag, version, shallow: head.shallow, from, candidates };
}

/**
 * Reads the release's commits. Without --from, the best candidate is tried first with one `git log` that
 * also proves it is in the history; only when it is not (a tag on another branch) are the other candidates
 * asked about, in batches. In a shallow clone a missing previous release is NG_SHALLOW_CLONE, never notes
 * for a truncated range.
 */
export async function collectRange(
  release: ReleaseContext,
  cwd: string,
  config: NotesConfig,
  env?: NodeJS.ProcessEnv,
): Promise<Collected & { from: string | null }> {
  const { toCommit, candidates } = release;
  if (release.from !== null) return { from: release.from, ...(await collectEntries(cwd, toCommit, release.from, config, env)) };
  const best = candidates[0];
  if (!best) {
    if (release.shallow) throwShallow(null);
    return { from: null, ...(await collectEntries(cwd, toCommit, null, config, env)) };
  }
  const first = await collectEntries(cwd, toCommit, best.commit, config, env, best.commit);
  if (first.reached) return { from: best.name, ...first };
  if (release.shallow) throwShallow(best.name);
  const previous = await firstReachable(cwd, toCommit, candidates.slice(1), env);
  return { from: previous?.name ?? null, ...(await collectEntries(cwd, toCommit, previous?.commit ?? null, config, env)) };
}

/** One process: is the clone shallow, and which commit is `ref`? */
async function inspectRepository(cwd: string, ref: string, env?: NodeJS.ProcessEnv): Promise<{ shallow: boolean; commit: string }> {
  let out: string;
  try {
    out = await runGit(cwd, ["rev-parse", "--is-shallow-repository", "--verify", `${ref}^{commit}`], env);
  } catch (error) {
    const message = (error as Error).message;
    if (/not a git repository/i.test(message)) {
      throw new NotesEnvironmentError("NG_NOT_A_REPOSITORY", `${cwd} is not inside a git repository`);
    }
    throw new NotesEnvironmentError("NG_UNKNOWN_REF", `${ref} is not a commit or tag in ${cwd}`);
  }
  const [shallow = "", commit = ""] = out.trim().split("\n");
  return { shallow: shallow === "true", commit };
}

function throwShallow(previous: string | null): never {
  const what = previous ? `the previous release ${previous} is not in its history` : "no previous release tag is in its history";
  throw new NotesError("NG_SHALLOW_CLONE", `the clone is shallow and ${what}: the notes would cover a truncated range`, {
    data: { previous },
  });
}
