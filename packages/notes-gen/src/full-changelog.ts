import { Classifier, DEFAULT_CONFIG, type Entry, type NotesConfig } from "./classify.js";
import { NotesEnvironmentError } from "./errors.js";
import { runGit, streamLog } from "./git.js";
import { compareUrl } from "./links.js";
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

/**
 * The whole history as a changelog, every release a section, from ONE `git log --topo-order`. A commit
 * belongs to the lowest final release whose tag reaches it (so a final's section includes its rcs' work),
 * and also to the lowest release of any kind when that is a pre-release. "Lowest reaching tag" flows from
 * children to parents, which topo order visits first; only the frontier is kept in memory.
 */
export async function generateFullChangelog(options: FullChangelogOptions): Promise<FullChangelog> {
  const config = options.config ?? DEFAULT_CONFIG;
  const to = options.to ?? "HEAD";
  const unknown = () => new NotesEnvironmentError("NG_UNKNOWN_REF", `${to} is not a commit in ${options.cwd}`);
  // Three independent questions to git, side by side.
  const [toCommit, tags, repo] = await Promise.all([
    runGit(options.cwd, ["rev-parse", "--verify", `${to}^{commit}`], options.env).then((out) => out.trim(), () => Promise.reject(unknown())),
    // All tags (cheap); those the walk below never meets are not in this history and are dropped.
    listVersionTags(options.cwd, undefined, options.env),
    resolveRepoLinks({ cwd: options.cwd, env: options.env, repository: options.repository }),
  ]);
  const ranksAt = new Map<string, number[]>();
  for (const [i, t] of tags.entries()) ranksAt.set(t.commit, [...(ranksAt.get(t.commit) ?? []), i]);
  const buckets: Entry[][] = tags.map(() => []);
  const unreleased: Entry[] = [];
  const dates: string[] = tags.map(() => "");
  const pending = new Map<string, Lowest>();
  const classifier = new Classifier(config);
  let commitCount = 0;
  await streamLog(options.cwd, [toCommit], (commit) => {
    const lowest = pending.get(commit.hash) ?? { any: Infinity, final: Infinity };
    pending.delete(commit.hash);
    for (const own of ranksAt.get(commit.hash) ?? []) {
      dates[own] = commit.date;
      lowest.any = Math.min(lowest.any, own);
      if (!tags[own]?.prerelease) lowest.final = Math.min(lowest.final, own);
    }
    for (const parent of commit.parents) {
      const seen = pending.get(parent);
      pending.set(parent, seen ? { any: Math.min(seen.any, lowest.any), final: Math.min(seen.final, lowest.final) } : { ...lowest });
    }
    const entry = classifier.classify(commit);
    if (!entry) return;
    commitCount += 1;
    if (lowest.final !== Infinity) buckets[lowest.final]?.push(entry);
    if (lowest.any !== Infinity && tags[lowest.any]?.prerelease) buckets[lowest.any]?.push(entry);
    if (lowest.any === Infinity) unreleased.push(entry);
  }, options.env);
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
  return { markdown: `${blocks.join("\n\n")}\n`, releases: met.length, commitCount };
}

/** The section a release's compare link starts from: the previous final for a final, else the previous tag. */
function previousOf(older: readonly VersionTag[], tag: VersionTag): VersionTag | undefined {
  return older.findLast((t) => tag.prerelease || !t.prerelease);
}
