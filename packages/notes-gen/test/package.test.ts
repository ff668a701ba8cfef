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

/** Files reached from `entry` through static imports (and re-exports) only. */
function staticClosure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(join(DIST, entry), "utf8");
  for (const m of text.matchAll(/(?:^|[;\n])\s*(?:import|export)\s*(?:[^"'();]*?from\s*)?["']\.\/([^"']+)["']/g)) staticClosure(m[1] as string, seen);
  return seen;
}

/**
 * What starting the CLI loads: the entry's static imports and the chunks its own top level import()s (it
 * loads the rest of the code that way, after starting git), but no import() made further down (the
 * release command's GitHub client).
 */
function startupClosure(): Set<string> {
  const seen = staticClosure("cli.js");
  const entry = readFileSync(join(DIST, "cli.js"), "utf8");
  for (const m of entry.matchAll(/await import\(["']\.\/([^"']+)["']\)/g)) staticClosure(m[1] as string, seen);
  return seen;
}

describe("the built CLI (dist/cli.js; turbo builds before testing)", () => {
  it("exists, runs through node, and prints notes", () => {
    expect(existsSync(join(DIST, "cli.js")), "run the package's build first").toBe(true);
    const repo = projectRepo();
    tag(repo, "v0.1.0");
    commitAs(repo, "feat: smoke");
    tag(repo, "v0.2.0");
    const out = execFileSync(process.execPath, [join(DIST, "cli.js"), "--cwd", repo], { env: baseEnv(), encoding: "utf8" });
    expect(out).toContain("## Features\n\n- smoke");
    expect(out).toContain('pip install "Demo_Pkg==0.2.0"');
  });

  it("keeps the GitHub client off the notes command's start-up path", () => {
    const loaded = [...startupClosure()];
    // The entry, git's early start, the commands and cli-kit at least.
    expect(loaded.length).toBeGreaterThan(3);
    expect(loaded.some((file) => readFileSync(join(DIST, file), "utf8").includes("function runNotesGen"))).toBe(true);
    for (const file of loaded) expect(readFileSync(join(DIST, file), "utf8"), file).not.toContain("@octokit/");
  });
});
