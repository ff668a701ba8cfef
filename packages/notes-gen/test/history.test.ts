import { join } from "node:path";
import { git, tag, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { generateFullChangelog, generateNotes } from "../src/index.js";
import { baseEnv, commitAs, projectRepo, run } from "./helpers.js";

let origin: string;

beforeAll(() => {
  origin = projectRepo();
  tag(origin, "v1.0.0");
  for (let i = 0; i < 5; i++) commitAs(origin, `fix: fix ${i}`);
  commitAs(origin, "feat: big feature");
  tag(origin, "v1.1.0rc1");
  commitAs(origin, "fix: after the rc");
  tag(origin, "v1.1.0");
  commitAs(origin, "feat: unreleased work");
});

function clone(args: string[]): string {
  const dir = join(tempDir(), "clone");
  git(tempDir(), ["clone", "-q", ...args, `file://${origin}`, dir]);
  return dir;
}

describe("shallow clones", () => {
  it("refuses notes when the previous release tag is not in the shallow history (exit 1, fetch-depth: 0)", async () => {
    const dir = clone(["--depth", "2", "--branch", "v1.1.0"]);
    git(dir, ["fetch", "-q", "--depth", "1", "origin", "tag", "v1.0.0"]);
    const r = await run(["--tag", "v1.1.0"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NG_SHALLOW_CLONE");
    expect(r.stderr).toContain("the previous release v1.0.0 is not in its history");
    expect(r.stderr).toContain("fetch-depth: 0");
  });

  it("refuses a shallow clone without tags: the range cannot be known", async () => {
    const dir = clone(["--depth", "1", "--no-tags"]);
    const r = await run(["--json"], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "NG_SHALLOW_CLONE", data: { previous: null } });
  });

  it("refuses an explicit --from that the shallow history does not reach", async () => {
    const dir = clone(["--depth", "2", "--branch", "v1.1.0"]);
    git(dir, ["fetch", "-q", "--depth", "1", "origin", "tag", "v1.0.0"]);
    const r = await run(["--from", "v1.0.0", "--to", "v1.1.0"], dir);
    expect(r.stderr).toContain("NG_SHALLOW_CLONE");
  });

  it("works in a shallow clone deep enough to reach the previous release", async () => {
    const dir = clone(["--depth", "20"]);
    const notes = await generateNotes({ cwd: dir, env: baseEnv(), tag: "v1.1.0" });
    expect(notes).toMatchObject({ from: "v1.0.0", commitCount: 7 });
  });
});

describe("the full-history changelog", () => {
  it("gives every release a section from one git pass; a final's section holds its rcs' work", async () => {
    const full = await generateFullChangelog({ cwd: origin, env: baseEnv() });
    expect(full).toMatchObject({ releases: 3, commitCount: 9 });
    const md = full.markdown;
    const order = ["## Unreleased", "## [1.1.0](", "## [1.1.0rc1](", "## [1.0.0]("].map((h) => md.indexOf(h));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
    const final = md.slice(md.indexOf("## [1.1.0]("), md.indexOf("## [1.1.0rc1]("));
    expect(final).toContain("compare/v1.0.0...v1.1.0");
    expect(final).toContain("big feature");
    expect(final).toContain("after the rc");
    const rc = md.slice(md.indexOf("## [1.1.0rc1]("), md.indexOf("## [1.0.0]("));
    expect(rc).toContain("big feature");
    expect(rc).not.toContain("after the rc");
  });

  it("agrees with per-release notes on a history with a merged branch", async () => {
    const dir = projectRepo();
    tag(dir, "v0.1.0");
    git(dir, ["checkout", "-q", "-b", "topic"]);
    commitAs(dir, "feat: on the branch");
    git(dir, ["checkout", "-q", "main"]);
    commitAs(dir, "fix: on main");
    tag(dir, "v0.2.0");
    git(dir, ["merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic"]);
    tag(dir, "v0.3.0");
    const full = await generateFullChangelog({ cwd: dir, env: baseEnv() });
    const v3 = full.markdown.slice(full.markdown.indexOf("## [0.3.0]"), full.markdown.indexOf("## [0.2.0]"));
    expect(v3).toContain("on the branch");
    expect(v3).not.toContain("on main");
    const notes = await generateNotes({ cwd: dir, env: baseEnv(), tag: "v0.3.0" });
    expect(notes.sections.flatMap((s) => s.entries.map((e) => e.subject))).toEqual(["on the branch"]);
  });

  it("reads a history whose commit dates are skewed (a child older than its parent) in topo order", async () => {
    const dir = projectRepo();
    tag(dir, "v0.1.0");
    const at = (date: string) => ({ GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
    git(dir, ["commit", "-q", "--allow-empty", "-m", "fix: the parent"], at("2024-03-10T00:00:00Z"));
    git(dir, ["checkout", "-q", "-b", "topic"]);
    // Older than its parent: git's date order shows "the parent" before it.
    git(dir, ["commit", "-q", "--allow-empty", "-m", "feat: the skewed child"], at("2024-03-01T00:00:00Z"));
    tag(dir, "v1.0.0");
    git(dir, ["checkout", "-q", "main"]);
    git(dir, ["merge", "-q", "--no-ff", "-m", "Merge branch 'topic'", "topic"], at("2024-03-20T00:00:00Z"));
    tag(dir, "v1.1.0");
    const dateOrder = git(dir, ["log", "--format=%s"]).trim().split("\n");
    expect(dateOrder.indexOf("fix: the parent")).toBeLessThan(dateOrder.indexOf("feat: the skewed child"));
    const full = await generateFullChangelog({ cwd: dir, env: baseEnv() });
    // v1.0.0 reaches the parent through its skewed child: both are 1.0.0's, not 1.1.0's.
    const v1 = full.markdown.slice(full.markdown.indexOf("## [1.0.0]"), full.markdown.indexOf("## [0.1.0]"));
    expect(v1).toContain("the parent");
    expect(v1).toContain("the skewed child");
    const v11 = full.markdown.slice(full.markdown.indexOf("## [1.1.0]"), full.markdown.indexOf("## [1.0.0]"));
    expect(v11).toContain("No changes.");
    expect((await run(["changelog", "--all"], dir)).stdout).toBe(full.markdown);
  });

  it("leaves out tags that are not in the history of --to", async () => {
    const dir = projectRepo();
    tag(dir, "v1.0.0");
    git(dir, ["checkout", "-q", "-b", "maint"]);
    commitAs(dir, "fix: backport");
    tag(dir, "v1.0.1");
    git(dir, ["checkout", "-q", "main"]);
    commitAs(dir, "feat: next");
    tag(dir, "v1.1.0");
    const full = await generateFullChangelog({ cwd: dir, env: baseEnv() });
    expect(full.releases).toBe(2);
    expect(full.markdown).not.toContain("1.0.1");
    expect(full.markdown).toContain("## [1.1.0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0)");
  });

  it("an unknown --to is NG_UNKNOWN_REF (exit 2)", async () => {
    const r = await run(["changelog", "--all", "--to", "no-such-ref"], origin);
    expect([r.code, r.stderr.includes("NG_UNKNOWN_REF")]).toEqual([2, true]);
  });

  it("is what `changelog --all` prints", async () => {
    const r = await run(["changelog", "--all"], origin);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("# Changelog\n\n## Unreleased")).toBe(true);
  });
});

describe("tag order", () => {
  it("sorts tags exactly as version-util's compareVersions does", async () => {
    const { compareVersions } = await import("@pypi-workflows/version-util");
    const { listVersionTags } = await import("../src/index.js");
    const versions = ["1.0", "1.0.0.post1", "1.0.0rc1", "1.0.0b2", "1.0.0a1", "1.0.0.dev3", "1.0.0a1.dev1", "1.0.1", "1.0.0rc1.post1", "1!0.1", "0.9", "1.0.0.post1.dev2", "2.0.0.0.1", "10.0"];
    const dir = projectRepo();
    for (const v of versions) tag(dir, `v${v}`);
    const sorted = (await listVersionTags(dir, undefined, baseEnv())).map((t) => t.name.slice(1));
    expect(sorted).toEqual([...versions].sort((a, b) => compareVersions(a, b) || `v${a}`.localeCompare(`v${b}`)));
  });
});
