import { runProcess } from "@pypi-workflows/cli-kit";
import { VersionUtilEnvironmentError } from "./errors.js";
import { parseVersion, sortVersions } from "./pep440.js";

export interface GitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

async function runGit(options: GitOptions, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const result = await runProcess("git", args, { cwd: options.cwd, env: options.env, timeoutMs: 60_000 });
  return { ok: result.exitCode === 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

async function gitOutput(options: GitOptions, args: string[]): Promise<string> {
  const result = await runGit(options, args);
  if (!result.ok) {
    throw new VersionUtilEnvironmentError("VU_GIT_FAILED", `git ${args.join(" ")} failed in ${options.cwd}: ${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Checks that cwd is in a git work tree with its full history: a shallow clone lacks the tags and the commit
 * counts every version decision here relies on.
 */
export async function requireFullGitHistory(options: GitOptions, why: string): Promise<void> {
  const inside = await runGit(options, ["rev-parse", "--is-inside-work-tree"]);
  if (!inside.ok || inside.stdout !== "true") {
    throw new VersionUtilEnvironmentError("VU_NOT_A_GIT_REPO", `${options.cwd} is not in a git work tree, and ${why}`, {
      data: { dir: options.cwd },
    });
  }
  if ((await gitOutput(options, ["rev-parse", "--is-shallow-repository"])) === "true") {
    throw new VersionUtilEnvironmentError("VU_SHALLOW_CLONE", `the git clone in ${options.cwd} is shallow, and ${why}`, {
      hint: "fetch the full history: actions/checkout with fetch-depth: 0 (or git fetch --unshallow --tags)",
    });
  }
}

export interface ReleaseTag {
  tag: string;
  /** The normalized version it names. */
  version: string;
  /** Commits from the tag to HEAD. */
  distance: number;
}

/**
 * The last release tag reachable from HEAD: the highest PEP 440 version among the tags merged into HEAD
 * (a `v` prefix allowed; tags with a local part or that are no version are not releases). Undefined when
 * there is none.
 */
export async function findLastReleaseTag(options: GitOptions): Promise<ReleaseTag | undefined> {
  const hasHead = (await runGit(options, ["rev-parse", "--verify", "-q", "HEAD"])).ok;
  if (!hasHead) return undefined;
  const tags = (await gitOutput(options, ["tag", "--merged", "HEAD"])).split("\n").filter(Boolean);
  const byVersion = new Map<string, string>();
  for (const tag of tags) {
    const parsed = parseVersion(tag);
    if (parsed && parsed.local === null && !byVersion.has(parsed.normalized)) byVersion.set(parsed.normalized, tag);
  }
  const highest = sortVersions([...byVersion.keys()]).pop();
  if (highest === undefined) return undefined;
  const tag = byVersion.get(highest)!;
  const distance = Number(await gitOutput(options, ["rev-list", "--count", `refs/tags/${tag}..HEAD`]));
  return { tag, version: highest, distance };
}

/** Commits reachable from HEAD (0 in a repository without commits). */
export async function countCommits(options: GitOptions): Promise<number> {
  const result = await runGit(options, ["rev-list", "--count", "HEAD"]);
  return result.ok ? Number(result.stdout) : 0;
}

/** The commit a tag points at, or undefined when the tag does not exist. */
export async function resolveTagCommit(options: GitOptions, tag: string): Promise<string | undefined> {
  const result = await runGit(options, ["rev-parse", "--verify", "-q", `refs/tags/${tag}^{commit}`]);
  return result.ok ? result.stdout : undefined;
}

export async function headCommit(options: GitOptions): Promise<string> {
  return gitOutput(options, ["rev-parse", "HEAD"]);
}

/**
 * Tracked files with uncommitted changes (staged or not), as setuptools-scm's dirty check sees them
 * (`git status --porcelain --untracked-files=no`): untracked files do not count. Paths are relative to the
 * repository's root.
 */
export async function changedTrackedFiles(options: GitOptions): Promise<string[]> {
  const status = await gitOutput(options, ["status", "--porcelain", "--untracked-files=no"]);
  return status
    .split("\n")
    .filter(Boolean)
    .map((line) => line.replace(/^\s*\S{1,2}\s+/, "")); // "XY path"; the output is trimmed, so X may be gone
}
