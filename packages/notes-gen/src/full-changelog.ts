import { Classifier, DEFAULT_CONFIG, type Entry, type NotesConfig } from "./classify.js";
import { NotesEnvironmentError } from "./errors.js";
import { type HistoryCommit, streamHistory } from "./git.js";
import { compareUrl, type RepoLinks } from "./links.js";
import type { LogOrder } from "./log-process.js";
import { resolveRepoLinks } from "./notes.js";
import { groupSections, renderChangesInto } from "./render.js";
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
  /** The changelog: `parts` joined (made on first use). */
  readonly markdown: string;
  /** The changelog in parts, to be written in order (see renderChangesInto: a long history is never joined). */
  parts: readonly string[];
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
  /** Whether each tag's commit has been visited: the tags never met are not in this history. */
  readonly met: boolean[];
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

  /** Ranks whose tag commit has been visited and whose bucket may still grow (see `complete`). */
  private open: number[] = [];

  /** `onComplete(rank)`: that release's bucket gets no more entries, as long as the log is in topo order. */
  constructor(
    private readonly tags: readonly VersionTag[],
    private readonly onComplete: (rank: number) => void = () => undefined,
  ) {
    for (const [i, t] of tags.entries()) this.ranksAt.set(t.commit, [...(this.ranksAt.get(t.commit) ?? []), i]);
    this.buckets = tags.map(() => []);
    this.met = tags.map(() => false);
  }

  /** Visits a commit with its entry (null for a merge commit, which lists nothing). */
  visit(commit: HistoryCommit, entry: Entry | null): void {
    let lowest = this.take(commit.hash);
    const own = this.ranksAt.get(commit.hash);
    if (own) {
      const mine = { ...lowest }; // passed-on values are shared between parents: never changed in place
      for (const rank of own) {
        this.met[rank] = true;
        mine.any = Math.min(mine.any, rank);
        if (!this.tags[rank]?.prerelease) mine.final = Math.min(mine.final, rank);
      }
      lowest = mine;
      this.open.push(...own);
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
    if (own && this.open.length > own.length) this.complete();
  }

  /**
   * Hands the releases whose buckets are complete to `onComplete`, so that they are rendered while git is still
   * writing the log. A release's bucket takes the commits whose lowest final (for a pre-release: lowest of any
   * kind) is its rank. Values only ever fall as they are passed on to parents, so once its tag commit has been
   * visited, no later commit can land in it unless a value still waiting for a parent (`pending`, `next`) holds
   * its rank. Asked when a tag commit is visited (in a linear history, the previous release's tag completes the
   * release after it); what is still open at the end is completed then. Out of topo order, a completed bucket
   * could still grow: checkComplete sees that case and the caller throws away what it rendered.
   */
  private complete(): void {
    const live = new Set<number>();
    const hold = (value: Readonly<Lowest>) => {
      live.add(value.final);
      if (value.any !== value.final) live.add(value.any);
    };
    if (this.next) hold(this.next.lowest);
    for (const value of this.pending.values()) hold(value);
    const stillOpen: number[] = [];
    for (const rank of this.open) {
      if (live.has(rank)) stillOpen.push(rank);
      else this.onComplete(rank);
    }
    this.open = stillOpen;
  }

  /** Completes every release still open (after the last commit). */
  completeAll(): void {
    for (const rank of this.open) this.onComplete(rank);
    this.open = [];
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
  const queue: [HistoryCommit, Entry | null][] = [];
  let walk: ReleaseWalk | undefined;
  const onCommit = (commit: HistoryCommit) => {
    const entry = classifier.classify(commit);
    if (walk) walk.visit(commit, entry);
    else queue.push([commit, entry]);
  };
  const logDone = streamHistory(options.cwd, [to], onCommit, options.env, order);
  logDone.catch(() => undefined); // awaited below; keeps an early failure from being reported as unhandled
  const [tags, repo] = await context;
  // Each release's body is rendered as soon as its bucket is complete: mostly while git still writes the log.
  const bodies: string[][] = [];
  const render = (entries: Entry[]): string[] => {
    const { sections, hidden } = groupSections(entries, config);
    const parts: string[] = [];
    renderChangesInto(parts, sections, repo, 3, hidden);
    return parts;
  };
  const releases = new ReleaseWalk(tags, (rank) => {
    bodies[rank] = render(releases.buckets[rank] ?? []);
    releases.buckets[rank] = []; // rendered: its entries are no longer needed
  });
  walk = releases; // the log's next commits go straight to the walk, after the queued ones (same tick)
  try {
    for (const [commit, entry] of queue.splice(0)) releases.visit(commit, entry);
  } finally {
    // Checked before the walk's own error: a log that failed is reported as such, not as out of order.
    await logDone.catch((error: Error) => {
      throw /unknown revision|bad revision|ambiguous argument/.test(error.message) ? unknown() : error;
    });
  }
  // Out of topo order, what was rendered early may lack commits: the caller reads the log again in topo order.
  if (order !== "topo") releases.checkComplete();
  releases.completeAll();
  const { unreleased } = releases;
  const parts = ["# Changelog"];
  if (unreleased.length) parts.push("\n\n## Unreleased\n\n", ...render(unreleased));
  const met = tags.map((_, i) => i).filter((i) => releases.met[i]);
  for (let j = met.length - 1; j >= 0; j--) {
    const i = met[j] as number;
    const tag = tags[i] as VersionTag;
    const previous = previousOf(met.slice(0, j).map((k) => tags[k] as VersionTag), tag);
    const title = repo ? `[${tag.version}](${compareUrl(repo, previous?.name ?? null, tag.name)})` : `[${tag.version}]`;
    parts.push(`\n\n## ${title} - ${tag.date}\n\n`, ...(bodies[i] ?? []));
  }
  parts.push("\n");
  let markdown: string | undefined;
  return {
    get markdown() {
      markdown ??= parts.join("");
      return markdown;
    },
    parts,
    releases: met.length,
    commitCount: releases.commitCount,
  };
}

/** The section a release's compare link starts from: the previous final for a final, else the previous tag. */
function previousOf(older: readonly VersionTag[], tag: VersionTag): VersionTag | undefined {
  return older.findLast((t) => tag.prerelease || !t.prerelease);
}
