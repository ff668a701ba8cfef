import { type CliSpec, JSON_OPTION, type OptionSpec } from "@pypi-workflows/cli-kit";
import { NEXT_RELEASE_MARKER } from "./changelog.js";
import { PYPI_URL } from "./links.js";

const RANGE_OPTIONS: Record<string, OptionSpec> = {
  from: { type: "string", valueName: "REF", description: "start after this ref (default: the previous release tag, PEP 440 order)" },
  to: { type: "string", valueName: "REF", description: "end at this ref (default: --tag if it exists, else HEAD)" },
  tag: { type: "string", valueName: "TAG", description: "the release's tag, e.g. v1.3.0 (default: the version tag on --to)" },
  config: { type: "string", valueName: "FILE", description: "JSON {types: [{type, section}], hideOther, otherTitle}" },
  "hide-other": { type: "boolean", description: "leave out the Other section (its size is still reported)" },
  repo: { type: "string", valueName: "OWNER/NAME", description: "repository for links (default: GITHUB_REPOSITORY, else origin)" },
};

const PACKAGE_OPTIONS: Record<string, OptionSpec> = {
  name: { type: "string", valueName: "NAME", description: "package name (default: the manifest's, else pyproject.toml's)" },
  manifest: { type: "string", valueName: "FILE", description: "dist-check manifest: name, and the files table with sha256" },
  "pypi-url": { type: "string", valueName: "URL", description: "index for the project link and install line", default: PYPI_URL },
};

/** notes-gen's one definition: parsing, --help and the docs' CLI reference come from it. */
export const CLI_SPEC: CliSpec = {
  name: "notes-gen",
  version: "0.1.0",
  description: "release notes, the changelog and the GitHub release, from conventional commits",
  globalOptions: {
    cwd: { type: "string", valueName: "DIR", description: "the project's git checkout", default: "." },
    json: JSON_OPTION,
  },
  defaultCommand: "notes",
  commands: [
    {
      name: "notes",
      summary: "markdown release notes for a range of commits",
      description:
        "Markdown release notes: breaking changes first, then features, fixes, performance, reverts, other; the PyPI link, install line and compare link. A final release's notes start at the previous final release, a pre-release's at the previous release of any kind.",
      options: { ...RANGE_OPTIONS, ...PACKAGE_OPTIONS, output: { type: "string", valueName: "FILE", description: "also write the notes to FILE" } },
      examples: ["notes-gen --tag v1.3.0", "notes-gen --from v1.2.0 --to HEAD --json"],
    },
    {
      name: "changelog",
      summary: "add the release's section to CHANGELOG.md (idempotent)",
      description: `Inserts the release's section below ${NEXT_RELEASE_MARKER}, else above the first release heading (below "## [Unreleased]"). A version already present changes nothing; other bytes stay as they were. --all prints the whole history's changelog instead.`,
      options: {
        ...RANGE_OPTIONS,
        file: { type: "string", valueName: "FILE", description: "the changelog file", default: "CHANGELOG.md" },
        date: { type: "string", valueName: "YYYY-MM-DD", description: "release date (default: today, UTC)" },
        "dry-run": { type: "boolean", description: "print the section, write nothing" },
        all: { type: "boolean", description: "print a changelog of every release (one git pass), write nothing" },
      },
      examples: ["notes-gen changelog --tag v1.3.0", "notes-gen changelog --all > CHANGELOG.md"],
    },
    {
      name: "release",
      summary: "create or update the GitHub release, with assets and SHA256SUMS",
      description:
        "Creates or updates the GitHub release of --tag (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL): prerelease for PEP 440 pre-releases, latest only for the newest final release. Re-runs keep identical assets; a different asset with the same name is an error.",
      args: [{ name: "files", description: "more asset files", variadic: true }],
      options: {
        ...RANGE_OPTIONS,
        ...PACKAGE_OPTIONS,
        assets: { type: "string", multiple: true, valueName: "FILE", description: "a file to attach" },
        title: { type: "string", valueName: "TEXT", description: "release title (default: the tag)" },
        draft: { type: "boolean", description: "create the release as a draft" },
        "dry-run": { type: "boolean", description: "print what would be created; no request is made" },
      },
      examples: ["notes-gen release --tag v1.3.0 --assets dist/*.whl dist/*.tar.gz"],
    },
  ],
};
