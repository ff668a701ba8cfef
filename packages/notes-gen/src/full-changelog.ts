import { Classifier, DEFAULT_CONFIG, type Entry, type NotesConfig } from "./classify.js";
import { NotesEnvironmentError } from "./errors.js";
import { type RawCommit, streamLog } from "./git.js";
import { compareUrl, type RepoLinks } from "./links.js";
import type { LogOrder } from "./log-process.js";
import { resolveRepoLinks } from "./notes.js";
import { groupSections, renderChanges } from "./render.js";
import { type VersionTag, listVersionTags } from "./tags.js";

export interface FullChangelogOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Default HEAD. */
  to?: string;
  config?: NotesConfig;
  repository?: string;
}

export interface FullChangelog {
  markdown: string;
  releases: number;
  commitCount: number;
}

interface Lowest {
  any: number;
  final: number;
}

const NOT_REACHED: Readonly<Lowest> = Object.freeze({ any: Infinity, final: Infinity });

/** A commit came before one of its children (skewed commit dates): the walk needs topo order. */
class OutOfTopoOrder extends Error {}

/** Assigns each commit to its releases as the topo-ordered log goes by (see generateFullChangelog). */
class ReleaseWalk {
  readonly buckets: Entry[][];
  readonly unreleased: Entry[] = [];
  readonly dates: string[];
  commitCount = 0;
  private readonly ranksAt = new Map<string, number[]>();
  /** What the commits seen so far pass on to their parents that have not come yet (see `next`). */
  private readonly pending = new Map<string, Readonly<Lowest>>();
  /**
   * One more such value, kept out of `pending`: a commit's only parent, which in a linear stretch of history
   * is the very next commit. A map entry added and deleted per commit costs more than the rest of the walk.
   * Never also in `pending`.
   */
  private next: { hash: string; lowest: Readonly<Lowest> } | undefined;

  constructor(private readonly tags: readonly VersionTag[]) {
    for (const [i, t] of tags.entries()) this.ranksAt.set(t.commit, [...(this.ranksAt.get(t.commit) ?? []), i]);
    this.buckets = tags.map(() => []);
    this.dates = tags.map(() => "");
  }

  /** Visits a commit with its entry (null for a merge commit, which lists nothing). */
  visit(commit: RawCommit, entry: Entry | null): void {
    let lowest = this.take(commit.hash);
    const own = this.ranksAt.get(commit.hash);
    if (own) {
      const mine = { ...lowest }; // passed-on values are shared between parents: never changed in place
      for (const rank of own) {
        this.dates[rank] = commit.date;
        mine.any = Math.min(mine.any, rank);
        if (!this.tags[rank]?.prerelease) mine.final = Math.min(mine.final, rank);
      }
      lowest = mine;
    }
    const { parents } = commit;
    // `take` has emptied `next`: a single parent goes there unless another child already put it in `pending`.
    if (parents.length === 1 && (this.pending.size === 0 || !this.pending.has(parents[0] as string))) {
      this.next = { hash: parents[0] as string, lowest };
    } else {
      for (const parent of parents) this.passOn(parent, lowest);
    }
    if (!entry) return;
    this.commitCount += 1;
    if (lowest.final !== Infinity) this.buckets[lowest.final]?.push(entry);
    if (lowest.any !== Infinity && this.tags[lowest.any]?.prerelease) this.buckets[lowest.any]?.push(entry);
    if (lowest.any === Infinity) this.unreleased.push(entry);
  }

  /** What the commit's children passed on to it (NOT_REACHED when none did). */
  private take(hash: string): Readonly<Lowest> {
    let lowest: Readonly<Lowest> = NOT_REACHED;
    const next = this.next;
    if (next !== undefined) {
      this.next = undefined;
      if (next.hash === hash) lowest = next.lowest;
      else this.passOn(next.hash, next.lowest);
    }
    if (this.pending.size > 0) {
      const passed = this.pending.get(hash);
      if (passed !== undefined) {
        this.pending.delete(hash);
        lowest = lowest === NOT_REACHED ? passed : merged(lowest, passed);
      }
    }
    return lowest;
  }

  /** Adds to what `parent` takes from `pending`. Called only while `next` is empty (after `take`). */
  private passOn(parent: string, lowest: Readonly<Lowest>): void {
    const seen = this.pending.get(parent);
    // Most commits pass their value on unchanged: share it rather than copy one object per commit.
    this.pending.set(parent, seen ? merged(seen, lowest) : lowest);
  }

  /**
   * Throws OutOfTopoOrder when a commit came before one of its children. `git log REV` lists every parent of
   * every commit it lists (a shallow clone's cut-off commits list none), so in topo order every value passed
   * on is taken by the parent's visit; one left over was passed on to a parent that had been visited already.
   * (A commit visited before all its children is seen here, at the end, rather than at once: no record of
   * every commit seen is kept for a case that dates skewed across a merge make rare.)
   */
  checkComplete(): void {
    if (this.pending.size > 0 || this.next !== undefined) throw new OutOfTopoOrder();
  }
}

