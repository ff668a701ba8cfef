import { type DistFilename, filenameProjectName, normalizeProjectName, parseDistFilename } from "@pypi-workflows/index-client";
import { parseVersion } from "@pypi-workflows/version-util";
import type { ArchiveScan } from "./archive.js";
import { parseCoreMetadata } from "./core-metadata.js";
import { decodeUtf8, type DistCheckInput, type DistFacts, metadataText, reportArchiveProblems } from "./dist-file.js";
import type { Report } from "./findings.js";
import { checkLayout } from "./layout.js";
import { checkMetadata } from "./metadata-rules.js";
import { findDuplicates, unsafePathReason } from "./paths.js";
import { projectNameProblem } from "./project-name.js";
import { unsupportedPlatformTags } from "./platform-tags.js";
import { compareRecord, indexRecord, otherDigestsWanted, parseRecord, type RecordIndex } from "./record.js";
import { digestMembers, scanZip } from "./zip-scan.js";

const DIST_INFO_FILE = /^[^/]+\.dist-info\/(METADATA|WHEEL|RECORD)$/;

/** All wheel rules: file name, archive safety, .dist-info, WHEEL, RECORD, metadata and layout. */
export async function checkWheel({ path, filename, report, limits }: DistCheckInput): Promise<DistFacts> {
  const parsed = checkWheelFilename(filename, report);
  let early: NameChecks | undefined;
  // The checks that need only member names and the .dist-info files run while large members still inflate
  // (unless a kept .dist-info file is one of them); their findings are held and reported in the usual order.
  const scan = await scanZip(path, (name) => DIST_INFO_FILE.test(name), limits, (partial) => {
    early = checkNames(partial, parsed);
  });
  const facts: DistFacts = { filename, kind: "wheel", size: scan.size, sha256: scan.sha256, name: parsed?.name, version: parsed?.version, description: undefined };
  reportArchiveProblems(scan, report);
  if (scan.incomplete && scan.members.length === 0) return facts;
  const names = early ?? checkNames(scan, parsed);
  names.held.replay(report);
  if (!names.distInfo) return facts;
  if (names.record && !scan.incomplete) compareRecord(names.record, `${names.distInfo}/RECORD`, report, await digestMembers(path, scan.directory, otherDigestsWanted(names.record)));
  names.afterRecord.replay(report);
  const meta = names.meta;
  return meta ? { ...facts, name: meta.name ?? facts.name, version: meta.version ?? facts.version, description: meta.description } : facts;
}

/**
 * The rules on a wheel's file name alone: what packaging's parse_wheel_filename (26.3, which PyPI runs) refuses,
 * the normalized form the wheel spec asks for, and the platform tags PyPI accepts. Returns the split name (also
 * when a rule fails, for the checks that compare it with the archive).
 */
export function checkWheelFilename(filename: string, report: Report): DistFilename | undefined {
  const parsed = parseDistFilename(filename);
  if (parsed?.kind !== "wheel" || !parsed.wheelTags) {
    report("DC_FILENAME_INVALID", "not a valid wheel file name ({name}-{version}(-{build})?-{python}-{abi}-{platform}.whl)");
    return parsed;
  }
  const nameProblem = wheelNameProblem(parsed.name);
  if (parseVersion(parsed.version) === null) report("DC_FILENAME_INVALID", `the version ${JSON.stringify(parsed.version)} in the file name is not PEP 440`);
  else if (nameProblem) report("DC_FILENAME_INVALID", nameProblem);
  else checkWheelNameForm(parsed.name, parsed.version, report);
  const tagProblem = wheelTagProblem(parsed.wheelTags);
  if (tagProblem) {
    report("DC_FILENAME_INVALID", tagProblem);
    return parsed;
  }
  // packaging's Tag lowers each part, and warehouse checks what it lowered.
  const refusedTags = unsupportedPlatformTags(parsed.wheelTags.platform.toLowerCase());
  if (refusedTags.length) report("DC_WHEEL_PLATFORM_TAG", `PyPI refuses the platform tag ${refusedTags.join(", ")} (unsupported platform tag)`);
  return parsed;
}

/**
 * The name part of a wheel's file name: packaging's rule (PEP 427 escaping: word characters, "." and "_", no "__"),
 * and a project's name at all (PyPI compares it with the project's normalized name, which is ASCII).
 */
