import { CommitParser } from "conventional-commits-parser";
import type { HistoryCommit } from "./git.js";

/** A commit type and the section it goes to (the conventionalcommits preset's titles by default). */
export interface TypeSection {
  type: string;
  section: string;
}

export interface NotesConfig {
  /** Types listed in their own sections, in this order; every other commit goes under Other. */
  types: TypeSection[];
  /** Hide the Other section (the notes still say how many commits it held). Default false. */
  hideOther: boolean;
  /** Default "Other". */
  otherTitle: string;
}

export const DEFAULT_CONFIG: NotesConfig = {
  types: [
    { type: "feat", section: "Features" },
    { type: "feature", section: "Features" },
    { type: "fix", section: "Bug Fixes" },
    { type: "perf", section: "Performance Improvements" },
    { type: "revert", section: "Reverts" },
  ],
  hideOther: false,
  otherTitle: "Other",
};

export const BREAKING_TITLE = "⚠ BREAKING CHANGES";

/** One line of the notes. */
export interface Entry {
  hash: string;
  /** The conventional type, shown for commits under Other (chore, docs...): the only hint of what they were. */
  type: string | null;
  scope: string | null;
  subject: string;
  /** The squash-merge PR number, from a subject ending in "(#123)". */
  pr: number | null;
  /** The text of BREAKING CHANGE footers, or the subject for a `!` header; null when not breaking. */
  breaking: string | null;
  section: string;
}

// The conventionalcommits preset's parser options (conventional-changelog-conventionalcommits/src/parser.js).
export const PARSER_OPTIONS = {
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ["type", "scope", "subject"],
  noteKeywords: ["BREAKING CHANGE", "BREAKING-CHANGE"],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
  revertCorrespondence: ["header", "hash"],
  issuePrefixes: ["#"],
};

/** "subject (#123)" as GitHub's squash merge writes it: the subject without the suffix, and the number. */
function squashPr(subject: string): { subject: string; number: number } | null {
  // By hand rather than a RegExp on a slice (once per commit): "(#", digits, ")", then only white space.
  const at = subject.lastIndexOf("(#");
  if (at === -1) return null;
  let end = at + 2;
  while (end < subject.length && subject.charCodeAt(end) >= 48 && subject.charCodeAt(end) <= 57) end++;
  if (end === at + 2 || subject.charCodeAt(end) !== 41) return null; // ")"
  if (end + 1 < subject.length && subject.slice(end + 1).trim() !== "") return null;
  return { subject: subject.slice(0, at).trimEnd(), number: Number(subject.slice(at + 2, end)) };
}
/**
 * What makes the parser read past the header for a field classify uses: a BREAKING CHANGE note (any case), a
 * revert (its pattern is tried on the whole message, from the start), and a `-name-` line (the parser's
 * fieldPattern: the lines after it set `commit[name]`, so `-type-` changes the type and `-notes-` makes the
 * parser throw). A superset: a line that starts and ends with "-" and holds a word character.
 */
const NEEDS_WHOLE_MESSAGE = /breaking|^\s*revert|\n-[^\n]*\w[^\n]*-\r?(?:\n|$)/i;
const GPG_LINE = /^\s*gpg:/;

/**
 * The parser's header when that line alone gives the parser's type, scope, subject, header, notes and revert for
 * the whole message; null when the parser must see the whole message. The parser drops the leading line breaks
 * and the `gpg:` lines, takes the next line as the header and the rest as body and footers, where only the
 * cases NEEDS_WHOLE_MESSAGE names touch those fields. Skipping the rest skips the per-line reference scan of long
 * bodies (the bulk of the parser's time on big histories). A blank or `gpg:` first line is left to the parser.
 */
function headerOnly(message: string): string | null {
  if (NEEDS_WHOLE_MESSAGE.test(message)) return null;
  let start = 0;
  while (start < message.length && (message.charCodeAt(start) === 10 || message.charCodeAt(start) === 13)) start++;
  // The parser's lines are split at \r?\n. A header that still ends in \r keeps it there, but would lose it alone
  // (the parser trims trailing line breaks): left to the parser.
  let end = message.indexOf("\n", start);
  if (end === -1) end = message.length;
  else if (message.charCodeAt(end - 1) === 13) end--;
  const header = start === 0 && end === message.length ? message : message.slice(start, end);
  return header.trim() === "" || GPG_LINE.test(header) || header.endsWith("\r") ? null : header;
}

