import { CommitParser } from "conventional-commits-parser";
import { describe, expect, it } from "vitest";
import { Classifier, ConventionalParser, type HeaderFields, PARSER_OPTIONS, parseFast } from "../src/classify.js";
import { streamLog } from "../src/git.js";
import { baseEnv, commitAs, projectRepo } from "./helpers.js";
import { mulberry32 } from "@pypi-workflows/testkit";

// The parser with the options classify.ts gives it, on the WHOLE message (as conventional-changelog runs it): the
// reference that both the fast path and the parser on the header alone must agree with.
// A parser that threw is replaced: it may be left mid-search in a global RegExp (a fresh parser per message is
// the reference; one that has only ever finished its parses is in the same state).
let parser = new CommitParser(PARSER_OPTIONS);
function reference(message: string): HeaderFields | null {
  if (!message.trim()) return null;
  try {
    return parser.parse(message);
  } catch {
    parser = new CommitParser(PARSER_OPTIONS);
    return null;
  }
}

/** Only what classify reads; the parser leaves unmatched fields undefined, which classify treats as null. */
function fields(parsed: HeaderFields | null) {
  if (!parsed) return null;
  const { type, scope, subject, header, notes, revert } = parsed;
  return {
    type: type ?? null,
    scope: scope ?? null,
    subject: subject ?? null,
    header: header ?? null,
    notes: notes.map(({ title, text }) => ({ title, text })),
    revert: revert ?? null,
  };
}

// Every message the other tests commit, plus odd shapes.
const WRITTEN = [
  "Update the README", "chore(release): 1.1.0", "docs: fix a typo", "feat!: drop Python 3.8", "feat!: first (#3)",
  "feat(api): add search endpoint (#12)", "feat(cli): a new flag", "feat(ui): dark mode from a branch", "feat: big feature",
  "feat: x", "fix!: stricter parsing", "fix(cli): rename a flag\n\nBREAKING CHANGE: --old is now --new",
  "fix: a change that broke things", "fix: handle ünïcode 🐍 paths\n\nCo-authored-by: Grace H <grace@example.com>",
  "perf(parser): parse twice as fast", 'Revert "fix: a change that broke things"\n\nThis reverts commit 0123abc.',
  "feat: change 3\n\nA long body\nwith #12 references and @someone", "feat(api)!: drop v1 (#9)",
  "fix: x\n\nbody line\n\nBREAKING CHANGE: first line\nsecond line", "fix: x\n\nBREAKING-CHANGE: hyphen",
  "fix: x\n\nbreaking change: lower", "revert: feat: a", "Merge pull request #4 from x/y", "", "\n\n", ":", "(scope): x",
  "feat(: x", "\u0000weird", "gpg: Signature made\nfeat: x", "  gpg: x", "feat: x\r\n\r\nbody", "\r\nfeat: x", "feat: x\r",
  "\nfeat: x", "   \nfeat: x", "feat!:", "feat!: ", "feat: ", "feat(): x", "(): x", "!: x", ": x", "feat(a)(b): x",
  "feat(a): b (c): d", "feat(a)!: b!: c", "feat: a\u2028b", "feat:x", "feat :x", "feat(a b)!: x", "Feat(API): X",
  "fix: closes #1, fixes #2", "feat: see https://example.com/#12", "feat(x): a\n\nbody", "perf: b\n\nCloses #3",
  "docs(readme): c\n\n\nmore", "ci: d", "feat: Revert the thing", "chore: BREAKING news", "fix: x\n\n    BREAKING CHANGE: indented",
];