function wheelNameProblem(name: string): string | undefined {
  if (!/^[\p{L}\p{N}_.]+$/u.test(name) || name.includes("__")) {
    return `the project name ${JSON.stringify(name)} in the file name is not one a wheel can carry (letters, digits, "." and single "_")`;
  }
  return projectNameProblem(name);
}

/**
 * packaging's rules on the tags (parse_tag, 26.3): no empty member in any dot-separated tag set, and every
 * interpreter tag an identifier (str.isidentifier).
 */
function wheelTagProblem(tags: NonNullable<DistFilename["wheelTags"]>): string | undefined {
  for (const [label, set] of [
    ["interpreter", tags.python],
    ["ABI", tags.abi],
    ["platform", tags.platform],
  ] as const) {
    if (set.split(".").includes("")) return `the ${label} tag ${JSON.stringify(set)} in the file name has an empty member`;
  }
  const bad = tags.python.split(".").find((tag) => !/^[\p{XID_Start}_]\p{XID_Continue}*$/u.test(tag));
  return bad === undefined ? undefined : `the interpreter tag ${JSON.stringify(bad)} in the file name is not an identifier (such as py3 or cp312)`;
}

interface NameChecks {
  distInfo: string | undefined;
  /** RECORD's rows (indexed with the member names), to compare with the members once every hash is known. */
  record: RecordIndex | undefined;
  meta: ReturnType<typeof checkMetadata> | undefined;
  /** Findings that come before the RECORD comparison, and after it. */
  held: HeldReport;
  afterRecord: HeldReport;
}

/** Every wheel rule except the RECORD comparison: paths, .dist-info, WHEEL, RECORD's form, layout, metadata. */
function checkNames(scan: ArchiveScan, parsed: ReturnType<typeof parseDistFilename>): NameChecks {
  const held = holdReports();
  const afterRecord = holdReports();
  const result: NameChecks = { distInfo: undefined, record: undefined, meta: undefined, held, afterRecord };
  checkMemberPaths(scan, held.report);
  const distInfo = findDistInfo(scan, parsed?.name, parsed?.version, held.report);
  if (!distInfo) return result;
  result.distInfo = distInfo;
  const read = (file: string) => {
    const content = scan.kept.get(`${distInfo}/${file}`);
    if (!content) held.report("DC_WHEEL_MISSING_FILE", `${distInfo}/${file} is missing`);
    return content;
  };
  const [metadata, wheel, record] = [read("METADATA"), read("WHEEL"), read("RECORD")];
  const wheelText = wheel && decodeUtf8(wheel);
  if (wheel && wheelText === undefined) held.report("DC_WHEEL_VERSION", `${distInfo}/WHEEL is not UTF-8: installers cannot read its Wheel-Version`);
  else if (wheelText !== undefined) checkWheelFile(wheelText, held.report);
  const recordText = record && decodeUtf8(record);
  // pip stops on a RECORD that is not UTF-8 (UnsupportedWheel): one finding, not one per member "not listed".
  if (record && recordText === undefined) held.report("DC_RECORD_INVALID", `${distInfo}/RECORD is not UTF-8`);
  else if (recordText !== undefined && !scan.incomplete) result.record = indexRecord(parseRecord(recordText, held.report), scan.members);
  checkLayout(scan.members, afterRecord.report);
  if (!metadata) return result;
  const decoded = metadataText(metadata, `${distInfo}/METADATA`);
  if ("problem" in decoded) {
    afterRecord.report("DC_METADATA_UNREADABLE", decoded.problem);
    return result;
  }
  let names: Set<string> | undefined;
  const hasMember = (name: string) => {
    names ??= new Set(scan.members.map((m) => m.name));
    return names.has(name);
  };
  result.meta = checkMetadata(parseCoreMetadata(decoded.text), {
    report: afterRecord.report,
    filenameName: parsed?.name ?? "",
    filenameVersion: parsed?.version ?? "",
    hasLicenseFile: (file) => hasMember(`${distInfo}/licenses/${file}`),
  });
  return result;
}

interface HeldReport {
  report: Report;
  replay: (to: Report) => void;
}

