// The generator: committed pages are what it writes now (staleness), it discovers what exists, and it
// tolerates what is missing with a message instead of crashing.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createMarkdownRenderer } from "vitepress";
import { describe, expect, test } from "vitest";
import { renderDocs, staleFiles, writeDocs } from "../scripts/lib/generate-docs.mjs";
import { cell, inline, sentence, summarize } from "../scripts/lib/markdown.mjs";
import { actionsUsed, callerPermissions } from "../scripts/lib/render-workflow.mjs";
import { DOCS_DIR, ROOT } from "./support/site.ts";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "docs-gen-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, "docs"), { recursive: true });
  return root;
}

const SPEC = `{ name: "foo", version: "1.0.0", description: "does foo", commands: [
  { name: "run", summary: "run foo", args: [{ name: "dir", description: "where", required: true }],
    options: { "dry-run": { type: "boolean", description: "write nothing" }, index: { type: "string", valueName: "URL", description: "a | b", default: "x" } },
    examples: ["foo run ."] } ] }`;
const CODES = `{ FOO_BAD: { summary: "bad foo", fix: "fix foo" }, IDX_UNREACHABLE: { summary: "no index", fix: "retry" }, USAGE: { summary: "u", fix: "u" } }`;

const REUSABLE = `# build.yml: builds things.
name: build
on:
  workflow_call:
    inputs:
      working-directory: { description: "Where | what", type: string, default: "." }
      name: { description: The name, type: string, required: true }
    secrets:
      password: { description: A token, required: false }
    outputs:
      version: { description: The version, value: "\${{ jobs.build.outputs.version }}" }
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
      - run: npx --yes @pypi-workflows/foo@1.0.0 run "$DIR"
  release:
    runs-on: ubuntu-latest
    permissions: { contents: write, id-token: none }
    environment: pypi
    steps:
      - uses: some/action@v1
`;

function fixture(extra: Record<string, string> = {}): string {
  return tree({
    "packages/foo/package.json": JSON.stringify({ name: "@pypi-workflows/foo", version: "1.0.0", bin: { foo: "./dist/cli.js" } }),
    "packages/foo/dist/index.js": `export const CLI_SPEC = ${SPEC};\nexport const ERROR_CODES = ${CODES};\n`,
    "packages/bar/package.json": JSON.stringify({ name: "@pypi-workflows/bar", version: "2.0.0", bin: { bar: "./dist/cli.js" } }),
    "packages/bar/dist/index.js": `export const ERROR_CODES = { BAR_X: { summary: "x", fix: "y" }, IDX_UNREACHABLE: { summary: "no index", fix: "retry" } };\n`,
    "packages/lib/package.json": JSON.stringify({ name: "@pypi-workflows/lib", version: "1.0.0" }),
    ".github/workflows/build.yml": REUSABLE,
    ".github/workflows/ci.yml": "name: ci\non: [push]\njobs: {}\n",
    ".github/workflows/list.yaml": "name: list\non: [workflow_call]\njobs: {}\n",
    "examples/workflows/caller.yml": "# Copy this.\nname: release\non: push\njobs: {}\n",
    ...extra,
  });
}

