import { join } from "node:path";
import { git, mulberry32, tag, tempDir } from "@pypi-workflows/testkit";
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

  it("puts each commit where its tags put it, on random histories with branches, merges and skewed dates", async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { dir, tags } = randomHistory(seed, seed > 3);
      const full = await generateFullChangelog({ cwd: dir, env: baseEnv() });
      expect(sectionsOf(full.markdown), `seed ${seed}`).toEqual(bruteForceSections(dir, tags));
    }
  });

  it("dates each release as git log's %cs dates its tag's commit, for lightweight and annotated tags", async () => {
    const dir = projectRepo();
    // Committer time zones far from UTC, near midnight: the date is the committer's own, not UTC's.
    const dates = ["2024-05-01T23:30:00+14:00", "2024-05-02T00:30:00-12:00", "2024-05-03T12:00:00+00:00"];
    for (const [i, date] of dates.entries()) {
      git(dir, ["commit", "-q", "--allow-empty", "-m", `feat: change ${i}`], { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date });
      if (i === 1) git(dir, ["tag", "-a", "-m", "annotated", `v1.${i}.0`], { GIT_COMMITTER_DATE: "2030-01-01T00:00:00Z" });
      else tag(dir, `v1.${i}.0`);
    }
    const full = await generateFullChangelog({ cwd: dir, env: baseEnv() });
    for (const i of [0, 1, 2]) {
      const expected = git(dir, ["log", "-1", "--format=%cs", `v1.${i}.0`]).trim();
      expect(full.markdown).toMatch(new RegExp(`## \\[1\\.${i}\\.0\\]\\([^)]*\\) - ${expected}\n`));
    }
    expect(git(dir, ["log", "-1", "--format=%cs", "v1.0.0"]).trim()).toBe("2024-05-01");
    expect(git(dir, ["log", "-1", "--format=%cs", "v1.1.0"]).trim()).toBe("2024-05-02");
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

/** Release versions in PEP 440 order, tagged on random commits (so a higher version may be older). */
const RANDOM_VERSIONS = ["0.1.0", "0.2.0rc1", "0.2.0", "0.3.0", "0.4.0a1", "0.4.0rc1", "0.4.0", "1.0.0", "1.0.1"];

/**
 * 60 commits made with plumbing: branches started from any commit, merges of two branch tips, and (when
 * `skew`) some commit dates older than their parents'; the last commit merges every tip, so HEAD reaches all.
 */
function randomHistory(seed: number, skew: boolean): { dir: string; tags: string[] } {
  const rand = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const dir = projectRepo();
  const tree = git(dir, ["rev-parse", "HEAD^{tree}"]).trim();
  const commits = [git(dir, ["rev-parse", "HEAD"]).trim()];
  let heads = [...commits];
  let time = 1_700_000_000;
  const commit = (parents: string[], message: string) => {
    time += 600;
    const date = `${skew && rand() < 0.15 ? time - 50_000 : time} +0000`;
    const hash = git(dir, ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-m", message], {
      GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date,
    }).trim();
    commits.push(hash);
    return hash;
  };
  for (let i = 0; i < 60; i++) {
    const roll = rand();
    if (roll < 0.15 && heads.length > 1) {
      const [a, b] = [pick(heads), pick(heads)];
      if (a === b) continue;
      const merge = commit([a, b], `Merge ${i}`);
      heads = [...heads.filter((h) => h !== a && h !== b), merge];
    } else if (roll < 0.3) {
      heads.push(commit([pick(commits)], `feat: branch ${i}`));
    } else {
      const head = pick(heads);
      heads = [...heads.filter((h) => h !== head), commit([head], `${pick(["feat", "fix", "chore"])}: change ${i}`)];
    }
  }
  const tip = heads.length > 1 ? commit(heads, "Merge every branch") : (heads[0] as string);
  git(dir, ["update-ref", "refs/heads/main", tip]);
  git(dir, ["reset", "-q", "--hard", tip]);
  const tags = RANDOM_VERSIONS.map((v) => `v${v}`);
  for (const name of tags) git(dir, ["tag", name, pick(commits)]);
  return { dir, tags };
}

/** Each section of a changelog (its version, or "Unreleased") with the commits it links, sorted. */
function sectionsOf(markdown: string): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  for (const part of markdown.split(/^## /m).slice(1)) {
    const name = part.startsWith("Unreleased") ? "Unreleased" : (/^\[([^\]]+)\]/.exec(part)?.[1] ?? "?");
    const hashes = [...part.matchAll(/\/commit\/([0-9a-f]{40})\)/g)].map((m) => m[1] as string).sort();
    if (hashes.length) sections[name] = hashes;
  }
  return sections;
}

/**
 * The same assignment from first principles, one `git rev-list` per tag: a commit (not a merge) is in the
 * lowest final release whose tag reaches it, also in the lowest release of any kind when that is a
 * pre-release, and Unreleased when no tag reaches it. `tags` are in PEP 440 order.
 */
function bruteForceSections(dir: string, tags: readonly string[]): Record<string, string[]> {
  const reach = tags.map((t) => new Set(git(dir, ["rev-list", t]).trim().split("\n")));
  const prerelease = (t: string) => /(a|b|rc)\d+$/.test(t);
  const sections: Record<string, string[]> = {};
  const add = (name: string, hash: string) => {
    sections[name] = [...(sections[name] ?? []), hash];
  };
  for (const line of git(dir, ["rev-list", "--parents", "HEAD"]).trim().split("\n")) {
    const [hash, ...parents] = line.split(" ") as [string, ...string[]];
    if (parents.length > 1) continue;
    const final = tags.findIndex((t, i) => !prerelease(t) && reach[i]?.has(hash));
    const any = tags.findIndex((_, i) => reach[i]?.has(hash));
    if (any === -1) add("Unreleased", hash);
    if (final !== -1) add((tags[final] as string).slice(1), hash);
    if (any !== -1 && prerelease(tags[any] as string)) add((tags[any] as string).slice(1), hash);
  }
  for (const list of Object.values(sections)) list.sort();
  return sections;
}
