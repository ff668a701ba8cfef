import { Classifier, type Entry, type NotesConfig } from "./classify.js";
import { type RawCommit, streamLog } from "./git.js";
import type { Contributor } from "./render.js";

export interface Collected {
  entries: Entry[];
  contributors: Contributor[];
  /** Whether the expected boundary commit showed up (see collectEntries). */
  reached: boolean;
}

/**
 * Streams the commits of `from..to` (ONE git log) into entries and contributors; merge commits skipped.
 * With `boundary` (a commit), git also prints the range's boundary: `boundary` is among them exactly when it
 * is an ancestor of `to`, so the same process proves the previous release is in the history.
 */
export async function collectEntries(
  cwd: string,
  to: string,
  from: string | null,
  config: NotesConfig,
  env?: NodeJS.ProcessEnv,
  boundary?: string,
): Promise<Collected> {
  const classifier = new Classifier(config);
  const entries: Entry[] = [];
  const people = new Map<string, Contributor>();
  let reached = false;
  const revs = from ? [to, `^${from}`] : [to];
  await streamLog(cwd, boundary ? ["--boundary", ...revs] : revs, (commit) => {
    if (commit.boundary) {
      reached ||= commit.hash === boundary;
      return;
    }
    const entry = classifier.classify(commit);
    if (!entry) return;
    entries.push(entry);
    countContributors(people, commit);
  }, env);
  const contributors = [...people.values()].sort((a, b) => b.commits - a.commits || a.name.localeCompare(b.name, "en")); // an explicit locale: the same order on every runner
  return { entries, contributors, reached };
}

const NOREPLY = /^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$/i;
const CO_AUTHOR = /^co-authored-by:\s*(.+?)\s*<([^>]+)>\s*$/gim;

/** Authors and Co-authored-by trailers; GitHub noreply addresses give the login. */
export function countContributors(people: Map<string, Contributor>, commit: RawCommit): void {
  const found: [string, string][] = [[commit.authorName, commit.authorEmail]];
  for (const m of commit.message.matchAll(CO_AUTHOR)) found.push([m[1] ?? "", m[2] ?? ""]);
  for (const [name, email] of found) {
    const login = NOREPLY.exec(email)?.[1] ?? null;
    const key = (login ?? name).toLowerCase();
    const person = people.get(key) ?? { name, login, commits: 0 };
    person.commits += 1;
    people.set(key, person);
  }
}