describe("the committed pages", () => {
  test("are what the generator writes now (run `pnpm --filter @pypi-workflows/docs generate` when this fails)", async () => {
    const { files } = await renderDocs(ROOT);
    const { changed, orphans } = staleFiles(DOCS_DIR, files);
    expect({ stale: changed, noLongerGenerated: orphans }).toEqual({ stale: [], noLongerGenerated: [] });
  });

  test("the script's --check agrees and writes nothing", () => {
    const run = spawnSync(process.execPath, [join(DOCS_DIR, "scripts", "generate.mjs"), "--check"], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toMatch(/generated pages are up to date/);
    expect(run.status).toBe(0);
  });

  test("cover every helper with a CLI, built before the docs (a devDependency here, so turbo builds it first)", async () => {
    const { helpers, warnings } = await renderDocs(ROOT);
    const docsPkg = JSON.parse(readFileSync(join(DOCS_DIR, "package.json"), "utf8"));
    expect(helpers.map((h) => h.pkg.name).filter((n) => !docsPkg.devDependencies[n])).toEqual([]);
    expect(warnings.filter((w) => /dist\/index\.js/.test(w))).toEqual([]);
    expect(helpers.length).toBeGreaterThanOrEqual(5);
  });

  test("have no Vue interpolation outside code and v-pre blocks (GitHub's ${{ }} would break the build)", () => {
    const offenders: string[] = [];
    const { files } = { files: new Map<string, string>() };
    const guides = readdirSync(join(DOCS_DIR, "guides")).filter((f) => f.endsWith(".md")).map((f) => `guides/${f}`);
    expect(guides.length).toBeGreaterThanOrEqual(4);
    const pages = ["index.md", "getting-started.md", "rollback.md", "security.md", "troubleshooting.md", "parts/pypi-failures.md", ...guides];
    for (const path of pages) files.set(path, readFileSync(join(DOCS_DIR, path), "utf8"));
    for (const [path, text] of files) {
      let fenced = false;
      let vpre = false;
      text.split("\n").forEach((line, i) => {
        if (/^\s*```/.test(line)) fenced = !fenced;
        else if (line.startsWith("::: v-pre")) vpre = true;
        else if (vpre && line.startsWith(":::")) vpre = false;
        else if (!fenced && !vpre && line.includes("{{")) offenders.push(`${path}:${i + 1}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});

describe("getting started", () => {
  const page = readFileSync(join(DOCS_DIR, "getting-started.md"), "utf8");

  test("includes every caller workflow of examples/workflows/ (VitePress `<<<` snippet lines)", () => {
    const examples = readdirSync(join(ROOT, "examples", "workflows")).filter((f) => /\.ya?ml$/.test(f)).sort();
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const included = [...page.matchAll(/^<<< @\/\.\.\/examples\/workflows\/(\S+)$/gm)].map((m) => m[1]).sort();
    expect(included).toEqual(examples);
  });

  test("copies no workflow by hand: no `jobs:` and no YAML code block of its own", () => {
    expect(page.split("\n").filter((line) => /^\s*jobs:/.test(line))).toEqual([]);
    expect(page.match(/^\s*```ya?ml\b/gm) ?? []).toEqual([]);
  });
});

describe("texts from the catalogs and CLI specs render as written", () => {
  test("markdown and HTML specials are escaped outside code spans; code spans stay as they are", () => {
    expect(inline("default __token__ (API tokens)")).toBe("default \\_\\_token\\_\\_ (API tokens)");
    expect(inline("TWINE_USERNAME=__token__")).toBe("TWINE_USERNAME=\\_\\_token\\_\\_");
    expect(inline("below <!-- next-release --> and `<!-- next-release -->`")).toBe("below \\<!-- next-release --\\> and `<!-- next-release -->`");
    expect(inline("*.pyc in [project] `__init__.py` a ``b ` c`` d")).toBe("\\*.pyc in \\[project\\] `__init__.py` a ``b ` c`` d");
    expect(inline("# not a heading")).toBe("\\# not a heading");
    expect(inline("- not a list")).toBe("\\- not a list");
    expect(inline("1. not a list")).toBe("1\\. not a list");
    expect(inline("see https://pypi.org/project/a_b/")).toBe("see https://pypi.org/project/a_b/");
    expect(inline("a\n  b")).toBe("a b");
  });

  test("sentences never change case (texts start with literals) and end with punctuation", () => {
    expect(sentence("testpypi, pypi or none")).toBe("testpypi, pypi or none.");
    expect(sentence("false: build without isolation")).toBe("false: build without isolation.");
    expect(sentence("pyproject.toml is not valid TOML.")).toBe("pyproject.toml is not valid TOML.");
    expect(sentence("Bad arguments")).toBe("Bad arguments.");
    expect(sentence(undefined)).toBe("");
  });

  test("summaries cut at a sentence or a word, never inside a code span", () => {
    const long = "build.yml: builds once. Called with `uses: <org>/pypi-workflows/.github/workflows/build.yml@SHA` from a job.";
    expect(summarize(long, 60)).toBe("build.yml: builds once.");
    expect(summarize("one two `three four five six` seven", 20)).toBe("one two…");
    expect(summarize("short", 160)).toBe("short");
    for (let max = 24; max < long.length; max += 7) {
      const cut = summarize(long, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect((cut.match(/`/g) ?? []).length % 2).toBe(0);
    }
  });

  test("a generated page shows __token__, <!-- x --> and literal values as text in the site's own markdown", async () => {
    const root = fixture({
      "packages/esc/package.json": JSON.stringify({ name: "@pypi-workflows/esc", version: "1.0.0", bin: { esc: "./dist/cli.js" } }),
      "packages/esc/dist/index.js": `export const CLI_SPEC = { name: "esc", version: "1.0.0", description: "d", commands: [
        { name: "run", summary: "testpypi, pypi or none", description: "Inserts below <!-- next-release --> (see \`<!-- next-release -->\`)",
          options: { user: { type: "string", description: "the user; default __token__ (API tokens)" } } } ] };
export const ERROR_CODES = { ESC_X: { summary: "installs __init__.py at the top", fix: "set TWINE_USERNAME=__token__ and [project] version" } };\n`,
    });
    const { files } = await renderDocs(root);
    const md = await createMarkdownRenderer(DOCS_DIR, {}, "/");
    const html = (path: string) => md.render(files.get(path)!.replace(/^---\n[\s\S]*?\n---\n/, ""));
    const text = (h: string) =>
      h.replace(/<!--[\s\S]*?-->/g, "").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    const cli = html("reference/cli/esc.md");
    expect(text(cli)).toContain("the user; default __token__ (API tokens)");
    expect(text(cli)).toContain("Inserts below <!-- next-release --> (see <!-- next-release -->)");
    expect(cli).toContain("<code>&lt;!-- next-release --&gt;</code>");
    expect(text(cli)).toContain("testpypi, pypi or none.");
    expect(cli).not.toMatch(/<strong>token<\/strong>/);
    const trouble = html("troubleshooting.md");
    expect(text(trouble)).toContain("installs __init__.py at the top.");
    expect(text(trouble)).toContain("Fix: set TWINE_USERNAME=__token__ and [project] version.");
    expect(trouble).not.toMatch(/<strong>(token|init)<\/strong>/);
  });
});

describe("discovery on a fixture repository", () => {
  test("renders a page per helper with a bin, finding the CliSpec by shape and the catalog", async () => {
    const { files, helpers } = await renderDocs(fixture());
    expect(helpers.map((h) => h.dir)).toEqual(["bar", "foo"]);
    const foo = files.get("reference/cli/foo.md")!;
    expect(foo).toContain("## run {#command-run}");
    expect(foo).toContain("foo run <dir> [options]");
    expect(foo).toContain("| `--index <URL>` | a \\| b. | `x` |");
    expect(foo).toContain("[`FOO_BAD`](/troubleshooting#foo_bad)");
    expect(foo).toContain("npx --yes @pypi-workflows/foo@1.0.0");
  });

  test("a helper without a CLI spec, without a build or with a broken build is a warning, not a crash", async () => {
    const root = fixture({
      "packages/nodist/package.json": JSON.stringify({ name: "@pypi-workflows/nodist", version: "1.0.0", bin: "./dist/cli.js" }),
      "packages/broken/package.json": JSON.stringify({ name: "@pypi-workflows/broken", version: "1.0.0", bin: { broken: "x" } }),
      "packages/broken/dist/index.js": "throw new Error('boom');\n",
    });
    const { files, warnings } = await renderDocs(root);
    expect(warnings).toContain("packages/nodist: no dist/index.js, so no CLI reference or error codes: build it first (pnpm build)");
    expect(warnings.some((w) => w.startsWith("packages/broken: dist/index.js failed to load (boom)"))).toBe(true);
    expect(warnings).toContain("packages/bar: dist/index.js exports no CliSpec: export `cliSpec` from src/index.ts");
    expect(files.get("reference/cli/nodist.md")).toContain("::: warning CLI reference missing");
    expect(files.get("reference/cli/bar.md")).toContain("[`BAR_X`](/troubleshooting#bar_x)");
  });

  test("troubleshooting has one anchored entry per code; shared codes once; cli-kit's codes once", async () => {
    const { files } = await renderDocs(fixture());
    const page = files.get("troubleshooting.md")!;
    for (const anchor of ["foo_bad", "bar_x", "idx_unreachable", "usage", "internal"]) {
      expect(page.match(new RegExp(`\\{#${anchor}\\}`, "g"))).toHaveLength(1);
    }
    expect(page).toContain("Reported by [`bar`](/reference/cli/bar), [`foo`](/reference/cli/foo).");
    expect(page).toContain("<!--@include: ./parts/pypi-failures.md-->");
  });

  test("only workflow_call workflows get pages, in any `on:` form; inputs, secrets, outputs, permissions", async () => {
    const { files } = await renderDocs(fixture());
    expect([...files.keys()].filter((k) => k.startsWith("reference/workflows/")).sort()).toEqual([
      "reference/workflows/build.md",
      "reference/workflows/list.md",
      "reference/workflows/permissions.md",
      "reference/workflows/policy-rules.md",
    ]);
    const build = files.get("reference/workflows/build.md")!;
    expect(build).toContain("### working-directory {#input-working-directory}\n\n`string`, optional, default `\".\"`. Where | what.");
    expect(build).toContain("### name {#input-name}\n\n`string`, **required**. The name.");
    expect(build).toContain("### password {#secret-password}\n\nOptional. A token.");
    expect(build).toContain("### version {#output-version}\n\nThe version.");
    expect(build).toContain("Your job must grant at least: **contents: write**.");
    expect(build).toContain("`@pypi-workflows/foo@1.0.0 run`");
    expect(build).toContain("| `some/action` | **not pinned** `v1` |");
    expect(build).toContain("::: v-pre");
    expect(files.get("reference/workflows/permissions.md")).toContain("<!-- #region table -->");
  });

  test("invalid YAML is skipped with a warning; no reusable workflow at all is said", async () => {
    const bad = await renderDocs(fixture({ ".github/workflows/bad.yml": "on: [workflow_call\n" }));
    expect(bad.warnings.some((w) => w.startsWith(".github/workflows/bad.yml: not valid YAML"))).toBe(true);
    const none = await renderDocs(tree({}));
    expect(none.warnings).toContain(".github/workflows: no reusable workflow (on: workflow_call) found yet");
    expect(none.files.get("reference/examples.md")).toContain("examples/workflows/ holds no workflow yet.");
  });

  test("tables generated elsewhere are included when they exist, and said to be missing otherwise", async () => {
    const missing = await renderDocs(fixture());
    expect(missing.files.get("reference/scenarios.md")).toContain("::: warning Not generated yet");
    expect(missing.warnings.some((w) => w.startsWith("packages/workflow-checks/generated/scenarios.md does not exist yet"))).toBe(true);
    const present = await renderDocs(fixture({ "packages/workflow-checks/generated/scenarios.md": "# Scenarios\n" }));
    expect(present.files.get("reference/scenarios.md")).toContain("<!--@include: ../../packages/workflow-checks/generated/scenarios.md-->");
    expect(present.files.get("reference/examples.md")).toContain("<<< @/../examples/workflows/caller.yml");
  });

  test("writing converges, and removes generated pages whose source is gone", async () => {
    const root = fixture();
    const docs = join(root, "docs");
    const { files } = await renderDocs(root);
    expect(writeDocs(docs, files).changed.length).toBe(files.size);
    expect(writeDocs(docs, files)).toEqual({ changed: [], orphans: [] });
    writeFileSync(join(docs, "reference", "cli", "gone.md"), "old");
    writeFileSync(join(docs, "troubleshooting.md"), "edited by hand");
    expect(staleFiles(docs, files)).toEqual({ changed: ["troubleshooting.md"], orphans: ["reference/cli/gone.md"] });
    writeDocs(docs, files);
    expect(staleFiles(docs, files)).toEqual({ changed: [], orphans: [] });
  });
});

describe("helpers", () => {
  test("caller permissions take the highest level any job asks for", () => {
    const wf = { doc: { permissions: {}, jobs: { a: { permissions: { contents: "read" } }, b: { permissions: { contents: "write", "id-token": "write" } }, c: {} } } };
    expect(callerPermissions(wf)).toBe("contents: write, id-token: write");
    expect(callerPermissions({ doc: { permissions: {}, jobs: { a: { permissions: {} } } } })).toBe("none");
  });

  test("actions are listed with their pin, and unpinned ones are marked", () => {
    const used = actionsUsed("steps:\n  - uses: a/b@0123456789012345678901234567890123456789 # v1.2.3\n  - uses: c/d@main\n    with: {}\n");
    expect(used).toEqual([
      { name: "a/b", pin: "0123456789012345678901234567890123456789", pinned: true, version: "v1.2.3" },
      { name: "c/d", pin: "main", pinned: false, version: "" },
    ]);
  });

  test("table cells escape pipes and fold lines", () => {
    expect(cell("a | b\n  c")).toBe("a \\| b c");
    expect(cell(undefined)).toBe("");
  });
});
