import { bumpVersion } from "./bump.js";
import { readCurrentVersion, type ProjectContext, type CurrentVersion } from "./current.js";
import { planVersionEdits, writeVersion } from "./set-version.js";
import type { VersionSource } from "./source.js";

export interface BumpResult {
  previous: string;
  version: string;
  source: VersionSource;
  /** The file that declares the version, written (or that would be, with dryRun); undefined for scm projects. */
  file?: string;
  /** Every file written (or that would be): file first, then the places that must agree with it (__version__). */
  files: string[];
  written: boolean;
  dryRun: boolean;
  /** The release tag to create for the new version. */
  tag: string;
  nextSteps: string[];
}

/**
 * Bumps the project's version as `hatch version <segments>` does, and writes it where it lives. For scm
 * projects the version is the tag: nothing is written, the result names the tag to create.
 */
export async function bumpProject(ctx: ProjectContext, segments: string, options: { dryRun?: boolean } = {}): Promise<BumpResult> {
  const current = await readCurrentVersion(ctx);
  const previous = bumpBase(current);
  const version = bumpVersion(previous, segments);
  const tag = `v${version}`;
  const dryRun = options.dryRun ?? false;
  if (current.scm) {
    return { previous, version, source: current.source, files: [], written: false, dryRun, tag, nextSteps: [`git tag ${tag}`, `git push origin ${tag}`] };
  }
  // Every declaration current checks for agreement is written (all files or none), so the project stays valid.
  const edits = dryRun ? planVersionEdits(current.declaration, version) : writeVersion(current.declaration, version);
  const files = edits.map((e) => e.relativeFile);
  return {
    previous,
    version,
    source: current.source,
    file: files[0]!,
    files,
    written: !dryRun,
    dryRun,
    tag,
    nextSteps: [`git commit -m "Release ${version}" -- ${files.join(" ")}`, `git tag ${tag}`, `git push origin HEAD ${tag}`],
  };
}

/** scm projects bump from their last release tag (their current version may be a .devN between tags). */
function bumpBase(current: CurrentVersion): string {
  if (!current.scm || current.pretend) return current.version;
  return current.tagVersion ?? "0.0.0";
}
