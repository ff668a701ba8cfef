import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tag } from "@pypi-workflows/testkit";
import { describe, expect, it } from "vitest";
import { CLI_SPEC, ERROR_CODES } from "../src/index.js";
import { baseEnv, commitAs, projectRepo } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");

describe("error catalog", () => {
  it("lists every code the sources can throw, each with a summary and a fix", () => {
    const src = join(ROOT, "src");
    const thrown = new Set<string>();
    for (const file of readdirSync(src)) {
      if (!file.endsWith(".ts")) continue; // src/vendor holds re-exports only
      const text = readFileSync(join(src, file), "utf8");
      if (file === "errors.ts") continue;
      for (const m of text.matchAll(/Error\(\s*"([A-Z][A-Z_]+)"/g)) thrown.add(m[1] as string);
      if (/new UsageError\(/.test(text)) thrown.add("USAGE");
    }
    expect(thrown.size).toBeGreaterThan(10);
    for (const code of thrown) expect(ERROR_CODES[code], code).toMatchObject({ summary: expect.any(String), fix: expect.any(String) });
  });

  it("describes every command in the exported CLI spec", () => {
    expect(CLI_SPEC.commands.map((c) => c.name)).toEqual(["notes", "changelog", "release"]);
  });
});

describe("the built CLI (dist/bin/cli.cjs; turbo builds before testing)", () => {
  it("exists, runs through node, and prints notes", () => {
    expect(existsSync(join(DIST, "bin", "cli.cjs")), "run the package's build first").toBe(true);
    const repo = projectRepo();
    tag(repo, "v0.1.0");
    commitAs(repo, "feat: smoke");
    tag(repo, "v0.2.0");
    const out = execFileSync(process.execPath, [join(DIST, "bin", "cli.cjs"), "--cwd", repo], { env: baseEnv(), encoding: "utf8" });
    expect(out).toContain("## Features\n\n- smoke");
    expect(out).toContain('pip install "Demo_Pkg==0.2.0"');
  });

  it("keeps the GitHub client and @actions/core out of the CLI's one file: each is loaded from its own when used", () => {
    const main = readFileSync(join(DIST, "bin", "main.cjs"), "utf8");
    expect(main).toContain("function runNotesGen");
    for (const name of ["octokit-rest", "actions-core"]) {
      // Loaded with import() where the release command (or the Actions adapter) needs it, never at start-up.
      expect(main).toMatch(new RegExp(`await import\\(["']\\./vendor-${name}\\.cjs["']\\)`));
      expect(main).not.toMatch(new RegExp(`require\\(["']\\./vendor-${name}`));
      expect(existsSync(join(DIST, "bin", `vendor-${name}.cjs`))).toBe(true);
    }
    // The user agent each Octokit layer sends: in the vendored file only.
    expect(main).not.toContain("octokit-core.js/");
    expect(readFileSync(join(DIST, "bin", "vendor-octokit-rest.cjs"), "utf8")).toContain("octokit-core.js/");
  });

  it("the launcher turns on Node's compile cache before it loads the CLI", () => {
    const launcher = readFileSync(join(DIST, "bin", "cli.cjs"), "utf8");
    expect(launcher.indexOf("enableCompileCache")).toBeGreaterThan(-1);
    expect(launcher.indexOf("enableCompileCache")).toBeLessThan(launcher.indexOf('require("./main.cjs")'));
  });
});
