import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tag, tempDir } from "@pypi-workflows/testkit";
import { beforeAll, describe, expect, it } from "vitest";
import { NEXT_RELEASE_MARKER, insertSection } from "../src/index.js";
import { commitAs, projectRepo, run } from "./helpers.js";

const FIXTURE = readFileSync(new URL("./fixtures/keep-a-changelog.md", import.meta.url), "utf8");
const SECTION = "## [1.1.0] - 2026-02-03\n\n### Features\n\n- new\n";

describe("insertSection (pure)", () => {
  it("goes above the first ## heading; the preamble and older sections stay byte for byte", () => {
    const { text, changed } = insertSection(FIXTURE, SECTION, "1.1.0");
    expect(changed).toBe(true);
    const at = FIXTURE.indexOf("## [1.0.0]");
    expect(text).toBe(`${FIXTURE.slice(0, at)}${SECTION}\n${FIXTURE.slice(at)}`);
  });

  it("leaves a Keep a Changelog [Unreleased] section on top", () => {
    const withUnreleased = "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## [1.0.0] - 2026-01-02\n";
    expect(insertSection(withUnreleased, SECTION, "1.1.0").text).toBe(
      `# Changelog\n\n## [Unreleased]\n\n- wip\n\n${SECTION}\n## [1.0.0] - 2026-01-02\n`,
    );
    expect(insertSection("# C\n\n## Unreleased\n", SECTION, "1.1.0").text).toBe(`# C\n\n## Unreleased\n\n${SECTION}`);
  });

  it("goes below the next-release marker when there is one", () => {
    const withMarker = `# Changelog\n\n## Notes\n\nstay here\n\n${NEXT_RELEASE_MARKER}\n\n## [1.0.0] - 2026-01-02\n`;
    const { text } = insertSection(withMarker, SECTION, "1.1.0");
    expect(text).toBe(`# Changelog\n\n## Notes\n\nstay here\n\n${NEXT_RELEASE_MARKER}\n\n${SECTION}\n## [1.0.0] - 2026-01-02\n`);
  });

  it("is idempotent: a version already present (any spelling) changes nothing", () => {
    const once = insertSection(FIXTURE, SECTION, "1.1.0").text;
    expect(insertSection(once, SECTION, "1.1.0")).toMatchObject({ changed: false, text: once });
    expect(insertSection("# C\n\n## v1.0 - x\n", SECTION, "1.0.0").changed).toBe(false);
  });

  it("keeps CRLF files CRLF", () => {
    const crlf = FIXTURE.replace(/\n/g, "\r\n");
    const { text } = insertSection(crlf, SECTION, "1.1.0");
    expect(text.replace(/\r\n/g, "")).not.toContain("\n");
    expect(text.endsWith(crlf.slice(crlf.indexOf("## [1.0.0]")))).toBe(true);
  });

  it("reads headings as markdown does: not in code blocks or commented-out text, ATX spellings", () => {
    const preamble = [
      "# Changelog",
      "",
      "Put `<!-- next-release -->` on a line of its own to choose where releases go.",
      "",
      "```sh",
      "## 1.1.0: not a heading, a shell comment",
      "```",
      "",
      "~~~~",
      "## [1.1.0]",
      "```",
      "still code",
      "~~~~",
      "",
      "<!--",
      "## [Unreleased]",
      "## [1.1.0] - template",
      "-->",
      "",
    ].join("\n");
    const existing = `${preamble}\n  ##\t[1.0.0] - 2026-01-02\n\n- old\n`;
    // The code and the comment neither hold 1.1.0 nor receive it: the section goes above the real first heading
    // (indented by two spaces, a tab after ##: still a heading), and the inline marker is not the marker.
    expect(insertSection(existing, SECTION, "1.1.0")).toEqual({ changed: true, text: `${preamble}\n${SECTION}\n  ##\t[1.0.0] - 2026-01-02\n\n- old\n` });
    expect(insertSection(existing, SECTION, "1.0").changed).toBe(false);
    // Four spaces make code, "##x" is no heading, and a fence never closed runs to the end.
    expect(insertSection("# C\n\n    ## [1.0.0]\n##[1.0.0]\n", SECTION, "1.0.0").changed).toBe(true);
    expect(insertSection("# C\n\n```\n## [0.9.0]\n", SECTION, "1.0.0").text).toBe(`# C\n\n\`\`\`\n## [0.9.0]\n\n${SECTION}`);
    // A one-line comment is no block: the heading after it counts.
    expect(insertSection("# C\n\n<!-- note -->\n## [0.9.0]\n", SECTION, "1.0.0").text).toBe(`# C\n\n<!-- note -->\n${SECTION}\n## [0.9.0]\n`);
  });

  it("appends after a preamble without sections", () => {
    expect(insertSection("# Changelog\n\nIntro.\n", SECTION, "1.1.0").text).toBe(`# Changelog\n\nIntro.\n\n${SECTION}`);
    expect(insertSection("# Changelog", SECTION, "1.1.0").text).toBe(`# Changelog\n\n${SECTION}`);
  });
});

