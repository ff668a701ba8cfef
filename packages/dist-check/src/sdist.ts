import { type DistFilename, filenameProjectName, parseDistFilename } from "@pypi-workflows/index-client";
import { parseVersion } from "@pypi-workflows/version-util";
import type { ArchiveMember, ArchiveScan } from "./archive.js";
import { parseCoreMetadata } from "./core-metadata.js";
import { type DistCheckInput, type DistFacts, metadataText, reportArchiveProblems } from "./dist-file.js";
import type { Report } from "./findings.js";
import { checkMetadata } from "./metadata-rules.js";
import { ExtractedTree, findDuplicates, unsafePathReason } from "./paths.js";
import { scanTarGz } from "./tar-scan.js";
import { projectNameProblem } from "./project-name.js";

/** All sdist rules: PEP 625 file name, one top directory, tarfile's data filter, bomb guard, metadata. */
export async function checkSdist({ path, filename, report, limits }: DistCheckInput): Promise<DistFacts> {
  const parsed = checkSdistFilename(filename, report);
  const stem = filename.slice(0, -".tar.gz".length);
  const scan = await scanTarGz(path, (name) => /^[^/]+\/PKG-INFO$/.test(name), limits);
  const facts: DistFacts = { filename, kind: "sdist", size: scan.size, sha256: scan.sha256, name: parsed?.name, version: parsed?.version, description: undefined };
  reportArchiveProblems(scan, report);
  if (scan.incomplete && scan.members.length === 0) return facts;
  const tree = new ExtractedTree(scan.members);
  for (const member of scan.members) checkMember(member, tree, report);
  for (const name of findDuplicates(scan.members.map((m) => m.name))) report("DC_DUPLICATE_ENTRY", "appears more than once in the archive", { member: name });
  // A stream that broke off says nothing reliable about what is missing.
  if (scan.incomplete) return facts;
  const top = checkTopDirectory(scan, stem, report);
  if (top === undefined) return facts;
  const names = new Set(scan.members.map((m) => m.name.replace(/\/$/, "")));
  if (!names.has(`${top}/pyproject.toml`)) report("DC_SDIST_NO_PYPROJECT", `${top}/pyproject.toml is missing`);
  const pkgInfo = scan.kept.get(`${top}/PKG-INFO`);
  if (!pkgInfo) {
    report("DC_SDIST_MISSING_PKG_INFO", `${top}/PKG-INFO is missing`);
    return facts;
  }
  const read = metadataText(pkgInfo, `${top}/PKG-INFO`);
  if ("problem" in read) {
    report("DC_METADATA_UNREADABLE", read.problem);
    return facts;
  }
  const meta = checkMetadata(parseCoreMetadata(read.text), {
    report,
    filenameName: parsed?.name ?? "",
    filenameVersion: parsed?.version ?? "",
    hasLicenseFile: (file) => names.has(`${top}/${file}`),
  });
  return { ...facts, name: meta.name ?? facts.name, version: meta.version ?? facts.version, description: meta.description };
}

/**
 * The rules on an sdist's file name alone, PEP 625's {normalized_name}-{normalized_version}.tar.gz (what PyPI
 * compares it with, after packaging's parse_sdist_filename). Returns the split name.
 */
export function checkSdistFilename(filename: string, report: Report): DistFilename | undefined {
  const parsed = parseDistFilename(filename);
  checkSdistName(parsed?.name, parsed?.version, report);
  return parsed;
}

function checkSdistName(name: string | undefined, version: string | undefined, report: Report): void {
  if (!name || !version) {
    report("DC_FILENAME_INVALID", "not a valid sdist file name ({name}-{version}.tar.gz)");
    return;
  }
  const normalized = parseVersion(version)?.normalized;
  if (!normalized) {
    report("DC_FILENAME_INVALID", `the version ${JSON.stringify(version)} in the file name is not PEP 440`);
    return;
  }
  const nameProblem = projectNameProblem(name);
  if (nameProblem) {
    report("DC_FILENAME_INVALID", nameProblem);
    return;
  }
  const expected = `${filenameProjectName(name)}-${normalized}.tar.gz`;
  if (`${name}-${version}.tar.gz` !== expected) report("DC_FILENAME_NOT_NORMALIZED", `PEP 625 names this sdist ${expected}`);
}

/**
 * What tarfile's `data` filter refuses (PEP 706), plus setuid/setgid bits. Like the filter, paths and link targets
 * are resolved through the symlinks extracted before them (`tree`, which follows the extraction member by member);
 * "the tree" is the member's top directory, stricter than the filter's whole destination, since an sdist holds one
 * top directory. A member tarfile would fail to extract (pip then stops with a traceback) is reported too.
 */
export function checkMember(member: ArchiveMember, tree: ExtractedTree, report: Report): void {
  const reason = unsafePathReason(member.name, { backslash: false });
  const verdict = tree.check(member);
  // Every member goes into the tree: tarfile extracts what its filter lets through, whatever this refuses.
  const extracted = tree.extract(member, verdict);
  if (reason) {
    report("DC_UNSAFE_PATH", `member path ${reason}`, { member: member.name });
    return;
  }
  const refusal = verdict.filter ?? verdict.stricter;
  if (refusal) report("DC_SDIST_UNSAFE_MEMBER", refusal, { member: member.name });
  if ((member.mode ?? 0) & 0o6000) report("DC_SDIST_UNSAFE_MEMBER", `has the setuid/setgid bit (mode ${(member.mode ?? 0).toString(8)})`, { member: member.name });
  if (refusal) return;
  if (extracted.refusal) report("DC_SDIST_UNSAFE_MEMBER", extracted.refusal, { member: member.name });
  else if (extracted.failure) report("DC_SDIST_UNSAFE_MEMBER", `tarfile cannot extract it: ${extracted.failure}`, { member: member.name });
}

function checkTopDirectory(scan: ArchiveScan, stem: string, report: Report): string | undefined {
  const safe = scan.members.filter((m) => !unsafePathReason(m.name, { backslash: false }));
  const tops = new Set(safe.map((m) => m.name.split("/")[0] ?? ""));
  if (tops.size !== 1) {
    const listed = [...tops].slice(0, 5).join(", ");
    report("DC_SDIST_LAYOUT", tops.size === 0 ? "the sdist is empty" : `${tops.size} top-level entries (${listed}); expected only ${stem}/`);
    return tops.has(stem) ? stem : undefined;
  }
  const [top = ""] = tops;
  if (top !== stem) report("DC_SDIST_LAYOUT", `the top directory is ${JSON.stringify(top)}, expected ${stem}/`);
  return top;
}
