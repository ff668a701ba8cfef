import type { ArchiveScan } from "./archive.js";
import type { DistFacts } from "./dist-file.js";
import type { Report } from "./findings.js";
import type { PublishedCopy } from "./index-check.js";
import { scanTarGz } from "./tar-scan.js";
import { scanZip } from "./zip-scan.js";

/** How many differing paths a finding names before it counts the rest. */
const NAMED = 3;

/**
 * Reports the index's copies --use-published takes, each compared with this build's file. When the index lacks
 * some of the built files, those are uploaded beside the copies, so each copy must have been built from the same
 * source as this build. If it was not (the tag was moved after publishing, or the release came from another
 * commit), the release would hold files of two sources under one version: DC_PUBLISHED_SOURCE_DIFFERS on the
 * built file instead of DC_PUBLISHED_COPY, and, as the check then fails, nothing is replaced and the upload never
 * starts. When every file is on the index nothing new is published: DC_PUBLISHED_COPY then only says that the
 * copy's source differs, and the release is verified as the index has it.
 */
export async function reportCopies(copies: PublishedCopy[], toUpload: readonly DistFacts[], pathOf: ReadonlyMap<DistFacts, string>, reportFor: (file: string) => Report): Promise<void> {
  const uploads = toUpload.map((f) => f.filename).join(", ");
  for (const copy of copies) {
    const report = reportFor(copy.built.filename);
    const differences = await differencesFrom(copy, pathOf.get(copy.built)!);
    const named = differences.slice(0, NAMED).join("; ") + (differences.length > NAMED ? `; and ${differences.length - NAMED} more` : "");
    if (differences.length === 0) report("DC_PUBLISHED_COPY", copy.message);
    else if (toUpload.length === 0) report("DC_PUBLISHED_COPY", `${copy.message}; it was built from other sources than this build (${named}), so the index's release is not this checkout's code`);
    else report("DC_PUBLISHED_SOURCE_DIFFERS", `the index's ${copy.filename} was built from other sources than this build (${named}), and ${uploads} would be uploaded beside it: one release would hold files of two sources`);
  }
}

async function differencesFrom(copy: PublishedCopy, builtPath: string): Promise<string[]> {
  const [built, published] = await Promise.all([sourceContents(builtPath, copy.built.kind), sourceContents(copy.stagedPath, copy.built.kind)]);
  if (!published) return ["the index's copy could not be read to the end"];
  if (!built) return ["this build could not be read to the end"];
  return sourceDifferences(built, published);
}

/**
 * What a distribution holds that its source made, by path: each file's sha256 (a link: its target). Left out is
 * what the build backend writes about the build (a wheel's .dist-info/, an sdist's PKG-INFO and *.egg-info/) and
 * an sdist's top directory, whose name follows the file name. Two builds of one commit agree on this even when
 * a newer backend writes other metadata or timestamps; a tag moved to other code does not. Undefined when the
 * archive cannot be read to the end.
 */
export async function sourceContents(path: string, kind: "wheel" | "sdist"): Promise<Map<string, string> | undefined> {
  if (kind === "wheel") {
    const scan = await scanZip(path, () => false);
    return contents(scan, (name) => (/^[^/]+\.dist-info\//.test(name) ? undefined : name), (target) => target);
  }
  const scan = await scanTarGz(path, () => false, undefined, true);
  const inTree = (name: string) => name.split("/").slice(1).filter((part) => part !== "" && part !== ".");
  return contents(
    scan,
    (name) => {
      const parts = inTree(name);
      return parts.length === 0 || parts.join("/") === "PKG-INFO" || parts.some((part) => part.endsWith(".egg-info")) ? undefined : parts.join("/");
    },
    // A hard link names its target from the top of the archive, top directory included.
    (target) => inTree(target).join("/"),
  );
}

function contents(scan: ArchiveScan, pathOf: (name: string) => string | undefined, hardLinkTarget: (target: string) => string): Map<string, string> | undefined {
  if (scan.incomplete) return undefined;
  const found = new Map<string, string>();
  for (const member of scan.members) {
    const path = member.isDirectory ? undefined : pathOf(member.name);
    if (path === undefined) continue;
    if (member.type === "symlink") found.set(path, `symlink to ${member.linkName}`);
    else if (member.type === "hardlink") found.set(path, `hardlink to ${hardLinkTarget(member.linkName ?? "")}`);
    else if (member.sha256 === undefined) return undefined;
    else found.set(path, member.sha256);
  }
  return found;
}

/** The paths two builds disagree on, sorted, each with how. */
export function sourceDifferences(built: ReadonlyMap<string, string>, published: ReadonlyMap<string, string>): string[] {
  const paths = [...new Set([...built.keys(), ...published.keys()])].sort();
  const differences: string[] = [];
  for (const path of paths) {
    const mine = built.get(path);
    const theirs = published.get(path);
    if (mine === theirs) continue;
    differences.push(mine === undefined ? `${path} only in the index's copy` : theirs === undefined ? `${path} only in this build` : `${path} differs`);
  }
  return differences;
}
