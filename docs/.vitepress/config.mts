import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type DefaultTheme } from "vitepress";

const docsDir = join(import.meta.dirname, "..");

/** The generated reference pages in one folder, titled by their frontmatter (the generator decides titles). */
function referenceItems(folder: string, skip: string[] = []): DefaultTheme.SidebarItem[] {
  const dir = join(docsDir, "reference", folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && !skip.includes(f))
    .sort()
    .map((f) => {
      const title = /^title:\s*"?(.*?)"?\s*$/m.exec(readFileSync(join(dir, f), "utf8"))?.[1] ?? f;
      return { text: title, link: `/reference/${folder}/${f.replace(/\.md$/, "")}` };
    });
}

const guides: DefaultTheme.SidebarItem[] = [
  { text: "Version management", link: "/guides/versions" },
  { text: "Release notes and changelog", link: "/guides/release-notes" },
  { text: "Monorepos", link: "/guides/monorepos" },
  { text: "Rehearsing a release locally", link: "/guides/rehearse" },
];

export default defineConfig({
  title: "pypi-workflows",
  description: "Reusable GitHub workflows and small helper CLIs that make releasing a Python package safe.",
  // Served at https://pypi-workflows.github.io/pypi-workflows/: every helper error links to
  // <that>/troubleshooting#<code> (packages/cli-kit/src/errors.ts), so base and that page's path are fixed.
  base: "/pypi-workflows/",
  cleanUrls: true,
  lang: "en-US",
  srcExclude: ["parts/**", "test-artifacts/**", "README.md"],
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/pypi-workflows/favicon.svg" }]],
  themeConfig: {
    nav: [
      { text: "Getting started", link: "/getting-started" },
      { text: "Guides", link: "/guides/versions" },
      { text: "Reference", link: "/reference/" },
      { text: "Troubleshooting", link: "/troubleshooting" },
    ],
    sidebar: [
      {
        text: "Start",
        items: [
          { text: "Getting started", link: "/getting-started" },
          { text: "Troubleshooting", link: "/troubleshooting" },
          { text: "Rollback and recovery", link: "/rollback" },
          { text: "Security", link: "/security" },
        ],
      },
      { text: "Guides", items: guides },
      {
        text: "Reusable workflows",
        items: [
          { text: "Overview", link: "/reference/" },
          ...referenceItems("workflows", ["permissions.md", "policy-rules.md"]),
          { text: "Which jobs run when", link: "/reference/scenarios" },
          { text: "Caller workflows", link: "/reference/examples" },
          { text: "Permissions of every job", link: "/reference/workflows/permissions" },
          { text: "Hardening rules", link: "/reference/workflows/policy-rules" },
        ],
      },
      { text: "Helper CLIs", items: referenceItems("cli") },
    ],
    // AND: a hyphenated name (verify-timeout) is split into words; every word must match, so its own section ranks first.
    search: { provider: "local", options: { miniSearch: { searchOptions: { combineWith: "AND", fuzzy: 0.1, prefix: true, boost: { title: 4, text: 2, titles: 1 } } } } },
    outline: { level: [2, 3], label: "On this page" },
    footer: { message: "MIT licensed. Exit statuses everywhere: 0 ok, 1 the thing checked is wrong, 2 usage or environment." },
  },
});
