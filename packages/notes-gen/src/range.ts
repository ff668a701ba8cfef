import { NotesEnvironmentError, NotesError } from "./errors.js";
import { runGit, tryGit } from "./git.js";
import { type VersionTag, listVersionTags, requireTagVersion, selectPreviousTag } from "./tags.js";

export interface RangeOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Start (exclusive). Default: the previous release tag (see selectPreviousTag). */
  from?: string;
  /** End (inclusive). Default: `tag` when that tag exists, else HEAD. */
  to?: string;
  /** The release's tag; it may not exist yet (notes before tagging). */
  tag?: string;
}

/** The commits a release's notes cover, and what is known about the release. */
export interface ResolvedRange {
  /** The ref or tag the range starts after (null: from the first commit). */
  from: string | null;
  /** The ref the range ends at, as given (a tag name when there is one). */
  to: string;
  toCommit: string;
  /** The release's tag and version, or null for unreleased work. */
  tag: string | null;
  version: string | null;
  /** Version tags reachable from `to`. */
  tags: VersionTag[];
}

/** Resolves --from/--to/--tag into a range, refusing a truncated range in a shallow clone. */
export async function resolveRange(options: RangeOptions): Promise<ResolvedRange> {
  const { cwd, env } = options;
  let to = options.to;
  if (!to && options.tag) to = (await tryGit(cwd, ["rev-parse", "--verify", "--quiet", `refs/tags/${options.tag}^{commit}`], env)) ? options.tag : "HEAD";
  to ??= "HEAD";
  // Independent questions to git run side by side; the repository check's error is the one to report.
  const [{ shallow, commit: toCommit }, tags] = await Promise.all([
    inspectRepository(cwd, to, env),
    listVersionTags(cwd, to, env).catch(() => null),
  ]);
  if (!tags) throw new NotesEnvironmentError("NG_UNKNOWN_REF", `${to} is not a commit or tag in ${cwd}`);
  // The release's tag: --tag, else --to when it names a version tag, else the highest version tag on --to.
  const tag = options.tag ?? tags.find((t) => t.name === to)?.name ?? tags.filter((t) => t.commit === toCommit).at(-1)?.name ?? null;
  const version = tag ? requireTagVersion(tag) : null;
  let from = options.from ?? null;
  if (from !== null) {
    if ((await tryGit(cwd, ["rev-parse", "--verify", "--quiet", `${from}^{commit}`], env)) === null) {
      throw new NotesEnvironmentError("NG_UNKNOWN_REF", `--from ${from} is not a commit or tag in ${cwd}`);
    }
    if (shallow && (await tryGit(cwd, ["merge-base", "--is-ancestor", from, toCommit], env)) === null) throwShallow(from);
  } else {
    const previous = selectPreviousTag(tags, { version, commit: toCommit });
    if (shallow) await checkShallowPrevious(cwd, env, previous, { version, commit: toCommit });
    from = previous?.name ?? null;
  }
  return { from, to, toCommit, tag, version, tags };
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

/**
 * In a shallow clone the previous release may be cut off: compare with ALL tags (reachable or not). If the
 * previous release is not reachable, or no tag is known at all, notes would cover a truncated range.
 */
async function checkShallowPrevious(
  cwd: string,
  env: NodeJS.ProcessEnv | undefined,
  reachable: VersionTag | undefined,
  current: { version: string | null; commit: string },
): Promise<void> {
  const all = await listVersionTags(cwd, undefined, env);
  const previous = selectPreviousTag(all, current);
  if (!previous || previous.name !== reachable?.name) throwShallow(previous?.name ?? null);
}

function throwShallow(previous: string | null): never {
  const what = previous ? `the previous release ${previous} is not in its history` : "no previous release tag is in its history";
  throw new NotesError("NG_SHALLOW_CLONE", `the clone is shallow and ${what}: the notes would cover a truncated range`, {
    hint: "use actions/checkout with fetch-depth: 0 (or run git fetch --unshallow --tags)",
    data: { previous },
  });
}
