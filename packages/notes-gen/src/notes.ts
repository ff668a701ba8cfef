import { parseVersion } from "@pypi-workflows/version-util";
import { DEFAULT_CONFIG, type NotesConfig } from "./classify.js";
import { tryGit } from "./git.js";
import { GITHUB_SERVER_URL, PYPI_URL, type RepoLinks, repoLinks, repositoryFromRemote } from "./links.js";
import { type DistManifest, checkManifestVersion, resolvePackageName } from "./package-info.js";
import { type RangeOptions, collectRange, resolveRelease } from "./range.js";
import { type Contributor, type Section, groupSections, renderChanges, renderContributors, renderFooter } from "./render.js";

export interface NotesOptions extends RangeOptions {
  /** Package name for the install line (the manifest's name wins; default: pyproject.toml's [project] name). */
  name?: string;
  /** A dist-check manifest: its name, and a table of its files with their sha256. */
  manifest?: DistManifest | null;
  /** Index base URL for the project link and install line. Default https://pypi.org. */
  pypiUrl?: string;
  config?: NotesConfig;
  /** owner/name for links. Default: env.GITHUB_REPOSITORY, else the origin remote. */
  repository?: string;
  /** Add the install/links/files footer (needs the package name). Default true. */
  footer?: boolean;
}

export interface ReleaseNotes {
  markdown: string;
  tag: string | null;
  version: string | null;
  prerelease: boolean;
  from: string | null;
  to: string;
  packageName: string | null;
  sections: Section[];
  /** Commits in Other when Other is hidden (counted, never dropped silently). */
  hidden: number;
  contributors: Contributor[];
  commitCount: number;
  /** Where links point (null: no repository known, no links). */
  repo: RepoLinks | null;
}

/** Generates a release's notes from ONE streamed `git log` over its range. */
export async function generateNotes(options: NotesOptions): Promise<ReleaseNotes> {
  const config = options.config ?? DEFAULT_CONFIG;
  const [release, repo] = await Promise.all([resolveRelease(options), resolveRepoLinks(options)]);
  const manifest = options.manifest ?? null;
  if (manifest && release.version) checkManifestVersion(manifest, release.version);
  const packageName = release.version && options.footer !== false ? await resolvePackageName(options.cwd, manifest, options.name) : null;
  const { entries, contributors, from } = await collectRange(release, options.cwd, config, options.env);
  const range = { ...release, from };
  const { sections, hidden } = groupSections(entries, config);
  const prerelease = range.version ? (parseVersion(range.version)?.isPrerelease ?? false) : false;
  const blocks = [renderChanges(sections, repo, 2, hidden)];
  if (contributors.length) blocks.push(renderContributors(contributors));
  if (range.version && packageName) {
    const footer = { name: packageName, version: range.version, prerelease, pypiUrl: options.pypiUrl ?? PYPI_URL };
    blocks.push(renderFooter({ ...footer, repo, from: range.from, to: range.tag ?? range.to, manifest }));
  }
  return {
    markdown: `${blocks.join("\n\n")}\n`,
    tag: range.tag,
    version: range.version,
    prerelease,
    from: range.from,
    to: range.to,
    packageName,
    sections,
    hidden,
    contributors,
    commitCount: entries.length,
    repo,
  };
}

/** Links need owner/name: options, else GITHUB_REPOSITORY, else the origin remote; none means no links. */
export async function resolveRepoLinks(options: NotesOptions): Promise<RepoLinks | null> {
  const env = options.env ?? {};
  let repository = options.repository ?? env.GITHUB_REPOSITORY;
  if (!repository) {
    const remote = await tryGit(options.cwd, ["config", "--get", "remote.origin.url"], options.env);
    repository = remote ? (repositoryFromRemote(remote) ?? undefined) : undefined;
  }
  return repository ? repoLinks(repository, env.GITHUB_SERVER_URL ?? GITHUB_SERVER_URL) : null;
}
