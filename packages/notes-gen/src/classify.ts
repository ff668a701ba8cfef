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
const NEEDS_BODY = /breaking|^\s*revert/i;

/**
 * What the parser needs to see. Only BREAKING CHANGE notes and the revert pattern read past the first line,
 * so a message with neither gets the same type, scope, subject, notes and revert from its header alone; this
 * skips the per-line reference scan of long bodies (the bulk of the parser's time on big histories).
 */
function parserInput(message: string): string {
  if (NEEDS_BODY.test(message)) return message;
  const end = message.indexOf("\n");
  return end === -1 ? message : message.slice(0, end);
}

/** The parser's fields that classify reads (the parser leaves type/scope/subject undefined without a match). */
export interface HeaderFields {
  type?: string | null;
  scope?: string | null;
  subject?: string | null;
  notes: { title: string; text: string }[];
  revert: unknown;
}

/** The parser's answer for a message (null when it rejects it: an empty message or an empty first line). */
export function parseWithParser(parser: CommitParser, message: string): HeaderFields | null {
  try {
    return message.trim() ? parser.parse(parserInput(message)) : null;
  } catch {
    return null; // not conventional: listed under Other with its first line, never dropped
  }
}

/**
 * The same answer as parseWithParser, without the parser, for the common shape: a message with no breaking
 * footer and no revert, whose first line holds no \r and is no gpg line. Such a message reaches the parser as
 * its first line alone (see parserInput), where the parser does nothing but match the preset's two header
 * patterns (the same RegExp objects here) and, for a `!` header, add its note; references and mentions,
 * which it also collects, are not read. Returns undefined when the message is not of that shape: the parser
 * decides those. A test checks both paths agree on a broad corpus.
 */
export function parseFast(message: string): HeaderFields | null | undefined {
  if (NEEDS_BODY.test(message)) return undefined;
  const end = message.indexOf("\n");
  const header = end === -1 ? message : message.slice(0, end);
  if (!header.trim()) return null; // the parser throws on it: not conventional
  if (header.includes("\r") || GPG_LINE.test(header)) return undefined;
  const breaking = header.includes("!: ") ? PARSER_OPTIONS.breakingHeaderPattern.exec(header) : null;
  const match = breaking ?? PARSER_OPTIONS.headerPattern.exec(header);
  if (!match) return { notes: [], revert: null };
  const subject = match[3] || null;
  const notes = breaking ? [{ title: "BREAKING CHANGE", text: match[3] ?? "" }] : [];
  return { type: match[1] || null, scope: match[2] || null, subject, notes, revert: null };
}
const GPG_LINE = /^\s*gpg:/;

function firstLineOf(message: string): string {
  const newline = message.indexOf("\n");
  return (newline === -1 ? message : message.slice(0, newline)).trim();
}

const BREAKING_NOTE = /^BREAKING[ -]CHANGE$/i;
const NO_NOTES: readonly { title: string; text: string }[] = [];

/** Turns raw commits into entries; merge commits are skipped (the commits they bring are kept). */
export class Classifier {
  private readonly parser = new CommitParser(PARSER_OPTIONS);
  private readonly sections: Map<string, string>;

  constructor(private readonly config: NotesConfig = DEFAULT_CONFIG) {
    this.sections = new Map(config.types.map((t) => [t.type.toLowerCase(), t.section]));
  }

  /** The entry for a commit, or null for a merge commit. Never throws on odd messages. */
  classify(commit: HistoryCommit): Entry | null {
    if (commit.parents.length > 1) return null;
    const fast = parseFast(commit.message);
    const parsed = fast === undefined ? parseWithParser(this.parser, commit.message) : fast;
    const type = parsed?.type?.toLowerCase() ?? null;
    const isRevert = Boolean(parsed?.revert) || type === "revert";
    const section = isRevert
      ? (this.sections.get("revert") ?? this.config.otherTitle)
      : ((type && parsed?.subject ? this.sections.get(type) : undefined) ?? this.config.otherTitle);
    const conventional = Boolean(type && parsed?.subject);
    // A conventional commit's subject is the parser's; any other commit is listed with its first line.
    let subject = (conventional ? parsed?.subject : undefined) ?? firstLineOf(commit.message);
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
