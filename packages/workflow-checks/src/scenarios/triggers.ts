import type { EventScenario } from "./events.js";

/**
 * GitHub's filter pattern syntax for branches and tags: `*` matches within a path segment, `**` across
 * segments, `?` one character, `+` one or more of the preceding character, `[...]` a class; a leading `!`
 * in a list excludes what earlier patterns matched (later patterns win).
 */
export function patternToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += ".";
    else if (c === "+") source += "+";
    else if (c === "[") {
      const end = pattern.indexOf("]", i);
      source += end > i ? pattern.slice(i, end + 1) : "\\[";
      if (end > i) i = end;
    } else source += c.replace(/[\\^$.|(){}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Whether a name passes a list of patterns (with `!` negations applied in order). */
export function matchesFilters(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith("!")) {
      if (patternToRegExp(p.slice(1)).test(name)) matched = false;
    } else if (patternToRegExp(p).test(name)) matched = true;
  }
  return matched;
}

type Filters = Record<string, unknown> | null | undefined;

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function passes(name: string, include: string[] | undefined, ignore: string[] | undefined): boolean {
  if (include) return matchesFilters(name, include);
  if (ignore) return !matchesFilters(name, ignore);
  return true;
}

/** Push filters: with only branch filters a tag push does not run the workflow, and the reverse. */
function pushTriggers(filters: Filters, ref: string): boolean {
  const f = filters ?? {};
  const branches = list(f.branches);
  const branchesIgnore = list(f["branches-ignore"]);
  const tags = list(f.tags);
  const tagsIgnore = list(f["tags-ignore"]);
  const hasBranchFilter = branches !== undefined || branchesIgnore !== undefined;
  const hasTagFilter = tags !== undefined || tagsIgnore !== undefined;
  if (ref.startsWith("refs/tags/")) {
    if (!hasTagFilter) return !hasBranchFilter;
    return passes(ref.slice("refs/tags/".length), tags, tagsIgnore);
  }
  if (!hasBranchFilter) return !hasTagFilter;
  return passes(ref.slice("refs/heads/".length), branches, branchesIgnore);
}

/** Whether a workflow's `on:` starts a run for the scenario's event. */
export function isTriggered(on: unknown, scenario: EventScenario, baseBranch: string): boolean {
  const events: Record<string, Filters> =
    typeof on === "string"
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((e) => [String(e), null]))
        : ((on ?? {}) as Record<string, Filters>);
  if (!(scenario.event in events)) return false;
  const filters = events[scenario.event];
  if (scenario.event === "push") return pushTriggers(filters, scenario.ref);
  if (scenario.event === "pull_request") {
    return passes(baseBranch, list(filters?.branches), list(filters?.["branches-ignore"]));
  }
  return true;
}
