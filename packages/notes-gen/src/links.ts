import { normalizeProjectName, TARGETS } from "@pypi-workflows/index-client";

/** Every external URL the notes contain. The package indexes' addresses come from index-client's one module. */
export const PYPI_URL = TARGETS.pypi.webUrl;
export const TESTPYPI_URL = TARGETS.testpypi.webUrl;
export const GITHUB_SERVER_URL = "https://github.com";
export const GITHUB_API_URL = "https://api.github.com";

/** https://pypi.org/project/NAME/VERSION/ (or the same under another index's base URL). */
export function projectVersionUrl(name: string, version: string, pypiUrl = PYPI_URL): string {
  return `${pypiUrl.replace(/\/+$/, "")}/project/${normalizeProjectName(name)}/${version}/`;
}

/** The pip command that installs exactly this release from that index. */
export function installCommand(name: string, version: string, prerelease: boolean, pypiUrl = PYPI_URL): string {
  const base = pypiUrl.replace(/\/+$/, "");
  const parts = ["pip install"];
  if (prerelease) parts.push("--pre");
  // Any index but PyPI: name it, and take no dependencies from it (TestPyPI lacks most of them).
  if (base !== PYPI_URL) parts.push(`--index-url ${base}/simple/ --no-deps`);
  parts.push(`"${name}==${version}"`);
  return parts.join(" ");
}

/** Where a repository's web pages live: {server}/{owner}/{name}. */
export interface RepoLinks {
  webUrl: string;
}

export function repoLinks(repository: string, serverUrl = GITHUB_SERVER_URL): RepoLinks {
  return { webUrl: `${serverUrl.replace(/\/+$/, "")}/${repository}` };
}

export function commitUrl(repo: RepoLinks, hash: string): string {
  return `${repo.webUrl}/commit/${hash}`;
}

export function pullUrl(repo: RepoLinks, number: number): string {
  return `${repo.webUrl}/pull/${number}`;
}

/** The compare view between two refs, or the history of `to` when there is no previous release. */
export function compareUrl(repo: RepoLinks, from: string | null, to: string): string {
  return from ? `${repo.webUrl}/compare/${from}...${to}` : `${repo.webUrl}/commits/${to}`;
}

/**
 * owner/name from a remote URL (https, ssh or scp-like), or null for a remote that is not on a forge we
 * can link to.
 */
export function repositoryFromRemote(remote: string): string | null {
  const match = /^(?:https?:\/\/[^/]+\/|ssh:\/\/[^/]+\/|[\w.-]+@[\w.-]+:)([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(remote.trim());
  return match?.[1] ?? null;
}
