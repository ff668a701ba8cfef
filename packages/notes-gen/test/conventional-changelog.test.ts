import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { git, mulberry32 } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { baseEnv, projectRepo, run } from "./helpers.js";

// conventional-changelog itself (the bench's baseline, a devDependency), with the preset notes-gen takes its
// parser options and section titles from.
const CONVENTIONAL_CHANGELOG = fileURLToPath(new URL("../node_modules/.bin/conventional-changelog", import.meta.url));
const SHOWN = ["Features", "Bug Fixes", "Performance Improvements", "Reverts"];
const BREAKING = "⚠ BREAKING CHANGES";

/**
 * A linear history of random commit messages (conventional or not, scopes, `!`, both breaking footers, squash PR
 * numbers, leading blank lines as git keeps them in %B), a final release tag every 17 commits: a history on
 * which PEP 440 and SemVer order the tags alike, so both tools must put each commit in the same release.
 */
function randomHistory(seed: number, commits: number): string {
  const next = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const dir = projectRepo();
  const tree = git(dir, ["rev-parse", "HEAD^{tree}"]).trim();
  let parent = git(dir, ["rev-parse", "HEAD"]).trim();
  let date = 1_700_000_000;
  let release = 0;
  for (let i = 0; i < commits; i++) {
    const type = pick(["feat", "fix", "perf", "docs", "chore", "refactor", "feat", "fix", "Feat", "FIX", "feature", "revert", ""]);
    const header = type
      ? `${type}${pick(["", "", "(api)", "(cli)", "(a b)", "()"])}${pick(["", "", "", "!"])}: ${pick(["add a thing", "handle ünïcode", "drop v1 (#12)", "speed up parsing", "closes #3", "a: b"])}`
      : pick(["Update README", "wip", "Merge branch x"]);
    const message = `${pick(["", "", "", "", "\n\n", "\r\n"])}${header}${pick(["", "", "", "\n\nbody text", "\n\nBREAKING CHANGE: the api changed", "\n\nBREAKING-CHANGE: flags renamed\nmore text", "\n\nCloses #4"])}`;
    date += 3600;
    const stamp = `${date} +0000`;
    parent = execFileSync("git", ["commit-tree", tree, "-p", parent], {
      cwd: dir,
      env: { ...baseEnv(), GIT_AUTHOR_NAME: "A", GIT_AUTHOR_EMAIL: "a@example.com", GIT_COMMITTER_NAME: "A", GIT_COMMITTER_EMAIL: "a@example.com", GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp },
      input: message,
      encoding: "utf8",
    }).trim();
    if (i % 17 === 16 || i === commits - 1) git(dir, ["tag", `v0.${++release}.0`, parent]);
  }
  git(dir, ["reset", "-q", "--hard", parent]);
  return dir;
}

/** "version | section | short hash" for every entry that links its commit, and each release's breaking-note count. */
function listings(markdown: string, bullet: string) {
  const entries = new Set<string>();
  const breaking = new Map<string, number>();
  let version = "";
  let section = "";
  for (const line of markdown.split("\n")) {
    const heading = /^##? \[?v?(\d+\.\d+\.\d+)/.exec(line);
    if (heading) [version, section] = [heading[1] as string, ""];
    else if (line.startsWith("### ")) section = line.slice(4).trim();
    else if (version && line.startsWith(bullet)) {
      const hashes = [...line.matchAll(/\[([0-9a-f]{7})\]\(/g)].map((m) => m[1]);
      for (const hash of hashes) entries.add(`${version} | ${section} | ${hash}`);
      // conventional-changelog lists breaking notes without a commit link (the commits follow, linked).
      if (section === BREAKING && (bullet === "- " || hashes.length === 0)) breaking.set(version, (breaking.get(version) ?? 0) + 1);
    }
  }
  return { entries, breaking };
}

describe("against conventional-changelog itself", () => {
  it("puts every commit in the same release and section, with the same breaking changes, on random histories", async () => {
    for (const seed of [4, 9]) {
      const dir = randomHistory(seed, 120);
      const env = baseEnv({ GITHUB_REPOSITORY: "acme/demo" });
      const theirs = listings(execFileSync(CONVENTIONAL_CHANGELOG, ["-p", "conventionalcommits", "-r", "0", "--stdout"], { cwd: dir, env, encoding: "utf8" }), "* ");
      const result = await run(["changelog", "--all"], dir, env);
      expect(result.code).toBe(0);
      const ours = listings(result.stdout, "- ");
      const sectionsOf = (entries: Set<string>, versionHash: string) =>
        [...entries].filter((e) => e.startsWith(`${versionHash.split(" | ")[0]} | `) && e.endsWith(` | ${versionHash.split(" | ")[1]}`)).map((e) => e.split(" | ")[1]);
      const disagreements: string[] = [];
      // Each commit conventional-changelog shows in a type section: there in ours too, or under Breaking changes
      // (ours lists a breaking commit once, there); a hidden type it shows only because it is breaking: Other.
      for (const entry of theirs.entries) {
        const [version, section, hash] = entry.split(" | ") as [string, string, string];
        const mine = sectionsOf(ours.entries, `${version} | ${hash}`);
        const accepted = mine.includes(section) || mine.includes(BREAKING) || (!SHOWN.includes(section) && mine.includes("Other"));
        if (!accepted) disagreements.push(`${entry}: ours ${mine.join(", ") || "missing"}`);
      }
      // Each commit in one of our type sections: in the same section of theirs.
      for (const entry of ours.entries) {
        const [version, section, hash] = entry.split(" | ") as [string, string, string];
        if (SHOWN.includes(section) && !theirs.entries.has(entry)) disagreements.push(`${entry}: theirs ${sectionsOf(theirs.entries, `${version} | ${hash}`).join(", ") || "missing"}`);
      }
      expect({ seed, disagreements, breaking: [...ours.breaking].sort() }).toEqual({ seed, disagreements: [], breaking: [...theirs.breaking].sort() });
      // Not vacuous: releases with each kind of entry.
      expect(theirs.entries.size).toBeGreaterThan(80);
      expect([...ours.entries].filter((e) => e.includes("| Features |")).length).toBeGreaterThan(10);
      expect([...ours.breaking.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
    }
  });
});
