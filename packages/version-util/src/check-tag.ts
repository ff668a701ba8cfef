import { VersionUtilError } from "./errors.js";
import { changedTrackedFiles, headCommit, requireFullGitHistory, resolveTagCommit } from "./git.js";
import { readCurrentVersion, scmVersionAfterTag, type ProjectContext } from "./current.js";
import { findVersionDeclaration, type VersionSource } from "./source.js";
import { versionFromTag } from "./tag.js";

export interface TagCheck {
  tag: string;
  version: string;
  isPrerelease: boolean;
  source: VersionSource;
  /** The project's own version (for scm projects: the tag's). */
  projectVersion: string;
}

/**
 * Checks a release tag against the project: a static version must equal the tag's (normalized); for scm
 * projects the tag is the version, so it must be valid and point at HEAD, and no tracked file may have
 * uncommitted changes (setuptools-scm would then build a .dev0). Throws (exit 1) otherwise.
 */
export async function checkTag(ctx: ProjectContext, tagName: string): Promise<TagCheck> {
  const tag = versionFromTag(tagName);
  const declaration = findVersionDeclaration(ctx.dir);
  const result = { tag: tag.tag, version: tag.version, isPrerelease: tag.isPrerelease, source: declaration.source };
  if (declaration.scm) {
    const git = { cwd: ctx.dir, env: ctx.env };
    await requireFullGitHistory(git, `${declaration.source} takes the version from the tag`);
    const commit = await resolveTagCommit(git, tag.tag);
    if (!commit) throw new VersionUtilError("VU_TAG_NOT_FOUND", `the tag "${tag.tag}" does not exist in ${ctx.dir}`, { data: { tag: tag.tag } });
    const head = await headCommit(git);
    if (commit !== head) {
      throw new VersionUtilError(
        "VU_TAG_NOT_AT_HEAD",
        `the tag "${tag.tag}" points at ${commit.slice(0, 12)}, but HEAD is ${head.slice(0, 12)}: ${declaration.source} would build another version`,
        { data: { tag: tag.tag, tagCommit: commit, head } },
      );
    }
    const changed = await changedTrackedFiles(git);
    if (changed.length > 0) {
      const built = scmVersionAfterTag(tag.version, 0, true);
      const shown = changed.length > 3 ? `${changed.slice(0, 3).join(", ")} and ${changed.length - 3} more` : changed.join(", ");
      throw new VersionUtilError(
        "VU_DIRTY_WORKTREE",
        `tracked files have uncommitted changes (${shown}): ${declaration.source} would build ${built}, not the tag's ${tag.version}`,
        { data: { tag: tag.tag, tagVersion: tag.version, builtVersion: built, changed } },
      );
    }
    return { ...result, projectVersion: tag.version };
  }
  const current = await readCurrentVersion(ctx);
  if (current.version !== tag.version) {
    const where = current.file ? `${current.file} (${current.source})` : current.source;
    throw new VersionUtilError(
      "VU_TAG_MISMATCH",
      `the tag "${tag.tag}" stands for ${tag.version}, but the project's version is ${current.version} (from ${where})`,
      {
        hint: `set the version to ${tag.version} (version-util bump ${tag.version}), commit and move the tag, or tag v${current.version} instead`,
        data: { tag: tag.tag, tagVersion: tag.version, projectVersion: current.version, source: current.source, file: current.file },
      },
    );
  }
  return { ...result, projectVersion: current.version };
}