function merged(a: Readonly<Lowest>, b: Readonly<Lowest>): Readonly<Lowest> {
  return { any: Math.min(a.any, b.any), final: Math.min(a.final, b.final) };
}

/**
 * The whole history as a changelog, every release a section, from ONE `git log`. A commit belongs to the
 * lowest final release whose tag reaches it (so a final's section includes its rcs' work), and also to the
 * lowest release of any kind when that is a pre-release. "Lowest reaching tag" flows from children to
 * parents, so the walk needs every commit after its children: git's date order gives that as it streams,
 * unless commit dates are skewed; then (seen by the walk: a parent came first) the log is read again in
 * topo order, which git can only start printing once it has walked everything.
 */
export async function generateFullChangelog(options: FullChangelogOptions): Promise<FullChangelog> {
  // Asked once, while the log runs; a second reading in topo order uses the same answers.
  const context: Promise<[VersionTag[], RepoLinks | null]> = Promise.all([
    // All tags (cheap); those the walk never meets are not in this history and are dropped.
    listVersionTags(options.cwd, undefined, options.env),
    resolveRepoLinks({ cwd: options.cwd, env: options.env, repository: options.repository }),
  ]);
  context.catch(() => undefined); // awaited by the walk; keeps a failure from being reported as unhandled first
  try {
    return await generateInOrder(options, "date", context);
  } catch (error) {
    if (!(error instanceof OutOfTopoOrder)) throw error;
    return generateInOrder(options, "topo", context);
  }
}

async function generateInOrder(options: FullChangelogOptions, order: LogOrder, context: Promise<[VersionTag[], RepoLinks | null]>): Promise<FullChangelog> {
  const config = options.config ?? DEFAULT_CONFIG;
  const to = options.to ?? "HEAD";
  const unknown = () => new NotesEnvironmentError("NG_UNKNOWN_REF", `${to} is not a commit in ${options.cwd}`);
  // Commits are classified as they come; they wait in `queue` for the walk until the tags (a quicker question,
  // asked meanwhile) are known.
  const classifier = new Classifier(config);
  const queue: [RawCommit, Entry | null][] = [];
  let walk: ReleaseWalk | undefined;
  const onCommit = (commit: RawCommit) => {
    const entry = classifier.classify(commit);
    if (walk) walk.visit(commit, entry);
    else queue.push([commit, entry]);
  };
  const logDone = streamLog(options.cwd, [to], onCommit, options.env, order);
  logDone.catch(() => undefined); // awaited below; keeps an early failure from being reported as unhandled
  const [tags, repo] = await context;
  const releases = new ReleaseWalk(tags);
  walk = releases; // the log's next commits go straight to the walk, after the queued ones (same tick)
  try {
    for (const [commit, entry] of queue.splice(0)) releases.visit(commit, entry);
  } finally {
    // Checked before the walk's own error: a log that failed is reported as such, not as out of order.
    await logDone.catch((error: Error) => {
      throw /unknown revision|bad revision|ambiguous argument/.test(error.message) ? unknown() : error;
    });
  }
  if (order !== "topo") releases.checkComplete();
  const { buckets, unreleased, dates } = releases;
  const blocks = ["# Changelog"];
  const render = (entries: Entry[]) => {
    const { sections, hidden } = groupSections(entries, config);
    return renderChanges(sections, repo, 3, hidden);
  };
  if (unreleased.length) blocks.push(`## Unreleased\n\n${render(unreleased)}`);
  const met = tags.map((_, i) => i).filter((i) => dates[i] !== "");
  for (let j = met.length - 1; j >= 0; j--) {
    const i = met[j] as number;
    const tag = tags[i] as VersionTag;
    const previous = previousOf(met.slice(0, j).map((k) => tags[k] as VersionTag), tag);
    const title = repo ? `[${tag.version}](${compareUrl(repo, previous?.name ?? null, tag.name)})` : `[${tag.version}]`;
    blocks.push(`## ${title} - ${dates[i]}\n\n${render(buckets[i] ?? [])}`);
  }
  // The final newline joins the last block, so the markdown is one flat string, not a joined string plus "\n"
  // that every later reader (the CLI's output) would first copy into one: megabytes for a long history.
  blocks.push(`${blocks.pop()}\n`);
  return { markdown: blocks.join("\n\n"), releases: met.length, commitCount: releases.commitCount };
}

/** The section a release's compare link starts from: the previous final for a final, else the previous tag. */
function previousOf(older: readonly VersionTag[], tag: VersionTag): VersionTag | undefined {
  return older.findLast((t) => tag.prerelease || !t.prerelease);
}
