import { CommitParser } from "conventional-commits-parser";
import { describe, expect, it } from "vitest";
import { type HeaderFields, PARSER_OPTIONS, parseFast, parseWithParser } from "../src/classify.js";
import { streamLog } from "../src/git.js";
import { baseEnv, commitAs, projectRepo } from "./helpers.js";
import { mulberry32 } from "@pypi-workflows/testkit";

// The parser with the options classify.ts gives it: the reference the fast path must agree with.
const parser = new CommitParser(PARSER_OPTIONS);

/** Only what classify reads; the parser leaves unmatched fields undefined, which classify treats as null. */
function fields(parsed: HeaderFields | null) {
  if (!parsed) return null;
  const { type, scope, subject, notes, revert } = parsed;
  return { type: type ?? null, scope: scope ?? null, subject: subject ?? null, notes: notes.map(({ title, text }) => ({ title, text })), revert: revert ?? null };
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
  prefix: ["", "", "", "", "", "", "", "", "", " ", "\n", "\r", "gpg: sig\n", "  gpg: x\n", "Revert ", "revert: ", "\t"],
  type: ["feat", "fix", "perf", "docs", "chore", "Feat", "FIX", "", "feat-x", "ünï", "revert", "Revert", "1", "a_b", "break"],
  scope: ["", "", "(api)", "()", "(a b)", "(a)(b)", "(a): (b)", "(", ")", "(#1)", "(ü)", "(BREAKING)", "(a!)"],
  bang: ["", "", "!", "!!"],
  sep: [": ", ": ", ": ", ": ", ": ", ": ", ":", ":  ", " : ", "!: ", ": !", ":\t", ";"],
  subject: ["x", "", "drop v1 (#12)", " lead", "trail ", "a: b", "ü 😀", "tab\there", "x\u2028y", "(#7)", "x!: y", "breaks", "@who #3"],
  body: ["", "", "", "", "", "\n\nbody", "\n\nbody #1 @a", "\n\nBREAKING CHANGE: y", "\n\nbreaking-change: z\nmore", "\n\nCloses #3", "\r\n\r\nbody",
    "\n", "\n\nThis reverts commit abc123.", "\n\nCo-authored-by: A <a@x>", "\r", "\n\ngpg: x", "\n\n-field-\nvalue"],
};

function generated(count: number): string[] {
  const next = mulberry32(440);
  const pick = (list: string[]) => list[Math.floor(next() * list.length)] as string;
  return Array.from({ length: count }, () =>
    [pick(PARTS.prefix), pick(PARTS.type), pick(PARTS.scope), pick(PARTS.bang), pick(PARTS.sep), pick(PARTS.subject), pick(PARTS.body)].join(""),
  );
}

describe("the parser fast path", () => {
  it("gives the parser's fields for every message it decides, on written and generated messages", () => {
    let decided = 0;
    let conventional = 0;
    let breaking = 0;
    for (const message of [...WRITTEN, ...generated(20_000)]) {
      const fast = parseFast(message);
      if (fast === undefined) continue;
      decided += 1;
      if (fast?.type) conventional += 1;
      if (fast?.notes.length) breaking += 1;
      expect({ message, fields: fields(fast) }).toEqual({ message, fields: fields(parseWithParser(parser, message)) });
    }
    // The corpus must exercise the fast path broadly, not leave everything to the parser.
    expect(decided).toBeGreaterThan(7_000);
    expect(conventional).toBeGreaterThan(1_500);
    expect(breaking).toBeGreaterThan(500);
  });

  it("leaves breaking footers, reverts, gpg lines and \\r headers to the parser", () => {
    for (const message of ["fix: x\n\nBREAKING CHANGE: y", "fix: x\n\nbreaking-change: y", 'Revert "feat: a"', "revert: feat: a", "gpg: x", "feat: x\r\n"]) {
      expect(parseFast(message)).toBeUndefined();
    }
  });

  it("decides the common shapes itself", () => {
    expect(fields(parseFast("feat(api)!: drop v1 (#9)\n\nbody #3") ?? null)).toEqual({
      type: "feat", scope: "api", subject: "drop v1 (#9)", notes: [{ title: "BREAKING CHANGE", text: "drop v1 (#9)" }], revert: null,
    });
    expect(fields(parseFast("fix: x") ?? null)).toEqual({ type: "fix", scope: null, subject: "x", notes: [], revert: null });
    expect(fields(parseFast("Update the README") ?? null)).toEqual({ type: null, scope: null, subject: null, notes: [], revert: null });
    expect(parseFast("\nfeat: x")).toBeNull();
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