const PARTS = {
  prefix: ["", "", "", "", "", "", "", "", "", " ", "\n", "\r", "gpg: sig\n", "  gpg: x\n", "Revert ", "revert: ", "\t", "\n\n", "\r\n", "\n \n", "-x-\n"],
  type: ["feat", "fix", "perf", "docs", "chore", "Feat", "FIX", "", "feat-x", "ünï", "revert", "Revert", "1", "a_b", "break"],
  scope: ["", "", "(api)", "()", "(a b)", "(a)(b)", "(a): (b)", "(", ")", "(#1)", "(ü)", "(BREAKING)", "(a!)"],
  bang: ["", "", "!", "!!"],
  sep: [": ", ": ", ": ", ": ", ": ", ": ", ":", ":  ", " : ", "!: ", ": !", ":\t", ";"],
  subject: ["x", "", "drop v1 (#12)", " lead", "trail ", "a: b", "ü 😀", "tab\there", "x\u2028y", "(#7)", "x!: y", "breaks", "@who #3"],
  body: ["", "", "", "", "", "\n\nbody", "\n\nbody #1 @a", "\n\nBREAKING CHANGE: y", "\n\nbreaking-change: z\nmore", "\n\nCloses #3", "\r\n\r\nbody",
    "\n", "\n\nThis reverts commit abc123.", "\n\nCo-authored-by: A <a@x>", "\r", "\n\ngpg: x", "\n\n-field-\nvalue",
    "\n\n-type-\nfix", "\n\n-subject-\ny\nz", "\n\n-notes-\nq", "\n\n-mentions-\nq", "\n\n-revert-\nq", "\n\n-header-\nh",
    "\n\n- item -\n- item", "\n-scope-\r\nq\r\n", "\n\n-type-", "\n\n\u2028-type-\nq", "\n\n-type-\rq"],
};

function generated(count: number): string[] {
  const next = mulberry32(440);
  const pick = (list: string[]) => list[Math.floor(next() * list.length)] as string;
  return Array.from({ length: count }, () =>
    [pick(PARTS.prefix), pick(PARTS.type), pick(PARTS.scope), pick(PARTS.bang), pick(PARTS.sep), pick(PARTS.subject), pick(PARTS.body)].join(""),
  );
}

// Random token strings: the characters and words the parser gives a meaning to, in any order.
const TOKENS = [
  "\n", "\n", "\n", "\r", "\r\n", " ", "  ", "\t", "-", "-", ":", ": ", "!", "(", ")", "#1", "@a", "*", '"', ".", "a", "x y", "ü",
  "\u2028", "\u00a0", "feat", "fix", "Feat", "BREAKING CHANGE", "breaking-change", "BREAKING CHANGE: ", "* BREAKING CHANGE:", "gpg:",
  "  gpg: s", "revert", "Revert ", "revert: ", "This reverts commit ", "abc123.", "type", "scope", "subject", "header", "notes",
  "mentions", "references", "revert", "-type-", "-notes-", "-x-", "Closes #2", "fixes #3",
];
const SEED = Number(process.env.NOTES_FUZZ_SEED ?? 2026);
const CASES = Number(process.env.NOTES_FUZZ_CASES ?? 20_000);

function randomMessages(count: number): string[] {
  const next = mulberry32(SEED);
  return Array.from({ length: count }, () => {
    let message = "";
    for (let n = 1 + Math.floor(next() * 16); n > 0; n--) message += TOKENS[Math.floor(next() * TOKENS.length)];
    return message;
  });
}

