import { rmSync } from "node:fs";
import { normalizeProjectName } from "@pypi-workflows/index-client";
import { type ArchiveLimits, DEFAULT_LIMITS, formatBytes } from "./archive.js";
import { badFilenameReason, type Candidate, collectCandidates } from "./collect.js";
import type { DistCheckInput, DistFacts } from "./dist-file.js";
import { type Finding, type Report, reporterFor } from "./findings.js";
import { checkAgainstIndex, type IndexComparison, type ProjectSizeLimit, reportClosedRelease, reportProjectSize } from "./index-check.js";
import { reportNewProjectName } from "./project-name.js";
import { makeStaging, putInPlace, withCopies } from "./published-copies.js";
import { reportCopies } from "./published-source.js";
import { renderRst } from "./render-rst.js";
import { checkSdist } from "./sdist.js";
import { checkWheel } from "./wheel.js";

export interface DistCheckOptions {
  /** Files or directories (every entry of a directory is part of the set). Default: ["dist"]. */
  paths?: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Simple API root to compare with (resolve it with index-client's resolveIndex). Default: none. */
  indexUrl?: string;
  /**
   * With indexUrl: where the index has a file of this name with other bytes (or this release's sdist under
   * another name), put the index's copy in place of the built file instead of refusing, once the whole check
   * passes (re-publishing or verifying a release already on the index). Default false.
   */
  usePublished?: boolean;
  /**
   * With indexUrl: the index refuses new files for a release older than this many days (PyPI's and TestPyPI's
   * rule: index-client's resolveIndex gives it for a target). Default: no such rule (a private index).
   */
  closesReleasesAfterDays?: number;
  /**
   * With indexUrl: the index refuses to create a project under a standard library module's name or one too similar
   * to an existing project's (PyPI's and TestPyPI's rule: resolveIndex gives it for a target). When the index does
   * not have the project yet, its name is checked against the index's list of projects. Default false.
   */
  checkNewProjectNames?: boolean;
  /**
   * With indexUrl: the index refuses an upload that takes the project's files over `bytes` (PyPI's and TestPyPI's
   * 10 GiB unless they granted more: resolveIndex gives it for a target, `isDefault`). A project already over a
   * default limit was evidently granted a larger one (numpy, uv), unknown here, so it is not checked against it.
   * Default: no such limit.
   */
  projectSizeLimit?: ProjectSizeLimit;
  /** The time the release's age is measured at. Default: now. */
  now?: Date;
  /** Python with readme_renderer for reStructuredText. Default: python3/python on PATH. */
  python?: string;
  /** Warnings fail the check too. Default false. */
  strict?: boolean;
  limits?: Partial<ArchiveLimits>;
  fetch?: typeof fetch;
  /** Findings of one code per file beyond this are folded into one line. Default 20. */
  maxRepeats?: number;
}

export interface CheckedFile {
  filename: string;
  kind: "wheel" | "sdist";
  size: number;
  sha256: string;
  alreadyPublished: boolean;
  /** --use-published: the built file the index's copy (this entry) replaced. */
  replaced?: { filename: string; sha256: string };
}

export interface DistCheckResult {
  ok: boolean;
  name: string | undefined;
  version: string | undefined;
  files: CheckedFile[];
  findings: Finding[];
  counts: { error: number; warning: number; info: number };
  alreadyPublished: number;
}

/** Checks a set of distributions before upload; returns every finding (throws only for exit-2 conditions). */
export async function checkDistributions(options: DistCheckOptions): Promise<DistCheckResult> {
  const findings: Finding[] = [];
  const reporters = new Map<string, ReturnType<typeof cappedReporter>>();
  const reportFor = (file: string): Report => {
    let r = reporters.get(file);
    if (!r) {
      r = cappedReporter(file, findings, options.maxRepeats ?? 20);
      reporters.set(file, r);
    }
    return r.report;
  };
  const candidates = collectCandidates(options.paths?.length ? options.paths : ["dist"], options.cwd, reportFor);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const facts: DistFacts[] = [];
  const pathOf = new Map<DistFacts, string>();
  for (const candidate of candidates) {
    const result = await checkOne(candidate, reportFor(candidate.filename), limits);
    if (result) {
      facts.push(result);
      pathOf.set(result, candidate.path);
    }
  }
  if (candidates.length === 0 && !findings.some((f) => f.severity === "error")) reportFor(".")("DC_NO_FILES", "no .whl or .tar.gz files to check");
  const sdists = facts.filter((f) => f.kind === "sdist");
  if (sdists.length > 1) reportFor(".")("DC_MULTIPLE_SDISTS", `${sdists.length} sdists: ${sdists.map((s) => s.filename).join(", ")}`);
  const release = checkOneRelease(facts, reportFor("."));
  await renderDescriptions(facts, options, reportFor);
  let staging: string | undefined;
  try {
    let comparison: IndexComparison = { projectFound: false, published: new Set<string>(), copies: [], missing: [] };
    if (options.indexUrl && release && !findings.some((f) => f.severity === "error")) {
      // The index's copies are downloaded here first, and put in place only once everything passed.
      if (options.usePublished) staging = makeStaging(options.env);
      const indexOptions = { simpleUrl: options.indexUrl, ...(options.fetch ? { fetch: options.fetch } : {}), ...(staging ? { usePublishedInto: staging } : {}) };
      comparison = await checkAgainstIndex(facts, release.name, release.version, indexOptions, reportFor);
      await reportCopies(comparison.copies, comparison.missing, pathOf, reportFor);
      if (options.closesReleasesAfterDays !== undefined) reportClosedRelease(comparison, release, options.closesReleasesAfterDays, options.now ?? new Date(), reportFor);
      if (options.projectSizeLimit) reportProjectSize(comparison, release.name, options.projectSizeLimit, reportFor("."));
      if (options.checkNewProjectNames && !comparison.projectFound) {
        await reportNewProjectName(release.name, { simpleUrl: options.indexUrl, ...(options.fetch ? { fetch: options.fetch } : {}) }, reportFor("."));
      }
    }
    for (const r of reporters.values()) r.flush();
    const result = summarize(facts, findings, release, comparison.published, options.strict ?? false);
    if (!result.ok || comparison.copies.length === 0) return result;
    putInPlace(comparison.copies, pathOf);
    return withCopies(result, comparison.copies);
  } finally {
    if (staging) rmSync(staging, { recursive: true, force: true });
  }
}

async function checkOne(candidate: Candidate, report: Report, limits: ArchiveLimits): Promise<DistFacts | undefined> {
  const reason = badFilenameReason(candidate.filename);
  if (reason) report("DC_FILENAME_INVALID", `the file name ${reason}`);
  const input: DistCheckInput = { path: candidate.path, filename: candidate.filename, report, limits };
  try {
    const facts = candidate.kind === "wheel" ? await checkWheel(input) : await checkSdist(input);
    // PyPI answers 400 "File too large" only after the whole file is uploaded (and other files may be up already).
    if (facts.size > limits.maxFileBytes) {
      report("DC_FILE_TOO_LARGE", `the file is ${formatBytes(facts.size)}, over the per-file upload limit of ${formatBytes(limits.maxFileBytes)} (PyPI's default is 100 MiB)`);
    }
    return facts;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string" || !code.startsWith("E")) throw error;
    report("DC_UNREADABLE", `cannot read the file: ${(error as Error).message}`);
    return undefined;
  }
}

/** One project name and one version across every file. */
function checkOneRelease(facts: DistFacts[], report: Report): { name: string; version: string } | undefined {
  const names = new Set(facts.map((f) => f.name && normalizeProjectName(f.name)).filter((n): n is string => !!n));
  const versions = new Set(facts.map((f) => f.version).filter((v): v is string => !!v));
  if (names.size > 1) report("DC_MIXED_RELEASE", `files of ${names.size} projects: ${[...names].join(", ")}`);
  if (versions.size > 1) report("DC_MIXED_RELEASE", `files of ${versions.size} versions: ${[...versions].join(", ")}`);
  const first = facts.find((f) => f.name && f.version);
  return first?.name && first.version ? { name: first.name, version: first.version } : undefined;
}

async function renderDescriptions(facts: DistFacts[], options: DistCheckOptions, reportFor: (file: string) => Report): Promise<void> {
  const rst = new Map(facts.filter((f) => f.description?.format === "rst").map((f) => [f.filename, f.description!.text]));
  if (rst.size === 0) return;
  const rendered = await renderRst(rst, { cwd: options.cwd, env: options.env, ...(options.python ? { python: options.python } : {}) });
  for (const filename of rst.keys()) {
    const report = reportFor(filename);
    if (!rendered.available) report("DC_DESCRIPTION_NOT_RENDERED", `the reStructuredText description was not rendered (${rendered.reason})`);
    else if (!rendered.results.get(filename)?.ok) {
      report("DC_DESCRIPTION_RENDER", `the reStructuredText description does not render: ${rendered.results.get(filename)?.message.split("\n")[0] ?? "unknown error"}`);
    }
  }
}

function summarize(facts: DistFacts[], findings: Finding[], release: { name: string; version: string } | undefined, published: Set<string>, strict: boolean): DistCheckResult {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return {
    ok: counts.error === 0 && (!strict || counts.warning === 0),
    name: release?.name,
    version: release?.version,
    files: facts.map((f) => ({ filename: f.filename, kind: f.kind, size: f.size, sha256: f.sha256, alreadyPublished: published.has(f.filename) })),
    findings,
    counts,
    alreadyPublished: published.size,
  };
}

/** Keeps the first `cap` findings of each code for a file and folds the rest into one line. */
function cappedReporter(file: string, into: Finding[], cap: number): { report: Report; flush: () => void } {
  const seen = new Map<string, number>();
  const collect: Finding[] = [];
  const inner = reporterFor(file, collect);
  const report: Report = (code, message, extra) => {
    const n = (seen.get(code) ?? 0) + 1;
    seen.set(code, n);
    if (n <= cap) {
      inner(code, message, extra);
      into.push(collect.pop()!);
    }
  };
  const flush = () => {
    for (const [code, n] of seen) {
      if (n > cap) {
        inner(code as Finding["code"], `... and ${n - cap} more ${code} findings in this file`);
        into.push(collect.pop()!);
      }
    }
  };
  return { report, flush };
}
