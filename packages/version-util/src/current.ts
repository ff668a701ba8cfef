import { bumpVersion } from "./bump.js";
import { InvalidVersionError, VersionUtilError } from "./errors.js";
import { changedTrackedFiles, countCommits, findLastReleaseTag, requireFullGitHistory, type ReleaseTag } from "./git.js";
import { formatVersion, parseExactVersion, parseVersion, requireVersion } from "./pep440.js";
import { findVersionDeclaration, type VersionDeclaration, type VersionSource } from "./source.js";

export interface ProjectContext {
  /** The project directory (holding pyproject.toml). */
  dir: string;
  env: NodeJS.ProcessEnv;
}

export interface CurrentVersion {
  name: string | undefined;
  /** The normalized version. */
  version: string;
  source: VersionSource;
  scm: boolean;
  /** The file it is written in, relative to the project (static sources). */
  file?: string;
  /** scm sources: the tag it derives from, and whether an environment variable overrode it. */
  tag?: string;
  tagVersion?: string;
  distance?: number;
  /** scm sources: tracked files have uncommitted changes (setuptools-scm then builds a .devN even at a tag). */
  dirty?: boolean;
  /** The environment variable that overrode an scm version, and its value. */
  pretend?: string;
  pretendVariable?: string;
  declaration: VersionDeclaration;
}

/** pdm-backend's override of an scm version. */
export const PDM_PRETEND_ENV = "PDM_BUILD_SCM_VERSION";

/** setuptools-scm's override variables (the per-project one wins), or pdm-backend's. Returns its name and value. */
export function pretendVersionFromEnv(name: string | undefined, env: NodeJS.ProcessEnv, source?: VersionSource): { variable: string; value: string } | undefined {
  const specific = name ? `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_${name.replace(/[-_.]+/g, "_").toUpperCase()}` : undefined;
  // pdm-backend's scm source has one variable of its own.
  const variables = source === "pdm-scm" ? [PDM_PRETEND_ENV] : [specific, "SETUPTOOLS_SCM_PRETEND_VERSION"];
  for (const variable of variables) {
    const value = variable ? env[variable] : undefined;
    if (variable && value) return { variable, value };
  }
  return undefined;
}

/**
 * The release after a tag, as setuptools-scm's guess-next-dev scheme guesses it: a pre-release continues its
 * phase (1.3.0rc1 -> 1.3.0rc2), anything else moves to the next patch (1.2.3 -> 1.2.4).
 */
export function nextReleaseAfter(version: string): string {
  const parsed = parseExactVersion(version);
  if (parsed.pre && parsed.post === null && parsed.dev === null) {
    return formatVersion({ ...parsed, pre: [parsed.pre[0], parsed.pre[1] + 1n], local: null });
  }
  return bumpVersion(requireVersion(version).public, "micro");
}

/** The project's version and where it comes from; for scm projects, computed from git as setuptools-scm does. */
export async function readCurrentVersion(ctx: ProjectContext): Promise<CurrentVersion> {
  const declaration = findVersionDeclaration(ctx.dir);
  if (!declaration.scm) return { name: declaration.name, source: declaration.source, scm: false, declaration, ...staticVersion(declaration) };
  const base = { name: declaration.name, source: declaration.source, scm: true, declaration };
  const pretend = pretendVersionFromEnv(declaration.name, ctx.env, declaration.source);
  if (pretend) {
    const parsed = parseVersion(pretend.value);
    if (!parsed) {
      throw new VersionUtilError("VU_INVALID_VERSION", `${pretend.variable} is "${pretend.value}", which is not a valid PEP 440 version`, {
        hint: `set ${pretend.variable} to a version such as 1.2.3 or 1.2.4.dev5, or unset it to take the version from git tags`,
        data: { input: pretend.value, variable: pretend.variable, source: declaration.source },
      });
    }
    return { ...base, version: parsed.normalized, pretend: pretend.value, pretendVariable: pretend.variable };
  }
  const git = { cwd: ctx.dir, env: ctx.env };
  await requireFullGitHistory(git, `${declaration.source} takes the version from git tags`);
  const tag = await findLastReleaseTag(git);
  const dirty = (await changedTrackedFiles(git)).length > 0;
  return {
    ...base,
    version: await scmVersion(ctx, tag, dirty),
    dirty,
    ...(tag ? { tag: tag.tag, tagVersion: tag.version, distance: tag.distance } : {}),
  };
}

/**
 * A static declaration's version, normalized, and the file it is written in (relative to the project).
 * Throws InvalidVersionError when what is written there is no PEP 440 version.
 */
export function staticVersion(declaration: VersionDeclaration): { version: string; file?: string } {
  const declared = declaration.declared!;
  const parsed = parseVersion(declared);
  const file = declaration.location ? relativeFile(declaration) : undefined;
  if (!parsed) throw new InvalidVersionError(declared, { data: { input: declared, file, source: declaration.source } });
  return { version: parsed.normalized, ...(file ? { file } : {}) };
}

/**
 * The version setuptools-scm's default scheme (guess-next-dev, no local part) gives a commit `distance`
 * commits after the release tag for `tagVersion`: the tag's own version at the tag on a clean tree, else the
 * next release's .devN. Uncommitted changes to tracked files (`dirty`) make even the tagged commit a .dev0.
 */
export function scmVersionAfterTag(tagVersion: string, distance: number, dirty: boolean): string {
  if (distance === 0 && !dirty) return tagVersion;
  return `${nextReleaseAfter(tagVersion)}.dev${distance}`;
}

/** setuptools-scm's version for HEAD: from the last release tag, or 0.1.devN (N commits) without one. */
async function scmVersion(ctx: ProjectContext, tag: ReleaseTag | undefined, dirty: boolean): Promise<string> {
  if (!tag) return `0.1.dev${await countCommits({ cwd: ctx.dir, env: ctx.env })}`;
  return scmVersionAfterTag(tag.version, tag.distance, dirty);
}

function relativeFile(declaration: VersionDeclaration): string {
  const file = declaration.location!.file;
  return file.startsWith(`${declaration.dir}/`) ? file.slice(declaration.dir.length + 1) : file;
}
