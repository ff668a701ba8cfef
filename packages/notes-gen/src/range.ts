import { NotesEnvironmentError, NotesError } from "./errors.js";
import { runGit, tryGit } from "./git.js";
import { firstReachable, listVersionTags, previousCandidates, requireTagVersion } from "./tags.js";

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
}

/** Resolves --from/--to/--tag into a range, refusing a truncated range in a shallow clone. */
export async function resolveRange(options: RangeOptions): Promise<ResolvedRange> {
  const { cwd, env } = options;
  let to = options.to;
  if (!to && options.tag) to = (await tryGit(cwd, ["rev-parse", "--verify", "--quiet", `refs/tags/${options.tag}^{commit}`], env)) ? options.tag : "HEAD";
  to ??= "HEAD";
  // Independent questions to git, side by side: listing every tag is cheap (no history walk).
  // The repository check's error is the one to report, so the tag listing's failure waits for it.
  const [{ shallow, commit: toCommit }, listed] = await Promise.all([
    inspectRepository(cwd, to, env),
    listVersionTags(cwd, undefined, env).catch((error: Error) => error),
  ]);
  if (listed instanceof Error) throw listed;
  const tags = listed;
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
    // Tags not in the history of --to (a maintenance branch, say) are skipped.
    const candidates = previousCandidates(tags, { version, commit: toCommit });
    const previous = await firstReachable(cwd, toCommit, candidates, env);
    // In a shallow clone the best candidate may be cut off (or no tag fetched at all): the range would be truncated.
    if (shallow && (candidates.length === 0 || previous !== candidates[0])) throwShallow(candidates[0]?.name ?? null);
    from = previous?.name ?? null;
  }
  return { from, to, toCommit, tag, version };
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
    hint: "use actions/checkout with fetch-depth: 0 (or run git fetch --unshallow --tags)",
    data: { previous },
  });
}
