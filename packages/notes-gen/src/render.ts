import { BREAKING_TITLE, type Entry, type NotesConfig } from "./classify.js";
import { type RepoLinks, commitUrl, compareUrl, installCommand, projectVersionUrl, pullUrl } from "./links.js";
import type { DistManifest } from "./package-info.js";

export interface Contributor {
  name: string;
  /** GitHub login, when the e-mail is a GitHub noreply address. */
  login: string | null;
  commits: number;
}

export interface Section {
  title: string;
  entries: Entry[];
}

/** Breaking changes first, then the configured sections in order, then Other (unless hidden). */
export function groupSections(entries: readonly Entry[], config: NotesConfig): { sections: Section[]; hidden: number } {
  const titles = [...new Set(config.types.map((t) => t.section)), config.otherTitle];
  const sections: Section[] = [{ title: BREAKING_TITLE, entries: entries.filter((e) => e.breaking !== null) }];
  for (const title of titles) {
    sections.push({ title, entries: entries.filter((e) => e.breaking === null && e.section === title) });
  }
  const other = sections.at(-1);
  const hidden = config.hideOther && other ? other.entries.length : 0;
  const shown = config.hideOther ? sections.slice(0, -1) : sections;
  return { sections: shown.filter((s) => s.entries.length > 0), hidden };
}

function renderEntry(entry: Entry, repo: RepoLinks | null): string {
  // Built by concatenation, no array per entry: a full changelog renders every commit of the history.
  const scope = `${entry.type ? `${entry.type}: ` : ""}${entry.scope ? `**${entry.scope}:** ` : ""}`;
  const short = entry.hash.slice(0, 7);
  const commit = repo ? `[${short}](${commitUrl(repo, entry.hash)})` : short;
  const pr = entry.pr === null ? "" : repo ? `[#${entry.pr}](${pullUrl(repo, entry.pr)}), ` : `#${entry.pr}, `;
  let line = `- ${scope}${entry.subject} (${pr}${commit})`;
  if (entry.breaking && entry.breaking !== entry.subject) {
    line += `\n${entry.breaking
      .split("\n")
      .map((l) => (l ? `  ${l}` : ""))
      .join("\n")}`;
  }
  return line;
}

/** The sections as markdown, headings at `level` (2 for a release body, 3 inside a changelog). */
export function renderChanges(sections: readonly Section[], repo: RepoLinks | null, level: number, hidden = 0): string {
  const parts: string[] = [];
  renderChangesInto(parts, sections, repo, level, hidden);
  return parts.join("");
}

/**
 * renderChanges as parts pushed onto `parts` (their concatenation is renderChanges' text). A long changelog is
 * written part by part, never joined: the titles are parts of their own, so the breaking-changes title (its ⚠
 * is not Latin-1) does not turn the text of every entry below it into a two-byte string, which would take
 * twice the memory and three times as long to encode as UTF-8.
 */
export function renderChangesInto(parts: string[], sections: readonly Section[], repo: RepoLinks | null, level: number, hidden = 0): void {
  const hashes = "#".repeat(level);
  for (const [i, s] of sections.entries()) {
    parts.push(`${i ? "\n\n" : ""}${hashes} ${s.title}\n\n`, s.entries.map((e) => renderEntry(e, repo)).join("\n"));
  }
  const tail: string[] = [];
  if (!sections.length) tail.push("No changes.");
  if (hidden) tail.push(`_${hidden} other commit${hidden === 1 ? "" : "s"} not listed._`);
  if (tail.length) parts.push(`${sections.length ? "\n\n" : ""}${tail.join("\n\n")}`);
}

export function renderContributors(contributors: readonly Contributor[]): string {
  const names = contributors.map((c) => (c.login ? `@${c.login}` : c.name));
  return `## Contributors\n\n${names.map((n) => `- ${n}`).join("\n")}`;
}

export interface FooterInput {
  name: string;
  version: string;
  prerelease: boolean;
  pypiUrl: string;
  repo: RepoLinks | null;
  from: string | null;
  to: string;
  manifest: DistManifest | null;
}

/** The end of the notes: where to get it, how to install it, what changed since, and the files. */
export function renderFooter(input: FooterInput): string {
  const lines = [
    "## Install",
    "",
    `[${input.name} ${input.version} on ${input.pypiUrl.replace(/^https?:\/\//, "").replace(/\/+$/, "")}](${projectVersionUrl(input.name, input.version, input.pypiUrl)})`,
    "",
    "```",
    installCommand(input.name, input.version, input.prerelease, input.pypiUrl),
    "```",
  ];
  if (input.repo) lines.push("", `**Full changelog**: ${compareUrl(input.repo, input.from, input.to)}`);
  if (input.manifest?.files.length) {
    lines.push("", "## Files", "", "| File | Kind | Size | SHA256 |", "| --- | --- | ---: | --- |");
    for (const f of input.manifest.files) lines.push(`| ${f.filename} | ${f.kind} | ${f.size} | \`${f.sha256}\` |`);
  }
  return lines.join("\n");
}