/** A Report that keeps its findings until replay, so checks can run before their findings' turn. */
function holdReports(): HeldReport {
  const calls: Parameters<Report>[] = [];
  const replay = (to: Report) => {
    for (const args of calls) to(...args);
  };
  return { report: (...args) => void calls.push(args), replay };
}

function checkMemberPaths(scan: ArchiveScan, report: Report): void {
  for (const member of scan.members) {
    const reason = unsafePathReason(member.name, { backslash: true });
    if (reason) report("DC_UNSAFE_PATH", `member path ${reason}`, { member: member.name });
  }
  for (const name of findDuplicates(scan.members.map((m) => m.name))) report("DC_DUPLICATE_ENTRY", "appears more than once in the archive", { member: name });
}

/** Exactly one top-level {name}-{version}.dist-info for this project and version. */
function findDistInfo(scan: ArchiveScan, name: string | undefined, version: string | undefined, report: Report): string | undefined {
  const dirs = new Set<string>();
  for (const member of scan.members) {
    const slash = member.name.indexOf("/");
    if (slash >= 0 && member.name.slice(0, slash).endsWith(".dist-info")) dirs.add(member.name.slice(0, slash));
  }
  if (dirs.size === 0) {
    report("DC_DIST_INFO_INVALID", "the wheel has no .dist-info directory");
    return undefined;
  }
  if (dirs.size > 1) report("DC_DIST_INFO_INVALID", `the wheel has ${dirs.size} .dist-info directories: ${[...dirs].join(", ")}`);
  const expected = [...dirs].find((dir) => {
    const stem = dir.slice(0, -".dist-info".length);
    const dash = stem.lastIndexOf("-");
    const dirVersion = parseVersion(stem.slice(dash + 1))?.normalized;
    return name !== undefined && normalizeProjectName(stem.slice(0, dash)) === normalizeProjectName(name) && dirVersion === parseVersion(version ?? "")?.normalized;
  });
  if (!expected && name !== undefined) {
    const want = name && version ? `${filenameProjectName(name)}-${version}.dist-info` : "{name}-{version}.dist-info";
    report("DC_DIST_INFO_INVALID", `no ${want} directory (found ${[...dirs].join(", ")})`);
    return [...dirs][0];
  }
  // PyPI reads WHEEL and METADATA from the directory the file name spells, character for character (it splits the
  // name at its first two hyphens); pip is more lenient, so only the upload would fail. A file name that is not
  // normalized is reported as such (renaming the file is the fix), not here as well.
  const normalized = name !== undefined && filenameProjectName(name) === name;
  const spelled = normalized && version !== undefined ? `${name}-${version}.dist-info` : undefined;
  if (expected && spelled && expected !== spelled) {
    report("DC_DIST_INFO_INVALID", `${expected} is not spelled as the file name spells it: PyPI reads the wheel's WHEEL and METADATA from ${spelled}`);
  }
  return expected ?? [...dirs][0];
}

function checkWheelFile(text: string, report: Report): void {
  const match = /^Wheel-Version:\s*(\S+)\s*$/im.exec(text);
  if (!match) report("DC_WHEEL_VERSION", "WHEEL has no Wheel-Version");
  else if (!/^1\.\d+$/.test(match[1] ?? "")) report("DC_WHEEL_VERSION", `Wheel-Version ${match[1]} is not supported (installers read 1.x)`);
}

/**
 * The wheel spec asks for the normalized name (lower case, runs of -_. as _) and the normalized version. PyPI refuses
 * other names (400 "Filename ... should contain the normalized project name"), but compares the version with the
 * metadata's as a Version (legacy.py: `meta.version != version`): a version spelled otherwise ("1.0RC1") uploads, so
 * it is a warning.
 */
function checkWheelNameForm(name: string, version: string, report: Report): void {
  const expectedName = filenameProjectName(name);
  const expectedVersion = parseVersion(version)?.normalized ?? version;
  if (name !== expectedName) {
    report("DC_WHEEL_FILENAME_NOT_NORMALIZED", `PyPI refuses this name; the wheel spec names this file ${expectedName}-${expectedVersion}-... (found ${name}-${version}-...)`);
  } else if (version !== expectedVersion) {
    report("DC_WHEEL_VERSION_NOT_NORMALIZED", `the wheel spec spells the version ${expectedVersion} (found ${version}); PyPI accepts it as the same version`);
  }
}