/** The parser's fields that classify reads (the parser leaves type/scope/subject undefined without a match). */
export interface HeaderFields {
  type?: string | null;
  scope?: string | null;
  subject?: string | null;
  /** The line the parser took as the header (null when every line was blank or a `gpg:` line). */
  header?: string | null;
  notes: { title: string; text: string }[];
  revert: unknown;
}

/**
 * conventional-commits-parser with the preset's options, as classify runs it: on the header alone when that
 * decides (see headerOnly), else on the whole message.
 */
export class ConventionalParser {
  private parser = new CommitParser(PARSER_OPTIONS);

  /** The parser's answer for a message (null when it rejects it: white space only, or it throws). */
  parse(message: string): HeaderFields | null {
    if (!message.trim()) return null;
    try {
      return this.parser.parse(headerOnly(message) ?? message);
    } catch {
      // Not conventional: listed under Other with its header, never dropped. A parser that threw is not used
      // again: it keeps global RegExps, and one left mid-search changes how it reads the next message.
      this.parser = new CommitParser(PARSER_OPTIONS);
      return null;
    }
  }
}

/**
 * The same answer as ConventionalParser.parse, without the parser, for the common shape: a message whose header alone
 * decides (see headerOnly) and holds no \r. Of such a header the parser does nothing but match the preset's two
 * header patterns (the same RegExp objects here) and, for a `!` header, add its note; references and mentions,
 * which it also collects, are not read. Returns undefined when the message is not of that shape: the parser
 * decides those. A test holds both paths to the parser on the whole message, on written and random messages.
 */
export function parseFast(message: string): HeaderFields | null | undefined {
  const header = headerOnly(message);
  if (header === null || header.includes("\r")) return undefined;
  const breaking = header.includes("!: ") ? PARSER_OPTIONS.breakingHeaderPattern.exec(header) : null;
  const match = breaking ?? PARSER_OPTIONS.headerPattern.exec(header);
  if (!match) return { header, notes: [], revert: null };
  const subject = match[3] || null;
  const notes = breaking ? [{ title: "BREAKING CHANGE", text: match[3] ?? "" }] : [];
  return { type: match[1] || null, scope: match[2] || null, subject, header, notes, revert: null };
}

/** The first line that is not blank, trimmed: what a commit that is not conventional is listed as. */
function firstLineOf(message: string): string {
  for (const line of message.split("\n")) if (line.trim()) return line.trim();
  return "";
}

const BREAKING_NOTE = /^BREAKING[ -]CHANGE$/i;
const NO_NOTES: readonly { title: string; text: string }[] = [];

/** Turns raw commits into entries; merge commits are skipped (the commits they bring are kept). */
export class Classifier {
  private readonly parser = new ConventionalParser();
  private readonly sections: Map<string, string>;

  constructor(private readonly config: NotesConfig = DEFAULT_CONFIG) {
    this.sections = new Map(config.types.map((t) => [t.type.toLowerCase(), t.section]));
  }

  /** The entry for a commit, or null for a merge commit. Never throws on odd messages. */
  classify(commit: HistoryCommit): Entry | null {
    if (commit.parents.length > 1) return null;
    const fast = parseFast(commit.message);
    const parsed = fast === undefined ? this.parser.parse(commit.message) : fast;
    const type = parsed?.type?.toLowerCase() ?? null;
    const isRevert = Boolean(parsed?.revert) || type === "revert";
    const section = isRevert
      ? (this.sections.get("revert") ?? this.config.otherTitle)
      : ((type && parsed?.subject ? this.sections.get(type) : undefined) ?? this.config.otherTitle);
    const conventional = Boolean(type && parsed?.subject);
    // A conventional commit's subject is the parser's; any other commit is listed with its header (the parser's
    // first line: not a blank or `gpg:` one).
    let subject = (conventional ? parsed?.subject : undefined) ?? (parsed?.header?.trim() || firstLineOf(commit.message));
    const pr = squashPr(subject);
    if (pr) subject = pr.subject;
    const notes = parsed?.notes.length ? parsed.notes.filter((n) => BREAKING_NOTE.test(n.title)) : NO_NOTES;
    return {
      hash: commit.hash,
      type: conventional && section === this.config.otherTitle ? (parsed?.type ?? null) : null,
      scope: conventional ? (parsed?.scope ?? null) : null,
      subject: subject || "(no message)",
      pr: pr ? pr.number : null,
      // A `!` header's note repeats the subject (with its "(#123)"): keep it equal to the shown subject.
      breaking: notes.length ? notes.map((n) => (n.text === parsed?.subject ? subject : n.text.trim())).join("\n") : null,
      section,
    };
  }
}