describe("the parser fast path", () => {
  it("gives the parser's fields on the whole message, for every message, on written, generated and random messages", () => {
    let decided = 0;
    let conventional = 0;
    let breaking = 0;
    const underTest = new ConventionalParser();
    for (const message of [...WRITTEN, ...generated(20_000), ...randomMessages(CASES)]) {
      const expected = { message, fields: fields(reference(message)) };
      // The parser on what classify gives it (the header alone, when that decides) ...
      expect({ message, fields: fields(underTest.parse(message)) }).toEqual(expected);
      // ... and the fast path, for the messages it decides.
      const fast = parseFast(message);
      if (fast === undefined) continue;
      decided += 1;
      if (fast?.type) conventional += 1;
      if (fast?.notes.length) breaking += 1;
      expect({ message, fields: fields(fast) }).toEqual(expected);
    }
    // The corpus must exercise the fast path broadly, not leave everything to the parser.
    expect(decided).toBeGreaterThan(6_000);
    expect(conventional).toBeGreaterThan(1_500);
    expect(breaking).toBeGreaterThan(500);
  });

  it("leaves breaking footers, reverts, gpg lines and \\r headers to the parser", () => {
    for (const message of ["fix: x\n\nBREAKING CHANGE: y", "fix: x\n\nbreaking-change: y", 'Revert "feat: a"', "revert: feat: a", "gpg: x", "feat: x\r\r\n", "feat: a\rb", "feat: x\n\n-type-\nfix", "\n  \nfeat: x"]) {
      expect(parseFast(message)).toBeUndefined();
    }
  });

  it("decides the common shapes itself", () => {
    expect(fields(parseFast("feat(api)!: drop v1 (#9)\n\nbody #3") ?? null)).toEqual({
      type: "feat", scope: "api", subject: "drop v1 (#9)", header: "feat(api)!: drop v1 (#9)", notes: [{ title: "BREAKING CHANGE", text: "drop v1 (#9)" }], revert: null,
    });
    expect(fields(parseFast("fix: x") ?? null)).toEqual({ type: "fix", scope: null, subject: "x", header: "fix: x", notes: [], revert: null });
    expect(fields(parseFast("Update the README") ?? null)).toEqual({ type: null, scope: null, subject: null, header: "Update the README", notes: [], revert: null });
    // Leading blank lines are dropped, as the parser drops them (git keeps them in %B; `git commit` strips them).
    expect(fields(parseFast("\n\nfeat: x\n\nbody") ?? null)).toEqual({ type: "feat", scope: null, subject: "x", header: "feat: x", notes: [], revert: null });
  });

  it("lists a commit whose message starts with blank lines, or with gpg: lines, as conventional-changelog does", () => {
    const c = new Classifier();
    const commit = (message: string) => c.classify({ hash: "a".repeat(40), parents: ["p"], message });
    expect(commit("\n\nfeat(api): leading blank lines (#7)\n")).toMatchObject({ section: "Features", scope: "api", subject: "leading blank lines", pr: 7 });
    expect(commit("gpg: Signature made\nfix: after a gpg line")).toMatchObject({ section: "Bug Fixes", subject: "after a gpg line" });
    // Not conventional: listed with its first line that says something, not as "(no message)".
    expect(commit("\n\nUpdate the README\n")).toMatchObject({ section: "Other", subject: "Update the README" });
    expect(commit("   \n\tUpdate the docs")).toMatchObject({ section: "Other", subject: "Update the docs" });
    // A `-type-` line in the body sets the parser's type (so a conventional-changelog user sees it the same way).
    expect(commit("feat: x\n\n-type-\nfix")?.section).toBe("Other");
  });

  it("classifies a message the same way whatever came before it, after the parser threw", () => {
    // `-mentions-` makes the parser's mentions a string, and it throws when it pushes the @who it found, leaving
    // its global RegExp mid-search: that same parser would find no @who in the next message, and not throw.
    const c = new Classifier();
    const message = "feat: greet @who\n\n-mentions-\nq";
    const first = c.classify({ hash: "a".repeat(40), parents: ["p"], message });
    expect(first).toMatchObject({ section: "Other", subject: "feat: greet @who" });
    expect(c.classify({ hash: "b".repeat(40), parents: ["p"], message })).toEqual({ ...first, hash: "b".repeat(40) });
  });
});

describe("reading git log records", () => {
  it("keeps a message that itself holds the field separator whole, with every field in place", async () => {
    const dir = projectRepo();
    const message = "feat: a\u001fb\n\nbody \u001f with separators\u001f";
    const sha = commitAs(dir, message, { name: "Ada L", email: "1+ada@users.noreply.github.com" });
    const seen: { hash: string; authorName: string; authorEmail: string; date: string; message: string; parents: number }[] = [];
    await streamLog(dir, ["HEAD"], (c) => seen.push({ ...c, parents: c.parents.length }), baseEnv());
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ hash: sha, authorName: "Ada L", authorEmail: "1+ada@users.noreply.github.com", parents: 1 });
    expect(seen[0]?.message.trimEnd()).toBe(message);
    expect(seen[0]?.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(seen[1]).toMatchObject({ parents: 0, message: "chore: initial commit\n" });
  });
});