describe("notes-gen changelog", () => {
  let repo: string;
  beforeAll(() => {
    repo = projectRepo();
    tag(repo, "v1.0.0");
    commitAs(repo, "feat(cli): a new flag");
    commitAs(repo, "fix!: stricter parsing");
    tag(repo, "v1.1.0");
  });

  function changelogIn(dir: string, text = FIXTURE): string {
    const file = join(dir, "CHANGELOG.md");
    writeFileSync(file, text);
    return file;
  }

  it("inserts the release's section, then does nothing on a second run", async () => {
    const dir = tempDir();
    const file = changelogIn(dir);
    const first = await run(["changelog", "--tag", "v1.1.0", "--file", file, "--date", "2026-02-03"], repo);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("added 1.1.0");
    const text = readFileSync(file, "utf8");
    const section = text.slice(text.indexOf("## [1.1.0]"), text.indexOf("## [1.0.0]"));
    expect(section.replace(/\b[0-9a-f]{7,40}\b/g, "<sha>")).toMatchInlineSnapshot(`
      "## [1.1.0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0) - 2026-02-03

      ### ⚠ BREAKING CHANGES

      - stricter parsing ([<sha>](https://github.com/acme/demo/commit/<sha>))

      ### Features

      - **cli:** a new flag ([<sha>](https://github.com/acme/demo/commit/<sha>))

      "
    `);
    expect(text.endsWith(FIXTURE.slice(FIXTURE.indexOf("## [1.0.0]")))).toBe(true);
    const second = await run(["changelog", "--tag", "v1.1.0", "--file", file, "--json"], repo);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ changed: false, written: false });
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(readdirSync(dir)).toEqual(["CHANGELOG.md"]);
  });

  it("--dry-run prints the section and writes nothing", async () => {
    const file = changelogIn(tempDir());
    const r = await run(["changelog", "--tag", "v1.1.0", "--file", file, "--dry-run", "--date", "2026-02-03"], repo);
    expect(r.stdout).toContain("would add 1.1.0");
    expect(r.stdout).toContain("## [1.1.0](https://github.com/acme/demo/compare/v1.0.0...v1.1.0) - 2026-02-03");
    expect(readFileSync(file, "utf8")).toBe(FIXTURE);
  });

  it("reads --file from where notes-gen runs; --cwd only names the repository", async () => {
    const dir = tempDir();
    changelogIn(dir);
    const r = await run(["changelog", "--cwd", repo, "--tag", "v1.1.0", "--file", "CHANGELOG.md"], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "CHANGELOG.md"), "utf8")).toContain("## [1.1.0]");
  });

  it("creates a missing changelog with a title", async () => {
    const file = join(tempDir(), "CHANGES.md");
    await run(["changelog", "--tag", "v1.1.0", "--file", file], repo);
    expect(readFileSync(file, "utf8").startsWith("# Changelog\n\nAll notable changes")).toBe(true);
  });

  it("a failure leaves the file untouched and no temp file behind", async () => {
    const dir = tempDir();
    const file = changelogIn(dir);
    const r = await run(["changelog", "--tag", "v7.0.0", "--to", "no-such-ref", "--file", file], repo);
    expect(r.code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe(FIXTURE);
    expect(readdirSync(dir)).toEqual(["CHANGELOG.md"]);
    const unwritable = await run(["changelog", "--tag", "v1.1.0", "--file", join(dir, "missing-dir", "CHANGELOG.md")], repo);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain("NG_CHANGELOG_IO");
    expect(existsSync(join(dir, "missing-dir"))).toBe(false);
  });

  it("needs --tag, and a real date", async () => {
    const noTag = await run(["changelog"], repo);
    expect([noTag.code, noTag.stderr.includes("--tag")]).toEqual([2, true]);
    const badDate = await run(["changelog", "--tag", "v1.1.0", "--date", "3 Feb"], repo);
    expect(badDate.code).toBe(2);
  });
});
