import { CommitParser } from "conventional-commits-parser";
import { describe, expect, it } from "vitest";
import { Classifier } from "../src/index.js";

const raw = (message: string, parents = ["p"]) => ({ hash: "a".repeat(40), boundary: false, parents, authorName: "A", authorEmail: "a@x", date: "2026-01-01", message });

describe("Classifier", () => {
  it("reads breaking changes from `!`, BREAKING CHANGE and BREAKING-CHANGE footers, in any case", () => {
    const c = new Classifier();
    expect(c.classify(raw("feat(api)!: drop v1 (#9)"))).toMatchObject({ scope: "api", subject: "drop v1", pr: 9, breaking: "drop v1" });
    expect(c.classify(raw("fix: x\n\nbody line\n\nBREAKING CHANGE: first line\nsecond line"))?.breaking).toBe("first line\nsecond line");
    expect(c.classify(raw("fix: x\n\nBREAKING-CHANGE: hyphen"))?.breaking).toBe("hyphen");
    expect(c.classify(raw("fix: x\n\nbreaking change: lower"))?.breaking).toBe("lower");
    expect(c.classify(raw("fix: x\n\nnot breaking at all, just a long body\nwith #12 references"))?.breaking).toBeNull();
  });

  it("gives the same header fields as the parser on the whole message", () => {
    const parser = new CommitParser({ headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/, headerCorrespondence: ["type", "scope", "subject"] });
    const c = new Classifier();
    for (const m of ["feat(x): a\n\nbody", "perf: b\n\nCloses #3", "docs(readme): c\n\n\nmore", "ci: d"]) {
      const full = parser.parse(m);
      const entry = c.classify(raw(m));
      expect(entry?.subject).toBe(full.subject);
      expect(entry?.scope ?? null).toBe(full.scope ?? null);
    }
  });

  it("puts reverts under Reverts in both spellings and skips merge commits", () => {
    const c = new Classifier();
    expect(c.classify(raw('Revert "feat: a"\n\nThis reverts commit 0123456789abcdef.'))?.section).toBe("Reverts");
    expect(c.classify(raw("revert: feat: a"))?.section).toBe("Reverts");
    expect(c.classify(raw("Merge pull request #4 from x/y", ["p1", "p2"]))).toBeNull();
  });

  it("never throws: empty and odd messages land in Other", () => {
    const c = new Classifier();
    for (const m of ["", "\n\n", ":", "(scope): x", "feat(: x", "\u0000weird"]) expect(c.classify(raw(m))?.section).toBe("Other");
  });
});
