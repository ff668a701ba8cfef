import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { git, tag, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { generateNotes } from "../src/index.js";
import { baseEnv, commitAs, projectRepo, run, writeJson } from "./helpers.js";

/** Replaces commit hashes so rendered notes can be compared as text. */
function stable(markdown: string): string {
  return markdown.replace(/\b[0-9a-f]{40}\b/g, "<sha>").replace(/\[[0-9a-f]{7}\]/g, "[<short>]");
}

let repo: string;

// One realistic history for the whole file: rcs between releases, both breaking spellings, a merged branch,
// reverts, scopes, unicode, a non-conventional commit, and a backport tag on a branch main never merged.
beforeAll(() => {
  repo = projectRepo();
  tag(repo, "v1.0.0");
  git(repo, ["branch", "maint"]);
  commitAs(repo, "feat(api): add search endpoint (#12)", { name: "Ada", email: "1234+ada-l@users.noreply.github.com" });
  commitAs(repo, "fix: handle ünïcode 🐍 paths\n\nCo-authored-by: Grace H <grace@example.com>");
  tag(repo, "v1.1.0rc1");
  commitAs(repo, "Update the README");
  commitAs(repo, "feat!: drop Python 3.8");
  commitAs(repo, "fix(cli): rename a flag\n\nBREAKING CHANGE: --old is now --new");
  commitAs(repo, "perf(parser): parse twice as fast");
  commitAs(repo, "docs: fix a typo");
  const reverted = commitAs(repo, "fix: a change that broke things");
  commitAs(repo, `Revert "fix: a change that broke things"\n\nThis reverts commit ${reverted}.`);
  git(repo, ["checkout", "-q", "-b", "feature"]);
  commitAs(repo, "feat(ui): dark mode from a branch");
  git(repo, ["checkout", "-q", "main"]);
  git(repo, ["merge", "-q", "--no-ff", "-m", "Merge branch 'feature'", "feature"]);
  tag(repo, "v1.1.0rc2");
  commitAs(repo, "chore(release): 1.1.0");
  tag(repo, "v1.1.0");
  git(repo, ["checkout", "-q", "maint"]);
  commitAs(repo, "fix: backported fix");
  tag(repo, "v1.0.1");
  git(repo, ["checkout", "-q", "main"]);
});

describe("notes for a range", () => {
  it("a final release covers everything since the previous final release, breaking changes first", async () => {
    const r = await run(["--tag", "v1.1.0", "--cwd", repo], repo);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(stable(r.stdout)).toMatchInlineSnapshot(`
      "## ⚠ BREAKING CHANGES

      - **cli:** rename a flag ([<short>](https://github.com/acme/demo/commit/<sha>))
        --old is now --new
      - drop Python 3.8 ([<short>](https://github.com/acme/demo/commit/<sha>))

      ## Features

      - **ui:** dark mode from a branch ([<short>](https://github.com/acme/demo/commit/<sha>))
      - **api:** add search endpoint ([#12](https://github.com/acme/demo/pull/12), [<short>](https://github.com/acme/demo/commit/<sha>))

      ## Bug Fixes

      - a change that broke things ([<short>](https://github.com/acme/demo/commit/<sha>))
      - handle ünïcode 🐍 paths ([<short>](https://github.com/acme/demo/commit/<sha>))

      ## Performance Improvements

      - **parser:** parse twice as fast ([<short>](https://github.com/acme/demo/commit/<sha>))

      ## Reverts

      - Revert "fix: a change that broke things" ([<short>](https://github.com/acme/demo/commit/<sha>))

      ## Other

      - chore: **release:** 1.1.0 ([<short>](https://github.com/acme/demo/commit/<sha>))
      - docs: fix a typo ([<short>](https://github.com/acme/demo/commit/<sha>))
      - Update the README ([<short>](https://github.com/acme/demo/commit/<sha>))

      ## Contributors

      - Test Author
      - @ada-l
      - Grace H

      ## Install

      [Demo_Pkg 1.1.0 on pypi.org](https://pypi.org/project/demo-pkg/1.1.0/)

      \`\`\`
      pip install "Demo_Pkg==1.1.0"
      \`\`\`

      **Full changelog**: https://github.com/acme/demo/compare/v1.0.0...v1.1.0
      "
    `);
  });

  it("a pre-release starts at the previous release of any kind and installs with --pre", async () => {
    const r = await run(["--tag", "v1.1.0rc2"], repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("compare/v1.1.0rc1...v1.1.0rc2");
    expect(r.stdout).toContain('pip install --pre "Demo_Pkg==1.1.0rc2"');
    expect(r.stdout).not.toContain("add search endpoint");
    const first = await run(["--tag", "v1.1.0rc1", "--json"], repo);
    expect(JSON.parse(first.stdout)).toMatchObject({ from: "v1.0.0", version: "1.1.0rc1", prerelease: true, commitCount: 2 });
  });

  it("defaults --to to the tag on HEAD and ignores tags not on the branch", async () => {
    const notes = await generateNotes({ cwd: repo, env: baseEnv() });
    expect(notes).toMatchObject({ tag: "v1.1.0", from: "v1.0.0", version: "1.1.0" });
    expect(notes.markdown).not.toContain("backported");
  });

  it("takes the release from a version tag given as --to, and none from a branch", async () => {
    const byTag = await generateNotes({ cwd: repo, env: baseEnv(), to: "v1.1.0rc1" });
    expect(byTag).toMatchObject({ tag: "v1.1.0rc1", version: "1.1.0rc1", from: "v1.0.0" });
    const byBranch = await generateNotes({ cwd: repo, env: baseEnv(), to: "maint" });
    expect(byBranch).toMatchObject({ tag: "v1.0.1", from: "v1.0.0", commitCount: 1 });
  });

  it("skips many newer-looking tags that are not in the history (asked in batches, not per tag)", async () => {
    const dir = projectRepo();
    tag(dir, "v1.0.0");
    git(dir, ["checkout", "-q", "-b", "maint"]);
    for (let i = 1; i <= 20; i++) {
      commitAs(dir, `fix: backport ${i}`);
      tag(dir, `v1.0.${i}`);
    }
    git(dir, ["checkout", "-q", "main"]);
    commitAs(dir, "feat: next");
    tag(dir, "v1.1.0");
    const notes = await generateNotes({ cwd: dir, env: baseEnv() });
    expect(notes).toMatchObject({ from: "v1.0.0", commitCount: 1 });
  });

  it("an empty range says so", async () => {
    const r = await run(["--from", "v1.1.0", "--to", "v1.1.0"], repo);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith("No changes.\n")).toBe(true);
  });

  it("unreleased work has no install section", async () => {
    const dir = projectRepo();
    tag(dir, "v0.1.0");
    commitAs(dir, "feat: next thing");
    const notes = await generateNotes({ cwd: dir, env: baseEnv() });
    expect(notes).toMatchObject({ tag: null, version: null, from: "v0.1.0", commitCount: 1 });
    expect(notes.markdown).not.toContain("pip install");
  });

  it("orders tags as PEP 440 versions, not strings", async () => {
    const dir = projectRepo();
    for (const [message, name] of [["feat: a", "v1.9.0"], ["feat: b", "1.10.0a1"], ["feat: c", "V1.10.0-RC.1"], ["feat: d", "v1.10.0"], ["fix: e", "v1.10.0.post1"]]) {
      commitAs(dir, message as string);
      tag(dir, name as string);
    }
    const final = await generateNotes({ cwd: dir, env: baseEnv(), tag: "v1.10.0" });
    expect(final.from).toBe("v1.9.0");
    expect(final.commitCount).toBe(3);
    const rc = await generateNotes({ cwd: dir, env: baseEnv(), tag: "V1.10.0-RC.1" });
    expect(rc).toMatchObject({ from: "1.10.0a1", version: "1.10.0rc1", prerelease: true });
    const post = await generateNotes({ cwd: dir, env: baseEnv(), tag: "v1.10.0.post1" });
    expect(post).toMatchObject({ from: "v1.10.0", prerelease: false, commitCount: 1 });
  });

  it("keeps odd and non-conventional messages under Other without crashing", async () => {
    const dir = projectRepo();
    tag(dir, "v1.0.0");
    for (const m of ["feat:", "WIP", "🎉🎉", "fix(scope) missing colon", "Feat(Core): Upper case type", "x".repeat(3000)]) commitAs(dir, m);
    tag(dir, "v1.1.0");
    const notes = await generateNotes({ cwd: dir, env: baseEnv() });
    expect(notes.commitCount).toBe(6);
    const other = notes.sections.find((s) => s.title === "Other");
    expect(other?.entries.map((e) => e.subject.slice(0, 30))).toEqual(["x".repeat(30), "fix(scope) missing colon", "🎉🎉", "WIP", "feat:"]);
    expect(notes.sections.find((s) => s.title === "Features")?.entries[0]).toMatchObject({ scope: "Core", subject: "Upper case type" });
  });

  it("streams long histories without a buffer limit", async () => {
    const dir = projectRepo();
    tag(dir, "v1.0.0");
    const body = "y".repeat(20_000);
    for (let i = 0; i < 120; i++) commitAs(dir, `feat: change ${i}\n\n${body}`);
    tag(dir, "v2.0.0");
    const notes = await generateNotes({ cwd: dir, env: baseEnv() });
    expect(notes.commitCount).toBe(120);
  });
});

describe("the footer", () => {
  it("uses the manifest's name and lists its files with sha256", async () => {
    const sha = "a".repeat(64);
    const manifest = writeJson(tempDir(), "manifest.json", {
      name: "demo-pkg",
      version: "1.1.0",
      files: [{ filename: "demo_pkg-1.1.0-py3-none-any.whl", kind: "wheel", size: 1234, sha256: sha }],
    });
    const r = await run(["--tag", "v1.1.0", "--manifest", manifest], repo);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pip install "demo-pkg==1.1.0"');
    expect(r.stdout).toContain(`| demo_pkg-1.1.0-py3-none-any.whl | wheel | 1234 | \`${sha}\` |`);
  });

  it("refuses a manifest of another version (exit 1) and a file that is not a manifest (exit 2)", async () => {
    const dir = tempDir();
    const file = { filename: "demo_pkg-1.0.0-py3-none-any.whl", kind: "wheel", size: 1, sha256: "0".repeat(64) };
    const other = writeJson(dir, "other.json", { name: "demo-pkg", version: "1.0.0", files: [file] });
    const mismatch = await run(["--tag", "v1.1.0", "--manifest", other], repo);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain("NG_MANIFEST_MISMATCH");
    const broken = writeJson(dir, "broken.json", { name: "demo-pkg", files: [{ filename: "x" }] });
    const invalid = await run(["--tag", "v1.1.0", "--manifest", broken], repo);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("MANIFEST_INVALID");
    const missing = await run(["--tag", "v1.1.0", "--manifest", join(dir, "nope.json")], repo);
    expect(missing.stderr).toContain("MANIFEST_INVALID");
  });

  it("links TestPyPI with its own index and no dependencies from it", async () => {
    const r = await run(["--tag", "v1.1.0", "--pypi-url", "https://test.pypi.org/"], repo);
    expect(r.stdout).toContain("(https://test.pypi.org/project/demo-pkg/1.1.0/)");
    expect(r.stdout).toContain('pip install --index-url https://test.pypi.org/simple/ --no-deps "Demo_Pkg==1.1.0"');
  });

  it("needs a package name: --name, or exit 2", async () => {
    const dir = tempDir();
    git(dir, ["init", "-q", "-b", "main"]);
    commitAs(dir, "feat!: first (#3)");
    tag(dir, "v0.1.0");
    const none = await run([], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("NG_NO_PACKAGE_NAME");
    // The name as the build backend reads it: [tool.poetry] name, or setup.cfg's [metadata] name.
    writeFileSync(join(dir, "pyproject.toml"), '[tool.poetry]\nname = "poetry-pkg"\nversion = "0.1.0"\n');
    expect((await run([], dir)).stdout).toContain('pip install "poetry-pkg==0.1.0"');
    writeFileSync(join(dir, "pyproject.toml"), '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n');
    writeFileSync(join(dir, "setup.cfg"), "[metadata]\nname = cfg-pkg\nversion = 0.1.0\n");
    expect((await run([], dir)).stdout).toContain('pip install "cfg-pkg==0.1.0"');
    const named = await run(["--name", "other-pkg", "--repo", "acme/other"], dir);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain("https://github.com/acme/other/commits/v0.1.0");
    expect(named.stdout).toMatch(/## ⚠ BREAKING CHANGES\n\n- first \(\[#3\]\(https:\/\/github.com\/acme\/other\/pull\/3\), \[[0-9a-f]{7}\]\([^)]+\)\)\n\n## Contributors/);
  });

  it("links to the server and repository GitHub Actions names (GitHub Enterprise)", async () => {
    const env = baseEnv({ GITHUB_REPOSITORY: "corp/tool", GITHUB_SERVER_URL: "https://git.corp.example" });
    const r = await run(["--tag", "v1.1.0"], repo, env);
    expect(r.stdout).toContain("https://git.corp.example/corp/tool/compare/v1.0.0...v1.1.0");
    expect(r.stdout).not.toContain("github.com/acme");
  });
});

describe("configuration", () => {
  it("hides Other when asked, and says how many commits it held", async () => {
    const r = await run(["--tag", "v1.1.0", "--hide-other"], repo);
    expect(r.stdout).not.toContain("## Other");
    expect(r.stdout).toContain("_3 other commits not listed._");
  });

  it("takes types and titles from a config file", async () => {
    const config = writeJson(tempDir(), "notes.json", { types: [{ type: "docs", section: "Documentation" }], otherTitle: "Everything else" });
    const r = await run(["--tag", "v1.1.0", "--config", config], repo);
    expect(r.stdout).toContain("## Documentation\n\n- fix a typo");
    expect(r.stdout).toContain("## Everything else");
    expect(r.stdout).not.toContain("## Features");
  });

  it("refuses a malformed config (exit 2)", async () => {
    const dir = tempDir();
    for (const bad of [{ types: "feat" }, { colour: 1 }, { hideOther: "yes" }, [1]]) {
      const r = await run(["--tag", "v1.1.0", "--config", writeJson(dir, "c.json", bad)], repo);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("NG_CONFIG_INVALID");
    }
    writeFileSync(join(dir, "c.json"), "{not json");
    expect((await run(["--tag", "v1.1.0", "--config", join(dir, "c.json")], repo)).stderr).toContain("NG_CONFIG_INVALID");
  });
});

describe("bad input", () => {
  it("unknown refs and directories that are not repositories are exit 2", async () => {
    const from = await run(["--from", "v9.9.9"], repo);
    expect([from.code, from.stderr.includes("NG_UNKNOWN_REF")]).toEqual([2, true]);
    const to = await run(["--to", "no-such-branch"], repo);
    expect([to.code, to.stderr.includes("NG_UNKNOWN_REF")]).toEqual([2, true]);
    const notRepo = await run(["--cwd", tempDir()], repo);
    expect([notRepo.code, notRepo.stderr.includes("NG_NOT_A_REPOSITORY")]).toEqual([2, true]);
  });

  it("a tag that is not a PEP 440 version is exit 1", async () => {
    const r = await run(["--tag", "release-candidate", "--json"], repo);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe("NG_INVALID_TAG");
  });

  it("unknown options are usage errors; --help describes the command", async () => {
    expect((await run(["--frm", "v1"], repo)).code).toBe(2);
    const help = await run(["notes", "--help"], repo);
    expect(help.stdout).toContain("--pypi-url <URL>");
  });

  it("a pyproject.toml that is not TOML, or an unwritable --output, is exit 2", async () => {
    const dir = projectRepo();
    writeFileSync(join(dir, "pyproject.toml"), "[project\nname = ");
    commitAs(dir, "feat: x");
    tag(dir, "v0.1.0");
    const r = await run([], dir);
    expect([r.code, r.stderr.includes("NG_NO_PACKAGE_NAME"), r.stderr.includes("cannot parse")]).toEqual([2, true, true]);
    const out = await run(["--tag", "v1.1.0", "--output", join(tempDir(), "no", "such", "dir.md")], repo);
    expect([out.code, out.stderr.includes("NG_OUTPUT_IO")]).toEqual([2, true]);
  });

  it("--output writes the notes to a file as well", async () => {
    const out = join(tempDir(), "notes.md");
    const r = await run(["--tag", "v1.1.0", "--output", out], repo);
    expect(readFileSync(out, "utf8")).toBe(r.stdout);
  });
});
