import { parseVersion } from "@pypi-workflows/version-util";
import { type LocalAsset, prepareAssets } from "./assets.js";
import { NotesEnvironmentError, NotesError } from "./errors.js";
import { type GitHubAsset, GitHubClient, type GitHubRelease } from "./github.js";
import { tryGit } from "./git.js";
import { GITHUB_API_URL } from "./links.js";
import { type NotesOptions, generateNotes } from "./notes.js";
import { isNewestFinal, listVersionTags, requireTagVersion } from "./tags.js";

export interface ReleaseOptions extends NotesOptions {
  tag: string;
  /** Files to attach; SHA256SUMS is added. */
  assets?: string[];
  draft?: boolean;
  /** Plan only: no request at all, no token needed. */
  dryRun?: boolean;
  /** Release title. Default: the tag. */
  title?: string;
}

/** What the release will look like. */
export interface ReleasePlan {
  tag: string;
  name: string;
  version: string;
  prerelease: boolean;
  /** "true" only for the newest final release (GitHub's make_latest takes a string). */
  makeLatest: "true" | "false";
  draft: boolean;
  body: string;
  assets: { name: string; size: number; sha256: string }[];
}

export interface ReleaseResult {
  plan: ReleasePlan;
  action: "created" | "updated" | "dry-run";
  url: string | null;
  uploaded: string[];
  /** Assets already there with the same bytes. */
  kept: string[];
}

/**
 * Creates or updates the GitHub release of `tag`. Safe to re-run: identical assets are kept, a different
 * asset under the same name is NG_ASSET_CONFLICT before anything is changed.
 */
export async function publishRelease(options: ReleaseOptions): Promise<ReleaseResult> {
  const env = options.env ?? {};
  const version = requireTagVersion(options.tag);
  // A release for a tag GitHub lacks would make GitHub create that tag on the default branch: refuse.
  if ((await tryGit(options.cwd, ["rev-parse", "--verify", "--quiet", `refs/tags/${options.tag}^{commit}`], options.env)) === null) {
    throw new NotesEnvironmentError("NG_UNKNOWN_REF", `tag ${options.tag} does not exist in ${options.cwd}`, {
      hint: "create and push the tag first (the release workflow runs on the tag push)",
    });
  }
  const [notes, allTags, assets] = await Promise.all([
    generateNotes(options),
    listVersionTags(options.cwd, undefined, options.env),
    prepareAssets(options.cwd, options.assets ?? []),
  ]);
  const prerelease = parseVersion(version)?.isPrerelease ?? false;
  const plan: ReleasePlan = {
    tag: options.tag,
    name: options.title ?? options.tag,
    version,
    prerelease,
    makeLatest: isNewestFinal(version, allTags) ? "true" : "false",
    draft: options.draft ?? false,
    body: notes.markdown,
    assets: assets.map(({ name, size, sha256 }) => ({ name, size, sha256 })),
  };
  if (options.dryRun) return { plan, action: "dry-run", url: null, uploaded: [], kept: [] };
  const token = env.GITHUB_TOKEN;
  if (!token) throw new NotesEnvironmentError("NG_NO_TOKEN", "GITHUB_TOKEN is not set: cannot create the release");
  const repository = options.repository ?? env.GITHUB_REPOSITORY;
  if (!repository || !/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new NotesEnvironmentError("NG_NO_REPOSITORY", `the repository is unknown or not owner/name: ${repository ?? "(unset)"}`);
  }
  const client = await GitHubClient.create(token, repository, env.GITHUB_API_URL ?? GITHUB_API_URL);
  return applyPlan(client, plan, assets);
}

async function applyPlan(client: GitHubClient, plan: ReleasePlan, assets: LocalAsset[]): Promise<ReleaseResult> {
  const existing = await client.findRelease(plan.tag);
  const fields = { name: plan.name, body: plan.body, prerelease: plan.prerelease, make_latest: plan.makeLatest };
  let release: GitHubRelease;
  let kept: string[] = [];
  if (existing) {
    // Check every asset before changing anything: a conflict must leave the release as it was.
    kept = await findIdenticalAssets(client, existing.assets ?? [], assets);
    // Publishing a draft is an update; turning a published release back into a draft is not done.
    const draft = existing.draft && !plan.draft ? { draft: false } : {};
    release = await client.updateRelease(existing.id, { ...fields, ...draft });
  } else {
    release = await client.createRelease({ tag_name: plan.tag, ...fields, draft: plan.draft });
  }
  const uploaded: string[] = [];
  for (const asset of assets) {
    if (kept.includes(asset.name)) continue;
    await client.uploadAsset(release, asset.name, asset.data);
    uploaded.push(asset.name);
  }
  return { plan, action: existing ? "updated" : "created", url: release.html_url ?? null, uploaded, kept };
}

/** Names of local assets already on the release with the same bytes; a same-name, different-bytes asset throws. */
async function findIdenticalAssets(client: GitHubClient, remote: GitHubAsset[], local: LocalAsset[]): Promise<string[]> {
  const kept: string[] = [];
  const conflicts: string[] = [];
  for (const asset of local) {
    const found = remote.find((r) => r.name === asset.name);
    if (!found) continue;
    const same = await isSameAsset(client, found, asset);
    (same ? kept : conflicts).push(asset.name);
  }
  if (conflicts.length) {
    throw new NotesError(
      "NG_ASSET_CONFLICT",
      `the release already has ${conflicts.join(", ")} with different bytes: nothing was changed or overwritten`,
      { data: { conflicts } },
    );
  }
  return kept;
}

async function isSameAsset(client: GitHubClient, remote: GitHubAsset, local: LocalAsset): Promise<boolean> {
  if (remote.size !== local.size) return false;
  if (remote.digest) return remote.digest.toLowerCase() === `sha256:${local.sha256}`;
  const bytes = await client.downloadAsset(remote.id);
  return bytes.equals(local.data);
}
