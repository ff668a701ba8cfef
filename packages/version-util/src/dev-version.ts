import { listProjectFiles, type ListOptions } from "@pypi-workflows/index-client";
import { nextReleaseAfter, PDM_PRETEND_ENV, staticVersion, type ProjectContext } from "./current.js";
import { VersionUtilError } from "./errors.js";
import { countCommits, findLastReleaseTag, requireFullGitHistory } from "./git.js";
import { compareVersions, formatVersion, parseExactVersion, parseVersion, requireVersion } from "./pep440.js";
import { writeVersion } from "./set-version.js";
import { findVersionDeclaration, type VersionSource } from "./source.js";

export const PRETEND_ENV = "SETUPTOOLS_SCM_PRETEND_VERSION";

export interface DevVersionOptions {
  /** The index's Simple API root (resolved from --target or --index-url). */
  simpleUrl: string;
  /** Set the static version in the working copy (never for scm projects: they take PRETEND_ENV). */
  write?: boolean;
  fetch?: ListOptions["fetch"];
}

export interface DevVersion {
  name: string;
  version: string;
  base: string;
  devNumber: number;
  /** How to apply it: write the static version, or set env-name for the build. */
  apply: "write" | "env";
  envName?: string;
  source: VersionSource;
  lastTag?: string;
  distance: number;
  /** Dev numbers the index already has for base. */
  existing: number[];
  /** The files --write changed (comma-separated): the version's own file, then those that must agree with it. */
  written?: string;
}

/**
 * The version a push publishes to a test index: `{base}.dev{N}`, never local. base is the project's version
 * when it is above the last release tag, else the release after that tag (0.0.1 without one). N is the
 * larger of the commit distance since the tag and one more than the largest dev number the index has for
 * base, so it is unique on the index and sorts after every earlier push. An unreachable index throws (exit 2).
 */
export async function computeDevVersion(ctx: ProjectContext, options: DevVersionOptions): Promise<DevVersion> {
  // An scm project's own version (from git, or a pretend variable left by an earlier step) plays no part:
  // base comes from the last release tag, asked of git once, here.
  const declaration = findVersionDeclaration(ctx.dir);
  const { scm, name } = declaration;
  const own = scm ? undefined : staticVersion(declaration).version;
  if (!name) throw new VersionUtilError("VU_NO_NAME", `${ctx.dir}/pyproject.toml has no project name to look up on the index`);
  const git = { cwd: ctx.dir, env: ctx.env };
  await requireFullGitHistory(git, "the dev number counts commits since the last release tag");
  const tag = await findLastReleaseTag(git);
  const base = chooseBase(own, tag?.version);
  const distance = tag ? tag.distance : await countCommits(git);
  const listing = await listProjectFiles(options.simpleUrl, name, options.fetch ? { fetch: options.fetch } : {});
  const existing = existingDevNumbers(listing.files.map((f) => f.version), base);
  const devNumber = Math.max(distance, existing.length ? Math.max(...existing) + 1 : 0);
  const version = requireVersion(`${base}.dev${devNumber}`).normalized;
  const result: DevVersion = {
    name,
    version,
    base,
    devNumber,
    apply: scm ? "env" : "write",
    ...(scm ? { envName: declaration.source === "pdm-scm" ? PDM_PRETEND_ENV : PRETEND_ENV } : {}),
    source: declaration.source,
    ...(tag ? { lastTag: tag.tag } : {}),
    distance,
    existing,
  };
  if (options.write && !scm) {
    result.written = writeVersion(declaration, version)
      .map((e) => e.relativeFile)
      .join(", ");
  }
  return result;
}

/** The project's version without .devN when above the last tag; else the release after the tag; else 0.0.1. */
export function chooseBase(projectVersion: string | undefined, lastTagVersion: string | undefined): string {
  const own = projectVersion === undefined ? undefined : formatVersion({ ...parseExactVersion(projectVersion), dev: null, local: null });
  if (own !== undefined && (lastTagVersion === undefined || compareVersions(own, lastTagVersion) > 0)) return own;
  return lastTagVersion === undefined ? "0.0.1" : nextReleaseAfter(lastTagVersion);
}

/** The dev numbers among the index's file versions whose version without .devN is base. */
export function existingDevNumbers(versions: readonly (string | undefined)[], base: string): number[] {
  const numbers = new Set<number>();
  for (const text of versions) {
    const parsed = text === undefined ? null : parseVersion(text);
    if (!parsed || parsed.dev === null) continue;
    if (formatVersion({ ...parseExactVersion(text!), dev: null, local: null }) === base) numbers.add(parsed.dev);
  }
  return [...numbers].sort((a, b) => a - b);
}
